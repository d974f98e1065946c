import type { z } from 'zod';
import { AppError, conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import * as C from '../../../../src-shared/contracts/energy/counter';
import type { Receipt } from '../../../../src-shared/contracts/energy/counter';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet, sqlRun } from '../billing/sql';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import type { JobRunners } from '../../../core/jobs/types';
import { instantRange, localDateOf } from '../../../reporting/periods';
import { containsPattern, decodeCursor, encodeCursor } from '../meter-readings/queries';
import { accountBalance, accountCredit, openBills, settle, toOpenItems } from '../billing/ledger';
import { nextNumber } from '../billing/numbering';
import { aging, settleOldestFirst } from '../billing/rules';
import {
  SHIFT_ENTITY,
  expectedAmounts,
  findShift,
  findShiftRow,
  listShifts,
  openShiftOf,
  recordCounterTransaction,
  requireOpenShift,
  shiftReport,
  varianceOf,
} from './shifts';
import { varianceThreshold } from './settings';
import type { PaymentsTable } from './tables';
import { COLLECTIONS_EXPORT_JOB, buildCollectionsReport, runCollectionsExport } from './reports';

export const ENTITY = { shift: SHIFT_ENTITY, payment: 'payment' } as const;

type Input<T extends ProcedureContract> = z.output<T['input']>;
const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const today = (ctx: Ctx) => localDateOf(ctx.now, ctx.branch.timeZone);
const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });

/* ---------------- shifts ---------------- */

function openShift(ctx: Ctx, input: Input<typeof C.shiftsOpen>) {
  const me = ctx.user();
  const open = openShiftOf(ctx.db, me.userId);
  if (open) throw ruleViolation('shift.alreadyOpen', `Your shift #${open.shift_no} is still open; close it before opening another`);
  const id = newId();
  const shiftNo = (sqlGet<{ n: number | null }>(ctx.db, 'SELECT max(shift_no) AS n FROM cashier_shifts')!.n ?? 0) + 1;
  sqlRun(
    ctx.db,
    `INSERT INTO cashier_shifts (id, branch_id, shift_no, cashier_id, status, opened_at, opening_float_minor, version, updated_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?, 0, ?)`,
    id,
    ctx.branch.id,
    shiftNo,
    me.userId,
    ctx.nowIso,
    input.openingFloat,
    ctx.nowIso,
  );
  ctx.shiftId = id;
  const after = findShift(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.shift, entityId: id, action: 'opened', after });
  return after;
}

function requireOwnOrSupervised(ctx: Ctx, cashierId: string): void {
  const me = ctx.user();
  if (cashierId !== me.userId && !me.permissions.has('energy.counter:approve')) {
    throw new AppError('FORBIDDEN', 'Only the cashier (or a supervisor) can close this shift');
  }
}

function closeGate(ctx: Ctx, input: Input<typeof C.shiftsClose>): GateRequest | null {
  const shift = findShiftRow(ctx.db, input.id);
  if (!shift || shift.status !== 'open' || shift.version !== input.version) return null;
  const variance = varianceOf(expectedAmounts(ctx.db, shift), input.counted);
  if (variance.absolute <= ctx.settings.get(varianceThreshold)) return null;
  const name = findShift(ctx.db, shift.id)!.cashierName;
  return {
    summary: `Close shift #${shift.shift_no} of ${name} with a variance of ${money(variance.net)} (${money(variance.absolute)} to explain)`,
    entity: ENTITY.shift,
    entityId: shift.id,
    reason: input.note,
  };
}

function closeShift(ctx: Ctx, input: Input<typeof C.shiftsClose>) {
  const shift = findShiftRow(ctx.db, input.id);
  if (!shift) throw notFound('Shift', input.id);
  requireOwnOrSupervised(ctx, shift.cashier_id);
  if (shift.status !== 'open') throw ruleViolation('shift.notOpen', `Shift #${shift.shift_no} is already closed`);
  if (shift.version !== input.version) throw conflict('This shift changed meanwhile (a transaction?); count again');
  ctx.shiftId = shift.id;
  const before = findShift(ctx.db, shift.id)!;
  const expected = expectedAmounts(ctx.db, shift);
  const variance = varianceOf(expected, input.counted);
  sqlRun(
    ctx.db,
    `UPDATE cashier_shifts SET status = 'closed', closed_at = ?, expected_json = ?, counted_json = ?, variance_minor = ?, close_note = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    ctx.nowIso,
    JSON.stringify(expected),
    JSON.stringify(input.counted),
    variance.net,
    input.note ?? null,
    ctx.nowIso,
    shift.id,
  );
  const after = findShift(ctx.db, shift.id)!;
  const report = shiftReport(ctx.db, findShiftRow(ctx.db, shift.id)!, ctx.nowIso);
  ctx.audit({ entity: ENTITY.shift, entityId: shift.id, action: 'closed', before, after: { ...after, report }, reason: input.note ?? null });
  return { shift: after, report };
}

/** Cashiers see their own shifts; supervisors (approve) and auditors (export) see every shift. */
function mayReadAllShifts(ctx: Ctx): boolean {
  const p = ctx.user().permissions;
  return p.has('energy.counter:approve') || p.has('energy.counter:export');
}

function getShift(ctx: Ctx, id: string) {
  const row = findShiftRow(ctx.db, id);
  if (!row) throw notFound('Shift', id);
  if (row.cashier_id !== ctx.user().userId && !mayReadAllShifts(ctx)) throw new AppError('FORBIDDEN', 'You may see only your own shifts');
  return { shift: findShift(ctx.db, id)!, report: shiftReport(ctx.db, row, ctx.nowIso) };
}

function listShiftsFor(ctx: Ctx, input: Input<typeof C.shiftsList>) {
  const range = input.from || input.to ? instantRange(input.from ?? '2000-01-01', input.to ?? '2999-12-31', ctx.branch.timeZone) : null;
  const cashierId = mayReadAllShifts(ctx) ? input.cashierId : ctx.user().userId;
  const cursor = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as [string, string]) : undefined;
  const { rows, more } = listShifts(ctx.db, { status: input.status, cashierId, fromInstant: range?.fromInstant, toInstant: range?.toInstant, cursor, limit: input.limit });
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  const total = sqlGet<{ n: number }>(
    ctx.db,
    'SELECT count(*) AS n FROM cashier_shifts WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR cashier_id = ?2)',
    input.status ?? null,
    cashierId ?? null,
  )!.n;
  return { rows: pageRows, nextCursor: more && last ? encodeCursor([last.openedAt, last.id]) : null, total };
}

/* ---------------- finding accounts ---------------- */

interface HitRow {
  id: string;
  account_no: string;
  name: string;
  phone: string | null;
  address: string;
  serial: string | null;
  prepaid: number;
  category: string;
  status: string;
}

const HIT_SELECT = `SELECT a.id, a.account_no, a.name, a.phone, a.address, a.category, a.status, m.serial,
    EXISTS (SELECT 1 FROM prepaid_accounts pa WHERE pa.account_id = a.id) AS prepaid
  FROM accounts a LEFT JOIN meters m ON m.account_id = a.id AND m.status = 'installed'`;

const toHit = (db: SqliteDb, r: HitRow) => ({
  accountId: r.id,
  accountNo: r.account_no,
  name: r.name,
  phone: r.phone,
  address: r.address,
  meterSerial: r.serial,
  prepaid: r.prepaid === 1,
  balance: accountBalance(db, r.id),
});

/**
 * Exact account or meter number first (what a cashier types from a bill or a meter), then
 * prefixes of numbers and phone, then names containing the words. Each step uses an index except
 * the name search, which only runs when the faster ones found too little.
 */
function findAccounts(ctx: Ctx, input: Input<typeof C.accountsFind>) {
  const q = input.query;
  const found = new Map<string, HitRow>();
  const addAll = (rows: HitRow[]) => rows.forEach((r) => found.size < input.limit && !found.has(r.id) && found.set(r.id, r));
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  addAll(sqlAll<HitRow>(ctx.db, `${HIT_SELECT} WHERE a.account_no = ?1 OR a.id IN (SELECT account_id FROM meters WHERE serial = ?1)`, q));
  if (found.size < input.limit) {
    addAll(
      sqlAll<HitRow>(
        ctx.db,
        `${HIT_SELECT} WHERE a.account_no LIKE ?1 ESCAPE '\\' OR a.id IN (SELECT account_id FROM meters WHERE serial LIKE ?1 ESCAPE '\\')
           OR a.phone LIKE ?1 ESCAPE '\\' ORDER BY a.account_no LIMIT ?2`,
        prefix,
        input.limit,
      ),
    );
  }
  if (found.size < input.limit) {
    const words = q.split(/\s+/).filter(Boolean).slice(0, 4);
    addAll(
      sqlAll<HitRow>(ctx.db, `${HIT_SELECT} WHERE ${words.map(() => `a.name LIKE ? ESCAPE '\\'`).join(' AND ')} ORDER BY a.name LIMIT ?`, ...words.map(containsPattern), input.limit),
    );
  }
  return [...found.values()].map((r) => toHit(ctx.db, r));
}

function accountCard(ctx: Ctx, input: Input<typeof C.accountCard>) {
  const row = sqlGet<HitRow>(ctx.db, `${HIT_SELECT} WHERE a.id = ?`, input.accountId);
  if (!row) throw notFound('Account', input.accountId);
  const bills = openBills(ctx.db, row.id).filter((b) => b.open_minor > 0);
  const now = today(ctx);
  const ageDays = (date: string) => Math.round((Date.parse(`${now}T00:00:00Z`) - Date.parse(`${date}T00:00:00Z`)) / 86_400_000);
  return {
    account: { ...toHit(ctx.db, row), category: row.category, status: row.status },
    openBills: bills.map((b) => ({
      billId: b.id,
      billNo: b.bill_no,
      issueDate: b.issue_date,
      dueDate: b.due_date,
      periodEnd: b.period_end,
      total: b.total_minor,
      open: b.open_minor,
      ageDays: ageDays(b.issue_date),
    })),
    aging: aging(toOpenItems(bills), now),
    credit: accountCredit(ctx.db, row.id),
    recentPayments: sqlAll<{ id: string; receipt_no: string; created_at: string; tender: C.Tender; amount_minor: number; status: string }>(
      ctx.db,
      'SELECT id, receipt_no, created_at, tender, amount_minor, status FROM payments WHERE account_id = ? ORDER BY created_at DESC LIMIT 5',
      row.id,
    ).map((p) => ({ id: p.id, receiptNo: p.receipt_no, at: p.created_at, tender: p.tender, amount: p.amount_minor, status: p.status })),
  };
}

/* ---------------- payments ---------------- */

type PaymentRow = PaymentsTable & { account_no: string; account_name: string; cashier_name: string; shift_no: number };
const PAYMENT_SELECT = `SELECT p.*, a.account_no, a.name AS account_name, u.display_name AS cashier_name, s.shift_no
  FROM payments p JOIN accounts a ON a.id = p.account_id JOIN users u ON u.id = p.cashier_id JOIN cashier_shifts s ON s.id = p.shift_id`;

export function receiptOf(db: SqliteDb, branchName: string, paymentId: string): Receipt | undefined {
  const p = sqlGet<PaymentRow>(db, `${PAYMENT_SELECT} WHERE p.id = ?`, paymentId);
  if (!p) return undefined;
  const settled = sqlAll<{ bill_id: string; bill_no: string; amount_minor: number; open_minor: number }>(
    db,
    `SELECT st.bill_id, b.bill_no, st.amount_minor, b.open_minor FROM settlements st JOIN bills b ON b.id = st.bill_id
     WHERE st.source_id = ? AND st.source_kind = 'payment' ORDER BY b.issue_date, b.id, st.id`,
    p.id,
  );
  return {
    paymentId: p.id,
    receiptNo: p.receipt_no,
    branchName,
    at: p.created_at,
    accountId: p.account_id,
    accountNo: p.account_no,
    accountName: p.account_name,
    tender: p.tender,
    reference: p.reference,
    amount: p.amount_minor,
    tendered: p.tendered_minor,
    change: p.change_minor,
    settled: settled.map((s) => ({ billId: s.bill_id, billNo: s.bill_no, amount: s.amount_minor, openAfter: s.open_minor })),
    unapplied: p.unapplied_minor,
    balanceAfter: accountBalance(db, p.account_id),
    cashierName: p.cashier_name,
    shiftNo: p.shift_no,
    status: p.status,
    version: p.version,
  };
}

/** The cashier's allocations first (each within its bill's open amount), the rest oldest first. */
function planSettlement(ctx: Ctx, accountId: string, amount: number, allocations: Input<typeof C.paymentsCreate>['allocations']) {
  const open = openBills(ctx.db, accountId).filter((b) => b.open_minor > 0);
  const remainingOpen = new Map(open.map((b) => [b.id, b.open_minor]));
  const plan: { billId: string; amount: number }[] = [];
  let left = amount;
  for (const [i, a] of (allocations ?? []).entries()) {
    const openAmount = remainingOpen.get(a.billId);
    if (openAmount === undefined) throw fieldIssue('payment.unknownBill', `allocations.${i}.billId`, 'Not an open bill of this account');
    if (a.amount > openAmount) throw fieldIssue('payment.overAllocated', `allocations.${i}.amount`, `Only ${money(openAmount)} is open on this bill`);
    if (a.amount > left) throw fieldIssue('payment.allocationsExceedAmount', `allocations.${i}.amount`, 'The allocations add up to more than is paid');
    plan.push({ billId: a.billId, amount: a.amount });
    remainingOpen.set(a.billId, openAmount - a.amount);
    left -= a.amount;
  }
  const rest = settleOldestFirst(
    open.map((b) => ({ id: b.id, issueDate: b.issue_date, open: remainingOpen.get(b.id)! })),
    left,
  );
  plan.push(...rest.settled.map((s) => ({ billId: s.id, amount: s.amount })));
  return { plan, unapplied: rest.left, open };
}

function createPayment(ctx: Ctx, input: Input<typeof C.paymentsCreate>): Receipt {
  const shift = requireOpenShift(ctx);
  const account = sqlGet<{ account_no: string; name: string }>(ctx.db, 'SELECT account_no, name FROM accounts WHERE id = ?', input.accountId);
  if (!account) throw notFound('Account', input.accountId);
  const { plan, unapplied, open } = planSettlement(ctx, input.accountId, input.amount, input.allocations);
  const tendered = input.tender === 'cash' ? (input.tendered ?? input.amount) : input.amount;
  const id = newId();
  const receiptNo = nextNumber(ctx.db, ctx.branch.id, 'receipt');
  sqlRun(
    ctx.db,
    `INSERT INTO payments (id, branch_id, receipt_no, shift_id, account_id, tender, amount_minor, tendered_minor, change_minor, reference,
       unapplied_minor, status, cashier_id, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'completed', ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    receiptNo,
    shift.id,
    input.accountId,
    input.tender,
    input.amount,
    tendered,
    tendered - input.amount,
    input.reference || null,
    unapplied,
    ctx.user().userId,
    ctx.nowIso,
    ctx.nowIso,
  );
  for (const s of plan) settle(ctx, s.billId, { kind: 'payment', id }, s.amount);
  recordCounterTransaction(ctx, shift, { type: 'payment', tender: input.tender, amount: input.amount, documentId: id, receiptNo, accountId: input.accountId });

  // The receipt from what this call just wrote, instead of reading it all back (receiptOf, which
  // payments.get answers with, gives the same; a test holds the two together). The counter takes
  // thousands of these an hour, so the statements saved here are the cashier's wait.
  const openAfter = new Map(open.map((b) => [b.id, b.open_minor]));
  for (const s of plan) openAfter.set(s.billId, openAfter.get(s.billId)! - s.amount);
  const billOf = new Map(open.map((b) => [b.id, b]));
  const settled = plan
    .map((s, order) => ({ s, order, bill: billOf.get(s.billId)! }))
    .sort((a, b) => cmp(a.bill.issue_date, b.bill.issue_date) || cmp(a.bill.id, b.bill.id) || a.order - b.order)
    .map(({ s, bill }) => ({ billId: s.billId, billNo: bill.bill_no, amount: s.amount, openAfter: openAfter.get(s.billId)! }));
  let stillOpen = 0;
  for (const owed of openAfter.values()) if (owed > 0) stillOpen += owed;
  const receipt: Receipt = {
    paymentId: id,
    receiptNo,
    branchName: ctx.branch.name,
    at: ctx.nowIso,
    accountId: input.accountId,
    accountNo: account.account_no,
    accountName: account.name,
    tender: input.tender,
    reference: input.reference || null,
    amount: input.amount,
    tendered,
    change: tendered - input.amount,
    settled,
    unapplied,
    // This payment's unapplied part is already stored, so the credit includes it.
    balanceAfter: stillOpen - accountCredit(ctx.db, input.accountId),
    cashierName: ctx.user().displayName,
    shiftNo: shift.shift_no,
    status: 'completed',
    version: 0,
  };
  ctx.audit({ entity: ENTITY.payment, entityId: id, action: 'received', after: receipt });
  return receipt;
}

/** Plain string order, as SQLite compares text (settlement lines are listed by bill date, then bill id). */
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function reverseGate(ctx: Ctx, input: Input<typeof C.paymentsReverse>): GateRequest {
  const p = sqlGet<PaymentsTable>(ctx.db, 'SELECT * FROM payments WHERE id = ?', input.id);
  return {
    summary: p ? `Reverse payment ${p.receipt_no} of ${money(p.amount_minor)} (${p.tender})` : 'Reverse a payment',
    entity: ENTITY.payment,
    entityId: input.id,
    reason: input.reason,
  };
}

function reversePayment(ctx: Ctx, input: Input<typeof C.paymentsReverse>): Receipt {
  const payment = sqlGet<PaymentsTable>(ctx.db, 'SELECT * FROM payments WHERE id = ?', input.id);
  if (!payment) throw notFound('Payment', input.id);
  if (payment.version !== input.version) throw conflict('This payment changed meanwhile; reload it');
  if (payment.status !== 'completed') throw ruleViolation('payment.alreadyReversed', `Payment ${payment.receipt_no} is already reversed`);
  const shift = requireOpenShift(ctx);
  const settlements = sqlAll<{ id: string; bill_id: string; amount_minor: number; status: string; bill_no: string }>(
    ctx.db,
    `SELECT st.id, st.bill_id, st.amount_minor, b.status, b.bill_no FROM settlements st JOIN bills b ON b.id = st.bill_id
     WHERE st.source_id = ? AND st.source_kind = 'payment' AND st.reversed = 0`,
    payment.id,
  );
  const rebilled = settlements.find((s) => s.status !== 'posted');
  if (rebilled) {
    // The paid part of a cancelled bill moved on to its rebill through the credit note.
    throw ruleViolation('payment.billRebilled', `Bill ${rebilled.bill_no} was cancelled and rebilled since; reverse on the rebill’s account instead`);
  }
  const before = receiptOf(ctx.db, ctx.branch.name, payment.id)!;
  for (const s of settlements) {
    sqlRun(ctx.db, 'UPDATE settlements SET reversed = 1 WHERE id = ?', s.id);
    sqlRun(ctx.db, 'UPDATE bills SET open_minor = open_minor + ?, version = version + 1, updated_at = ? WHERE id = ?', s.amount_minor, ctx.nowIso, s.bill_id);
  }
  sqlRun(
    ctx.db,
    `UPDATE payments SET status = 'reversed', unapplied_minor = 0, reversed_at = ?, reversal_reason = ?, reversal_shift_id = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    ctx.nowIso,
    input.reason,
    shift.id,
    ctx.nowIso,
    payment.id,
  );
  recordCounterTransaction(ctx, shift, {
    type: 'payment_reversal',
    tender: payment.tender,
    amount: -payment.amount_minor,
    documentId: payment.id,
    receiptNo: payment.receipt_no,
    accountId: payment.account_id,
  });
  const after = receiptOf(ctx.db, ctx.branch.name, payment.id)!;
  ctx.audit({ entity: ENTITY.payment, entityId: payment.id, action: 'reversed', before, after, reason: input.reason });
  return after;
}

function listPayments(ctx: Ctx, input: Input<typeof C.paymentsList>) {
  const range = input.from || input.to ? instantRange(input.from ?? '2000-01-01', input.to ?? '2999-12-31', ctx.branch.timeZone) : null;
  const where = `WHERE (?1 IS NULL OR p.shift_id = ?1) AND (?2 IS NULL OR p.account_id = ?2) AND (?3 IS NULL OR p.cashier_id = ?3)
    AND (?4 IS NULL OR p.tender = ?4) AND (?5 IS NULL OR p.status = ?5) AND (?6 IS NULL OR p.created_at >= ?6) AND (?7 IS NULL OR p.created_at < ?7)`;
  const args = [
    input.shiftId ?? null,
    input.accountId ?? null,
    input.cashierId ?? null,
    input.tender ?? null,
    input.status ?? null,
    range?.fromInstant ?? null,
    range?.toInstant ?? null,
  ];
  const agg = sqlGet<{ n: number; amount: number | null }>(ctx.db, `SELECT count(*) AS n, sum(CASE WHEN p.status = 'completed' THEN p.amount_minor END) AS amount FROM payments p ${where}`, ...args)!;
  const [at, id] = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as string[]) : [null, null];
  const rows = sqlAll<PaymentRow>(
    ctx.db,
    `${PAYMENT_SELECT} ${where} AND (?8 IS NULL OR (p.created_at, p.id) < (?8, ?9)) ORDER BY p.created_at DESC, p.id DESC LIMIT ?10`,
    ...args,
    at,
    id,
    input.limit + 1,
  );
  const more = rows.length > input.limit;
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map((p) => ({
      paymentId: p.id,
      receiptNo: p.receipt_no,
      at: p.created_at,
      accountId: p.account_id,
      accountNo: p.account_no,
      accountName: p.account_name,
      tender: p.tender,
      reference: p.reference,
      amount: p.amount_minor,
      tendered: p.tendered_minor,
      change: p.change_minor,
      unapplied: p.unapplied_minor,
      cashierName: p.cashier_name,
      shiftNo: p.shift_no,
      status: p.status,
      version: p.version,
      shiftId: p.shift_id,
      cashierId: p.cashier_id,
      reversalReason: p.reversal_reason,
    })),
    nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null,
    total: agg.n,
    totals: { amount: agg.amount ?? 0 },
  };
}

function requestExport(ctx: Ctx, input: Input<typeof C.collectionsExport>) {
  if (input.from > input.to) throw fieldIssue('report.range', 'to', 'The end date is before the start date');
  const jobId = ctx.jobs.start(COLLECTIONS_EXPORT_JOB, `Collections ${input.from} to ${input.to}`, input);
  ctx.audit({ entity: 'export', entityId: jobId, action: 'requested', after: { report: 'collections', ...input } });
  return { jobId };
}

export function registerCounter(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.shiftsOpen, openShift)
    .add(C.shiftsCurrent, (ctx) => {
      const row = openShiftOf(ctx.db, ctx.user().userId);
      return row ? { shift: findShift(ctx.db, row.id)!, report: shiftReport(ctx.db, row, ctx.nowIso) } : { shift: null, report: null };
    })
    .add(C.shiftsClose, closeShift, { gate: closeGate })
    .add(C.shiftsList, listShiftsFor)
    .add(C.shiftsGet, (ctx, input) => getShift(ctx, input.id))
    .add(C.accountsFind, findAccounts)
    .add(C.accountCard, accountCard)
    .add(C.paymentsCreate, createPayment)
    .add(C.paymentsReverse, reversePayment, { gate: reverseGate })
    .add(C.paymentsList, listPayments)
    .add(C.paymentsGet, (ctx, input) => {
      const receipt = receiptOf(ctx.db, ctx.branch.name, input.id);
      if (!receipt) throw notFound('Payment', input.id);
      return receipt;
    })
    .add(C.collectionsReport, (ctx, input) => buildCollectionsReport(ctx.db, ctx.branch, input))
    .add(C.collectionsExport, requestExport);
  jobs.set(COLLECTIONS_EXPORT_JOB, runCollectionsExport);
}
