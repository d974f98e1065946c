import { createHash } from 'node:crypto';
import type { SqliteDb } from './store';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export class StoreTooNewError extends Error {
  constructor(
    readonly storeVersion: number,
    readonly appVersion: number,
  ) {
    super(
      `This data was written by a newer version of Plug1 Operations (schema ${storeVersion}; this app knows up to ${appVersion}). ` +
        'Install the newer version to open it. Nothing in the data has been changed.',
    );
    this.name = 'StoreTooNewError';
  }
}

export class MigrationChecksumError extends Error {
  constructor(readonly version: number) {
    super(
      `Migration ${version} recorded in this store differs from the one this app ships. ` +
        'Migrations are frozen once released; the store was left untouched.',
    );
    this.name = 'MigrationChecksumError';
  }
}

export const checksum = (sql: string): string => createHash('sha256').update(sql).digest('hex');

/**
 * Forward-only migrations. Each runs in its own transaction with its checksum recorded, so a
 * half-applied migration cannot exist and an edited released migration is caught at open.
 */
export function migrate(db: SqliteDb, migrations: readonly Migration[], options: { apply: boolean } = { apply: true }): void {
  if (!options.apply) {
    // Read-only opens (audit:verify) check compatibility but never write, not even the bookkeeping table.
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get();
    if (!exists) return;
  } else db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TEXT NOT NULL
  ) STRICT`);

  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  sorted.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migrations must be numbered 1..n without gaps; found ${m.version} at ${i + 1}`);
  });
  const latest = sorted.length;

  const applied = db
    .prepare('SELECT version, checksum FROM schema_migrations ORDER BY version')
    .all() as { version: number; checksum: string }[];
  const newest = applied.at(-1)?.version ?? 0;
  if (newest > latest) throw new StoreTooNewError(newest, latest);
  for (const row of applied) {
    const known = sorted[row.version - 1];
    if (!known || checksum(known.sql) !== row.checksum) throw new MigrationChecksumError(row.version);
  }

  if (!options.apply) return;
  const record = db.prepare('INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (?, ?, ?, ?)');
  for (const m of sorted.slice(newest)) {
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, checksum(m.sql), new Date().toISOString());
    }).immediate();
  }
}
