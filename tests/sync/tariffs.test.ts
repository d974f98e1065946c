import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlGet } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import type { SyncException } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { assign, createAccounts, createCycle, ensurePostpaidTariff, read, trial } from '../support/samples/billing';
import { connect, openBranch, syncOnce } from './support/branch';
import { startTestHq, type Backend, type TestHq } from './support/hq';
import { startPostgres, type PgCluster } from './support/postgres';

/**
 * Tariffs as master data owned by HQ: HQ changes a tariff, the branch bills with it after sync,
 * and the branch can no longer create or revise tariffs itself.
 */
let pg: PgCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

interface TariffDto {
  id: string;
  code: string;
  name: string;
  effectiveFrom: string;
  fixedCharge: number;
  createdByName: string;
}
interface BillDto {
  accountNo: string;
  status: string;
  total: number;
}

/** HQ's residential tariff from the first day of the January 2025 billing period: flat 3.00 a unit. */
const HQ_TERMS = {
  kind: 'postpaid',
  category: 'residential',
  name: 'Residential (HQ 2025)',
  effectiveFrom: '2024-12-26',
  fixedCharge: 4000,
  pricingMode: 'graduated',
  tiers: [{ upTo: null, rate: 300 }],
};

describe.each<Backend>(['sqlite', 'postgres'])('tariffs from HQ on %s', (backend) => {
  let t: TestApp;
  let hq: TestHq;
  let code: string;
  beforeAll(async () => {
    t = openBranch({ timeZone: 'UTC' });
    // The branch's own tariff before HQ takes tariffs over: the Kill Bill tiers (1.50, then 2.00).
    code = ensurePostpaidTariff(t, 'residential');
    hq = await startTestHq(backend, pg);
    connect(t, hq.url, await hq.register(t));
  });
  afterAll(async () => {
    await hq?.close();
    await t?.close();
  });

  const tariffs = () => t.ok<TariffDto[]>('billing', 'energy.billing.tariffs.list', { code });

  it('HQ changes a tariff, and the branch bills with it after sync', { timeout: 120_000 }, async () => {
    const cycle = createCycle(t, 25);
    const [account] = createAccounts(t, 1, { installedOn: '2024-12-20', initialRead: 1000 });
    assign(t, [account!], cycle.id, '2024-12-26');
    read(t, account!.meterId, '2025-01-24', 1400); // 400 units: 630.00 on the branch's own tariff

    await hq.publish({ changes: [{ entity: 'tariff', entityId: code, data: HQ_TERMS }], note: 'New residential tariff' });
    const result = await syncOnce(t);
    expect([result.outcome, result.masterApplied]).toEqual(['succeeded', 1]);

    const versions = tariffs();
    expect(versions.map((v) => [v.effectiveFrom, v.fixedCharge, v.createdByName])).toEqual([
      ['2024-12-26', 4000, 'HQ'],
      ['2020-01-01', 3000, 'Bea Billing'],
    ]);

    const run = await trial(t, cycle.id, '2025-01-25');
    const bills = t.ok<{ rows: BillDto[] }>('billing', 'energy.billing.bills.list', { runId: run.id, limit: 10 }).rows;
    // 40.00 fixed + 400 units × 3.00 = 1,240.00, not the 630.00 the branch's own tariff gives.
    expect(bills.map((b) => [b.accountNo, b.status, b.total])).toEqual([[account!.accountNo, 'draft', 124_000]]);
  });

  it('refuses tariff edits at the branch once HQ owns tariffs, before anyone is asked to approve them', () => {
    const approvals = () => sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM approval_requests')!.n;
    const before = approvals();
    const revise = t.call('billing', 'energy.billing.tariffs.revise', { code, name: 'Branch revision', effectiveFrom: '2030-01-01', fixedCharge: 1, tiers: [{ upTo: null, rate: 1 }] });
    expect(revise.ok ? null : revise.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/tariff is owned by HQ/) });
    const create = t.call('billing', 'energy.billing.tariffs.create', {
      code: 'PP-NEW',
      kind: 'postpaid',
      category: 'industrial',
      name: 'Branch-made',
      effectiveFrom: '2030-01-01',
      fixedCharge: 1,
      tiers: [{ upTo: null, rate: 1 }],
    });
    expect(create.ok ? null : create.error.code).toBe('FORBIDDEN');
    expect(approvals()).toBe(before);
    expect(tariffs()).toHaveLength(2);

    // HQ's stand-in author cannot sign in, and the branch cannot make it an account that can.
    expect(dispatch(t.kernel, 'auth.login', { username: 'hq-master-data', password: '!hq-user-without-password' }).ok).toBe(false);
    const hqUser = t.ok<{ id: string; username: string; version: number; active: boolean }[]>('admin', 'admin.users.list', {}).find((u) => u.username === 'hq-master-data')!;
    expect(hqUser.active).toBe(false);
    const activate = t.call('admin', 'admin.users.update', { id: hqUser.id, version: hqUser.version, active: true });
    expect(activate.ok ? null : activate.error.code).toBe('FORBIDDEN');
  });

  it('holds back a change to a version bills may already use, and applies a later version', async () => {
    await hq.publish({ changes: [{ entity: 'tariff', entityId: code, data: { ...HQ_TERMS, fixedCharge: 1 } }] });
    const held = await syncOnce(t);
    expect(held.outcome).toBe('blocked');
    const exception = t.ok<{ rows: SyncException[] }>('admin', 'sync.exceptions', {}).rows.find((e) => e.kind === 'masterData.unapplied')!;
    expect(exception.message).toMatch(/version from 2024-12-26 is in effect already.*publish a version from a later date/);
    expect(tariffs().find((v) => v.effectiveFrom === '2024-12-26')!.fixedCharge).toBe(4000);

    t.ok('admin', 'sync.resolveException', { id: exception.id, version: exception.version, note: 'HQ publishes a later version instead', skipChange: true });
    await hq.publish({ changes: [{ entity: 'tariff', entityId: code, data: { ...HQ_TERMS, name: 'Residential (HQ 2031)', effectiveFrom: '2031-01-01', fixedCharge: 5000 } }] });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(tariffs().map((v) => [v.effectiveFrom, v.fixedCharge])).toEqual([
      ['2031-01-01', 5000],
      ['2024-12-26', 4000],
      ['2020-01-01', 3000],
    ]);
  });
});
