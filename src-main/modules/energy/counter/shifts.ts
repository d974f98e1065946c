import { ruleViolation } from '../../../../src-shared/errors';
import type { Shift, ShiftReport, TenderAmounts } from '../../../../src-shared/contracts/energy/counter';
import { TENDER_KEYS, TRANSACTION_TYPE_LABELS } from '../../../../src-shared/contracts/energy/counter';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet, sqlRun } from '../billing/sql';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import type { CashierShiftsTable, CounterTransactionsTable } from './tables';

/**
 * The counter's frame. Every counter transaction (payments, vends, reversals, package and
 * subscription sales) belongs to the cashier's open shift: a handler calls `requireOpenShift`
 * first, which also stamps the call's journal events with the shift, then records its money
 * with `recordCounterTransaction` so the X/Z reports and the expected cash add it up.
 */

export const SHIFT_ENTITY = 'cashierShift';
export const CLOSE_PROCEDURE = 'energy.counter.shifts.close';

export function openShiftOf(db: SqliteDb, cashierId: string): CashierShiftsTable | undefined {
  return sqlGet<CashierShiftsTable>(db, `SELECT * FROM cashier_shifts WHERE cashier_id = ? AND status = 'open'`, cashierId);
}

export function pendingCloseApproval(db: SqliteDb, shiftId: string): string | null {
  return (
    sqlGet<{ id: string }>(
      db,
      `SELECT id FROM approval_requests WHERE entity = ? AND entity_id = ? AND procedure = ? AND status = 'pending' ORDER BY requested_at DESC LIMIT 1`,
      SHIFT_ENTITY,
      shiftId,
      CLOSE_PROCEDURE,
    )?.id ?? null
  );
}

/**
 * The caller's open shift, or a refusal the cashier can act on. Sets `ctx.shiftId`, so every
 * audit event of the call carries the shift.
 */
export function requireOpenShift(ctx: Ctx): CashierShiftsTable {
  // One statement for both checks: every counter transaction runs this first.
  const row = sqlGet<CashierShiftsTable & { closing: number }>(
    ctx.db,
    `SELECT s.*, EXISTS (SELECT 1 FROM approval_requests a WHERE a.entity = ?2 AND a.entity_id = s.id AND a.procedure = ?3 AND a.status = 'pending') AS closing
     FROM cashier_shifts s WHERE s.cashier_id = ?1 AND s.status = 'open'`,
    ctx.user().userId,
    SHIFT_ENTITY,
    CLOSE_PROCEDURE,
  );
  if (!row) throw ruleViolation('shift.notOpen', 'Open your cashier shift first (counter → Open shift)');
  const { closing, ...shift } = row;
  if (closing) throw ruleViolation('shift.closing', `Shift #${shift.shift_no} is waiting for its close to be approved; no new transactions`);
  ctx.shiftId = shift.id;
  return shift;
}

export interface CounterTransaction {
  /** payment, payment_reversal, vend, vend_reversal, emergency_credit, package_sale, ... */
  type: string;
  tender: CounterTransactionsTable['tender'];
  /** Money into the drawer (or onto the card terminal); negative for money paid out. */
  amount: number;
  documentId: string;
  receiptNo?: string | null;
  accountId?: string | null;
}

export function recordCounterTransaction(ctx: Ctx, shift: CashierShiftsTable, tx: CounterTransaction): void {
  sqlRun(
    ctx.db,
    `INSERT INTO counter_transactions (id, branch_id, shift_id, type, tender, amount_minor, document_id, receipt_no, account_id, cashier_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    shift.id,
    tx.type,
    tx.tender,
    tx.amount,
    tx.documentId,
    tx.receiptNo ?? null,
    tx.accountId ?? null,
    ctx.user().userId,
    ctx.nowIso,
  );
}

const zeroTenders = (): TenderAmounts => ({ cash: 0, card: 0, cheque: 0, transfer: 0 });

/** What should be in the drawer per tender: the float plus cash taken; other tenders as taken. */
export function expectedAmounts(db: SqliteDb, shift: CashierShiftsTable): TenderAmounts {
  const expected = zeroTenders();
  expected.cash = shift.opening_float_minor;
  for (const row of sqlAll<{ tender: string; amount: number }>(
    db,
    `SELECT tender, sum(amount_minor) AS amount FROM counter_transactions WHERE shift_id = ? GROUP BY tender`,
    shift.id,
  )) {
    if (row.tender in expected) expected[row.tender as keyof TenderAmounts] += row.amount;
  }
  return expected;
}

/** Variance per tender (counted − expected) and the amount the threshold is compared with. */
export function varianceOf(expected: TenderAmounts, counted: TenderAmounts): { perTender: TenderAmounts; absolute: number; net: number } {
  const perTender = zeroTenders();
  let absolute = 0;
  let net = 0;
  for (const t of TENDER_KEYS) {
    perTender[t] = counted[t] - expected[t];
    // Summed without netting: R50 over in cash and R50 short on card is R100 to explain, not zero.
    absolute += Math.abs(perTender[t]);
    net += perTender[t];
  }
  return { perTender, absolute, net };
}

export function shiftReport(db: SqliteDb, shift: CashierShiftsTable, nowIso: string): ShiftReport {
  const byTender = sqlAll<{ tender: string; count: number; amount: number }>(
    db,
    `SELECT tender, count(*) AS count, sum(amount_minor) AS amount FROM counter_transactions WHERE shift_id = ? GROUP BY tender ORDER BY tender`,
    shift.id,
  );
  const byType = sqlAll<{ type: string; count: number; amount: number }>(
    db,
    `SELECT type, count(*) AS count, sum(amount_minor) AS amount FROM counter_transactions WHERE shift_id = ? GROUP BY type ORDER BY type`,
    shift.id,
  ).map((r) => ({ ...r, label: TRANSACTION_TYPE_LABELS[r.type] ?? r.type.replace(/_/g, ' ') }));
  const expected = shift.expected_json ? (JSON.parse(shift.expected_json) as TenderAmounts) : expectedAmounts(db, shift);
  const counted = shift.counted_json ? (JSON.parse(shift.counted_json) as TenderAmounts) : null;
  return {
    kind: shift.status === 'closed' ? 'Z' : 'X',
    generatedAt: nowIso,
    byTender,
    byType,
    expected,
    counted,
    variance: counted ? varianceOf(expected, counted).perTender : null,
    totalTaken: byTender.reduce((s, r) => s + r.amount, 0),
    transactions: byTender.reduce((s, r) => s + r.count, 0),
  };
}

type ShiftRow = CashierShiftsTable & { cashier_name: string };
const SHIFT_SELECT = `SELECT s.*, u.display_name AS cashier_name FROM cashier_shifts s JOIN users u ON u.id = s.cashier_id`;

const toShift = (db: SqliteDb, r: ShiftRow): Shift => ({
  id: r.id,
  shiftNo: r.shift_no,
  cashierId: r.cashier_id,
  cashierName: r.cashier_name,
  status: r.status,
  openedAt: r.opened_at,
  openingFloat: r.opening_float_minor,
  closedAt: r.closed_at,
  expected: r.expected_json ? (JSON.parse(r.expected_json) as TenderAmounts) : null,
  counted: r.counted_json ? (JSON.parse(r.counted_json) as TenderAmounts) : null,
  variance: r.variance_minor,
  closeNote: r.close_note,
  pendingCloseApprovalId: r.status === 'open' ? pendingCloseApproval(db, r.id) : null,
  version: r.version,
});

export const findShiftRow = (db: SqliteDb, id: string): CashierShiftsTable | undefined => sqlGet(db, 'SELECT * FROM cashier_shifts WHERE id = ?', id);

export function findShift(db: SqliteDb, id: string): Shift | undefined {
  const row = sqlGet<ShiftRow>(db, `${SHIFT_SELECT} WHERE s.id = ?`, id);
  return row && toShift(db, row);
}

export function listShifts(db: SqliteDb, input: { status?: string; cashierId?: string; fromInstant?: string; toInstant?: string; cursor?: [string, string]; limit: number }) {
  const where = `WHERE (?1 IS NULL OR s.status = ?1) AND (?2 IS NULL OR s.cashier_id = ?2) AND (?3 IS NULL OR s.opened_at >= ?3) AND (?4 IS NULL OR s.opened_at < ?4)`;
  const args = [input.status ?? null, input.cashierId ?? null, input.fromInstant ?? null, input.toInstant ?? null];
  const rows = sqlAll<ShiftRow>(
    db,
    `${SHIFT_SELECT} ${where} AND (?5 IS NULL OR (s.opened_at, s.id) < (?5, ?6)) ORDER BY s.opened_at DESC, s.id DESC LIMIT ?7`,
    ...args,
    input.cursor?.[0] ?? null,
    input.cursor?.[1] ?? null,
    input.limit + 1,
  );
  return { rows: rows.map((r) => toShift(db, r)), more: rows.length > input.limit };
}
