import type Database from 'better-sqlite3';
import * as store from '../../../core/db/store';
import type { SqliteDb } from '../../../core/db/store';

/**
 * The store's raw SQL helpers, accepting numbered parameters (`?1 … ?1`) so an optional filter can
 * be written once as `(?1 IS NULL OR col = ?1)`. better-sqlite3 binds positional values only, so
 * each `?N` is rewritten to `?` with its value repeated; the rewrite is cached per statement text.
 */
const rewritten = new Map<string, { sql: string; order: number[] | null }>();

function expand(sql: string, args: readonly unknown[]): [string, unknown[]] {
  let entry = rewritten.get(sql);
  if (!entry) {
    const order: number[] = [];
    const text = sql.replace(/\?(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    });
    entry = { sql: text, order: order.length ? order : null };
    rewritten.set(sql, entry);
  }
  return [entry.sql, entry.order ? entry.order.map((i) => args[i]) : [...args]];
}

export function sqlAll<R>(db: SqliteDb, sql: string, ...args: unknown[]): R[] {
  const [text, values] = expand(sql, args);
  return store.sqlAll<R>(db, text, ...values);
}
export function sqlGet<R>(db: SqliteDb, sql: string, ...args: unknown[]): R | undefined {
  const [text, values] = expand(sql, args);
  return store.sqlGet<R>(db, text, ...values);
}
export function sqlRun(db: SqliteDb, sql: string, ...args: unknown[]): Database.RunResult {
  // Named parameters (@id) pass through untouched: one object argument.
  if (args.length === 1 && typeof args[0] === 'object' && args[0] !== null) return store.sqlRun(db, sql, args[0]);
  const [text, values] = expand(sql, args);
  return store.sqlRun(db, text, ...values);
}
