import type { SqliteDb } from '../../../core/db/store';
import { sqlGet, sqlRun } from '../../energy/billing/sql';

/**
 * Gap-free document numbers for package and subscription documents, in the branch's
 * `document_sequences` table the way billing numbers its bills (src-main/modules/energy/billing/
 * numbering.ts): the counter row is read and advanced inside the transaction that issues the
 * document, so two writers never share a number and a rollback gives the number back. Receipts
 * use billing's own `receipt` series, so every receipt of the counter is one sequence.
 */
export const HS_SERIES = {
  hs_invoice: { prefix: 'SI-', digits: 7 },
  hs_subscription: { prefix: 'SUB-', digits: 6 },
  hs_package: { prefix: 'PK-', digits: 6 },
} as const;
export type HsSeries = keyof typeof HS_SERIES;

export function nextDocumentNo(db: SqliteDb, branchId: string, series: HsSeries): string {
  sqlRun(db, 'INSERT INTO document_sequences (branch_id, series, next_value) VALUES (?, ?, 1) ON CONFLICT DO NOTHING', branchId, series);
  const { next_value: value } = sqlGet<{ next_value: number }>(db, 'SELECT next_value FROM document_sequences WHERE branch_id = ? AND series = ?', branchId, series)!;
  sqlRun(db, 'UPDATE document_sequences SET next_value = next_value + 1 WHERE branch_id = ? AND series = ?', branchId, series);
  const { prefix, digits } = HS_SERIES[series];
  return `${prefix}${String(value).padStart(digits, '0')}`;
}
