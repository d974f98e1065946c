import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, sqlGet } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { createApp } from '../../src-main/app';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { openTestApp, type TestApp } from '../support/app';
import { approved, assign, createAccounts, createCycle, ensurePostpaidTariff, post, read, trial } from '../support/samples/billing';

/**
 * Billing through the pipeline: tariffs behind approval, trial runs with exceptions, posting with
 * gap-free numbers (two runs racing, a crash mid-post), proration, a rollover read flowing into a
 * correct bill, and cancel/rebill via a credit note.
 */
let t: TestApp;
beforeAll(() => {
  t = openTestApp({ timeZone: 'UTC' });
  ensurePostpaidTariff(t);
});
afterAll(async () => {
  await t.close();
});

interface BillDto {
  id: string;
  billNo: string | null;
  status: string;
  total: number;
  open: number;
  consumption: number;
  accountId: string;
  accountNo: string;
  previousReadDate: string | null;
  previousReadValue: number | null;
  version: number;
  exceptions: { code: string }[];
  creditNoteId: string | null;
  replacedByBillId: string | null;
  cancelsBillId: string | null;
  replacesBillId: string | null;
}
const billsOf = (runId: string) => t.ok<{ rows: BillDto[] }>('billing', 'energy.billing.bills.list', { runId, limit: 500 }).rows;
const billNumbers = () =>
  sqlAll<{ bill_no: string }>(t.kernel.db, `SELECT bill_no FROM bills WHERE bill_no LIKE 'INV-%' ORDER BY bill_no`).map((r) => Number(r.bill_no.slice(4)));
/** Jobs are recorded but not started: a test then plays the job's steps (and its crashes) by hand. */
function withoutJobLaunches<T>(fn: () => T): T {
  const launch = t.kernel.jobs.launch.bind(t.kernel.jobs);
  t.kernel.jobs.launch = () => {};
  try {
    return fn();
  } finally {
    t.kernel.jobs.launch = launch;
  }
}
const principalOf = (username: string) =>
  loadPrincipal(t.kernel.db, sqlGet<{ id: string }>(t.kernel.db, 'SELECT id FROM users WHERE username = ?', username)!.id, null)!;
const expectGapFree = (numbers: number[]) => expect(numbers).toEqual(numbers.map((_, i) => i + 1));

describe('tariffs', () => {
  it('creating a tariff waits for a supervisor, then is current', () => {
    const answer = t.call('billing', 'energy.billing.tariffs.create', {
      code: 'PP-COM',
      kind: 'postpaid',
      category: 'commercial',
      name: 'Commercial',
      effectiveFrom: '2020-01-01',
      fixedCharge: 5000,
      tiers: [{ upTo: null, rate: 180 }],
    });
    expect(answer.ok ? 'ok' : answer.error.code).toBe('APPROVAL_REQUIRED');
    expect(t.ok<unknown[]>('billing', 'energy.billing.tariffs.list', { code: 'PP-COM' })).toHaveLength(0);
    approved(t, 'billing', 'energy.billing.tariffs.create', {
      code: 'PP-COM',
      kind: 'postpaid',
      category: 'commercial',
      name: 'Commercial',
      effectiveFrom: '2020-01-01',
      fixedCharge: 5000,
      tiers: [{ upTo: null, rate: 180 }],
    });
    const [tariff] = t.ok<{ current: boolean; fixedCharge: number }[]>('billing', 'energy.billing.tariffs.list', { code: 'PP-COM' });
    expect(tariff).toMatchObject({ current: true, fixedCharge: 5000 });
  });

  it('previews Kill Bill’s figures in both pricing modes', () => {
    const preview = (pricingMode: string, consumption: number) =>
      t.ok<{ total: number }>('billing', 'energy.billing.tariffs.preview', { pricingMode, fixedCharge: 3000, tiers: [{ upTo: 1000, rate: 150 }, { upTo: null, rate: 200 }], consumption }).total;
    expect(preview('graduated', 400)).toBe(63_000);
    expect(preview('graduated', 1200)).toBe(193_000);
    expect(preview('volume', 1200)).toBe(243_000);
  });
});

describe('a billing run', () => {
  it('drafts bills with an exception list, posts them numbered in account order, and bills the period once', { timeout: 120_000 }, async () => {
    const cycle = createCycle(t, 25);
    const accounts = createAccounts(t, 4, { installedOn: '2024-12-20', initialRead: 1000 });
    assign(t, accounts, cycle.id, '2024-12-26');
    read(t, accounts[0]!.meterId, '2025-01-24', 1400); // 400 L → $630
    read(t, accounts[1]!.meterId, '2025-01-24', 2200); // 1,200 L → $1,930
    t.ok('reader', 'energy.meterReadings.create', { meterId: accounts[2]!.meterId, readDate: '2025-01-24', skipCode: 'locked' }); // estimated
    // accounts[3] was not read: its bill is held.

    const run = await trial(t, cycle.id, '2025-01-25');
    expect(run).toMatchObject({ status: 'trial', billsCount: 3, heldCount: 1 });
    const drafts = billsOf(run.id);
    expect(drafts.map((b) => [b.accountNo, b.status, b.billNo])).toEqual(accounts.map((a, i) => [a.accountNo, i === 3 ? 'held' : 'draft', null]));
    expect(drafts[0]!.total).toBe(63_000);
    expect(drafts[1]!.total).toBe(193_000);
    expect(drafts[2]!.exceptions.map((e) => e.code)).toContain('ESTIMATED_READ');
    expect(drafts[3]!.exceptions.map((e) => e.code)).toEqual(['MISSING_READ']);
    const { exceptions } = t.ok<{ exceptions: { code: string; count: number }[] }>('billing', 'energy.billing.runs.get', { id: run.id });
    expect(exceptions).toEqual(expect.arrayContaining([{ code: 'MISSING_READ', count: 1 }, { code: 'ESTIMATED_READ', count: 1 }]));

    const posted = await post(t, run.id);
    expect(posted.status).toBe('posted');
    const after = billsOf(run.id);
    expect(after.slice(0, 3).map((b) => b.status)).toEqual(['posted', 'posted', 'posted']);
    expect(after[3]!.status).toBe('held');
    const numbers = after.slice(0, 3).map((b) => b.billNo);
    expect(numbers).toEqual([...numbers].sort());
    expect(after[0]!.open).toBe(after[0]!.total);

    // The period is billed: a second run for it is refused.
    const again = t.call('billing', 'energy.billing.runs.create', { cycleId: cycle.id, periodEnd: '2025-01-25' });
    expect(again.ok ? 'ok' : again.error.details?.rule).toBe('run.exists');
  });

  it('prorates a first partial period by days over the whole period', { timeout: 180_000 }, async () => {
    const cycle = createCycle(t, 25);
    const [account] = createAccounts(t, 1, { installedOn: '2025-01-05', initialRead: 0 });
    // Period 2024-12-26..2025-01-25 has 31 days; billing starts 2025-01-05: 21 days.
    assign(t, [account!], cycle.id, '2025-01-05');
    read(t, account!.meterId, '2025-01-24', 800);
    const run = await trial(t, cycle.id, '2025-01-25');
    const [bill] = billsOf(run.id);
    const factor = 21 / 31;
    const exact = 3000 * factor + 1000 * factor * 150 + (800 - 1000 * factor) * 200;
    expect(bill!.total).toBe(Math.round(exact));
  });

  it('bills a never-billed account from its read at billing start, or from its install read when connected later', { timeout: 180_000 }, async () => {
    const cycle = createCycle(t, 25);
    const [migrated, connected] = createAccounts(t, 2, { installedOn: '2024-06-01', initialRead: 1000 });
    // A year of reads from before the account came onto this system's billing: not ours to bill.
    read(t, migrated!.meterId, '2024-11-24', 1500);
    read(t, migrated!.meterId, '2024-12-24', 1600);
    read(t, migrated!.meterId, '2025-01-24', 1700);
    const [late] = createAccounts(t, 1, { installedOn: '2025-01-05', initialRead: 40 });
    read(t, late!.meterId, '2025-01-24', 140);
    assign(t, [migrated!, late!], cycle.id, '2024-12-26');
    // Billing from its install date: the install read is the read at billing start.
    assign(t, [connected!], cycle.id, '2024-06-01');
    read(t, connected!.meterId, '2025-01-24', 1450);

    const run = await trial(t, cycle.id, '2025-01-25');
    const byAccount = new Map(billsOf(run.id).map((b) => [b.accountId, b]));
    expect(byAccount.get(migrated!.accountId)).toMatchObject({ previousReadDate: '2024-12-24', previousReadValue: 1600, consumption: 100 });
    // Connected after its billing start: from the install read that commissioning recorded.
    expect(byAccount.get(late!.accountId)).toMatchObject({ previousReadDate: '2025-01-05', previousReadValue: 40, consumption: 100 });
    expect(byAccount.get(connected!.accountId)).toMatchObject({ previousReadDate: '2024-06-01', previousReadValue: 1000, consumption: 450 });
  });

  it('bills a rollover reading, once a supervisor accepts it, as the units that really passed', { timeout: 180_000 }, async () => {
    const cycle = createCycle(t, 25);
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20', initialRead: 99_900, dials: 5 });
    assign(t, [account!], cycle.id, '2024-12-26');
    const reading = read(t, account!.meterId, '2025-01-24', 25);
    expect(reading.status).toBe('exception');

    const held = await trial(t, cycle.id, '2025-01-25');
    expect(billsOf(held.id)[0]!.exceptions.map((e) => e.code)).toEqual(['MISSING_READ']);
    t.ok('billing', 'energy.billing.runs.discard', { id: held.id, version: held.version, reason: 'Waiting for the rollover review' });

    approved(t, 'supervisor', 'energy.meterReadings.review', { id: reading.id, version: reading.version, action: 'accept', reason: 'Dials rolled over' }, 'admin');
    const run = await trial(t, cycle.id, '2025-01-25');
    const [bill] = billsOf(run.id);
    expect(bill!.consumption).toBe(125);
    expect(bill!.total).toBe(3000 + 125 * 150);
  });

  it('numbers two runs posting at the same moment without gaps or duplicates', { timeout: 180_000 }, async () => {
    const cycles = [createCycle(t, 25), createCycle(t, 25)];
    for (const cycle of cycles) {
      const accounts = createAccounts(t, 30, { installedOn: '2024-12-20', initialRead: 1000 });
      assign(t, accounts, cycle.id, '2024-12-26');
      accounts.forEach((a, i) => read(t, a.meterId, '2025-01-24', 1100 + i));
    }
    const runs = [await trial(t, cycles[0]!.id, '2025-01-25'), await trial(t, cycles[1]!.id, '2025-01-25')];
    const jobs = runs.map((run) => t.ok<{ jobId: string }>('supervisor', 'energy.billing.runs.post', { id: run.id, version: run.version }).jobId);
    const finished = await Promise.all(jobs.map((id) => t.kernel.jobs.settled(id)));
    expect(finished.map((j) => j.state)).toEqual(['succeeded', 'succeeded']);
    const numbers = billNumbers();
    expect(new Set(numbers).size).toBe(numbers.length);
    expectGapFree(numbers);
    for (const run of runs) expect(billsOf(run.id).every((b) => b.status === 'posted' && b.billNo)).toBe(true);
  });

  it('a crash in the middle of posting leaves no posted bill and no used number', { timeout: 180_000 }, async () => {
    const cycle = createCycle(t, 25);
    const accounts = createAccounts(t, 5, { installedOn: '2024-12-20', initialRead: 1000 });
    assign(t, accounts, cycle.id, '2024-12-26');
    accounts.forEach((a) => read(t, a.meterId, '2025-01-24', 1500));
    const run = await trial(t, cycle.id, '2025-01-25');
    const before = billNumbers();

    // Hold the post job back, then run its one transaction by hand and crash it after the handler.
    withoutJobLaunches(() => t.ok('supervisor', 'energy.billing.runs.post', { id: run.id, version: run.version }));
    const billing = principalOf('supervisor');
    t.kernel.faults = {
      afterHandler: () => {
        throw new Error('power cut');
      },
    };
    const crashed = dispatch(t.kernel, 'energy.billing.runs.postCommit', { runId: run.id }, { principal: billing });
    t.kernel.faults = undefined;
    expect(crashed.ok ? 'ok' : crashed.error.code).toBe('INTERNAL');
    expect(billsOf(run.id).every((b) => b.status === 'draft' && b.billNo === null)).toBe(true);
    expect(billNumbers()).toEqual(before);

    const posted = dispatch(t.kernel, 'energy.billing.runs.postCommit', { runId: run.id }, { principal: billing });
    expect(posted.ok).toBe(true);
    expectGapFree(billNumbers());
    expect(billNumbers()).toHaveLength(before.length + 5);
  });

  it('a crash in the middle of a trial leaves only drafts, which the restarted app lets you discard', { timeout: 180_000 }, async () => {
    const cycle = createCycle(t, 25);
    const accounts = createAccounts(t, 3, { installedOn: '2024-12-20', initialRead: 1000 });
    assign(t, accounts, cycle.id, '2024-12-26');
    accounts.forEach((a) => read(t, a.meterId, '2025-01-24', 1500));
    const run = withoutJobLaunches(() => t.ok<{ id: string }>('billing', 'energy.billing.runs.create', { cycleId: cycle.id, periodEnd: '2025-01-25' }));
    const billing = principalOf('billing');
    expect(dispatch(t.kernel, 'energy.billing.runs.trialChunk', { runId: run.id, after: null, limit: 2 }, { principal: billing }).ok).toBe(true);

    // A restart marks the interrupted job failed; the run shows as interrupted and can be discarded.
    const restarted = createApp({ dataDir: t.dataDir, log: { info: () => {}, error: () => {} } });
    await restarted.close();
    const { run: interrupted } = t.ok<{ run: { interrupted: boolean; version: number; status: string } }>('billing', 'energy.billing.runs.get', { id: run.id });
    expect(interrupted).toMatchObject({ interrupted: true, status: 'trial_running' });
    t.ok('billing', 'energy.billing.runs.discard', { id: run.id, version: interrupted.version, reason: 'Interrupted by a restart' });
    expect(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM bills WHERE run_id = ?', run.id)!.n).toBe(0);
  });
});

describe('cancel and rebill', () => {
  it('a credit note cancels the posted bill, a linked rebill replaces it, and what was paid moves over', { timeout: 180_000 }, async () => {
    const cycle = createCycle(t, 25);
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20', initialRead: 1000 });
    assign(t, [account!], cycle.id, '2024-12-26');
    read(t, account!.meterId, '2025-01-24', 2200);
    const run = await trial(t, cycle.id, '2025-01-25');
    await post(t, run.id);
    const [bill] = billsOf(run.id);
    expect(bill!.total).toBe(193_000);

    t.ok('cashier', 'energy.counter.shifts.open', { openingFloat: 0 });
    t.ok('cashier', 'energy.counter.payments.create', { accountId: account!.accountId, tender: 'card', amount: 50_000 }, { idempotencyKey: `rebill-pay-${bill!.id}` });

    const current = t.ok<{ bill: BillDto }>('billing', 'energy.billing.bills.get', { id: bill!.id }).bill;
    const gated = t.call('supervisor', 'energy.billing.bills.cancelRebill', { id: bill!.id, version: current.version, reason: 'Meter misread', consumption: 400 });
    expect(gated.ok ? 'ok' : gated.error.code).toBe('APPROVAL_REQUIRED');
    approved(t, 'supervisor', 'energy.billing.bills.cancelRebill', { id: bill!.id, version: current.version, reason: 'Meter misread', consumption: 400 }, 'admin');

    const { bill: cancelled, related } = t.ok<{ bill: BillDto; related: BillDto[] }>('billing', 'energy.billing.bills.get', { id: bill!.id });
    expect(cancelled.status).toBe('cancelled');
    const note = related.find((b) => b.id === cancelled.creditNoteId)!;
    const rebill = related.find((b) => b.id === cancelled.replacedByBillId)!;
    expect(note).toMatchObject({ total: -193_000, cancelsBillId: bill!.id });
    expect(note.billNo).toMatch(/^CN-\d{7}$/);
    expect(rebill).toMatchObject({ total: 63_000, replacesBillId: bill!.id, status: 'posted' });
    // 500.00 was paid on the cancelled bill: it now settles the rebill.
    expect(rebill.open).toBe(63_000 - 50_000);
    expectGapFree(billNumbers());
  });
});
