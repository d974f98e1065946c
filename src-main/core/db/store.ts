import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import {
  DummyDriver,
  Kysely,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type Compilable,
} from 'kysely';
import type { DB } from './schema';
import { migrate, type Migration } from './migrator';
import { branchMigrations } from '../../../migrations/branch';

/**
 * The branch store. better-sqlite3 is synchronous, so we use Kysely only to *build* typed SQL and
 * run the compiled statement ourselves: transactions stay plain synchronous functions (nothing can
 * interleave inside one), and no promise hop is paid per statement on the hot path.
 */
export type SqliteDb = Database.Database;

export const qb = new Kysely<DB>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

const statementCache = new WeakMap<SqliteDb, Map<string, Database.Statement>>();

function prepare(db: SqliteDb, sql: string): Database.Statement {
  let cache = statementCache.get(db);
  if (!cache) {
    cache = new Map();
    statementCache.set(db, cache);
  }
  let stmt = cache.get(sql);
  if (!stmt) {
    stmt = db.prepare(sql);
    cache.set(sql, stmt);
  }
  return stmt;
}

const params = (p: readonly unknown[]): unknown[] =>
  p.map((v) => (typeof v === 'boolean' ? (v ? 1 : 0) : v));

export function all<R>(db: SqliteDb, query: Compilable<R>): R[] {
  const c = query.compile();
  return prepare(db, c.sql).all(...params(c.parameters)) as R[];
}

export function first<R>(db: SqliteDb, query: Compilable<R>): R | undefined {
  const c = query.compile();
  return prepare(db, c.sql).get(...params(c.parameters)) as R | undefined;
}

export function run(db: SqliteDb, query: Compilable<unknown>): Database.RunResult {
  const c = query.compile();
  return prepare(db, c.sql).run(...params(c.parameters));
}

/** Raw SQL for the few places a builder would hide intent (hot paths, pragmas, reports). */
export function sqlAll<R>(db: SqliteDb, sql: string, ...args: unknown[]): R[] {
  return prepare(db, sql).all(...params(args)) as R[];
}
export function sqlGet<R>(db: SqliteDb, sql: string, ...args: unknown[]): R | undefined {
  return prepare(db, sql).get(...params(args)) as R | undefined;
}
export function sqlRun(db: SqliteDb, sql: string, ...args: unknown[]): Database.RunResult {
  return prepare(db, sql).run(...params(args));
}

const tablesSeen = new WeakMap<SqliteDb, Map<string, boolean>>();

/**
 * Whether the store has a table, asked once per connection: a store opened with an older migration
 * list (tests of old stores) lacks the tables later migrations add, and the code that uses them
 * falls back to what it did before them.
 */
export function hasTable(db: SqliteDb, name: string): boolean {
  let seen = tablesSeen.get(db);
  if (!seen) {
    seen = new Map();
    tablesSeen.set(db, seen);
  }
  let known = seen.get(name);
  if (known === undefined) {
    known = sqlGet(db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", name) !== undefined;
    seen.set(name, known);
  }
  return known;
}

export const STORE_FILE = 'branch.sqlite';

/** WAL pages after which a writer checkpoints for itself; see openStore. */
export const WAL_BACKSTOP_PAGES = 10_000;

export interface OpenOptions {
  /** Migrations to apply; tests may pass a shortened list to simulate an old app. */
  migrations?: readonly Migration[];
  readonly?: boolean;
}

/**
 * Opens (creating if needed) the branch store in `dataDir`, with WAL, foreign keys and a busy
 * timeout, and brings its schema up to date. A store written by a newer app is refused untouched.
 */
export function openStore(dataDir: string, opts: OpenOptions = {}): SqliteDb {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, STORE_FILE);
  const db = new Database(file, { readonly: opts.readonly ?? false });
  try {
    db.pragma('busy_timeout = 5000');
    if (!opts.readonly) {
      db.pragma('journal_mode = WAL');
      // NORMAL is durable across application crashes in WAL mode; only an OS crash can lose
      // the last commits, which sync to HQ would then re-detect as a shortened journal.
      db.pragma('synchronous = NORMAL');
      // The app checkpoints on a background thread (see checkpointer.ts); a connection checkpoints
      // in its own commit only once the WAL holds this many pages (about 40 MB), should that thread
      // fall behind or not run (tests, job workers before the app starts it). A WAL that grew is cut
      // back to this size when it restarts.
      db.pragma(`wal_autocheckpoint = ${WAL_BACKSTOP_PAGES}`);
      db.pragma(`journal_size_limit = ${WAL_BACKSTOP_PAGES * 4096}`);
    }
    db.pragma('foreign_keys = ON');
    // Each pipeline call inside an import chunk is a savepoint, and SQLite keeps the pages a
    // savepoint may have to roll back in a temporary journal: in memory that costs a copy, on disk
    // a file write per page (about a fifth of an imported row).
    db.pragma('temp_store = MEMORY');
    migrate(db, opts.migrations ?? branchMigrations, { apply: !opts.readonly });
    return db;
  } catch (err) {
    db.close();
    throw err;
  }
}

/**
 * One transaction function per connection, taking the work as its argument: better-sqlite3 builds
 * five wrapper functions for each db.transaction(), which was a fifth of an empty write's cost.
 */
const transactionRunners = new WeakMap<SqliteDb, Database.Transaction<(work: () => unknown) => unknown>>();

/** Runs `fn` in one IMMEDIATE transaction (takes the write lock up front, so no upgrade deadlock). */
export function writeTransaction<T>(db: SqliteDb, fn: () => T): T {
  let runner = transactionRunners.get(db);
  if (!runner) {
    runner = db.transaction((work: () => unknown) => work());
    transactionRunners.set(db, runner);
  }
  // Called inside a transaction, better-sqlite3 makes this a savepoint, as db.transaction() did.
  return runner.immediate(fn) as T;
}
