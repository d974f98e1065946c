import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet, sqlRun } from './sql';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import { settleOldestFirst, type OpenItem } from './rules';

/**
 * An account's ledger as the counter and billing both see it. Posted bills carry what is still
 * open; a credit note that cancelled a partly paid bill holds that paid part as negative open;
 * money paid ahead of any bill waits on its payment as `unapplied`. Balance = open bills − credit.
 */

export interface OpenBillRow {
  id: string;
  bill_no: string;
  issue_date: string;
  due_date: string;
  period_end: string;
  total_minor: number;
  open_minor: number;
}

export function openBills(db: SqliteDb, accountId: string): OpenBillRow[] {
  return sqlAll<OpenBillRow>(
    db,
    `SELECT id, bill_no, issue_date, due_date, period_end, total_minor, open_minor FROM bills
     WHERE account_id = ? AND status = 'posted' AND open_minor <> 0 AND kind = 'bill'
     ORDER BY issue_date, id`,
    accountId,
  );
}

export const toOpenItems = (rows: readonly OpenBillRow[]): OpenItem[] => rows.map((r) => ({ id: r.id, issueDate: r.issue_date, open: r.open_minor }));

/** Credit waiting to be used: unapplied payments plus what credit notes still hold. */
export function accountCredit(db: SqliteDb, accountId: string): number {
  const row = sqlGet<{ paid: number | null; notes: number | null }>(
    db,
    `SELECT (SELECT sum(unapplied_minor) FROM payments WHERE account_id = ?1 AND status = 'completed' AND unapplied_minor > 0) AS paid,
            (SELECT -sum(open_minor) FROM bills WHERE account_id = ?1 AND kind = 'credit_note' AND status = 'posted' AND open_minor < 0) AS notes`,
    accountId,
  )!;
  return (row.paid ?? 0) + (row.notes ?? 0);
}

export function accountBalance(db: SqliteDb, accountId: string): number {
  const open = sqlGet<{ n: number | null }>(
    db,
    `SELECT sum(open_minor) AS n FROM bills WHERE account_id = ? AND kind = 'bill' AND status = 'posted' AND open_minor > 0`,
    accountId,
  )!.n;
  return (open ?? 0) - accountCredit(db, accountId);
}

/** Records that `sourceId` paid `amount` of a bill and lowers the bill's open amount. */
export function settle(ctx: Ctx, billId: string, source: { kind: 'payment' | 'credit_note'; id: string }, amount: number): void {
  sqlRun(
    ctx.db,
    `INSERT INTO settlements (id, branch_id, bill_id, source_kind, source_id, amount_minor, reversed, created_at) VALUES (?, ?, ?, ?, ?, ?, 0, ?)`,
    newId(),
    ctx.branch.id,
    billId,
    source.kind,
    source.id,
    amount,
    ctx.nowIso,
  );
  sqlRun(ctx.db, 'UPDATE bills SET open_minor = open_minor - ?, version = version + 1, updated_at = ? WHERE id = ?', amount, ctx.nowIso, billId);
}

/**
 * Uses the account's waiting credit (oldest first) to settle its open bills (oldest first): a
 * customer who paid ahead, or whose cancelled bill was partly paid, sees the next bill settled.
 * Answers the settlements made, for the journal.
 */
export function applyAvailableCredit(ctx: Ctx, accountId: string): { billId: string; sourceId: string; amount: number }[] {
  const made: { billId: string; sourceId: string; amount: number }[] = [];
  const sources = [
    ...sqlAll<{ id: string; credit: number }>(
      ctx.db,
      `SELECT id, unapplied_minor AS credit FROM payments WHERE account_id = ? AND status = 'completed' AND unapplied_minor > 0 ORDER BY created_at, id`,
      accountId,
    ).map((s) => ({ ...s, kind: 'payment' as const })),
    ...sqlAll<{ id: string; credit: number }>(
      ctx.db,
      `SELECT id, -open_minor AS credit FROM bills WHERE account_id = ? AND kind = 'credit_note' AND status = 'posted' AND open_minor < 0 ORDER BY issue_date, id`,
      accountId,
    ).map((s) => ({ ...s, kind: 'credit_note' as const })),
  ];
  for (const source of sources) {
    const { settled } = settleOldestFirst(toOpenItems(openBills(ctx.db, accountId)), source.credit);
    if (settled.length === 0) break;
    let used = 0;
    for (const s of settled) {
      settle(ctx, s.id, source, s.amount);
      used += s.amount;
      made.push({ billId: s.id, sourceId: source.id, amount: s.amount });
    }
    if (source.kind === 'payment') {
      sqlRun(ctx.db, 'UPDATE payments SET unapplied_minor = unapplied_minor - ?, version = version + 1, updated_at = ? WHERE id = ?', used, ctx.nowIso, source.id);
    } else {
      sqlRun(ctx.db, 'UPDATE bills SET open_minor = open_minor + ?, version = version + 1, updated_at = ? WHERE id = ?', used, ctx.nowIso, source.id);
    }
  }
  return made;
}
