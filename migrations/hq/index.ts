import type { Kysely } from 'kysely';
import m0001 from './0001_hq';
import m0002 from './0002_money_and_workload';

/** An HQ migration: Kysely schema-builder code, so it runs on SQLite and PostgreSQL alike. */
export interface HqMigration {
  name: string;
  up(db: Kysely<unknown>): Promise<void>;
  /**
   * Entities whose typed consolidated tables this migration adds: once it has run, HQ fills them
   * from the events it already holds (src-hq/consolidate.ts, reconsolidate), so reports cover what
   * branches synced before the upgrade.
   */
  consolidates?: readonly string[];
}

/** Every HQ migration, in order. Append new ones; never edit or reorder released ones. */
export const hqMigrations: readonly HqMigration[] = [m0001, m0002];
