import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import { newId } from '../../src-main/core/util/ids';
import { decodeToken } from '../../src-main/modules/energy/prepaid/rules';
import { openTestApp, type TestApp } from '../support/app';
import { approved, createAccounts, ensurePrepaidTariff, read } from '../support/samples/billing';

/**
 * The counter and prepaid through the pipeline: shifts frame every transaction, payments settle
 * oldest first and are idempotent, reversals and large variances wait for a supervisor, vends
 * split by DOMAIN.md's debt-recovery numbers and issue tokens that decode.
 */
let t: TestApp;
beforeAll(() => {
  t = openTestApp({ timeZone: 'UTC' });
});
afterAll(async () => {
  await t.close();
});

interface Receipt {
  paymentId: string;
  receiptNo: string;
  change: number;
  settled: { billId: string; billNo: string; amount: number; openAfter: number }[];
  unapplied: number;
  balanceAfter: number;
  version: number;
  status: string;
}

let billSeq = 0;
/** A posted bill straight in the store: the counter only needs something open to settle. */
function postedBill(accountId: string, issueDate: string, total: number): string {
  const id = newId();
  billSeq += 1;
  sqlRun(
    t.kernel.db,
    `INSERT INTO bills (id, branch_id, kind, account_id, account_no, status, bill_no, period_start, period_end, billed_from, billed_to,
       issue_date, due_date, category, consumption, subtotal_minor, tax_minor, total_minor, open_minor, lines_json, created_at, posted_at, updated_at)
     VALUES (?, ?, 'bill', ?, 'X', 'posted', ?, ?, ?, ?, ?, ?, ?, 'residential', 0, ?, 0, ?, ?, '[]', ?, ?, ?)`,
    id,
    t.kernel.branch().id,
    accountId,
    `TST-${billSeq}`,
    issueDate,
    issueDate,
    issueDate,
    issueDate,
    issueDate,
    issueDate,
    total,
    total,
    total,
    issueDate,
    issueDate,
    issueDate,
  );
  return id;
}

const currentShift = (user: string) => t.ok<{ shift: { id: string; version: number; status: string; pendingCloseApprovalId: string | null } | null }>(user, 'energy.counter.shifts.current', {}).shift;

describe('cashier shifts and payments', () => {
  it('refuses a payment before the shift is open', () => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    const answer = t.call('cashier', 'energy.counter.payments.create', { accountId: account!.accountId, tender: 'cash', amount: 1000 }, { idempotencyKey: newId() });
    expect(answer.ok ? 'ok' : answer.error.details?.rule).toBe('shift.notOpen');
  });

  it('finds the account by number, meter, name or phone, and shows aging', () => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    postedBill(account!.accountId, '2020-01-01', 5000);
    postedBill(account!.accountId, new Date().toISOString().slice(0, 10), 3000);
    const hits = (query: string) => t.ok<{ accountId: string }[]>('cashier', 'energy.counter.accounts.find', { query }).map((h) => h.accountId);
    expect(hits(account!.accountNo)[0]).toBe(account!.accountId);
    const card = t.ok<{ account: { balance: number; meterSerial: string; name: string; phone: string }; aging: Record<string, number> }>('cashier', 'energy.counter.accounts.card', {
      accountId: account!.accountId,
    });
    expect(hits(card.account.meterSerial)[0]).toBe(account!.accountId);
    expect(hits(card.account.name)).toContain(account!.accountId);
    expect(hits(card.account.phone)).toContain(account!.accountId);
    expect(card.account.balance).toBe(8000);
    expect(card.aging).toEqual({ current: 3000, days30: 0, days60: 0, days90: 5000 });
  });

  it('takes a cash payment with change, settles the oldest bill first, and a retry never charges twice', () => {
    t.ok('cashier', 'energy.counter.shifts.open', { openingFloat: 20_000 });
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    const older = postedBill(account!.accountId, '2025-01-26', 4000);
    const newer = postedBill(account!.accountId, '2025-02-26', 4000);
    const key = newId();
    const input = { accountId: account!.accountId, tender: 'cash', amount: 5000, tendered: 10_000 };
    const receipt = t.ok<Receipt>('cashier', 'energy.counter.payments.create', input, { idempotencyKey: key });
    expect(receipt.change).toBe(5000);
    expect(receipt.settled.map((s) => [s.billId, s.amount, s.openAfter])).toEqual([
      [older, 4000, 0],
      [newer, 1000, 3000],
    ]);
    expect(receipt.balanceAfter).toBe(3000);

    const retry = t.ok<Receipt>('cashier', 'energy.counter.payments.create', input, { idempotencyKey: key });
    expect(retry.receiptNo).toBe(receipt.receiptNo);
    expect(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM payments WHERE account_id = ?', account!.accountId)!.n).toBe(1);
    const reused = t.call('cashier', 'energy.counter.payments.create', { ...input, amount: 6000 }, { idempotencyKey: key });
    expect(reused.ok ? 'ok' : reused.error.code).toBe('CONFLICT');
    const missingKey = t.call('cashier', 'energy.counter.payments.create', input);
    expect(missingKey.ok ? 'ok' : missingKey.error.code).toBe('VALIDATION');
  });

  it('settles the bill the cashier allocates to, and keeps an overpayment as credit', () => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    const older = postedBill(account!.accountId, '2025-01-26', 4000);
    const newer = postedBill(account!.accountId, '2025-02-26', 4000);
    const receipt = t.ok<Receipt>(
      'cashier',
      'energy.counter.payments.create',
      { accountId: account!.accountId, tender: 'card', amount: 5000, allocations: [{ billId: newer, amount: 4000 }] },
      { idempotencyKey: newId() },
    );
    // The allocated bill first; what is left goes oldest first.
    expect(receipt.settled.map((s) => [s.billId, s.amount])).toEqual([
      [older, 1000],
      [newer, 4000],
    ]);
    const more = t.ok<Receipt>('cashier', 'energy.counter.payments.create', { accountId: account!.accountId, tender: 'card', amount: 4000 }, { idempotencyKey: newId() });
    expect(more.unapplied).toBe(1000);
    expect(more.balanceAfter).toBe(-1000);
  });

  it('reverses a payment only with a supervisor’s approval, reopening what it settled', () => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    const bill = postedBill(account!.accountId, '2025-01-26', 4000);
    const receipt = t.ok<Receipt>('cashier', 'energy.counter.payments.create', { accountId: account!.accountId, tender: 'cash', amount: 4000 }, { idempotencyKey: newId() });
    const input = { id: receipt.paymentId, version: receipt.version, reason: 'Paid on the wrong account' };
    const gated = t.call('cashier', 'energy.counter.payments.reverse', input);
    // Cashiers hold no void right: a supervisor asks, another approver decides.
    expect(gated.ok ? 'ok' : gated.error.code).toBe('FORBIDDEN');
    t.ok('supervisor', 'energy.counter.shifts.open', { openingFloat: 0 });
    approved(t, 'supervisor', 'energy.counter.payments.reverse', input, 'admin');
    expect(sqlGet<{ open_minor: number }>(t.kernel.db, 'SELECT open_minor FROM bills WHERE id = ?', bill)!.open_minor).toBe(4000);
    expect(t.ok<Receipt>('cashier', 'energy.counter.payments.get', { id: receipt.paymentId }).status).toBe('reversed');
  });

  it('a close with a variance above the threshold waits for a supervisor, and the shift takes nothing meanwhile', () => {
    const shift = currentShift('cashier')!;
    const { report } = t.ok<{ report: { expected: { cash: number; card: number } } }>('cashier', 'energy.counter.shifts.get', { id: shift.id });
    expect(report.expected.cash).toBe(20_000 + 5000 + 4000);
    const counted = { cash: report.expected.cash - 2000, card: report.expected.card, cheque: 0, transfer: 0 };
    const gated = t.call('cashier', 'energy.counter.shifts.close', { id: shift.id, version: shift.version, counted, note: 'Short by 20' });
    expect(gated.ok ? 'ok' : gated.error.code).toBe('APPROVAL_REQUIRED');
    expect(currentShift('cashier')!.pendingCloseApprovalId).toBeTruthy();
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    const blocked = t.call('cashier', 'energy.counter.payments.create', { accountId: account!.accountId, tender: 'cash', amount: 1000 }, { idempotencyKey: newId() });
    expect(blocked.ok ? 'ok' : blocked.error.details?.rule).toBe('shift.closing');

    approved(t, 'cashier', 'energy.counter.shifts.close', { id: shift.id, version: shift.version, counted, note: 'Short by 20' });
    expect(currentShift('cashier')).toBeNull();
    const z = t.ok<{ shift: { status: string; variance: number }; report: { kind: string; variance: { cash: number } } }>('cashier', 'energy.counter.shifts.get', { id: shift.id });
    expect(z.shift).toMatchObject({ status: 'closed', variance: -2000 });
    expect(z.report).toMatchObject({ kind: 'Z', variance: { cash: -2000 } });
  });

  it('a close within the threshold needs nobody', () => {
    const shift = t.ok<{ id: string; version: number }>('cashier', 'energy.counter.shifts.open', { openingFloat: 1000 });
    const closed = t.ok<{ shift: { status: string } }>('cashier', 'energy.counter.shifts.close', { id: shift.id, version: shift.version, counted: { cash: 1100, card: 0, cheque: 0, transfer: 0 } });
    expect(closed.shift.status).toBe('closed');
  });

  it('reports collections by tender', () => {
    const today = new Date().toISOString().slice(0, 10);
    const report = t.ok<{ rows: { key: string; taken: number }[]; totals: { net: number } }>('supervisor', 'energy.counter.report', { from: today, to: today, groupBy: 'tender' });
    expect(report.rows.find((r) => r.key === 'cash')!.taken).toBeGreaterThanOrEqual(9000);
  });

  it('answers a payment with the same receipt that reading it back shows', () => {
    // The create path builds its receipt from what it wrote; payments.get reads it from the store.
    if (!currentShift('supervisor')) t.ok('supervisor', 'energy.counter.shifts.open', { openingFloat: 0 });
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    const older = postedBill(account!.accountId, '2025-01-26', 4000);
    const newer = postedBill(account!.accountId, '2025-02-26', 4000);
    const pay = (input: Record<string, unknown>) => {
      const receipt = t.ok<Receipt>('supervisor', 'energy.counter.payments.create', { accountId: account!.accountId, ...input }, { idempotencyKey: newId() });
      expect(t.ok<Receipt>('supervisor', 'energy.counter.payments.get', { id: receipt.paymentId })).toEqual(receipt);
      return receipt;
    };
    // Part allocated to the older bill, the rest oldest first: the older bill is settled twice.
    const split = pay({ tender: 'cash', amount: 5000, tendered: 6000, allocations: [{ billId: older, amount: 1000 }] });
    expect(split.settled.map((s) => [s.billId, s.amount, s.openAfter])).toEqual([
      [older, 1000, 0],
      [older, 3000, 0],
      [newer, 1000, 3000],
    ]);
    expect(split.balanceAfter).toBe(3000);
    expect(pay({ tender: 'card', amount: 5000 })).toMatchObject({ unapplied: 2000, balanceAfter: -2000 });
    expect(pay({ tender: 'transfer', amount: 700, reference: 'EFT 9' })).toMatchObject({ settled: [], unapplied: 700, balanceAfter: -2700 });
  });
});

describe('prepaid', () => {
  interface VendReceipt {
    vendId: string;
    receiptNo: string;
    token: string;
    tokenId: number;
    developmentToken: boolean;
    split: { debt: number; value: number; units: number; emergencyRecovered: number };
    debtAfter: number;
    version: number;
    reprints: number;
  }
  let accountId = '';

  beforeAll(() => {
    ensurePrepaidTariff(t);
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    accountId = account!.accountId;
    t.ok('admin', 'energy.prepaid.accounts.enrol', { accountId, tariffCode: 'PRE-RES', debt: 6000, debtRecoveryBp: 2500, enrolledOn: '2024-12-20' });
    if (!currentShift('cashier')) t.ok('cashier', 'energy.counter.shifts.open', { openingFloat: 0 });
  });

  it('DOMAIN.md: 100 at 25% with 60 owed → 25 to debt, 75 vended; then with 10 owed → 10 to debt, 90 vended', () => {
    const first = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'cash', amount: 10_000 }, { idempotencyKey: newId() });
    expect(first.split).toMatchObject({ debt: 2500, value: 7500, units: 30 });
    expect(first.debtAfter).toBe(3500);
    sqlRun(t.kernel.db, 'UPDATE prepaid_accounts SET debt_minor = 1000 WHERE account_id = ?', accountId);
    const second = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'card', amount: 10_000 }, { idempotencyKey: newId() });
    expect(second.split).toMatchObject({ debt: 1000, value: 9000, units: 36 });
    expect(second.tokenId).toBeGreaterThan(first.tokenId);
  });

  it('issues a 20-digit token that decodes to its units with a valid CRC, and says it is a development token', () => {
    const receipt = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'cash', amount: 5000 }, { idempotencyKey: newId() });
    expect(receipt.developmentToken).toBe(true);
    const decoded = decodeToken(receipt.token)!;
    expect(receipt.token.replace(/\s/g, '')).toMatch(/^\d{20}$/);
    expect(decoded).toMatchObject({ crcValid: true, units: receipt.split.units, tokenId: receipt.tokenId });
    expect(t.ok<{ valid: boolean; units: number }>('cashier', 'energy.prepaid.tokens.decode', { token: receipt.token })).toMatchObject({ valid: true, units: 20 });
  });

  it('a retried vend returns the first token and sells once', () => {
    const key = newId();
    const input = { accountId, tender: 'cash', amount: 2000 };
    const first = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', input, { idempotencyKey: key });
    const again = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', input, { idempotencyKey: key });
    expect(again.token).toBe(first.token);
    expect(sqlAll(t.kernel.db, 'SELECT id FROM vends WHERE receipt_no = ?', first.receiptNo)).toHaveLength(1);
  });

  it('enforces the daily vend limit', () => {
    sqlRun(t.kernel.db, 'UPDATE prepaid_accounts SET daily_limit_minor = 30000 WHERE account_id = ?', accountId);
    const answer = t.call('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'cash', amount: 20_000 }, { idempotencyKey: newId() });
    expect(answer.ok ? 'ok' : answer.error.details?.rule).toBe('vend.dailyLimit');
    sqlRun(t.kernel.db, 'UPDATE prepaid_accounts SET daily_limit_minor = NULL WHERE account_id = ?', accountId);
  });

  it('gives emergency credit up to the limit once, and recovers it from the next vend', () => {
    const emergency = t.ok<VendReceipt>('cashier', 'energy.prepaid.emergency.issue', { accountId }, { idempotencyKey: newId() });
    expect(emergency.split.units).toBe(10);
    const twice = t.call('cashier', 'energy.prepaid.emergency.issue', { accountId }, { idempotencyKey: newId() });
    expect(twice.ok ? 'ok' : twice.error.details?.rule).toBe('emergency.outstanding');
    const over = t.call('cashier', 'energy.prepaid.emergency.issue', { accountId, amount: 999_999 }, { idempotencyKey: newId() });
    expect(over.ok).toBe(false);
    const next = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'cash', amount: 10_000 }, { idempotencyKey: newId() });
    expect(next.split.emergencyRecovered).toBe(2500);
  });

  it('logs every reprint', () => {
    const vend = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'cash', amount: 2000 }, { idempotencyKey: newId() });
    const reprinted = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.reprint', { id: vend.vendId, reason: 'Customer lost the slip' });
    expect(reprinted.reprints).toBe(1);
    expect(reprinted.token).toBe(vend.token);
    const trail = t.ok<{ action: string; reason: string | null }[]>('admin', 'audit.trail', { entity: 'vend', entityId: vend.vendId });
    expect(trail.map((e) => e.action)).toContain('reprinted');
  });

  it('reverses a vend only with approval: a loaded token becomes debt, the money is refunded', () => {
    const vend = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId, tender: 'cash', amount: 4000 }, { idempotencyKey: newId() });
    const debtBefore = sqlGet<{ debt_minor: number }>(t.kernel.db, 'SELECT debt_minor FROM prepaid_accounts WHERE account_id = ?', accountId)!.debt_minor;
    if (!currentShift('supervisor')) t.ok('supervisor', 'energy.counter.shifts.open', { openingFloat: 0 });
    const input = { id: vend.vendId, version: vend.version, tokenLoaded: true, settlement: 'refund', reason: 'Card payment disputed' };
    const gated = t.call('supervisor', 'energy.prepaid.vends.reverse', input);
    expect(gated.ok ? 'ok' : gated.error.code).toBe('APPROVAL_REQUIRED');
    approved(t, 'supervisor', 'energy.prepaid.vends.reverse', input, 'admin');
    const debtAfter = sqlGet<{ debt_minor: number }>(t.kernel.db, 'SELECT debt_minor FROM prepaid_accounts WHERE account_id = ?', accountId)!.debt_minor;
    expect(debtAfter - debtBefore).toBe(4000);
  });

  it('counts against the credit only the use since enrolment, not the part of the first read before it', () => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20', initialRead: 1000 });
    // 300 units from 20 Dec to 19 Jan, 10 a day; prepaid from 9 Jan, so 100 of them on credit; then 300 more.
    read(t, account!.meterId, '2025-01-19', 1300);
    t.ok('admin', 'energy.prepaid.accounts.enrol', { accountId: account!.accountId, tariffCode: 'PRE-RES', enrolledOn: '2025-01-09' });
    read(t, account!.meterId, '2025-02-18', 1600);
    if (!currentShift('cashier')) t.ok('cashier', 'energy.counter.shifts.open', { openingFloat: 0 });
    const vend = t.ok<VendReceipt>('cashier', 'energy.prepaid.vends.create', { accountId: account!.accountId, tender: 'cash', amount: 250_000 }, { idempotencyKey: newId() });
    const real = t.kernel.clock;
    t.kernel.clock = () => new Date('2025-02-18T15:00:00Z');
    try {
      const { account: prepaidAccount } = t.ok<{ account: { estimate: { remainingUnits: number; dailyUse: number } } }>('cashier', 'energy.prepaid.accounts.get', {
        accountId: account!.accountId,
      });
      expect(prepaidAccount.estimate.remainingUnits).toBeCloseTo(vend.split.units - 400, 0);
      expect(prepaidAccount.estimate.dailyUse).toBe(10);
    } finally {
      t.kernel.clock = real;
    }
  });

  it('lists accounts about to run out of credit, soonest first', () => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20' });
    t.ok('admin', 'energy.prepaid.accounts.enrol', { accountId: account!.accountId, tariffCode: 'PRE-RES', enrolledOn: '2024-12-20' });
    // A month ago it bought 30 units and has used 10 a day since, by its readings: it is empty now.
    const low = t.ok<{ rows: { accountId: string; estimate: { daysToEmpty: number | null } }[] }>('cashier', 'energy.prepaid.accounts.list', { lowCredit: true });
    expect(low.rows.every((r, i, all) => i === 0 || (r.estimate.daysToEmpty ?? 0) >= (all[i - 1]!.estimate.daysToEmpty ?? 0))).toBe(true);
  });
});
