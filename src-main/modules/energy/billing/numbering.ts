import type { SqliteDb } from '../../../core/db/store';
import { sqlGet } from './sql';

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

/** Reserves `count` consecutive numbers and answers the first (one statement: create-or-advance). */
export function take(db: SqliteDb, branchId: string, series: Series, count = 1): number {
  const row = sqlGet<{ next_value: number }>(
    db,
    `INSERT INTO document_sequences (branch_id, series, next_value) VALUES (?1, ?2, 1 + ?3)
     ON CONFLICT (branch_id, series) DO UPDATE SET next_value = next_value + ?3 RETURNING next_value`,
    branchId,
    series,
    count,
  )!;
  return row.next_value - count;
}

export const formatNumber = (series: Series, value: number): string => `${SERIES[series].prefix}${String(value).padStart(SERIES[series].digits, '0')}`;

/** The SQL expression that formats a numeric column the same way (for set-based posting). */
export const formatNumberSql = (series: Series, expression: string): string =>
  `printf('${SERIES[series].prefix}%0${SERIES[series].digits}d', ${expression})`;

export const nextNumber = (db: SqliteDb, branchId: string, series: Series): string => formatNumber(series, take(db, branchId, series));
