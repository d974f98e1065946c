import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Asset, Downtime, Part, Schedule, WorkOrder } from '../../src-shared/contracts/energy/maintenance';
import type { CallMeta, RpcResult } from '../../src-shared/rpc';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { ReportingCatalogue } from '../../src-main/reporting/catalogue';
import { listRecords, runReport } from '../../src-main/reporting/engine';
import { FUNCTION_REPORTING } from '../../src-main/reporting/functions';
import { openTestApp, type TestApp } from '../support/app';

/*
 * Equipment maintenance through the real pipeline on a real store: the asset hierarchy, downtime
 * and corrective work, work orders with labour and parts, the cost and retirement approval gates,
 * the stock ledger that never goes below zero, preventive generation (calendar and usage) that
 * creates nothing twice, overdue preventive work, MTBF/MTTR from the downtime log, and reports.
 * The clock is the test's: calls run as the seeded users' principals.
 */

let t: TestApp;
let now = new Date('2026-03-02T06:00:00.000Z');
let siteId: string;
let otherSiteId: string;

beforeAll(() => {
  t = openTestApp({ clock: () => now });
  siteId = ok<{ id: string }>('planner', 'energy.maintenance.sites.create', { code: 'SUB-N', name: 'North substation' }).id;
  otherSiteId = ok<{ id: string }>('planner', 'energy.maintenance.sites.create', { code: 'DEPOT', name: 'Vehicle depot' }).id;
});
afterAll(async () => {
  await t.close();
});

const today = () => now.toISOString().slice(0, 10);
const days = (n: number) => {
  now = new Date(now.getTime() + n * 86_400_000);
};

function call(username: string, procedure: string, input: unknown, meta?: CallMeta): RpcResult<unknown> {
  const user = sqlGet<{ id: string }>(t.kernel.db, 'SELECT id FROM users WHERE username = ?', username)!;
  return dispatch(t.kernel, procedure, input, { principal: loadPrincipal(t.kernel.db, user.id, null), meta });
}

function ok<T>(username: string, procedure: string, input: unknown, meta?: CallMeta): T {
  const answer = call(username, procedure, input, meta);
  if (!answer.ok) throw new Error(`${procedure} as ${username}: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.details ?? {})}`);
  return answer.result as T;
}

/** Asks as `maker`, lets the supervisor approve, and returns what the approved call answered (re-read). */
function approved(maker: string, procedure: string, input: Record<string, unknown>): string {
  const asked = call(maker, procedure, input);
  if (asked.ok || asked.error.code !== 'APPROVAL_REQUIRED') throw new Error(`${procedure} was not gated: ${JSON.stringify(asked)}`);
  const approvalId = asked.error.details!.approvalId as string;
  const approval = ok<{ version: number; status: string }>('supervisor', 'approvals.get', { id: approvalId });
  const decided = ok<{ status: string; executionError: string | null }>('supervisor', 'approvals.decide', { id: approvalId, version: approval.version, decision: 'approve', reason: 'Checked on site' });
  expect(decided, decided.executionError ?? '').toMatchObject({ status: 'executed' });
  return approvalId;
}

let assetNo = 0;
function asset(fields: Record<string, unknown> = {}): Asset {
  assetNo += 1;
  return ok<Asset>('planner', 'energy.maintenance.assets.create', {
    code: `TX-${assetNo}`,
    name: `Transformer ${assetNo}`,
    assetClass: 'transformer',
    siteId,
    inServiceOn: '2024-01-01',
    ...fields,
  });
}

let partNo = 0;
function part(onHand: number, unitCost = 2_500, minQuantity = 0): Part {
  partNo += 1;
  const created = ok<Part>('planner', 'energy.maintenance.parts.create', { code: `P-${partNo}`, name: `Part ${partNo}`, unitCost, minQuantity });
  return onHand > 0 ? ok<Part>('planner', 'energy.maintenance.parts.receive', { id: created.id, quantity: onHand, unitCost, reference: 'GRN-1' }) : created;
}

describe('sites', () => {
  it('renames a site, keeping its code, and refuses a stale rename, an unknown site and a technician', () => {
    const site = ok<{ id: string; code: string; version: number }>('planner', 'energy.maintenance.sites.create', { code: 'PUMP-W', name: 'Wesr pump station' });
    const pump = asset({ assetClass: 'pump', name: 'Booster pump', siteId: site.id });
    const rename = { id: site.id, version: site.version, name: 'West pump station' };

    expect(call('technician', 'energy.maintenance.sites.update', rename)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(call('planner', 'energy.maintenance.sites.update', { ...rename, name: 'W' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'name' }] } } });
    const renamed = ok<{ code: string; name: string; version: number }>('planner', 'energy.maintenance.sites.update', rename);
    expect(renamed).toMatchObject({ code: 'PUMP-W', name: 'West pump station', assetCount: 1, version: site.version + 1 });
    // The site's assets show it by its new name; their codes and the site's code are untouched.
    expect(ok<{ asset: Asset }>('technician', 'energy.maintenance.assets.get', { id: pump.id }).asset).toMatchObject({ code: pump.code, siteCode: 'PUMP-W', siteName: 'West pump station' });

    // A second dialog still holding the old version would overwrite the first rename unseen.
    expect(call('planner', 'energy.maintenance.sites.update', { ...rename, name: 'East pump station' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(call('planner', 'energy.maintenance.sites.update', { ...rename, id: 'no-such-site' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The code is not an input: it cannot be changed through a rename.
    expect(call('planner', 'energy.maintenance.sites.update', { ...rename, version: renamed.version, code: 'PUMP-E' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const history = ok<{ rows: { action: string; before: { name: string } | null; after: { name: string } }[] }>('admin', 'audit.list', { entity: 'maintenanceSite', entityId: site.id });
    expect(history.rows[0]).toMatchObject({ action: 'updated', before: { name: 'Wesr pump station' }, after: { name: 'West pump station' } });
  });
});

describe('assets', () => {
  it('builds a hierarchy at a site and refuses parents elsewhere or below the asset itself', () => {
    const parent = asset({ name: 'Main transformer' });
    const child = asset({ assetClass: 'pump', name: 'Cooling pump', parentId: parent.id });
    expect(child).toMatchObject({ parentId: parent.id, parentCode: parent.code, siteCode: 'SUB-N', status: 'operational' });
    expect(call('planner', 'energy.maintenance.assets.create', { code: 'VAN-1', name: 'Van', assetClass: 'vehicle', siteId: otherSiteId, parentId: parent.id, inServiceOn: '2024-01-01' })).toMatchObject({
      ok: false,
      error: { details: { rule: 'asset.parentOtherSite' } },
    });
    expect(call('planner', 'energy.maintenance.assets.update', { id: parent.id, version: parent.version, parentId: child.id })).toMatchObject({
      ok: false,
      error: { details: { rule: 'asset.parentCycle' } },
    });
    const detail = ok<{ children: Asset[] }>('technician', 'energy.maintenance.assets.get', { id: parent.id });
    expect(detail.children.map((c) => c.id)).toEqual([child.id]);
  });

  it('retires only with a second person’s approval, and only once its work is done', () => {
    const retiring = asset();
    const schedule = ok<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: retiring.id, title: 'Oil test', kind: 'calendar', intervalDays: 90, startOn: '2026-06-01' });
    const work = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.create', { assetId: retiring.id, title: 'Inspect bushings' });
    expect(call('planner', 'energy.maintenance.assets.retire', { id: retiring.id, version: retiring.version, retiredOn: today(), reason: 'Replaced by a larger unit' })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'asset.openWork' } },
    });
    ok('supervisor', 'energy.maintenance.workOrders.cancel', { id: work.id, version: work.version, reason: 'Unit is being replaced' });
    approved('planner', 'energy.maintenance.assets.retire', { id: retiring.id, version: retiring.version, retiredOn: today(), reason: 'Replaced by a larger unit' });
    const after = ok<{ asset: Asset; schedules: Schedule[] }>('planner', 'energy.maintenance.assets.get', { id: retiring.id });
    expect(after.asset).toMatchObject({ status: 'retired', retiredOn: today() });
    expect(after.schedules.find((s) => s.id === schedule.id)).toMatchObject({ active: false });
    expect(call('planner', 'energy.maintenance.workOrders.create', { assetId: retiring.id, title: 'Too late' })).toMatchObject({ ok: false, error: { details: { rule: 'asset.retired' } } });
  });
});

describe('a breakdown repaired under a corrective work order', () => {
  it('takes the asset down, books labour and parts, and brings it back on completion', () => {
    const pump = asset({ assetClass: 'pump', name: 'Raw water pump', code: 'PUMP-7' });
    const seals = part(10, 4_000);
    const stop = ok<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId: pump.id, reason: 'breakdown', notes: 'Seal leaking', raiseWorkOrder: true });
    expect(stop).toMatchObject({ failure: true, endedAt: null, workOrderNo: expect.stringMatching(/^WO-/) });
    expect(ok<{ asset: Asset }>('technician', 'energy.maintenance.assets.get', { id: pump.id }).asset).toMatchObject({ status: 'down', openDowntimeId: stop.id });
    expect(call('technician', 'energy.maintenance.downtime.start', { assetId: pump.id, reason: 'breakdown' })).toMatchObject({ ok: false, error: { details: { rule: 'downtime.alreadyDown' } } });

    let wo = ok<{ workOrder: WorkOrder }>('technician', 'energy.maintenance.workOrders.get', { id: stop.workOrderId }).workOrder;
    expect(wo).toMatchObject({ type: 'corrective', status: 'open', title: 'Breakdown: Raw water pump' });
    expect(call('technician', 'energy.maintenance.workOrders.complete', { id: wo.id, version: wo.version, completionNotes: 'x'.repeat(5) })).toMatchObject({
      ok: false,
      error: { details: { rule: 'workOrder.complete' } },
    });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 2.5, workedOn: today() });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.issuePart', { id: wo.id, partId: seals.id, quantity: 2 });
    expect(wo).toMatchObject({ status: 'in_progress', labourHours: 2.5, labourCost: 87_500, partsCost: 8_000, totalCost: 95_500 });

    now = new Date(now.getTime() + 3 * 3_600_000);
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.complete', { id: wo.id, version: wo.version, completionNotes: 'Replaced both seals, tested under load' });
    expect(wo.status).toBe('completed');
    const detail = ok<{ asset: Asset; downtime: Downtime[] }>('technician', 'energy.maintenance.assets.get', { id: pump.id });
    expect(detail.asset.status).toBe('operational');
    expect(detail.downtime[0]).toMatchObject({ id: stop.id, hours: 3, workOrderId: wo.id });
    expect(ok<{ part: Part }>('technician', 'energy.maintenance.parts.get', { id: seals.id }).part.onHand).toBe(8);

    // Work can be assigned to anyone whose role works on work orders, and nobody else.
    const staff = ok<{ displayName: string }[]>('planner', 'energy.maintenance.staff', {}).map((u) => u.displayName);
    expect(staff).toEqual(expect.arrayContaining(['Tom Technician', 'Pia Planner']));
    expect(staff).not.toContain('Cara Cashier');

    // The technician completes; closing (accepting the cost) is the planner's.
    expect(call('technician', 'energy.maintenance.workOrders.close', { id: wo.id, version: wo.version })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const closed = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.close', { id: wo.id, version: wo.version });
    expect(closed.status).toBe('closed');
    const statuses = ok<{ timeline: { toStatus: string }[] }>('planner', 'energy.maintenance.workOrders.get', { id: wo.id }).timeline.map((e) => e.toStatus);
    expect(statuses).toEqual(['open', 'in_progress', 'completed', 'closed']);
  });

  it('needs approval to close above the cost threshold', () => {
    const unit = asset();
    const cable = part(100, 20_000);
    let wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.create', { assetId: unit.id, title: 'Rewire LV side' });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.issuePart', { id: wo.id, partId: cable.id, quantity: 30 });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.complete', { id: wo.id, version: wo.version, completionNotes: 'Rewired and tested' });
    expect(wo.totalCost).toBe(600_000);
    const asked = call('planner', 'energy.maintenance.workOrders.close', { id: wo.id, version: wo.version });
    expect(asked).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect(ok<{ workOrder: WorkOrder }>('planner', 'energy.maintenance.workOrders.get', { id: wo.id }).workOrder.status).toBe('completed');
    approved('planner', 'energy.maintenance.workOrders.close', { id: wo.id, version: wo.version });
    expect(ok<{ workOrder: WorkOrder }>('planner', 'energy.maintenance.workOrders.get', { id: wo.id }).workOrder.status).toBe('closed');
  });

  it('holds and resumes work, and will not cancel work with bookings', () => {
    const unit = asset();
    let wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.create', { assetId: unit.id, title: 'Replace breather' });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.hold', { id: wo.id, version: wo.version, reason: 'Waiting for silica gel' });
    expect(wo).toMatchObject({ status: 'on_hold', holdReason: 'Waiting for silica gel' });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 0.75, workedOn: today() });
    expect(call('supervisor', 'energy.maintenance.workOrders.cancel', { id: wo.id, version: wo.version, reason: 'Not needed' })).toMatchObject({
      ok: false,
      error: { details: { rule: 'workOrder.hasBookings' } },
    });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    expect(wo).toMatchObject({ status: 'in_progress', holdReason: null });
    expect(call('technician', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 0.3, workedOn: today() })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });
});

describe('stock ledger', () => {
  it('moves the average cost with receipts and never issues below zero without an approved adjustment', () => {
    const fuses = part(10, 100, 5);
    const received = ok<Part>('planner', 'energy.maintenance.parts.receive', { id: fuses.id, quantity: 30, unitCost: 140 });
    expect(received).toMatchObject({ onHand: 40, unitCost: 130, stockValue: 5_200, low: false });

    const unit = asset();
    let wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.create', { assetId: unit.id, title: 'Refuse LV board' });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    const refused = call('technician', 'energy.maintenance.workOrders.issuePart', { id: wo.id, partId: fuses.id, quantity: 41 });
    expect(refused).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'stock.insufficient', onHand: 40, issues: [{ path: 'quantity' }] } } });
    ok('technician', 'energy.maintenance.workOrders.issuePart', { id: wo.id, partId: fuses.id, quantity: 36 });
    const low = ok<{ part: Part }>('planner', 'energy.maintenance.parts.get', { id: fuses.id }).part;
    expect(low).toMatchObject({ onHand: 4, low: true });
    expect(ok<{ rows: Part[]; lowCount: number }>('planner', 'energy.maintenance.parts.list', { low: true }).rows.map((p) => p.id)).toContain(fuses.id);

    // A count finds 12 on the shelf: the adjustment waits for the supervisor.
    const asked = call('planner', 'energy.maintenance.parts.adjust', { id: fuses.id, version: low.version, countedQuantity: 12, reason: 'Stock count 2 March' });
    expect(asked).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect(ok<{ part: Part }>('planner', 'energy.maintenance.parts.get', { id: fuses.id }).part.onHand).toBe(4);
    approved('planner', 'energy.maintenance.parts.adjust', { id: fuses.id, version: low.version, countedQuantity: 12, reason: 'Stock count 2 March' });
    const ledger = ok<{ part: Part; ledger: { kind: string; quantity: number; balanceAfter: number }[] }>('planner', 'energy.maintenance.parts.get', { id: fuses.id });
    expect(ledger.part.onHand).toBe(12);
    expect(ledger.ledger.map((m) => [m.kind, m.quantity, m.balanceAfter])).toEqual([
      ['adjustment', 8, 12],
      ['issue', -36, 4],
      ['receipt', 30, 40],
      ['receipt', 10, 10],
    ]);
    // The ledger and the stock agree, and the store itself refuses a negative balance.
    const sum = sqlGet<{ q: number }>(t.kernel.db, 'SELECT sum(quantity) AS q FROM part_movements WHERE part_id = ?', fuses.id)!.q;
    expect(sum).toBe(12);
    expect(() => sqlRun(t.kernel.db, 'UPDATE parts SET on_hand = -1 WHERE id = ?', fuses.id)).toThrow(/CHECK/);
  });
});

describe('preventive maintenance generation', () => {
  it('creates the calendar occurrences within the horizon, and nothing more when run twice', () => {
    const unit = asset();
    const start = new Date(now.getTime() + 3 * 86_400_000).toISOString().slice(0, 10);
    const schedule = ok<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: unit.id, title: 'Weekly visual inspection', kind: 'calendar', intervalDays: 7, startOn: start });
    const first = ok<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', { horizonDays: 14 });
    const mine = first.created.filter((w) => w.scheduleId === schedule.id);
    expect(mine.map((w) => w.dueOn)).toEqual([start, new Date(Date.parse(start) + 7 * 86_400_000).toISOString().slice(0, 10)]);
    expect(mine.every((w) => w.type === 'preventive' && w.status === 'open' && w.title === 'Weekly visual inspection')).toBe(true);

    const second = ok<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', { horizonDays: 14 });
    expect(second.created).toEqual([]);
    expect(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM work_orders WHERE schedule_id = ?', schedule.id)!.n).toBe(2);
    // The journal shows both runs, even the one that found nothing due.
    expect(sqlGet<{ n: number }>(t.kernel.db, `SELECT count(*) AS n FROM audit_events WHERE entity = 'pmGeneration'`)!.n).toBeGreaterThanOrEqual(2);
  });

  it('projects usage schedules at the recent rate, and creates nothing twice', () => {
    const truck = ok<Asset>('planner', 'energy.maintenance.assets.create', { code: 'TRK-1', name: 'Crane truck', assetClass: 'vehicle', siteId: otherSiteId, inServiceOn: '2024-01-01', usageUnit: 'h' });
    const monthAgo = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
    ok('technician', 'energy.maintenance.assets.recordUsage', { id: truck.id, value: 1_000, readOn: monthAgo });
    ok('technician', 'energy.maintenance.assets.recordUsage', { id: truck.id, value: 1_300, readOn: today() });
    expect(call('technician', 'energy.maintenance.assets.recordUsage', { id: truck.id, value: 1_200, readOn: today() })).toMatchObject({ ok: false, error: { details: { rule: 'usage.decreasing' } } });
    // 10 hours a day: the service at 1,400 h falls in 10 days, inside a 14-day horizon; the one at 1,900 h does not.
    const schedule = ok<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: truck.id, title: '500-hour service', kind: 'usage', intervalUsage: 500, firstDueUsage: 1_400 });
    const first = ok<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', { horizonDays: 14 });
    const mine = first.created.filter((w) => w.scheduleId === schedule.id);
    expect(mine.map((w) => w.dueOn)).toEqual([new Date(now.getTime() + 10 * 86_400_000).toISOString().slice(0, 10)]);
    expect(ok<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', { horizonDays: 14 }).created).toEqual([]);
    expect(ok<Schedule[]>('planner', 'energy.maintenance.schedules.list', { assetId: truck.id })[0]).toMatchObject({ nextDueUsage: 1_900 });
  });

  it('shows preventive work past its due date as overdue on the dashboard', () => {
    const unit = asset();
    const schedule = ok<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: unit.id, title: 'Silica gel check', kind: 'calendar', intervalDays: 30, startOn: today() });
    const [wo] = ok<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', { horizonDays: 0 }).created.filter((w) => w.scheduleId === schedule.id);
    expect(wo!.overdue).toBe(false);
    days(2);
    const dashboard = ok<{ kpis: { overduePm: number; backlog: number }; overdue: WorkOrder[] }>('planner', 'energy.maintenance.dashboard', {});
    expect(dashboard.overdue.map((w) => w.id)).toContain(wo!.id);
    expect(dashboard.kpis.overduePm).toBeGreaterThanOrEqual(1);
    const listed = ok<{ rows: WorkOrder[] }>('planner', 'energy.maintenance.workOrders.list', { overdue: true, type: 'preventive' });
    expect(listed.rows.find((w) => w.id === wo!.id)).toMatchObject({ overdue: true });
  });
});

describe('reliability', () => {
  it('reproduces DOMAIN.md through the downtime log: in service 1 Jan 2024, failures 14 Feb and 1 May → MTBF 60.5 days', () => {
    const pump = ok<Asset>('planner', 'energy.maintenance.assets.create', { code: 'ODOO-1', name: 'Odoo pump', assetClass: 'pump', siteId, inServiceOn: '2024-01-01' });
    for (const [start, end] of [
      ['2024-02-14T08:00:00+02:00', '2024-02-14T11:00:00+02:00'],
      ['2024-05-01T06:00:00+02:00', '2024-05-01T11:00:00+02:00'],
    ] as const) {
      const stop = ok<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId: pump.id, reason: 'breakdown', startedAt: start });
      ok('technician', 'energy.maintenance.downtime.end', { id: stop.id, version: stop.version, endedAt: end });
    }
    // A planned stop is downtime but no failure.
    const planned = ok<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId: pump.id, reason: 'planned_maintenance', startedAt: '2024-06-01T08:00:00+02:00' });
    ok('technician', 'energy.maintenance.downtime.end', { id: planned.id, version: planned.version, endedAt: '2024-06-01T10:00:00+02:00' });

    const detail = ok<{ reliability: { failures: number; mtbfDays: number; repairs: number; mttrHours: number; downtimeHours: number } }>('planner', 'energy.maintenance.assets.get', { id: pump.id });
    expect(detail.reliability).toEqual({ failures: 2, mtbfDays: 60.5, repairs: 2, mttrHours: 4, downtimeHours: 10 });
    const rows = ok<{ byAsset: { key: string; mtbfDays: number | null }[]; byClass: { key: string; failures: number }[] }>('planner', 'energy.maintenance.reliability', { assetClass: 'pump' });
    expect(rows.byAsset.find((r) => r.key === pump.id)).toMatchObject({ mtbfDays: 60.5 });
    expect(rows.byClass.map((r) => r.key)).toEqual(['pump']);
  });

  it('lets a supervisor correct a mis-logged stop: MTTR and downtime follow, both versions are journalled, overlaps are refused', () => {
    const pump = ok<Asset>('planner', 'energy.maintenance.assets.create', { code: 'FIX-1', name: 'Booster pump', assetClass: 'pump', siteId, inServiceOn: '2025-01-01' });
    const stops = (
      [
        ['2025-03-01T08:00:00Z', '2025-03-01T10:00:00Z'],
        ['2025-04-01T08:00:00Z', '2025-04-01T09:00:00Z'],
      ] as const
    ).map(([start, end]) => {
      const opened = ok<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId: pump.id, reason: 'breakdown', startedAt: start });
      return ok<Downtime>('technician', 'energy.maintenance.downtime.end', { id: opened.id, version: opened.version, endedAt: end });
    });
    const reliability = () => ok<{ reliability: { mttrHours: number; downtimeHours: number; failures: number } }>('planner', 'energy.maintenance.assets.get', { id: pump.id }).reliability;
    expect(reliability()).toMatchObject({ failures: 2, mttrHours: 1.5, downtimeHours: 3 });

    // The second stop was typed as 09:00 instead of 13:00.
    const second = stops[1]!;
    const fix = { id: second.id, version: second.version, reason: 'breakdown', startedAt: second.startedAt, endedAt: '2025-04-01T13:00:00Z', correction: 'End time mistyped on the job card' };
    expect(call('technician', 'energy.maintenance.downtime.correct', fix)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const corrected = ok<Downtime>('supervisor', 'energy.maintenance.downtime.correct', fix);
    expect(corrected).toMatchObject({ endedAt: '2025-04-01T13:00:00.000Z', hours: 5 });
    expect(reliability()).toMatchObject({ failures: 2, mttrHours: 3.5, downtimeHours: 7 });
    const journal = sqlGet<{ action: string; reason: string; before_json: string; after_json: string }>(
      t.kernel.db,
      "SELECT action, reason, before_json, after_json FROM audit_events WHERE entity_id = ? ORDER BY seq DESC LIMIT 1",
      second.id,
    )!;
    expect(journal).toMatchObject({ action: 'corrected', reason: 'End time mistyped on the job card' });
    expect([JSON.parse(journal.before_json).endedAt, JSON.parse(journal.after_json).endedAt]).toEqual(['2025-04-01T09:00:00.000Z', '2025-04-01T13:00:00.000Z']);

    // Re-classed as planned, it is downtime but no longer a failure.
    const planned = ok<Downtime>('supervisor', 'energy.maintenance.downtime.correct', { ...fix, version: corrected.version, reason: 'planned_maintenance', correction: 'It was the planned overhaul' });
    expect(planned.failure).toBe(false);
    expect(reliability()).toMatchObject({ failures: 1, downtimeHours: 7 });

    // A correction may not run into the stop before it, nor reopen a stop; a stale version is a conflict.
    const overlap = call('supervisor', 'energy.maintenance.downtime.correct', { ...fix, version: planned.version, startedAt: '2025-03-01T09:00:00Z', correction: 'Started earlier' });
    expect(overlap).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { issues: [{ path: 'startedAt' }] } } });
    const reopen = call('supervisor', 'energy.maintenance.downtime.correct', { ...fix, version: planned.version, endedAt: null, correction: 'Still down' });
    expect(reopen).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { issues: [{ path: 'endedAt' }] } } });
    expect(call('supervisor', 'energy.maintenance.downtime.correct', { ...fix, correction: 'Stale screen' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});

describe('report and export', () => {
  it('counts work orders by type, closures, downtime, labour and parts per period, with backlog and stock value', async () => {
    const from = '2026-03-01';
    const to = today();
    const report = ok<{
      rows: { opened: number; closed: number; partsUsedValue: number; labourHours: number }[];
      totals: { opened: number; openedCorrective: number; openedPreventive: number; closed: number; partsUsedValue: number; labourHours: number; failures: number };
      backlog: number;
      overduePm: number;
      stockValue: number;
      reliability: { key: string }[];
    }>('supervisor', 'energy.maintenance.report', { from, to, period: 'week' });
    const db = t.kernel.db;
    const expected = sqlGet<{ opened: number; corrective: number; closed: number }>(
      db,
      `SELECT count(*) AS opened, sum(type = 'corrective') AS corrective, count(closed_at) AS closed FROM work_orders`,
    )!;
    expect(report.totals).toMatchObject({ opened: expected.opened, openedCorrective: expected.corrective, openedPreventive: expected.opened - expected.corrective, closed: expected.closed });
    expect(report.totals.partsUsedValue).toBe(-sqlGet<{ v: number }>(db, `SELECT sum(value) AS v FROM part_movements WHERE kind = 'issue'`)!.v);
    expect(report.totals.labourHours).toBe(sqlGet<{ h: number }>(db, 'SELECT sum(hours) AS h FROM work_order_labour')!.h);
    // The 2024 failures fall outside the range; this month's breakdown is inside.
    expect(report.totals.failures).toBe(1);
    expect(report.backlog).toBe(sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM work_orders WHERE status IN ('open','in_progress','on_hold')`)!.n);
    expect(report.stockValue).toBe(sqlGet<{ v: number }>(db, 'SELECT sum(on_hand * unit_cost) AS v FROM parts')!.v);
    expect(report.rows.reduce((s, r) => s + r.opened, 0)).toBe(report.totals.opened);
    expect(report.reliability.map((r) => r.key).sort()).toEqual(['pump', 'transformer', 'vehicle']);

    const bySite = ok<{ rows: { key: string }[] }>('supervisor', 'energy.maintenance.report', { from, to, groupBy: 'site' });
    expect(bySite.rows.map((r) => r.key).sort()).toEqual([otherSiteId, siteId].sort());

    const { jobId } = ok<{ jobId: string }>('supervisor', 'energy.maintenance.export', { from, to, period: 'week' });
    const job = await t.kernel.jobs.settled(jobId);
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded' });
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(t.dataDir, (job.result as { file: { path: string } }).file.path));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Reliability', 'Work orders']);
    expect(workbook.getWorksheet('Work orders')!.rowCount).toBe(4 + expected.opened);
    expect(sqlAll(db, `SELECT 1 FROM audit_events WHERE procedure = 'energy.maintenance.export'`)).toHaveLength(1);
  });
});

describe('in the report engine (module dashboard, reports.run)', () => {
  it('runs both reports by every drilldown and lists overdue preventive work, assets down and low stock', () => {
    const catalogue = new ReportingCatalogue(FUNCTION_REPORTING);
    const branch = t.kernel.branch();
    const scope = { from: '2024-01-01', to: today(), filters: {} };
    const workOrders = catalogue.report('energy.maintenance.workOrders');
    const all = runReport(t.kernel.db, branch, workOrders, { ...scope, period: 'month', groupBy: 'period' });
    expect(all.totals.opened).toBe(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM work_orders')!.n);
    expect(all.totals.totalCost).toBe(sqlGet<{ c: number }>(t.kernel.db, 'SELECT sum(labour_cost + parts_cost) AS c FROM work_orders')!.c);
    for (const dimension of workOrders.dimensions) {
      expect([dimension.key, runReport(t.kernel.db, branch, workOrders, { ...scope, period: 'month', groupBy: dimension.key }).totals.opened]).toEqual([dimension.key, all.totals.opened]);
    }
    const downtime = catalogue.report('energy.maintenance.downtime');
    const pumps = runReport(t.kernel.db, branch, downtime, { ...scope, period: 'month', groupBy: 'asset', filters: { asset: sqlGet<{ id: string }>(t.kernel.db, "SELECT id FROM assets WHERE code = 'ODOO-1'")!.id } });
    expect(pumps.totals).toMatchObject({ stops: 3, failures: 2, repairs: 2, mttr: 4, downtimeHours: 10 });
    expect(listRecords(t.kernel.db, branch, downtime, { ...scope, limit: 50 }).rows.length).toBeGreaterThan(3);

    const sources = catalogue.functions.find((f) => f.functionKey === 'energy.maintenance')!.exceptions;
    const clock = { now, nowIso: now.toISOString(), today: today(), timeZone: branch.timeZone };
    const lowStock = sources.find((s) => s.kind === 'lowStock')!.open(t.kernel.db, 10, clock);
    expect(lowStock.total).toBe(ok<{ lowCount: number }>('planner', 'energy.maintenance.parts.list', {}).lowCount);
    const overdue = sources.find((s) => s.kind === 'overduePm')!.open(t.kernel.db, 50, clock);
    const listed = ok<{ rows: WorkOrder[] }>('planner', 'energy.maintenance.workOrders.list', { overdue: true, type: 'preventive', limit: 500 });
    expect(overdue.total).toBe(listed.rows.length);
    expect(overdue.total).toBeGreaterThan(0);
    expect(sources.find((s) => s.kind === 'assetDown')!.open(t.kernel.db, 10, clock).total).toBe(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM asset_downtime WHERE ended_at IS NULL')!.n);
  });
});

describe('planning the work', () => {
  const userId = (username: string) => sqlGet<{ id: string }>(t.kernel.db, 'SELECT id FROM users WHERE username = ?', username)!.id;

  it('assigns, re-prioritises and re-dates unfinished work to maintenance staff only, each change audited', () => {
    const unit = asset();
    let wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.create', { assetId: unit.id, title: 'Tighten LV terminations' });
    expect(wo.assignedTo).toBeNull();
    const due = new Date(now.getTime() + 5 * 86_400_000).toISOString().slice(0, 10);
    wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.update', { id: wo.id, version: wo.version, assignedTo: userId('technician'), priority: 'high', dueOn: due });
    expect(wo).toMatchObject({ assignedToName: 'Tom Technician', priority: 'high', dueOn: due });
    // The technician's own queue is a filter away.
    const mine = ok<{ rows: WorkOrder[] }>('technician', 'energy.maintenance.workOrders.list', { assignedTo: userId('technician'), unfinished: true, limit: 500 });
    expect(mine.rows.map((w) => w.id)).toContain(wo.id);
    expect(mine.rows.every((w) => w.assignedTo === userId('technician'))).toBe(true);

    // Nobody outside the maintenance staff: a cashier cannot be given the job, and the field says why.
    expect(call('planner', 'energy.maintenance.workOrders.update', { id: wo.id, version: wo.version, assignedTo: userId('cashier') })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'workOrder.notStaff', issues: [{ path: 'assignedTo' }] } },
    });
    expect(call('planner', 'energy.maintenance.workOrders.update', { id: wo.id, version: wo.version - 1, priority: 'low' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.update', { id: wo.id, version: wo.version, assignedTo: null });
    expect(wo.assignedTo).toBeNull();
    const audit = sqlAll<{ action: string }>(t.kernel.db, `SELECT action FROM audit_events WHERE entity = 'workOrder' AND entity_id = ? ORDER BY seq`, wo.id).map((a) => a.action);
    expect(audit).toEqual(['created', 'updated', 'updated']);

    // Finished work keeps what it was done under.
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
    wo = ok<WorkOrder>('technician', 'energy.maintenance.workOrders.complete', { id: wo.id, version: wo.version, completionNotes: 'All terminations torqued' });
    expect(call('planner', 'energy.maintenance.workOrders.update', { id: wo.id, version: wo.version, priority: 'low' })).toMatchObject({
      ok: false,
      error: { details: { rule: 'workOrder.finished' } },
    });
  });

  it('books labour for the technician who worked it, at their name, never for someone outside the staff', () => {
    const unit = asset();
    let wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.create', { assetId: unit.id, title: 'Replace fan bearings' });
    wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 1.5, workedOn: today(), userId: userId('technician') });
    wo = ok<WorkOrder>('planner', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 0.5, workedOn: today() });
    expect(wo.labourHours).toBe(2);
    const labour = ok<{ labour: { userName: string; hours: number }[] }>('planner', 'energy.maintenance.workOrders.get', { id: wo.id }).labour;
    expect(labour.map((l) => [l.userName, l.hours]).sort()).toEqual([
      ['Pia Planner', 0.5],
      ['Tom Technician', 1.5],
    ]);
    expect(call('planner', 'energy.maintenance.workOrders.logLabour', { id: wo.id, hours: 1, workedOn: today(), userId: userId('cashier') })).toMatchObject({
      ok: false,
      error: { details: { rule: 'workOrder.notStaff', issues: [{ path: 'userId' }] } },
    });
  });

  it('raises a part’s minimum to put it on the reorder list, without touching its stock; technicians cannot', () => {
    const filters = part(6, 1_500, 2);
    const lowIds = () => ok<{ rows: Part[] }>('planner', 'energy.maintenance.parts.list', { low: true }).rows.map((p) => p.id);
    expect(lowIds()).not.toContain(filters.id);
    expect(call('technician', 'energy.maintenance.parts.update', { id: filters.id, version: filters.version, minQuantity: 0 })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const updated = ok<Part>('planner', 'energy.maintenance.parts.update', { id: filters.id, version: filters.version, minQuantity: 8, name: 'Oil filter (Hilux)' });
    expect(updated).toMatchObject({ minQuantity: 8, name: 'Oil filter (Hilux)', onHand: 6, unitCost: 1_500, low: true });
    expect(lowIds()).toContain(filters.id);
    expect(ok<{ ledger: unknown[] }>('planner', 'energy.maintenance.parts.get', { id: filters.id }).ledger).toHaveLength(1);
    expect(call('planner', 'energy.maintenance.parts.update', { id: filters.id, version: filters.version, minQuantity: 1 })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(sqlAll<{ action: string }>(t.kernel.db, `SELECT action FROM audit_events WHERE entity = 'part' AND entity_id = ? ORDER BY seq`, filters.id).map((a) => a.action)).toEqual([
      'created',
      'received',
      'updated',
    ]);
  });

  it('lists the work orders behind each day of the report (raised that day in the branch calendar)', () => {
    const from = '2026-03-01';
    const report = ok<{ rows: { key: string; opened: number }[]; totals: { opened: number } }>('planner', 'energy.maintenance.report', { from, to: today(), period: 'day' });
    const busy = report.rows.filter((r) => r.opened > 0);
    expect(busy.length).toBeGreaterThan(1);
    for (const row of busy) {
      const listed = ok<{ total: number }>('planner', 'energy.maintenance.workOrders.list', { from: row.key, to: row.key });
      expect([row.key, listed.total]).toEqual([row.key, row.opened]);
    }
    expect(ok<{ total: number }>('planner', 'energy.maintenance.workOrders.list', { from, to: today() }).total).toBe(report.totals.opened);
    expect(call('planner', 'energy.maintenance.workOrders.list', { from: '1 March' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('changes a schedule’s interval from its next occurrence on, and refuses a field of the other kind', () => {
    const unit = asset();
    const start = today();
    let schedule = ok<Schedule>('planner', 'energy.maintenance.schedules.create', { assetId: unit.id, title: 'Oil sample', kind: 'calendar', intervalDays: 30, startOn: start });
    schedule = ok<Schedule>('planner', 'energy.maintenance.schedules.update', { id: schedule.id, version: schedule.version, intervalDays: 10, title: 'Oil sample and DGA', priority: 'high' });
    expect(schedule).toMatchObject({ intervalDays: 10, title: 'Oil sample and DGA', priority: 'high', nextDueOn: start });
    const created = ok<{ created: WorkOrder[] }>('planner', 'energy.maintenance.generatePm', { horizonDays: 14 }).created.filter((w) => w.scheduleId === schedule.id);
    const plus10 = new Date(Date.parse(start) + 10 * 86_400_000).toISOString().slice(0, 10);
    expect(created.map((w) => [w.dueOn, w.title, w.priority])).toEqual([
      [start, 'Oil sample and DGA', 'high'],
      [plus10, 'Oil sample and DGA', 'high'],
    ]);
    schedule = ok<Schedule[]>('planner', 'energy.maintenance.schedules.list', { assetId: unit.id })[0]!;
    expect(call('planner', 'energy.maintenance.schedules.update', { id: schedule.id, version: schedule.version, intervalUsage: 500 })).toMatchObject({
      ok: false,
      error: { details: { rule: 'schedule.wrongKind', issues: [{ path: 'intervalUsage' }] } },
    });
  });
});
