import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type MigrationProvider } from 'kysely';
import { hqMigrations } from '../../migrations/hq';
import { reconsolidate } from '../consolidate';
import type { HqDatabase } from './schema';

export type HqDialect = 'sqlite' | 'postgres';

export interface HqStore {
  db: Kysely<HqDatabase>;
  dialect: HqDialect;
  /** Where the data lives, for the startup line (never includes a password). */
  location: string;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** postgres://… for a real deployment; omitted: a SQLite file in `dataDir`. */
  databaseUrl?: string;
  dataDir?: string;
}

export const HQ_SQLITE_FILE = 'hq.sqlite';

// PostgreSQL answers bigint (and count(*)) as strings because they may exceed 2^53; sequence
// numbers and counts here never will, so read them as numbers on both dialects.
const INT8_OID = 20;
const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres';
  }
}

const migrationProvider: MigrationProvider = {
  getMigrations: async () =>
    Object.fromEntries(
      hqMigrations.map((m) => [
        m.name,
        {
          // A migration that adds typed tables fills them from the events already held, in its own
          // transaction: an HQ upgraded after branches synced reports their past too, and a fill
          // that fails leaves the migration to run again.
          up: async (db: Kysely<unknown>) => {
            await m.up(db);
            if (m.consolidates) await reconsolidate(db as Kysely<HqDatabase>, m.consolidates);
          },
        },
      ]),
    ),
};

/**
 * Opens the HQ database and brings its schema up to date. SQLite by default (a single file, one
 * writer at a time, enough for a handful of branches); PostgreSQL when given a URL.
 */
export async function openHqStore(options: StoreOptions): Promise<HqStore> {
  let store: HqStore;
  if (options.databaseUrl) {
    const pool = new pg.Pool({ connectionString: options.databaseUrl, max: 10, types: pgTypes });
    const db = new Kysely<HqDatabase>({ dialect: new PostgresDialect({ pool }) });
    store = { db, dialect: 'postgres', location: redact(options.databaseUrl), close: () => db.destroy() };
  } else {
    if (!options.dataDir) throw new Error('Give --data-dir for the SQLite file, or --database-url for PostgreSQL');
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, HQ_SQLITE_FILE);
    const sqlite = new Database(file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    // Uploads insert in large batches into indexed tables: a bigger page cache keeps the indexes' hot
    // pages in memory, and checkpointing every 40 MB instead of 4 MB syncs the disk a tenth as often.
    sqlite.pragma('cache_size = -65536');
    sqlite.pragma('wal_autocheckpoint = 10000');
    const db = new Kysely<HqDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
    store = { db, dialect: 'sqlite', location: file, close: () => db.destroy() };
  }
  try {
    const { error, results } = await new Migrator({ db: store.db, provider: migrationProvider }).migrateToLatest();
    const failed = results?.find((r) => r.status === 'Error');
    if (error || failed) {
      throw new Error(`HQ migration ${failed?.migrationName ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}
