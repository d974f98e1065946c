import { AppError } from '../../../../src-shared/errors';
import type { CallMeta } from '../../../../src-shared/rpc';
import { dispatch } from '../../../core/rpc/pipeline';
import type { Kernel } from '../../../core/rpc/kernel';
import type { Principal } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';
import { onDemoDay } from '../../../core/util/demo-clock';
import { sqlAll } from './sql';
import { addDays, lastClosedPeriod, periodEndingOn } from './rules';

/**
 * Demo data for billing, the counter and prepaid, on top of the meter reading demo: tariffs
 * (approved by the supervisor), a cycle with its last two closed periods billed and posted, the
 * first 40 households prepaid for 60 days (a third with arrears) with four past counter mornings of
 * vends, and this morning's closed cashier shift with bill payments and vends. Everything goes
 * through the pipeline as the user who would really do it, past mornings at their own time.
 *
 * Runs are driven step by step here (the same internal steps their job takes), because seeding
 * is synchronous; the job each run records is cancelled before its worker starts.
 */
export function seedBillingCounterPrepaidDemo(kernel: Kernel, as: (username: string) => Principal, today: string): void {
  const call = (username: string, procedure: string, input: unknown, meta?: CallMeta) => {
    const result = dispatch(kernel, procedure, input, { principal: as(username), meta });
    if (!result.ok) throw new AppError(result.error.code, `Demo seeding: ${procedure} failed: ${result.error.message}`, result.error.details);
    return result.result as Record<string, unknown>;
  };
  const approvedCall = (username: string, procedure: string, input: unknown, approver = 'supervisor') => {
    const result = dispatch(kernel, procedure, input, { principal: as(username) });
    if (result.ok) return;
    if (result.error.code !== 'APPROVAL_REQUIRED') throw new AppError(result.error.code, `Demo seeding: ${procedure} failed: ${result.error.message}`);
    const id = String(result.error.details?.approvalId);
    const approval = call(approver, 'approvals.get', { id }) as { version: number };
    call(approver, 'approvals.decide', { id, version: approval.version, decision: 'approve', reason: 'Reviewed and approved' });
  };
  const stopJob = (owner: string, jobId: unknown) => call(owner, 'jobs.cancel', { id: jobId });

  approvedCall('billing', 'energy.billing.tariffs.create', {
    code: 'RES-1',
    kind: 'postpaid',
    category: 'residential',
    name: 'Residential inclining block',
    effectiveFrom: '2020-01-01',
    fixedCharge: 15_000,
    pricingMode: 'graduated',
    tiers: [
      { upTo: 350, rate: 215 },
      { upTo: 600, rate: 265 },
      { upTo: null, rate: 320 },
    ],
    taxRateBp: 1500,
  });
  approvedCall('billing', 'energy.billing.tariffs.create', {
    code: 'COM-1',
    kind: 'postpaid',
    category: 'commercial',
    name: 'Commercial',
    effectiveFrom: '2020-01-01',
    fixedCharge: 45_000,
    pricingMode: 'volume',
    tiers: [
      { upTo: 2000, rate: 280 },
      { upTo: null, rate: 260 },
    ],
    minimumCharge: 60_000,
    taxRateBp: 1500,
  });
  approvedCall('billing', 'energy.billing.tariffs.create', {
    code: 'PRE-RES',
    kind: 'prepaid',
    category: 'residential',
    name: 'Prepaid residential',
    effectiveFrom: '2020-01-01',
    fixedCharge: 2500,
    pricingMode: 'graduated',
    tiers: [
      { upTo: 350, rate: 230 },
      { upTo: null, rate: 290 },
    ],
    taxRateBp: 1500,
  });

  const accounts = sqlAll<{ id: string; category: string }>(kernel.db, 'SELECT id, category FROM accounts ORDER BY account_no');
  const prepaid = accounts.filter((a) => a.category === 'residential').slice(0, 40);
  const prepaidIds = new Set(prepaid.map((a) => a.id));

  // A cycle closing on yesterday's day of the month (28 at most), so a period has just closed.
  const closeDay = Math.min(28, Number(addDays(today, -1).slice(8, 10)));
  const cycle = call('admin', 'energy.billing.cycles.create', { code: 'C-MONTHLY', name: 'Monthly (main)', closeDay }) as { id: string };
  const last = lastClosedPeriod(closeDay, today);
  const previous = periodEndingOn(closeDay, addDays(last.periodStart, -1));
  // The branch moved its accounts onto this system two periods ago: their first bill here starts
  // from the read at that date, not from a year of readings someone else already billed.
  for (const a of accounts) {
    if (!prepaidIds.has(a.id)) call('billing', 'energy.billing.accounts.assign', { accountId: a.id, cycleId: cycle.id, billingStart: previous.periodStart });
  }
  for (const period of [previous, last]) {
    const run = call('billing', 'energy.billing.runs.create', { cycleId: cycle.id, periodEnd: period.periodEnd }) as { id: string; jobId: string };
    stopJob('billing', run.jobId);
    let after: string | null = null;
    for (;;) {
      const chunk = call('billing', 'energy.billing.runs.trialChunk', { runId: run.id, after, limit: 1000 }) as { done: boolean; lastAccountId: string | null };
      if (chunk.done) break;
      after = chunk.lastAccountId;
    }
    const trial = call('billing', 'energy.billing.runs.trialFinish', { runId: run.id }) as { version: number };
    // A month's run is above the posting limit: the supervisor asks, the administrator approves.
    approvedCall('supervisor', 'energy.billing.runs.post', { id: run.id, version: trial.version }, 'admin');
    stopJob('supervisor', (call('supervisor', 'energy.billing.runs.get', { id: run.id }) as { run: { jobId: string } }).run.jobId);
    call('supervisor', 'energy.billing.runs.postCommit', { runId: run.id });
  }

  // Forty households went prepaid 60 days ago, a third of them with arrears to recover from their purchases.
  onDemoDay(kernel, today, 60, '07:30', () =>
    prepaid.forEach((a, i) => {
      call('admin', 'energy.prepaid.accounts.enrol', {
        accountId: a.id,
        tariffCode: 'PRE-RES',
        debt: i % 3 === 0 ? 150_000 + i * 2000 : 0,
        debtRecoveryBp: 2500,
        enrolledOn: addDays(today, -60),
      });
    }),
  );

  // Closes the cashier's open shift with exactly what it expects in the drawer.
  const closeBalanced = (shiftId: string) => {
    const current = call('cashier', 'energy.counter.shifts.current', {}) as { shift: { version: number }; report: { expected: Record<string, number> } };
    call('cashier', 'energy.counter.shifts.close', {
      id: shiftId,
      version: current.shift.version,
      counted: { cash: 0, card: 0, cheque: 0, transfer: 0, ...current.report.expected },
      note: 'Balanced',
    });
  };

  // Since going prepaid, each customer has bought credit on four counter mornings two weeks apart:
  // in all, what they have used since plus between none and a fortnight more, as a prepaid
  // population looks on any day (a meter cannot use credit never bought). Without this history every
  // estimate read "empty"; with it the low-credit list has habits to go on.
  const dailyUse = new Map(
    sqlAll<{ account_id: string; per_day: number }>(
      kernel.db,
      `SELECT account_id, sum(consumption) / max(1, julianday(max(read_date)) - julianday(min(previous_read_date))) AS per_day
       FROM meter_readings WHERE account_id IN (SELECT value FROM json_each(?)) AND status = 'posted' AND purpose = 'regular'
       GROUP BY account_id`,
      JSON.stringify(prepaid.map((a) => a.id)),
    ).map((r) => [r.account_id, r.per_day]),
  );
  // About 2.70 a unit with tax at the PRE-RES rates, a fixed charge per purchase, and a quarter to arrears where owed.
  const purchase = (accountId: string, index: number) => {
    const units = ((dailyUse.get(accountId) ?? 10) * (60 + ((index * 7) % 15))) / 4;
    return Math.ceil(((units * 270 + 2500) / (index % 3 === 0 ? 0.75 : 1)) / 1000) * 1000;
  };
  for (const daysAgo of [56, 42, 28, 14]) {
    onDemoDay(kernel, today, daysAgo, '08:15', () => {
      const morning = call('cashier', 'energy.counter.shifts.open', { openingFloat: 50_000 }) as { id: string };
      prepaid.forEach((a, i) => {
        call('cashier', 'energy.prepaid.vends.create', { accountId: a.id, tender: i % 2 ? 'card' : 'cash', amount: purchase(a.id, i) }, { idempotencyKey: newId() });
      });
      closeBalanced(morning.id);
    });
  }

  // This morning at the counter: the cashier's shift, payments on the oldest bills, vends; closed and balanced.
  const shift = call('cashier', 'energy.counter.shifts.open', { openingFloat: 50_000 }) as { id: string };
  const payers = sqlAll<{ account_id: string; open_minor: number }>(
    kernel.db,
    `SELECT account_id, sum(open_minor) AS open_minor FROM bills WHERE status = 'posted' AND kind = 'bill' GROUP BY account_id ORDER BY account_id LIMIT 60`,
  );
  payers.forEach((p, i) => {
    const tender = (['cash', 'card', 'cash', 'transfer'] as const)[i % 4];
    const amount = i % 5 === 0 ? Math.round(p.open_minor / 2) : p.open_minor;
    call('cashier', 'energy.counter.payments.create', {
      accountId: p.account_id,
      tender,
      amount,
      ...(tender === 'cash' ? { tendered: Math.ceil(amount / 10_000) * 10_000 } : {}),
      ...(tender === 'transfer' ? { reference: `EFT${100_000 + i}` } : {}),
    }, { idempotencyKey: newId() });
  });
  prepaid.slice(0, 25).forEach((a, i) => {
    call('cashier', 'energy.prepaid.vends.create', { accountId: a.id, tender: i % 2 ? 'card' : 'cash', amount: 5000 + (i % 5) * 5000 }, { idempotencyKey: newId() });
  });
  closeBalanced(shift.id);
}
