import type { TestApp } from '../app';
import type { Sample } from '../samples';

/**
 * Fixtures for billing, the counter and prepaid (routes, accounts with meters and reads, tariffs
 * through their approval), and one valid sample call per billing mutation.
 */

export const KILL_BILL_TIERS = [
  { upTo: 1000, rate: 150 },
  { upTo: null, rate: 200 },
];

/** Calls a gated procedure and has a supervisor approve it; answers the approval as executed. */
export function approved(t: TestApp, requester: string, procedure: string, input: unknown, approver = 'supervisor') {
  const answer = t.call(requester, procedure, input);
  if (answer.ok) return answer.result;
  if (answer.error.code !== 'APPROVAL_REQUIRED') throw new Error(`${procedure}: ${answer.error.code} ${answer.error.message}`);
  const id = String(answer.error.details?.approvalId);
  const approval = t.ok<{ version: number }>(approver, 'approvals.get', { id });
  const decided = t.ok<{ status: string; executionError: string | null }>(approver, 'approvals.decide', { id, version: approval.version, decision: 'approve', reason: 'Checked and approved' });
  if (decided.status !== 'executed') throw new Error(`${procedure} approval ${decided.status}: ${decided.executionError}`);
  return decided;
}

let counter = 0;
const unique = () => `${Date.now().toString(36).slice(-4)}${(counter += 1)}`.toUpperCase();

/** The Kill Bill tariff for a category (created once per store). */
export function ensurePostpaidTariff(t: TestApp, category = 'residential', extra: Record<string, unknown> = {}): string {
  const code = `PP-${category.slice(0, 3).toUpperCase()}`;
  const existing = t.ok<{ code: string }[]>('billing', 'energy.billing.tariffs.list', { code });
  if (existing.length === 0) {
    approved(t, 'billing', 'energy.billing.tariffs.create', {
      code,
      kind: 'postpaid',
      category,
      name: `Kill Bill ${category}`,
      effectiveFrom: '2020-01-01',
      fixedCharge: 3000,
      pricingMode: 'graduated',
      tiers: KILL_BILL_TIERS,
      ...extra,
    });
  }
  return code;
}

export function ensurePrepaidTariff(t: TestApp, code = 'PRE-RES'): string {
  if (t.ok<unknown[]>('billing', 'energy.billing.tariffs.list', { code }).length === 0) {
    approved(t, 'billing', 'energy.billing.tariffs.create', {
      code,
      kind: 'prepaid',
      category: 'residential',
      name: 'Prepaid residential',
      effectiveFrom: '2020-01-01',
      fixedCharge: 0,
      tiers: [{ upTo: null, rate: 250 }],
    });
  }
  return code;
}

export interface FixtureAccount {
  accountId: string;
  accountNo: string;
  meterId: string;
}

/** Accounts on one new route, each with a meter installed on `installedOn` at `initialRead`. */
export function createAccounts(t: TestApp, count: number, opts: { installedOn: string; initialRead?: number; dials?: number; category?: string }): FixtureAccount[] {
  const tag = unique();
  const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `T${tag}`.slice(0, 20), name: `Test route ${tag}` });
  const accounts: FixtureAccount[] = [];
  for (let i = 0; i < count; i += 1) {
    const accountNo = `A${tag}-${String(i + 1).padStart(3, '0')}`;
    const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', {
      accountNo,
      name: `Customer ${tag} ${i + 1}`,
      phone: `082${tag.length}${String(i).padStart(6, '0')}`,
      address: `${i + 1} Test Street`,
      routeId: route.id,
      sequence: i,
      category: opts.category ?? 'residential',
    });
    const meter = t.ok<{ id: string }>('admin', 'energy.meters.create', {
      serial: `M${tag}${String(i + 1).padStart(3, '0')}`,
      dials: opts.dials ?? 6,
      accountId: account.id,
      installedOn: opts.installedOn,
      initialRead: opts.initialRead ?? 1000,
    });
    accounts.push({ accountId: account.id, accountNo, meterId: meter.id });
  }
  return accounts;
}

export function createCycle(t: TestApp, closeDay = 25): { id: string; code: string } {
  const code = `C${unique()}`.slice(0, 20);
  return t.ok('admin', 'energy.billing.cycles.create', { code, name: `Cycle ${code}`, closeDay });
}

export function assign(t: TestApp, accounts: readonly FixtureAccount[], cycleId: string, billingStart: string): void {
  for (const a of accounts) t.ok('billing', 'energy.billing.accounts.assign', { accountId: a.accountId, cycleId, billingStart });
}

export function read(t: TestApp, meterId: string, readDate: string, value: number) {
  return t.ok<{ id: string; status: string; version: number; consumption: number }>('reader', 'energy.meterReadings.create', { meterId, readDate, value });
}

/** Runs a trial to the end (the job in its worker) and answers the run. */
export async function trial(t: TestApp, cycleId: string, periodEnd: string) {
  const run = t.ok<{ id: string; jobId: string }>('billing', 'energy.billing.runs.create', { cycleId, periodEnd });
  const job = await t.kernel.jobs.settled(run.jobId);
  if (job.state !== 'succeeded') throw new Error(`trial ${job.state}: ${job.error}`);
  return t.ok<{ run: { id: string; version: number; status: string; billsCount: number; heldCount: number; total: number; jobId: string } }>('billing', 'energy.billing.runs.get', { id: run.id }).run;
}

export async function post(t: TestApp, runId: string) {
  const run = t.ok<{ run: { version: number } }>('billing', 'energy.billing.runs.get', { id: runId });
  // Billing clerks prepare runs; posting is a supervisor's (the default roles give clerks no post).
  const posting = t.ok<{ jobId: string }>('supervisor', 'energy.billing.runs.post', { id: runId, version: run.run.version });
  const job = await t.kernel.jobs.settled(posting.jobId);
  if (job.state !== 'succeeded') throw new Error(`post ${job.state}: ${job.error}`);
  return t.ok<{ run: { status: string; firstBillNo: string; lastBillNo: string; billsCount: number } }>('billing', 'energy.billing.runs.get', { id: runId }).run;
}

/* ---------------- samples ---------------- */

const isoToday = () => new Date().toISOString().slice(0, 10);

export const billingSamples: Record<string, Sample> = {
  'energy.billing.cycles.create': () => ({ as: 'admin', input: { code: `SC${unique()}`.slice(0, 20), name: 'Sample cycle', closeDay: 20 } }),
  'energy.billing.accounts.assign': (t) => {
    const [account] = createAccounts(t, 1, { installedOn: '2024-01-01' });
    const cycle = createCycle(t);
    return { as: 'billing', input: { accountId: account!.accountId, cycleId: cycle.id, billingStart: '2024-01-01' } };
  },
  'energy.billing.export': () => ({ as: 'billing', input: { from: isoToday(), to: isoToday(), format: 'csv' } }),
};

/** Billing mutations a seeded store cannot run as a plain sample, and why. */
export const billingExemptions: Record<string, string> = {
  'energy.billing.tariffs.create': 'always approval-gated; covered by tests/integration/billing.test.ts',
  'energy.billing.tariffs.revise': 'always approval-gated; covered by tests/integration/billing.test.ts',
  'energy.billing.runs.create': 'starts a trial job in a worker thread; covered by tests/integration/billing.test.ts',
  'energy.billing.runs.post': 'needs a finished trial and starts a job; covered by tests/integration/billing.test.ts',
  'energy.billing.runs.discard': 'needs a trial run; covered by tests/integration/billing.test.ts',
  'energy.billing.runs.trialChunk': 'internal step of the trial job; covered by tests/integration/billing.test.ts',
  'energy.billing.runs.trialFinish': 'internal step of the trial job; covered by tests/integration/billing.test.ts',
  'energy.billing.runs.postCommit': 'internal step of the post job; covered by tests/integration/billing.test.ts (crash and race)',
  'energy.billing.runs.abort': 'internal step of the run jobs; covered by tests/integration/billing.test.ts',
  'energy.billing.bills.cancelRebill': 'gated and needs a posted bill; covered by tests/integration/billing.test.ts',
};
