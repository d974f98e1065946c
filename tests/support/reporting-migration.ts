import type { Migration } from '../../src-main/core/db/migrator';
import reportingMigration from '../../migrations/branch/0007_reporting';

/**
 * Until migration 0007 can join the shared list (the migrator refuses gaps, and 0005/0006 belong
 * to functions still landing), reporting tests mock the list with this: the real migrations, empty
 * stand-ins for missing numbers below 7, then 0007. Once 0007 is in the list it changes nothing.
 */
export function withReportingMigration(migrations: readonly Migration[]): Migration[] {
  if (migrations.some((m) => m.version === reportingMigration.version)) return [...migrations];
  const list = [...migrations];
  for (let v = list.length + 1; v < reportingMigration.version; v += 1) list.push({ version: v, name: `reserved_${v}`, sql: 'SELECT 1;' });
  return [...list, reportingMigration];
}
