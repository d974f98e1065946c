import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Reading } from '../../src-shared/contracts/energy/meter-readings';
import type { ReportResult } from '../../src-shared/contracts/reports';
import type { Dashboard, TimelineEvent } from '../../src-shared/contracts/dashboard';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { allReadings, expectClose, readMeter, seedRoute } from '../support/reporting';

dayjs.extend(utc);
dayjs.extend(timezone);

/*
 * The report engine through the pipeline on meter readings: report figures against the records
 * themselves, drilldowns that add up to their parent, records behind every row, permissions per
 * function, targets, the module dashboard, the timeline and the analytics pack.
 */

const TZ = 'Europe/Berlin';
/** Read dates around a week boundary (Sun 30 → Mon 31 March), the spring DST change and a month end. */
const READ_DATES = ['2025-03-01', '2025-03-27', '2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02'];
const READERS = ['reader', 'supervisor', 'admin'] as const;
const FROM = '2025-03-01';
const TO = '2025-04-05';

let t: TestApp;
let readings: Reading[];

beforeAll(() => {
  t = openTestApp({ timeZone: TZ, clock: () => new Date('2025-04-03T08:00:00Z') });
  const routes = [
    seedRoute(t, { code: 'RA', meters: 4, category: 'residential', installedOn: '2025-01-01' }),
    seedRoute(t, { code: 'RB', meters: 3, category: 'commercial', installedOn: '2025-01-01' }),
  ];
  const meters = routes.flatMap((r) => r.meters);
  meters.forEach((meter, i) => {
    let value = 1_000;
    let last = '2025-01-01';
    // History first, so VEE has an expected range: a steady 10 units a day.
    value += 10 * 31;
    readMeter(t, 'reader', meter.meterId, '2025-02-01', value);
    last = '2025-02-01';
    READ_DATES.forEach((date, j) => {
      if ((i + j) % 3 === 0 && j > 0) return;
      const days = dayjs.utc(date).diff(dayjs.utc(last), 'day');
      // Now and then a read far above the expected range: a HIGH_CONSUMPTION exception.
      value += (i * j) % 7 === 3 ? 10 * days * 8 : 10 * days + (i % 3);
      last = date;
      if (i === 2 && j === 3) {
        const skipped = t.call('reader', 'energy.meterReadings.create', { meterId: meter.meterId, readDate: date, skipCode: 'locked' });
        if (!skipped.ok) throw new Error(skipped.error.message);
        value = (skipped.result as Reading).value;
        return;
      }
      readMeter(t, READERS[(i + j) % 3]!, meter.meterId, date, value);
    });
  });
  // One exception sent back for re-reading: the report must stop counting it.
  const exception = allReadings(t, { status: 'exception' })[0]!;
  t.ok('supervisor', 'energy.meterReadings.review', { id: exception.id, version: exception.version, action: 'reread', reason: 'Dial misread, go again' });
  readings = allReadings(t);
});

afterAll(async () => {
  await t.close();
});

const counted = (from = FROM, to = TO) => readings.filter((r) => r.purpose !== 'install' && r.status !== 'reread' && r.readDate >= from && r.readDate <= to);

const run = (as: string, input: Record<string, unknown>) =>
  t.ok<ReportResult>(as, 'reports.run', { report: 'energy.meterReadings.readings', from: FROM, to: TO, ...input });

function expectedFigures(rows: Reading[]) {
  return {
    readings: rows.length,
    estimated: rows.filter((r) => r.readType === 'estimated').length,
    skipped: rows.filter((r) => r.skipCode !== null).length,
    exceptions: rows.filter((r) => r.exceptions.length > 0).length,
    awaitingReview: rows.filter((r) => r.status === 'exception').length,
    consumption: rows.reduce((a, r) => a + r.consumption, 0),
  };
}

function expectFigures(values: Record<string, number | null>, rows: Reading[]) {
  const e = expectedFigures(rows);
  expect({ ...values, consumption: undefined, exceptionRate: undefined }).toMatchObject({ ...e, consumption: undefined });
  expectClose(values.consumption, e.consumption);
  if (e.readings > 0) expectClose(values.exceptionRate, Math.round((e.exceptions / e.readings) * 1000) / 10, 1);
}

/** The bucket a local date falls in, worked out here independently of the engine. */
function bucketKey(date: string, period: 'day' | 'week' | 'month'): string {
  const d = dayjs.utc(date);
  if (period === 'day') return date;
  if (period === 'month') return d.startOf('month').format('YYYY-MM-DD');
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');
}

describe('report figures', () => {
  it('seeded a store worth reporting on', () => {
    const rows = counted();
    expect(rows.length).toBeGreaterThan(30);
    expect(rows.some((r) => r.status === 'exception')).toBe(true);
    expect(rows.some((r) => r.skipCode !== null)).toBe(true);
    expect(readings.some((r) => r.status === 'reread')).toBe(true);
  });

  for (const period of ['day', 'week', 'month'] as const) {
    it(`equal the sums over the readings themselves per ${period}, across the week boundary and the DST change`, () => {
      const result = run('supervisor', { period });
      const byBucket = new Map<string, Reading[]>();
      for (const r of counted()) byBucket.set(bucketKey(r.readDate, period), [...(byBucket.get(bucketKey(r.readDate, period)) ?? []), r]);
      for (const row of result.rows) expectFigures(row.values, byBucket.get(row.key) ?? []);
      // Every bucket with readings appears, and empty ones show as zero rather than vanish.
      expect(new Set(result.rows.map((r) => r.key))).toEqual(new Set([...result.rows.map((r) => r.key), ...byBucket.keys()]));
      expectFigures(result.totals, counted());
      if (period === 'week') {
        expect(result.rows.map((r) => r.key)).toContain('2025-03-24');
        expect(result.rows.find((r) => r.key === '2025-03-24')).toMatchObject({ from: '2025-03-24', to: '2025-03-30' });
        expect(result.rows.find((r) => r.key === '2025-03-31')).toMatchObject({ from: '2025-03-31', to: '2025-04-05' });
        // The first week starts before the range: its row is clipped to it.
        expect(result.rows[0]).toMatchObject({ key: '2025-02-24', from: '2025-03-01', to: '2025-03-02' });
      }
    });
  }

  it('agrees with the function’s own report for every period type', () => {
    for (const period of ['day', 'week', 'month'] as const) {
      const engine = run('supervisor', { period });
      const own = t.ok<{ rows: { key: string; readings: number; estimated: number; consumption: number }[] }>('supervisor', 'energy.meterReadings.report', {
        period,
        from: FROM,
        to: TO,
      });
      expect(engine.rows.map((r) => [r.key, r.values.readings, r.values.estimated])).toEqual(own.rows.map((r) => [r.key, r.readings, r.estimated]));
      engine.rows.forEach((r, i) => expectClose(r.values.consumption, own.rows[i]!.consumption));
    }
  });

  it('names the filters as people read them and links to the function’s own list', () => {
    const reader = counted().find((r) => r.readerName === 'Ray Reader')!;
    const result = run('supervisor', { groupBy: 'category', filters: { user: reader.readerId } });
    expect(result.filterLabels).toEqual([{ dimension: 'user', label: 'Reader', value: 'Ray Reader' }]);
    expect(result.listLink).toBe(`/energy/meter-readings?from=${FROM}&to=${TO}&readerId=${reader.readerId}`);
    expectFigures(result.totals, counted().filter((r) => r.readerId === reader.readerId));
  });

  it('refuses unknown drilldowns, reversed and overlong ranges, and unknown reports', () => {
    expect(t.call('supervisor', 'reports.run', { report: 'energy.meterReadings.readings', from: FROM, to: TO, groupBy: 'colour' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'groupBy' }] } },
    });
    expect(t.call('supervisor', 'reports.run', { report: 'energy.meterReadings.readings', from: TO, to: FROM })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(t.call('supervisor', 'reports.run', { report: 'energy.meterReadings.readings', from: '2020-01-01', to: TO })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(t.call('supervisor', 'reports.run', { report: 'energy.nothing.here', from: FROM, to: TO })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
  });
});

describe('drilldowns', () => {
  const SUMS = ['readings', 'estimated', 'skipped', 'exceptions', 'awaitingReview'] as const;

  it('group by every dimension into rows whose totals equal the whole', () => {
    const whole = run('supervisor', {});
    const { reports } = t.ok<{ reports: { key: string; dimensions: { key: string }[] }[] }>('supervisor', 'reports.catalogue', {});
    const dims = reports.find((r) => r.key === 'energy.meterReadings.readings')!.dimensions.map((d) => d.key);
    expect(dims).toEqual(['branch', 'user', 'shift', 'category', 'route', 'readType', 'status']);
    for (const groupBy of dims) {
      const split = run('supervisor', { groupBy });
      for (const m of SUMS) expect([groupBy, m, split.rows.reduce((a, r) => a + (r.values[m] ?? 0), 0)]).toEqual([groupBy, m, whole.totals[m]]);
      expectClose(split.totals.consumption, whole.totals.consumption!);
      expect(split.rows.every((r) => r.label.length > 0)).toBe(true);
    }
    expect(run('supervisor', { groupBy: 'branch' }).rows.map((r) => r.label)).toEqual(['Test Branch']);
  });

  it('drill from a reader into their walks and from a walk down to its readings, each adding up to its parent', () => {
    const byReader = run('supervisor', { groupBy: 'user', period: 'week' });
    expect(byReader.rows.map((r) => r.label).sort()).toEqual(['Ada Admin', 'Ray Reader', 'Sam Supervisor']);
    for (const reader of byReader.rows) {
      const walks = run('supervisor', { groupBy: 'shift', filters: { user: reader.key } });
      for (const m of SUMS) expect(walks.totals[m]).toBe(reader.values[m]);
      expectClose(walks.totals.consumption, reader.values.consumption!);
      for (const walk of walks.rows) {
        const [routeId, day, readerId] = walk.key.split('|');
        expect(readerId).toBe(reader.key);
        const records = t.ok<{ rows: { id: string; link: string | null; values: Record<string, unknown> }[]; total: number; nextCursor: string | null }>(
          'supervisor',
          'reports.records',
          { report: 'energy.meterReadings.readings', from: FROM, to: TO, filters: { user: reader.key, shift: walk.key }, limit: 500 },
        );
        const expected = counted().filter((r) => r.readerId === reader.key && r.readDate === day && r.routeId === routeId);
        expect(records.total).toBe(walk.values.readings);
        expect(records.rows.map((r) => r.id).sort()).toEqual(expected.map((r) => r.id).sort());
        expect(records.rows.every((r) => r.link === `/energy/meter-readings/${r.id}` && r.values.readDate === day)).toBe(true);
      }
    }
  });

  it('pages through records by key without losing or repeating one', () => {
    const ids: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = t.ok<{ rows: { id: string }[]; nextCursor: string | null; total: number }>('reader', 'reports.records', {
        report: 'energy.meterReadings.readings',
        from: FROM,
        to: TO,
        limit: 7,
        ...(cursor ? { cursor } : {}),
      });
      ids.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
      pages += 1;
    } while (cursor);
    expect(pages).toBeGreaterThan(3);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.sort()).toEqual(counted().map((r) => r.id).sort());
    expect(t.call('reader', 'reports.records', { report: 'energy.meterReadings.readings', from: FROM, to: TO, cursor: 'bm90IGEgY3Vyc29y' })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
  });
});

describe('permissions per function', () => {
  it('lets only roles that view the function see its reports, and only exporters export', () => {
    const technician = t.ok<{ reports: { functionKey: string }[] }>('technician', 'reports.catalogue', {});
    expect(technician.reports.filter((r) => r.functionKey === 'energy.meterReadings')).toEqual([]);
    expect(t.call('technician', 'reports.run', { report: 'energy.meterReadings.readings', from: FROM, to: TO })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { permission: 'energy.meterReadings:view' } },
    });
    expect(t.call('technician', 'reports.records', { report: 'energy.meterReadings.readings', from: FROM, to: TO })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const cashier = t.ok<{ reports: { key: string; canExport: boolean }[]; kpis: { functionKey: string; canSetTarget: boolean }[] }>('cashier', 'reports.catalogue', {
      module: 'energy',
    });
    expect(cashier.reports.find((r) => r.key === 'energy.meterReadings.readings')).toMatchObject({ canExport: false });
    expect(cashier.kpis.filter((k) => k.functionKey === 'energy.meterReadings').every((k) => !k.canSetTarget)).toBe(true);
    expect(t.call('cashier', 'reports.export', { report: 'energy.meterReadings.readings', from: FROM, to: TO })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { permission: 'energy.meterReadings:export' } },
    });
    expect(t.ok<{ reports: { module: string }[] }>('cashier', 'reports.catalogue', { module: 'homeServices' }).reports.every((r) => r.module === 'homeServices')).toBe(true);
    expect(run('auditor', { groupBy: 'user' }).totals.readings).toBe(counted().length);
  });
});

describe('targets', () => {
  it('are set by those who approve in the function, journalled, and versioned', () => {
    expect(t.call('reader', 'targets.set', { kpi: 'energy.meterReadings.readings', period: 'month', value: 100, version: 0 })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN', details: { permission: 'energy.meterReadings:approve' } },
    });
    const standing = t.ok<{ id: string; version: number; periodStart: string | null }>('supervisor', 'targets.set', {
      kpi: 'energy.meterReadings.readings',
      period: 'month',
      value: 40,
      version: 0,
      note: 'Two routes, twenty reads a month each',
    });
    expect(standing).toMatchObject({ periodStart: null, version: 1 });
    expect(t.call('supervisor', 'targets.set', { kpi: 'energy.meterReadings.readings', period: 'month', value: 45, version: 0 })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
    expect(t.call('supervisor', 'targets.set', { kpi: 'energy.meterReadings.readings', period: 'week', periodStart: '2025-03-26', value: 5, version: 0 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'periodStart' }] } },
    });
    expect(t.call('supervisor', 'targets.set', { kpi: 'energy.meterReadings.readings', period: 'month', value: 40.5, version: 1 })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'value' }] } },
    });
    const april = t.ok<{ id: string; version: number }>('supervisor', 'targets.set', {
      kpi: 'energy.meterReadings.readings',
      period: 'month',
      periodStart: '2025-04-01',
      value: 30,
      version: 0,
    });
    const events = sqlAll<{ action: string; entity: string }>(t.kernel.db, "SELECT action, entity FROM audit_events WHERE procedure = 'targets.set' ORDER BY seq");
    expect(events).toEqual([
      { action: 'set', entity: 'kpiTarget' },
      { action: 'set', entity: 'kpiTarget' },
    ]);
    const list = t.ok<{ kpi: string; periodStart: string | null; value: number }[]>('reader', 'targets.list', { module: 'energy' });
    expect(list.map((x) => [x.periodStart, x.value])).toEqual([
      [null, 40],
      ['2025-04-01', 30],
    ]);
    expect(t.ok<unknown[]>('technician', 'targets.list', {})).toEqual([]);
    // April has its own target; March falls back to the standing one.
    const april1 = t.ok<Dashboard>('supervisor', 'dashboard.energy.get', { period: 'month', asOf: '2025-04-02' });
    expect(april1.kpis.find((k) => k.key === 'energy.meterReadings.readings')!.target).toBe(30);
    const march = t.ok<Dashboard>('supervisor', 'dashboard.energy.get', { period: 'month', asOf: '2025-03-31' });
    expect(march.kpis.find((k) => k.key === 'energy.meterReadings.readings')!.target).toBe(40);
    expect(t.ok('supervisor', 'targets.set', { kpi: 'energy.meterReadings.readings', period: 'month', periodStart: '2025-04-01', value: null, version: april.version })).toBeNull();
    expect(t.ok<Dashboard>('supervisor', 'dashboard.energy.get', { period: 'month', asOf: '2025-04-02' }).kpis[0]!.target).toBe(40);
  });
});

describe('module dashboard', () => {
  it('shows KPI cards equal to the report for the period so far and the same days before', () => {
    const dash = t.ok<Dashboard>('supervisor', 'dashboard.energy.get', { period: 'week', asOf: '2025-04-02' });
    expect(dash.range).toEqual({ from: '2025-03-31', to: '2025-04-02' });
    expect(dash.previousRange).toEqual({ from: '2025-03-24', to: '2025-03-26' });
    const card = dash.kpis.find((k) => k.key === 'energy.meterReadings.readings')!;
    expect(card.value).toBe(counted('2025-03-31', '2025-04-02').length);
    expect(card.previous).toBe(counted('2025-03-24', '2025-03-26').length);
    expect(card.spark).toHaveLength(14);
    expect(card.spark.at(-1)).toEqual({ date: '2025-04-02', value: counted('2025-04-02', '2025-04-02').length });
    const exceptions = dash.kpis.find((k) => k.key === 'energy.meterReadings.exceptions')!;
    expect(exceptions.value).toBe(counted('2025-03-31', '2025-04-02').filter((r) => r.exceptions.length > 0).length);
    expect(exceptions.goodDirection).toBe('down');
    const month = t.ok<Dashboard>('supervisor', 'dashboard.energy.get', { period: 'month', asOf: '2025-03-30' });
    expect(month.previousRange).toEqual({ from: '2025-02-01', to: '2025-02-28' });
  });

  it('queues approvals waiting for me, exceptions to review and my unfinished walks, with alerts by severity and age', () => {
    const open = allReadings(t, { status: 'exception' });
    // A billing clerk overrides an exception: that needs the supervisor's approval.
    const gated = t.call('billing', 'energy.meterReadings.review', { id: open[0]!.id, version: open[0]!.version, action: 'accept', reason: 'Customer confirmed the pool filling' });
    expect(gated).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });

    const supervisor = t.ok<Dashboard>('supervisor', 'dashboard.energy.get', {});
    expect(supervisor.queue.approvals).toEqual([expect.objectContaining({ kind: 'approval', functionKey: 'energy.meterReadings', actionLabel: 'Decide' })]);
    expect(supervisor.queue.approvals[0]!.link).toMatch(/^\/approvals\?box=waiting&id=/);
    expect(supervisor.queue.totals.approvals).toBe(1);
    const readingExceptions = supervisor.queue.exceptions.filter((e) => e.functionKey === 'energy.meterReadings');
    expect(readingExceptions.length).toBeGreaterThan(0);
    expect(readingExceptions.every((e) => open.some((r) => r.id === e.id) && e.link === `/energy/meter-readings/${e.id}` && e.ageHours >= 0)).toBe(true);
    const alert = supervisor.alerts.find((a) => a.functionKey === 'energy.meterReadings' && a.kind === 'vee')!;
    expect(alert).toMatchObject({ functionKey: 'energy.meterReadings', count: open.length, link: '/energy/meter-readings/review' });
    // The oldest was entered on the clock's "now": not yet 72 hours old, so a warning.
    expect(alert.severity).toBe('warning');

    const billing = t.ok<Dashboard>('billing', 'dashboard.energy.get', {});
    expect(billing.queue.approvals).toEqual([]);
    expect(billing.queue.workflows).toEqual([expect.objectContaining({ kind: 'workflow', actionLabel: 'Follow up' })]);
    expect(billing.queue.totals).toMatchObject({ approvals: 0, workflows: 1 });

    // The reader walked routes this week without reading every meter on them: those walks wait to be continued.
    const reader = t.ok<Dashboard>('reader', 'dashboard.energy.get', { asOf: '2025-04-02' });
    const walks = reader.queue.workflows.filter((w) => w.actionLabel === 'Continue the walk');
    expect(walks.length).toBeGreaterThan(0);
    expect(walks[0]!.link).toMatch(/^\/energy\/meter-readings\/entry\?route=.+&date=2025-0[34]-\d\d$/);
    expect(reader.queue.approvals).toEqual([]);

    // A technician sees none of it: no meter reading rights.
    const technician = t.ok<Dashboard>('technician', 'dashboard.energy.get', {});
    const readingsOnly = <T extends { functionKey: string | null }>(items: T[]) => items.filter((i) => i.functionKey === 'energy.meterReadings');
    expect(readingsOnly(technician.kpis)).toEqual([]);
    expect(readingsOnly(technician.alerts)).toEqual([]);
    expect(readingsOnly(technician.queue.exceptions)).toEqual([]);
    expect(technician.queue.approvals).toEqual([]);
    expect(technician.functions.map((f) => f.key)).not.toContain('energy.meterReadings');
  });

  it('alerts both dashboards to open sync exceptions, for those who look after sync only', () => {
    const before = t.ok<Dashboard>('supervisor', 'dashboard.energy.get', {});
    expect(before.alerts.find((a) => a.functionKey === 'sync')).toMatchObject({ count: 0, severity: 'info', link: '/admin/sync' });
    // Clock: 2025-04-03T08:00Z. One problem two days old (critical), one from an hour ago.
    const add = (id: string, kind: string, at: string, status = 'open') =>
      sqlRun(
        t.kernel.db,
        `INSERT INTO sync_exceptions (id, branch_id, source, kind, dedupe_key, seq, event_id, message, first_seen_at, last_seen_at, status)
         VALUES (?, ?, 'hq', ?, ?, NULL, NULL, ?, ?, ?, ?)`,
        id,
        t.kernel.branch().id,
        kind,
        id,
        `Problem ${id}`,
        at,
        at,
        status,
      );
    add('sx-old', 'event.rejected', '2025-04-01T08:00:00.000Z');
    add('sx-new', 'masterData.unapplied', '2025-04-03T07:00:00.000Z');
    add('sx-done', 'event.rejected', '2025-03-01T08:00:00.000Z', 'resolved');
    for (const module of ['energy', 'homeServices'] as const) {
      const dash = t.ok<Dashboard>('supervisor', `dashboard.${module}.get`, {});
      expect(dash.alerts.find((a) => a.functionKey === 'sync')).toMatchObject({ kind: 'sync', count: 2, severity: 'critical', ageHours: 48, link: '/admin/sync' });
      // Tabs count everything open, not just the few listed.
      expect(dash.queue.totals.exceptions).toBe(dash.alerts.reduce((a, x) => a + x.count, 0));
      expect(dash.queue.totals.exceptions).toBeGreaterThanOrEqual(dash.queue.exceptions.length);
      const items = dash.queue.exceptions.filter((e) => e.functionKey === 'sync');
      expect(items.map((e) => [e.id, e.severity, e.title])).toEqual([
        ['sx-old', 'critical', 'HQ refused an event'],
        ['sx-new', 'warning', 'A master-data change from HQ could not be applied here'],
      ]);
    }
    // A reader has no sync rights: no sync alert, no sync items.
    const reader = t.ok<Dashboard>('reader', 'dashboard.energy.get', {});
    expect(reader.alerts.some((a) => a.functionKey === 'sync')).toBe(false);
    expect(reader.queue.exceptions.some((e) => e.functionKey === 'sync')).toBe(false);
    sqlRun(t.kernel.db, `UPDATE sync_exceptions SET status = 'resolved' WHERE id IN ('sx-old', 'sx-new')`);
  });

  it('lists recent transactions from the journal, filterable, with links to the records', () => {
    const all = t.ok<{ rows: TimelineEvent[]; nextCursor: string | null }>('supervisor', 'dashboard.energy.timeline', { limit: 20 });
    expect(all.rows).toHaveLength(20);
    expect(all.nextCursor).not.toBeNull();
    expect(all.rows[0]!.seq).toBeGreaterThan(all.rows[19]!.seq);
    const byReader = t.ok<{ rows: TimelineEvent[] }>('supervisor', 'dashboard.energy.timeline', {
      functionKey: 'energy.meterReadings',
      actorId: counted().find((r) => r.readerName === 'Ray Reader')!.readerId,
      entity: 'meterReading',
      limit: 100,
    });
    expect(byReader.rows.length).toBeGreaterThan(5);
    expect(byReader.rows.every((e) => e.actorName === 'Ray Reader' && e.link === `/energy/meter-readings/${e.entityId}`)).toBe(true);
    const next = t.ok<{ rows: TimelineEvent[] }>('supervisor', 'dashboard.energy.timeline', { limit: 20, cursor: all.nextCursor! });
    expect(next.rows[0]!.seq).toBeLessThan(all.rows[19]!.seq);
    expect(t.ok<{ rows: unknown[] }>('technician', 'dashboard.energy.timeline', { functionKey: 'energy.meterReadings' }).rows).toEqual([]);
    expect(t.call('supervisor', 'dashboard.energy.timeline', { functionKey: 'homeServices.visits' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(t.ok<{ rows: unknown[] }>('supervisor', 'dashboard.homeServices.timeline', {}).rows).toEqual([]);
  });
});

describe('analytics', () => {
  it('trend: daily values equal the daily report, with a trailing moving average', () => {
    const trend = t.ok<{ points: { date: string; value: number | null; movingAverage: number | null }[]; movingAverageDays: number; total: number }>(
      'supervisor',
      'analytics.trend',
      { kpi: 'energy.meterReadings.readings', window: 30, asOf: '2025-04-02' },
    );
    expect(trend.points).toHaveLength(30);
    expect(trend.points[0]!.date).toBe('2025-03-04');
    const daily = run('supervisor', { from: '2025-02-25', to: '2025-04-02' });
    const byDay = new Map(daily.rows.map((r) => [r.key, r.values.readings!]));
    for (const p of trend.points) expect([p.date, p.value]).toEqual([p.date, byDay.get(p.date)]);
    const week = ['2025-03-27', '2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02'].map((d) => byDay.get(d)!);
    expectClose(trend.points.at(-1)!.movingAverage, week.reduce((a, b) => a + b, 0) / 7, 2);
    expect(trend.total).toBe(counted('2025-03-04', '2025-04-02').length);
  });

  it('variance: each day against the same weekday of the weeks before, and against the target', () => {
    t.ok('supervisor', 'targets.set', { kpi: 'energy.meterReadings.readings', period: 'day', value: 3, version: 0 });
    const result = t.ok<{ rows: { key: string; value: number; baseline: number | null; vsBaseline: { value: number } | null; target: number | null; vsTarget: { value: number; percent: number } | null; targetTone: string }[] }>(
      'supervisor',
      'analytics.variance',
      { kpi: 'energy.meterReadings.readings', period: 'day', periods: 7, baselineWindow: 4, asOf: '2025-04-02' },
    );
    expect(result.rows.map((r) => r.key)).toEqual(['2025-03-27', '2025-03-28', '2025-03-29', '2025-03-30', '2025-03-31', '2025-04-01', '2025-04-02']);
    const count = (d: string) => counted(d, d).length;
    const row = result.rows.find((r) => r.key === '2025-03-29')!;
    const refs = ['2025-03-22', '2025-03-15', '2025-03-08', '2025-03-01'].map(count);
    expectClose(row.baseline, refs.reduce((a, b) => a + b, 0) / 4, 1);
    expect(row.value).toBe(count('2025-03-29'));
    expect(row.target).toBe(3);
    expect(row.vsTarget).toEqual({ value: row.value - 3, percent: ((row.value - 3) / 3) * 100 });
    expect(row.targetTone).toBe(row.value > 3 * 1.05 ? 'good' : row.value < 3 * 0.95 ? 'bad' : 'neutral');
  });

  it('heatmap: exceptions per function × weekday and weekday × hour count every exception raised', () => {
    const raised = readings.flatMap((r) => r.exceptions.map((e) => ({ at: r.createdAt, code: e.code })));
    expect(raised.length).toBeGreaterThan(0);
    const weekdays = t.ok<{ cells: { x: string; y: string; count: number }[]; total: number; x: { key: string }[] }>('supervisor', 'analytics.heatmap', {
      module: 'energy',
      view: 'functionWeekday',
      from: '2025-04-01',
      to: '2025-04-05',
    });
    // The fixed clock entered everything on Thursday 3 April, 10:00 in Berlin.
    expect(weekdays.x.map((x) => x.key)).toEqual(['1', '2', '3', '4', '5', '6', '0']);
    expect(weekdays.total).toBe(raised.length);
    expect(weekdays.cells.find((c) => c.x === '4' && c.y === 'energy.meterReadings')!.count).toBe(raised.length);
    const hours = t.ok<{ cells: { x: string; y: string; count: number }[] }>('supervisor', 'analytics.heatmap', { module: 'energy', view: 'weekdayHour', from: '2025-04-03', to: '2025-04-03' });
    expect(hours.cells.filter((c) => c.count > 0)).toEqual([{ x: '10', y: '4', count: raised.length }]);
    const categories = t.ok<{ cells: { x: string; count: number }[]; y: { label: string }[] }>('supervisor', 'analytics.heatmap', {
      module: 'energy',
      view: 'branchCategory',
      from: '2025-04-01',
      to: '2025-04-05',
    });
    expect(categories.y.map((y) => y.label)).toEqual(['Test Branch']);
    for (const code of new Set(raised.map((r) => r.code))) {
      expect(categories.cells.find((c) => c.x === code)!.count).toBe(raised.filter((r) => r.code === code).length);
    }
    expect(t.ok<{ total: number }>('technician', 'analytics.heatmap', { module: 'energy', from: '2025-04-01', to: '2025-04-05' }).total).toBe(0);
  });

  it('forecast: the next week from the daily history with its interval, backtest error and signal', () => {
    const result = t.ok<{ method: string; points: { date: string; value: number; lower: number; upper: number }[]; nextPeriod: { from: string; to: string }; signal: string; mape: number | null }>(
      'supervisor',
      'analytics.forecast',
      { kpi: 'energy.meterReadings.readings', horizon: 7, history: 63, asOf: '2025-04-02' },
    );
    expect(result.method).toBe('holt-winters');
    expect(result.points.map((p) => p.date)).toEqual(['2025-04-03', '2025-04-04', '2025-04-05', '2025-04-06', '2025-04-07', '2025-04-08', '2025-04-09']);
    expect(result.points.every((p) => p.lower <= p.value && p.value <= p.upper && p.lower >= 0)).toBe(true);
    expect(result.nextPeriod).toMatchObject({ from: '2025-04-03', to: '2025-04-09' });
    expect(['up', 'down', 'flat']).toContain(result.signal);
    expect(t.call('technician', 'analytics.forecast', { kpi: 'energy.meterReadings.readings' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('saved views', () => {
  it('keep report settings per user, shared ones visible to colleagues', () => {
    const saved = t.ok<{ id: string; version: number; mine: boolean }>('supervisor', 'reports.views.save', {
      report: 'energy.meterReadings.readings',
      name: 'Weekly by reader',
      params: { period: 'week', groupBy: 'user', filters: {}, range: { preset: 'thisMonth' } },
      shared: true,
    });
    expect(saved.mine).toBe(true);
    expect(t.call('supervisor', 'reports.views.save', { report: 'energy.meterReadings.readings', name: 'Weekly by reader', params: { period: 'week', groupBy: 'user', filters: {}, range: { preset: 'thisMonth' } } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'name' }] } },
    });
    expect(t.call('supervisor', 'reports.views.save', { report: 'energy.meterReadings.readings', name: 'Odd', params: { period: 'week', groupBy: 'colour', filters: {}, range: { preset: 'thisMonth' } } })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION' },
    });
    expect(t.ok<{ name: string; mine: boolean }[]>('reader', 'reports.views.list', { report: 'energy.meterReadings.readings' })).toEqual([
      expect.objectContaining({ name: 'Weekly by reader', mine: false }),
    ]);
    expect(t.call('reader', 'reports.views.delete', { id: saved.id, version: saved.version })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    t.ok('supervisor', 'reports.views.delete', { id: saved.id, version: saved.version });
    expect(t.ok<unknown[]>('reader', 'reports.views.list', { report: 'energy.meterReadings.readings' })).toEqual([]);
    expect(sqlGet<{ n: number }>(t.kernel.db, "SELECT count(*) AS n FROM audit_events WHERE entity = 'reportView'")!.n).toBe(2);
  });
});
