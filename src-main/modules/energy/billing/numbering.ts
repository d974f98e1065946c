import { type SqliteDb } from '../../../core/db/store';
import { sqlGet, sqlRun } from './sql';

/**
 * Gap-free document numbers per branch and series. `take` must run inside the transaction that
 * issues the documents: the counter row is read and advanced under the write lock, so two runs
 * (or a run and the counter) can never draw the same number, and a rollback — a crash, a failed
 * check — returns the numbers with everything else, leaving no gap.
 */
export const SERIES = {
  bill: { prefix: 'INV-', digits: 7 },
  credit_note: { prefix: 'CN-', digits: 7 },
  receipt: { prefix: 'R-', digits: 8 },
} as const;
export type Series = keyof typeof SERIES;

/** Reserves `count` consecutive numbers and answers the first. */
export function take(db: SqliteDb, branchId: string, series: Series, count = 1): number {
  sqlRun(db, 'INSERT INTO document_sequences (branch_id, series, next_value) VALUES (?, ?, 1) ON CONFLICT DO NOTHING', branchId, series);
  const row = sqlGet<{ next_value: number }>(db, 'SELECT next_value FROM document_sequences WHERE branch_id = ? AND series = ?', branchId, series)!;
  if (count > 0) sqlRun(db, 'UPDATE document_sequences SET next_value = next_value + ? WHERE branch_id = ? AND series = ?', count, branchId, series);
  return row.next_value;
}

export const formatNumber = (series: Series, value: number): string => `${SERIES[series].prefix}${String(value).padStart(SERIES[series].digits, '0')}`;

/** The SQL expression that formats a numeric column the same way (for set-based posting). */
export const formatNumberSql = (series: Series, expression: string): string =>
  `printf('${SERIES[series].prefix}%0${SERIES[series].digits}d', ${expression})`;

export const nextNumber = (db: SqliteDb, branchId: string, series: Series): string => formatNumber(series, take(db, branchId, series));
