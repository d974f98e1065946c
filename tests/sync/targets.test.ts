import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlGet } from '../../src-main/core/db/store';
import type { Target } from '../../src-shared/contracts/analytics';
import type { SyncException, SyncStatus } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { readMeter, seedRoute } from '../support/reporting';
import { connect, openBranch, syncOnce } from './support/branch';
import { startTestHq, type TestHq } from './support/hq';

/**
 * KPI targets as master data owned by HQ: HQ's target is the one the variance is measured
 * against after sync, the branch cannot change or clear it (nor override it for one period), and
 * still sets its own targets for the KPIs and periods HQ leaves to it. (The HQ side is the same
 * log for every type and is tested on PostgreSQL by master-data.test.ts and tariffs.test.ts.)
 */
const KPI = 'energy.meterReadings.readings';
const OTHER_KPI = 'energy.meterReadings.exceptions';
const STANDING_MONTH = `${KPI}:month:standing`;

let t: TestApp;
let hq: TestHq;
/** Last month, a whole one: the current month's target is prorated to the days gone. */
let month: string;
let monthEnd: string;
beforeAll(async () => {
  t = openBranch({ timeZone: 'UTC' });
  const now = new Date();
  month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1)).toISOString().slice(0, 10);
  monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 0)).toISOString().slice(0, 10);
  // Three readings last month, so the variance has a value to compare.
  const { meters } = seedRoute(t, { code: 'TG', meters: 3, category: 'residential', installedOn: '2020-01-01' });
  meters.forEach((m, i) => readMeter(t, 'reader', m.meterId, `${month.slice(0, 8)}15`, 2_000 + i));
  hq = await startTestHq('sqlite', null);
  connect(t, hq.url, await hq.register(t));
});
afterAll(async () => {
  await hq?.close();
  await t?.close();
});

const targets = (kpi = KPI) => t.ok<Target[]>('supervisor', 'targets.list', { kpi });
const standingMonth = () => targets().find((x) => x.period === 'month' && x.periodStart === null);
const thisMonth = () => {
  const variance = t.ok<{ rows: { from: string; value: number | null; target: number | null; vsTarget: { value: number; percent: number | null } | null }[] }>(
    'supervisor',
    'analytics.variance',
    { kpi: KPI, period: 'month', periods: 2, asOf: monthEnd },
  );
  return variance.rows.find((r) => r.from === month)!;
};
const monthBefore = () => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 2, 1)).toISOString().slice(0, 10);
};
const auditCount = () => sqlGet<{ n: number }>(t.kernel.db, "SELECT count(*) AS n FROM audit_events WHERE entity = 'kpiTarget'")!.n;
const openExceptions = () => t.ok<{ rows: SyncException[] }>('admin', 'sync.exceptions', {}).rows.filter((e) => e.kind === 'masterData.unapplied');
const masterCursor = () => t.ok<SyncStatus>('admin', 'sync.status', {}).masterCursor;

describe('KPI targets from HQ', () => {
  it('takes over the branch’s standing monthly target, and the variance is measured against HQ’s', async () => {
    const own = t.ok<Target>('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: 10, version: 0 });
    expect(thisMonth()).toMatchObject({ value: 3, target: 10 });
    // And one for the month before, the branch's own word for that month.
    t.ok('supervisor', 'targets.set', { kpi: KPI, period: 'month', periodStart: monthBefore(), value: 8, version: 0 });

    await hq.publish({ changes: [{ entity: 'kpiTarget', entityId: STANDING_MONTH, data: { kpi: KPI, period: 'month', periodStart: null, value: 120, note: 'Network plan 2026' } }] });
    const result = await syncOnce(t);
    expect([result.outcome, result.masterApplied]).toEqual(['succeeded', 1]);

    // The same record, now HQ's: one standing monthly target, not two.
    expect(targets().filter((x) => x.period === 'month' && x.periodStart === null)).toEqual([expect.objectContaining({ id: own.id, value: 120, note: 'Network plan 2026', setByName: 'HQ' })]);
    expect(thisMonth()).toMatchObject({ value: 3, target: 120, vsTarget: { value: -117, percent: (-117 / 120) * 100 } });
    const owned = t.ok<{ entityId: string }[]>('supervisor', 'sync.ownership', { entity: 'kpiTarget' });
    expect(owned.map((o) => o.entityId)).toEqual([own.id]);
  });

  it('refuses the branch’s change, clear and one-month override of HQ’s target, and changes nothing', () => {
    const hqs = standingMonth()!;
    const events = auditCount();
    const change = t.call('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: 50, version: hqs.version });
    expect(change.ok ? null : change.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/target is owned by HQ/) });
    // Refused as HQ's even when the screen had an old version: the version is not the problem.
    const stale = t.call('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: 50, version: 0 });
    expect(stale.ok ? null : stale.error.code).toBe('FORBIDDEN');
    const clear = t.call('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: null, version: hqs.version });
    expect(clear.ok ? null : clear.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/owned by HQ/) });
    const override = t.call('supervisor', 'targets.set', { kpi: KPI, period: 'month', periodStart: month, value: 5, version: 0 });
    expect(override.ok ? null : override.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/for every month is owned by HQ: a target for one month would override it/) });

    // The branch's target for the month before HQ's arrived: it may clear it, not change it.
    const earlier = targets().find((x) => x.periodStart === monthBefore())!;
    const changeEarlier = t.call('supervisor', 'targets.set', { kpi: KPI, period: 'month', periodStart: earlier.periodStart, value: 9, version: earlier.version });
    expect(changeEarlier.ok ? null : changeEarlier.error.code).toBe('FORBIDDEN');

    expect(standingMonth()).toEqual(hqs);
    expect(targets().filter((x) => x.period === 'month')).toHaveLength(2);
    expect(thisMonth().target).toBe(120);
    expect(auditCount()).toBe(events);

    t.ok('supervisor', 'targets.set', { kpi: KPI, period: 'month', periodStart: earlier.periodStart, value: null, version: earlier.version });
    expect(targets().filter((x) => x.period === 'month')).toEqual([hqs]);
  });

  it('still lets the branch set targets HQ does not: another KPI, and another period of the same KPI', () => {
    const other = t.ok<Target>('supervisor', 'targets.set', { kpi: OTHER_KPI, period: 'month', value: 2, version: 0 });
    expect(other).toMatchObject({ kpi: OTHER_KPI, value: 2, setByName: expect.not.stringMatching(/^HQ$/) });
    const weekly = t.ok<Target>('supervisor', 'targets.set', { kpi: KPI, period: 'week', value: 30, version: 0 });
    const changed = t.ok<Target>('supervisor', 'targets.set', { kpi: KPI, period: 'week', value: 31, version: weekly.version });
    expect(changed.value).toBe(31);
    t.ok('supervisor', 'targets.set', { kpi: OTHER_KPI, period: 'month', value: null, version: other.version });
    expect(targets(OTHER_KPI)).toEqual([]);
  });

  it('holds back a target that does not fit the branch, with the exception shown and the cursor stopped', async () => {
    const before = masterCursor();
    const [unknown] = await hq.publish({
      changes: [
        { entity: 'kpiTarget', entityId: 'energy.meterReadings.smiles:month:standing', data: { kpi: 'energy.meterReadings.smiles', period: 'month', periodStart: null, value: 5 } },
        { entity: 'kpiTarget', entityId: `${OTHER_KPI}:month:standing`, data: { kpi: OTHER_KPI, period: 'month', periodStart: null, value: 4 } },
      ],
    });
    const held = await syncOnce(t);
    expect(held.outcome).toBe('blocked');
    expect(held.message).toMatch(new RegExp(`change ${unknown} from HQ could not be applied`));
    expect(masterCursor()).toBe(before);
    const [exception] = openExceptions();
    expect(exception!.message).toMatch(/HQ's target energy\.meterReadings\.smiles:month:standing: there is no KPI energy\.meterReadings\.smiles/);
    // Nothing after it was applied either.
    expect(targets(OTHER_KPI)).toEqual([]);
    t.ok('admin', 'sync.resolveException', { id: exception!.id, version: exception!.version, note: 'HQ publishes a KPI this version has', skipChange: true });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(targets(OTHER_KPI)).toEqual([expect.objectContaining({ value: 4, setByName: 'HQ' })]);

    // A month that does not start on its first day.
    const cursor = masterCursor();
    const wrongStart = `${month.slice(0, 8)}02`;
    await hq.publish({ changes: [{ entity: 'kpiTarget', entityId: `${KPI}:month:${wrongStart}`, data: { kpi: KPI, period: 'month', periodStart: wrongStart, value: 7 } }] });
    expect((await syncOnce(t)).outcome).toBe('blocked');
    expect(masterCursor()).toBe(cursor);
    const [misdated] = openExceptions();
    expect(misdated!.message).toMatch(new RegExp(`periodStart: ${wrongStart} is not the first day of a month; use ${month}`));
    t.ok('admin', 'sync.resolveException', { id: misdated!.id, version: misdated!.version, note: 'Published with the first day instead', skipChange: true });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(thisMonth().target).toBe(120);
  });

  it('clears HQ’s target when HQ deletes it, and the branch may set that target again itself', async () => {
    await hq.publish({ changes: [{ entity: 'kpiTarget', entityId: STANDING_MONTH, op: 'delete' }] });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(standingMonth()).toBeUndefined();
    expect(thisMonth().target).toBeNull();

    const own = t.ok<Target>('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: 15, version: 0 });
    expect(thisMonth().target).toBe(15);
    const changed = t.ok<Target>('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: 16, version: own.version });
    expect(changed.value).toBe(16);

    // HQ publishes it again: the branch's meanwhile target gives way to it (one monthly target,
    // HQ's, locked again), and HQ can withdraw it again.
    await hq.publish({ changes: [{ entity: 'kpiTarget', entityId: STANDING_MONTH, data: { kpi: KPI, period: 'month', periodStart: null, value: 130 } }] });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(targets().filter((x) => x.period === 'month')).toEqual([expect.objectContaining({ value: 130, setByName: 'HQ' })]);
    expect(thisMonth().target).toBe(130);
    const again = standingMonth()!;
    expect(t.call('supervisor', 'targets.set', { kpi: KPI, period: 'month', value: 1, version: again.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    await hq.publish({ changes: [{ entity: 'kpiTarget', entityId: STANDING_MONTH, op: 'delete' }] });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(standingMonth()).toBeUndefined();
    expect(thisMonth().target).toBeNull();
  });
});
