import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServiceOrder } from '../../src-shared/contracts/energy/installations';
import type { Reading } from '../../src-shared/contracts/energy/meter-readings';
import type { CallMeta, RpcResult } from '../../src-shared/rpc';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { sqlAll, sqlGet } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { ReportingCatalogue } from '../../src-main/reporting/catalogue';
import { listRecords, runReport } from '../../src-main/reporting/engine';
import { FUNCTION_REPORTING } from '../../src-main/reporting/functions';
import { openTestApp, type TestApp } from '../support/app';

/*
 * Service installation tracking through the real pipeline on a real store: the stage gates
 * (required fields and checklists), the approval gate, the service-level clock with its pauses,
 * commissioning that makes a billable account with its first read, cancellation, reports and the
 * export. The clock is the test's: calls run as the seeded users' principals, so moving time by
 * days does not end their sessions.
 */

let t: TestApp;
let now = new Date('2026-03-02T06:00:00.000Z');
let routeId: string;

beforeAll(() => {
  t = openTestApp({ clock: () => now });
  routeId = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: 'INS', name: 'Installations route' }).id;
});
afterAll(async () => {
  await t.close();
});

const hours = (n: number) => {
  now = new Date(now.getTime() + n * 3_600_000);
};

function call(username: string, procedure: string, input: unknown, meta?: CallMeta): RpcResult<unknown> {
  const user = sqlGet<{ id: string }>(t.kernel.db, 'SELECT id FROM users WHERE username = ?', username)!;
  return dispatch(t.kernel, procedure, input, { principal: loadPrincipal(t.kernel.db, user.id, null), meta });
}

function ok<T = ServiceOrder>(username: string, procedure: string, input: unknown, meta?: CallMeta): T {
  const answer = call(username, procedure, input, meta);
  if (!answer.ok) throw new Error(`${procedure} as ${username}: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.details ?? {})}`);
  return answer.result as T;
}

const SURVEY_TICKS = ['site_visited', 'load_assessed'];
const INSTALL_TICKS = ['meter_sealed', 'earth_tested'];
const COMMISSION_TICKS = ['supply_energized', 'customer_shown'];

let serial = 0;
const nextSerial = () => `INS-${String((serial += 1)).padStart(4, '0')}`;

/** Requests an order and walks it up to `until` the way the branch does, each step by the right role. */
function orderAt(
  until: 'requested' | 'surveyed' | 'approved' | 'scheduled' | 'installed' | 'commissioned',
  request: Record<string, unknown> = {},
): ServiceOrder {
  let order = ok('planner', 'energy.installations.create', {
    type: 'new_connection',
    priority: 'normal',
    customerName: 'Lerato Mokoena',
    phone: '0821234567',
    address: '12 Protea Avenue',
    routeId,
    ...request,
  });
  const steps = ['surveyed', 'approved', 'scheduled', 'installed', 'commissioned'] as const;
  for (const step of steps.slice(0, steps.indexOf(until as (typeof steps)[number]) + 1)) {
    order = advance(order, step);
  }
  return order;
}

function advance(order: ServiceOrder, step: 'surveyed' | 'approved' | 'scheduled' | 'installed' | 'commissioned'): ServiceOrder {
  const today = now.toISOString().slice(0, 10);
  switch (step) {
    case 'surveyed':
      return ok('technician', 'energy.installations.survey', {
        id: order.id,
        version: order.version,
        surveyResult: 'feasible',
        surveyNotes: 'Pole within 30 m, single phase available',
        materials: [{ item: 'Service cable 16 mm²', quantity: 30, unit: 'm' }],
        checked: SURVEY_TICKS,
      });
    case 'approved': {
      const asked = call('planner', 'energy.installations.approve', { id: order.id, version: order.version, checked: ['budget_checked'] });
      if (asked.ok || asked.error.code !== 'APPROVAL_REQUIRED') throw new Error(`approval was not gated: ${JSON.stringify(asked)}`);
      const approval = ok<{ version: number }>('supervisor', 'approvals.get', { id: asked.error.details!.approvalId });
      ok('supervisor', 'approvals.decide', { id: asked.error.details!.approvalId, version: approval.version, decision: 'approve', reason: 'Capacity confirmed' });
      return ok<{ order: ServiceOrder }>('planner', 'energy.installations.get', { id: order.id }).order;
    }
    case 'scheduled':
      return ok('planner', 'energy.installations.schedule', { id: order.id, version: order.version, crew: 'Crew A (Sipho, Johan)', scheduledDate: today, checked: ['customer_informed'] });
    case 'installed':
      return ok('technician', 'energy.installations.install', {
        id: order.id,
        version: order.version,
        installedOn: today,
        meterSerial: order.type === 'disconnection' ? order.meterSerial ?? '' : nextSerial(),
        meterDials: 5,
        checked: INSTALL_TICKS,
      });
    case 'commissioned':
      return ok('technician', 'energy.installations.commission', {
        id: order.id,
        version: order.version,
        commissionedOn: today,
        initialRead: 17,
        checked: COMMISSION_TICKS,
      });
  }
}

const get = (id: string) => ok<{ order: ServiceOrder; timeline: { kind: string; toStage: string | null }[]; checklists: { stage: string; items: { key: string; checkedByName: string | null }[] }[]; stageDurations: { stage: string; hours: number }[]; nextChecklist: { key: string }[] }>('planner', 'energy.installations.get', { id });

describe('from request to commissioning', () => {
  it('opens a billable account whose first regular read is measured from the initial read', () => {
    const order = orderAt('installed');
    expect(order).toMatchObject({ stage: 'installed', approvedByName: 'Sam Supervisor', crew: 'Crew A (Sipho, Johan)', installedByName: 'Tom Technician' });

    const commissioned = advance(order, 'commissioned');
    expect(commissioned).toMatchObject({ stage: 'commissioned', initialRead: 17, commissionedByName: 'Tom Technician', sla: { state: 'met' } });
    expect(commissioned.accountId).not.toBeNull();
    expect(commissioned.meterId).not.toBeNull();

    const account = ok<{ rows: { id: string; accountNo: string; status: string; meterSerial: string | null; routeId: string; name: string }[] }>(
      'admin',
      'energy.accounts.list',
      { search: commissioned.meterSerial! },
    ).rows[0]!;
    expect(account).toMatchObject({ id: commissioned.accountId, status: 'active', meterSerial: commissioned.meterSerial, routeId, name: 'Lerato Mokoena' });

    const meter = ok<{ meter: { status: string; installedOn: string }; history: Reading[] }>('admin', 'energy.meters.get', { id: commissioned.meterId });
    expect(meter.meter.status).toBe('installed');
    expect(meter.history).toHaveLength(1);
    expect(meter.history[0]).toMatchObject({ purpose: 'install', value: 17, status: 'posted', readDate: commissioned.commissionedOn });

    // The meter is on the route's walk, and its first read is measured from the initial read.
    const nextMonth = new Date(now.getTime() + 30 * 86_400_000).toISOString().slice(0, 10);
    now = new Date(`${nextMonth}T08:00:00.000Z`);
    const first = ok<Reading>('reader', 'energy.meterReadings.create', { meterId: commissioned.meterId, readDate: nextMonth, value: 317 });
    expect(first).toMatchObject({ previousValue: 17, consumption: 300, accountId: commissioned.accountId });

    const closed = ok('technician', 'energy.installations.close', { id: commissioned.id, version: commissioned.version, checked: ['paperwork_filed'] });
    expect(closed.stage).toBe('closed');
    const detail = get(closed.id);
    expect(detail.timeline.filter((e) => e.kind === 'stage').map((e) => e.toStage)).toEqual([
      'surveyed',
      'approved',
      'scheduled',
      'installed',
      'commissioned',
      'closed',
    ]);
    expect(detail.checklists.find((c) => c.stage === 'installed')!.items.filter((i) => i.checkedByName === 'Tom Technician').map((i) => i.key)).toEqual(INSTALL_TICKS);
    // Every write is in the journal, the meter-side ones under the meter function's own entities.
    const entities = sqlAll<{ entity: string }>(t.kernel.db, `SELECT DISTINCT entity FROM audit_events WHERE procedure = 'energy.installations.commission'`).map((e) => e.entity);
    expect(entities.sort()).toEqual(['account', 'meter', 'meterReading', 'serviceOrder']);
  });

  it('swaps the meter on an upgrade: the old one comes off with its final read, the new one starts from its initial read', () => {
    const first = orderAt('commissioned');
    const upgrade = orderAt('installed', { type: 'upgrade', accountId: first.accountId, routeId: undefined });
    const missing = call('technician', 'energy.installations.commission', {
      id: upgrade.id,
      version: upgrade.version,
      commissionedOn: now.toISOString().slice(0, 10),
      initialRead: 0,
      checked: COMMISSION_TICKS,
    });
    expect(missing).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'order.commissioningIncomplete', issues: [{ path: 'removalRead' }] } } });

    hours(24 * 20);
    // The technician holds no meter reading rights, yet finds the account and its meter through installations.
    expect(call('technician', 'energy.accounts.list', { search: first.meterSerial! })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(ok<{ id: string; meterSerial: string | null }[]>('technician', 'energy.installations.accountSearch', { search: first.meterSerial! })).toEqual([
      expect.objectContaining({ id: first.accountId, meterSerial: first.meterSerial }),
    ]);
    expect(ok<{ id: string }[]>('planner', 'energy.installations.routes', {}).map((r) => r.id)).toContain(routeId);

    const done = ok('technician', 'energy.installations.commission', {
      id: upgrade.id,
      version: upgrade.version,
      commissionedOn: now.toISOString().slice(0, 10),
      initialRead: 0,
      removalRead: 217,
      checked: COMMISSION_TICKS,
    });
    expect(done).toMatchObject({ stage: 'commissioned', removalRead: 217, initialRead: 0, accountId: first.accountId });
    const oldMeter = ok<{ meter: { status: string }; history: Reading[] }>('admin', 'energy.meters.get', { id: first.meterId });
    expect(oldMeter.meter.status).toBe('removed');
    expect(oldMeter.history[0]).toMatchObject({ purpose: 'removal', value: 217, consumption: 200 });
    const account = ok<{ rows: { meterId: string }[] }>('admin', 'energy.accounts.list', { search: done.meterSerial! }).rows[0]!;
    expect(account.meterId).toBe(done.meterId);
  });

  it('disconnects: the meter comes off with its final read and the account goes inactive', () => {
    const connected = orderAt('commissioned');
    const disconnection = orderAt('scheduled', { type: 'disconnection', accountId: connected.accountId, routeId: undefined });
    const wrongMeter = call('technician', 'energy.installations.install', {
      id: disconnection.id,
      version: disconnection.version,
      installedOn: now.toISOString().slice(0, 10),
      meterSerial: 'NOT-THIS-ONE',
      checked: INSTALL_TICKS,
    });
    expect(wrongMeter).toMatchObject({ ok: false, error: { details: { rule: 'order.wrongMeter' } } });
    const installed = ok('technician', 'energy.installations.install', {
      id: disconnection.id,
      version: disconnection.version,
      installedOn: now.toISOString().slice(0, 10),
      meterSerial: connected.meterSerial,
      checked: INSTALL_TICKS,
    });
    const done = ok('technician', 'energy.installations.commission', {
      id: installed.id,
      version: installed.version,
      commissionedOn: now.toISOString().slice(0, 10),
      removalRead: 40,
      checked: COMMISSION_TICKS,
    });
    expect(done).toMatchObject({ stage: 'commissioned', removalRead: 40, meterId: null });
    const account = sqlGet<{ status: string }>(t.kernel.db, 'SELECT status FROM accounts WHERE id = ?', connected.accountId)!;
    expect(account.status).toBe('inactive');
    expect(sqlGet<{ status: string }>(t.kernel.db, 'SELECT status FROM meters WHERE id = ?', connected.meterId)!.status).toBe('removed');
  });
});

describe('stage gates', () => {
  it('refuses a stage with a required checklist item unticked, naming the items', () => {
    const order = orderAt('requested');
    const answer = call('technician', 'energy.installations.survey', {
      id: order.id,
      version: order.version,
      surveyResult: 'feasible',
      surveyNotes: 'Fine',
      materials: [{ item: 'Cable', quantity: 10 }],
      checked: ['site_visited'],
    });
    expect(answer).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'order.checklistIncomplete', missing: ['load_assessed'], issues: [{ path: 'checked.load_assessed' }] } },
    });
    expect(get(order.id).order.stage).toBe('requested');
    expect(get(order.id).nextChecklist.map((i) => i.key)).toEqual(['site_visited', 'load_assessed', 'photos_taken']);
  });

  it('asks for each stage’s required fields', () => {
    const order = orderAt('requested');
    expect(call('technician', 'energy.installations.survey', { id: order.id, version: order.version, surveyResult: 'feasible', surveyNotes: 'Fine', checked: SURVEY_TICKS })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'materials' }] } },
    });
    const surveyed = advance(order, 'surveyed');
    const approved = advance(surveyed, 'approved');
    expect(call('planner', 'energy.installations.schedule', { id: approved.id, version: approved.version, scheduledDate: '2030-01-01', checked: ['customer_informed'] })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'crew' }] } },
    });
    expect(call('planner', 'energy.installations.schedule', { id: approved.id, version: approved.version, crew: 'Crew B', scheduledDate: '2020-01-01', checked: ['customer_informed'] })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'order.scheduleInPast' } },
    });
    const scheduled = advance(approved, 'scheduled');
    expect(call('technician', 'energy.installations.install', { id: scheduled.id, version: scheduled.version, installedOn: now.toISOString().slice(0, 10), checked: INSTALL_TICKS })).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', details: { issues: [{ path: 'meterSerial' }] } },
    });
    const installed = advance(scheduled, 'installed');
    expect(call('technician', 'energy.installations.commission', { id: installed.id, version: installed.version, commissionedOn: now.toISOString().slice(0, 10), checked: COMMISSION_TICKS })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'order.commissioningIncomplete', issues: [{ path: 'initialRead' }] } },
    });
  });

  it('does not let stages be skipped, and a not-feasible survey cannot be approved', () => {
    const order = orderAt('requested');
    expect(call('technician', 'energy.installations.install', { id: order.id, version: order.version, installedOn: '2026-03-02', meterSerial: 'X-1', checked: INSTALL_TICKS })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'order.stage' } },
    });
    const surveyed = ok('technician', 'energy.installations.survey', {
      id: order.id,
      version: order.version,
      surveyResult: 'not_feasible',
      surveyNotes: 'No network within 2 km',
      checked: SURVEY_TICKS,
    });
    expect(call('planner', 'energy.installations.approve', { id: surveyed.id, version: surveyed.version, checked: ['budget_checked'] })).toMatchObject({
      ok: false,
      error: { code: 'RULE_VIOLATION', details: { rule: 'order.notFeasible' } },
    });
  });

  it('needs a second person to approve: the requester cannot decide their own request, and a stale version conflicts', () => {
    const order = orderAt('surveyed');
    const asked = call('planner', 'energy.installations.approve', { id: order.id, version: order.version, checked: ['budget_checked'] });
    expect(asked).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    expect(get(order.id).order.stage).toBe('surveyed');
    const approvalId = (asked as { error: { details: { approvalId: string } } }).error.details.approvalId;
    // The planner holds no approve right on installations; the supervisor does.
    expect(call('planner', 'approvals.decide', { id: approvalId, version: 0, decision: 'approve', reason: 'ok by me' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(call('technician', 'energy.installations.survey', { id: order.id, version: order.version + 5, surveyResult: 'feasible', surveyNotes: 'again', materials: [{ item: 'x y', quantity: 1 }], checked: SURVEY_TICKS })).toMatchObject({
      ok: false,
      error: { code: 'CONFLICT' },
    });
  });

  it('cancels from an open stage with a reason, never once commissioned', () => {
    const order = orderAt('approved');
    expect(call('planner', 'energy.installations.cancel', { id: order.id, version: order.version, reason: 'Customer moved away' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const cancelled = ok('supervisor', 'energy.installations.cancel', { id: order.id, version: order.version, reason: 'Customer moved away' });
    expect(cancelled).toMatchObject({ stage: 'cancelled', cancelReason: 'Customer moved away', sla: { state: 'none' } });
    const done = orderAt('commissioned');
    expect(call('supervisor', 'energy.installations.cancel', { id: done.id, version: done.version, reason: 'Too late' })).toMatchObject({
      ok: false,
      error: { details: { rule: 'order.notCancellable' } },
    });
  });
});

describe('service-level clock', () => {
  it('stops while the order waits on the customer, moves the deadline on resume, and breaches after it', () => {
    const order = ok('planner', 'energy.installations.create', { type: 'new_connection', priority: 'urgent', customerName: 'Musa Nkosi', address: '4 Station Road', routeId });
    expect(order.sla).toMatchObject({ state: 'on_track', hours: 8, remainingHours: 8 });

    hours(2);
    const held = ok('technician', 'energy.installations.hold', { id: order.id, version: order.version, reason: 'Customer not home; will call back' });
    hours(10);
    expect(get(order.id).order.sla).toMatchObject({ state: 'paused', remainingHours: 6, dueAt: null, pausedHours: 10 });
    expect(call('technician', 'energy.installations.survey', { id: order.id, version: held.version, surveyResult: 'feasible', surveyNotes: 'Fine now', materials: [{ item: 'Cable', quantity: 1 }], checked: SURVEY_TICKS })).toMatchObject({
      ok: false,
      error: { details: { rule: 'order.onHold' } },
    });

    const resumed = ok('technician', 'energy.installations.resume', { id: order.id, version: held.version, note: 'Customer called back' });
    expect(resumed.sla).toMatchObject({ state: 'on_track', remainingHours: 6, pausedHours: 10 });
    expect(Date.parse(resumed.sla.dueAt!) - Date.parse(order.sla.dueAt!)).toBe(10 * 3_600_000);

    hours(5);
    expect(get(order.id).order.sla).toMatchObject({ state: 'at_risk', remainingHours: 1 });
    const atRisk = ok<{ rows: ServiceOrder[] }>('planner', 'energy.installations.list', { sla: 'at_risk' });
    expect(atRisk.rows.map((o) => o.id)).toContain(order.id);

    hours(2);
    expect(get(order.id).order.sla).toMatchObject({ state: 'breached', remainingHours: -1 });
    const breached = ok<{ rows: ServiceOrder[] }>('planner', 'energy.installations.list', { sla: 'breached' });
    expect(breached.rows.map((o) => o.id)).toContain(order.id);
    const dashboard = ok<{ kpis: { breached: number }; exceptions: ServiceOrder[] }>('planner', 'energy.installations.dashboard', {});
    expect(dashboard.exceptions.map((o) => o.id)).toContain(order.id);
    expect(dashboard.kpis.breached).toBeGreaterThanOrEqual(1);

    // Time on hold is left out of the stage it happened in: 19 hours in 'requested', 10 of them paused.
    expect(get(order.id).stageDurations).toEqual([{ stage: 'requested', hours: 9, current: true }]);

    // Commissioned late, the breach is final.
    let late = advance(advance(advance(advance(get(order.id).order, 'surveyed'), 'approved'), 'scheduled'), 'installed');
    late = advance(late, 'commissioned');
    expect(late.sla).toMatchObject({ state: 'breached', remainingHours: null });
  });

  it('starts the clock when a paper request was received, and moves the deadline with a new priority', () => {
    const receivedAt = new Date(now.getTime() - 20 * 3_600_000).toISOString();
    const order = ok('planner', 'energy.installations.create', { type: 'new_connection', priority: 'low', customerName: 'Elsa Smit', address: '9 Hill Street', routeId, receivedAt });
    expect(order.sla).toMatchObject({ state: 'on_track', hours: 72, remainingHours: 52 });
    const escalated = ok('planner', 'energy.installations.update', { id: order.id, version: order.version, priority: 'high' });
    expect(escalated.sla).toMatchObject({ hours: 24, remainingHours: 4, state: 'at_risk' });
    expect(call('planner', 'energy.installations.create', { type: 'new_connection', customerName: 'Future Fred', address: '1 Main Road', receivedAt: '2099-01-01T00:00:00Z' })).toMatchObject({
      ok: false,
      error: { details: { rule: 'order.receivedInFuture' } },
    });
  });
});

describe('queues, notes and attachments', () => {
  it('lists a stage’s queue soonest deadline first, with keyset pages', () => {
    const a = ok('planner', 'energy.installations.create', { type: 'new_connection', priority: 'low', customerName: 'Queue A', address: '1 Queue Lane', routeId });
    const b = ok('planner', 'energy.installations.create', { type: 'new_connection', priority: 'urgent', customerName: 'Queue B', address: '2 Queue Lane', routeId });
    const first = ok<{ rows: ServiceOrder[]; nextCursor: string | null; total: number }>('planner', 'energy.installations.list', { stage: 'requested', search: 'Queue', limit: 1 });
    expect(first.rows.map((o) => o.id)).toEqual([b.id]);
    expect(first.total).toBe(2);
    const second = ok<{ rows: ServiceOrder[]; nextCursor: string | null }>('planner', 'energy.installations.list', { stage: 'requested', search: 'Queue', limit: 1, cursor: first.nextCursor });
    expect(second.rows.map((o) => o.id)).toEqual([a.id]);
    expect(second.nextCursor).toBeNull();
  });

  it('queues commissioned orders until their paperwork is closed, without counting a settled breach as one to act on', () => {
    const late = orderAt('commissioned', { priority: 'urgent', customerName: 'Late Closer', receivedAt: new Date(now.getTime() - 10 * 3_600_000).toISOString() });
    const onTime = orderAt('commissioned', { customerName: 'Prompt Closer' });
    expect([late.sla.state, onTime.sla.state]).toEqual(['breached', 'met']);
    const queueOf = () => ok<{ queue: { stage: string; count: number; breached: number }[] }>('planner', 'energy.installations.dashboard', {}).queue;
    const waiting = () => sqlGet<{ n: number }>(t.kernel.db, `SELECT count(*) AS n FROM service_orders WHERE stage = 'commissioned'`)!.n;
    expect(queueOf().map((q) => q.stage)).toEqual(['requested', 'surveyed', 'approved', 'scheduled', 'installed', 'commissioned']);
    expect(queueOf().find((q) => q.stage === 'commissioned')).toEqual({ stage: 'commissioned', count: waiting(), breached: 0, onHold: 0 });
    // The queue runs oldest deadline first, so the order waiting longest is on top.
    const listed = ok<{ rows: ServiceOrder[] }>('technician', 'energy.installations.list', { stage: 'commissioned', search: 'Closer' }).rows.map((o) => o.id);
    expect(listed).toEqual([late.id, onTime.id]);

    // "Commissioned this week" opens the report of the branch's week, which counts the same orders.
    const dash = ok<{ kpis: { commissionedThisWeek: number }; week: { from: string; to: string } }>('planner', 'energy.installations.dashboard', {});
    expect(dash.week.to).toBe(now.toISOString().slice(0, 10));
    expect(dash.kpis.commissionedThisWeek).toBeGreaterThanOrEqual(2);
    const weekReport = ok<{ totals: { commissioned: number } }>('planner', 'energy.installations.report', { period: 'week', from: dash.week.from, to: dash.week.to });
    expect(weekReport.totals.commissioned).toBe(dash.kpis.commissionedThisWeek);

    const before = waiting();
    const closed = ok('technician', 'energy.installations.close', { id: onTime.id, version: onTime.version, checked: ['paperwork_filed'] });
    expect(closed.stage).toBe('closed');
    expect(queueOf().find((q) => q.stage === 'commissioned')!.count).toBe(before - 1);
  });

  it('keeps notes and attachments on the timeline', () => {
    const order = orderAt('requested');
    ok('technician', 'energy.installations.addNote', { id: order.id, text: 'Gate code 4411' });
    const attachment = ok<{ fileRef: string; addedByName: string }>('technician', 'energy.installations.addAttachment', {
      id: order.id,
      fileRef: '\\\\fileserver\\scans\\SO-site-plan.pdf',
      label: 'Site plan',
    });
    expect(attachment).toMatchObject({ addedByName: 'Tom Technician' });
    const detail = ok<{ timeline: { kind: string; text: string | null }[]; attachments: { label: string }[] }>('planner', 'energy.installations.get', { id: order.id });
    expect(detail.timeline.map((e) => e.kind)).toEqual(['created', 'note', 'attachment']);
    expect(detail.attachments.map((a) => a.label)).toEqual(['Site plan']);
  });
});

describe('report and export', () => {
  it('counts opened, commissioned, cancelled and deadlines met/breached per day, by type, with stage durations', async () => {
    const day = now.toISOString().slice(0, 10);
    const report = ok<{
      rows: { label: string; opened: number; commissioned: number; slaMet: number; slaBreached: number }[];
      totals: { opened: number; commissioned: number; cancelled: number; slaMet: number; slaBreached: number };
      stageDurations: { stage: string; orders: number }[];
      openByStage: { stage: string; count: number }[];
    }>('supervisor', 'energy.installations.report', { from: '2026-03-01', to: day, period: 'month' });
    const all = sqlGet<{ opened: number; commissioned: number; met: number; cancelled: number }>(
      t.kernel.db,
      `SELECT count(*) AS opened, count(commissioned_at) AS commissioned, sum(sla_met) AS met, count(cancelled_at) AS cancelled FROM service_orders`,
    )!;
    expect(report.totals).toMatchObject({ opened: all.opened, commissioned: all.commissioned, slaMet: all.met, slaBreached: all.commissioned - all.met, cancelled: all.cancelled });
    expect(report.rows.reduce((s, r) => s + r.opened, 0)).toBe(all.opened);
    expect(report.stageDurations.map((s) => s.stage)).toEqual(['requested', 'surveyed', 'approved', 'scheduled', 'installed']);
    expect(report.openByStage.reduce((s, r) => s + r.count, 0)).toBe(
      sqlGet<{ n: number }>(t.kernel.db, `SELECT count(*) AS n FROM service_orders WHERE stage IN ('requested','surveyed','approved','scheduled','installed')`)!.n,
    );

    const byType = ok<{ rows: { key: string; opened: number }[] }>('supervisor', 'energy.installations.report', { from: '2026-03-01', to: day, groupBy: 'type' });
    expect(byType.rows.map((r) => r.key)).toEqual(['new_connection', 'upgrade', 'disconnection']);

    const { jobId } = ok<{ jobId: string }>('supervisor', 'energy.installations.export', { from: '2026-03-01', to: day, period: 'month' });
    const job = await t.kernel.jobs.settled(jobId);
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded' });
    const file = (job.result as { file: { path: string } }).file;
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path.join(t.dataDir, file.path));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Stage durations', 'Orders']);
    expect(workbook.getWorksheet('Orders')!.rowCount).toBe(4 + all.opened);
    expect(fs.existsSync(path.join(t.dataDir, file.path))).toBe(true);
    expect(call('technician', 'energy.installations.export', { from: '2026-03-01', to: day })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });
});

describe('in the report engine (module dashboard, reports.run)', () => {
  it('runs both reports by period and by every drilldown, and lists breaches as dashboard exceptions', () => {
    const catalogue = new ReportingCatalogue(FUNCTION_REPORTING);
    const branch = t.kernel.branch();
    const scope = { from: '2026-03-01', to: now.toISOString().slice(0, 10), filters: {} };
    const intake = catalogue.report('energy.installations.intake');
    const byPeriod = runReport(t.kernel.db, branch, intake, { ...scope, period: 'month', groupBy: 'period' });
    expect(byPeriod.totals.opened).toBe(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM service_orders')!.n);
    for (const dimension of intake.dimensions) {
      const grouped = runReport(t.kernel.db, branch, intake, { ...scope, period: 'month', groupBy: dimension.key });
      expect([dimension.key, grouped.totals.opened]).toEqual([dimension.key, byPeriod.totals.opened]);
    }
    const commissioned = runReport(t.kernel.db, branch, catalogue.report('energy.installations.commissioned'), { ...scope, period: 'week', groupBy: 'category' });
    const decided = sqlGet<{ met: number; n: number }>(t.kernel.db, 'SELECT sum(sla_met) AS met, count(commissioned_at) AS n FROM service_orders')!;
    expect(commissioned.totals).toMatchObject({ commissioned: decided.n, slaMet: decided.met, slaBreached: decided.n - decided.met });
    expect(listRecords(t.kernel.db, branch, intake, { ...scope, limit: 5 }).rows).toHaveLength(5);

    // A request phoned in 10 hours ago with an 8-hour allowance is late already.
    ok('planner', 'energy.installations.create', { type: 'new_connection', priority: 'urgent', customerName: 'Late Larry', address: '8 Late Lane', routeId, receivedAt: new Date(now.getTime() - 10 * 3_600_000).toISOString() });
    const breaches = catalogue.functions.find((f) => f.functionKey === 'energy.installations')!.exceptions.find((e) => e.kind === 'slaBreach')!;
    const clock = { now, nowIso: now.toISOString(), today: now.toISOString().slice(0, 10), timeZone: branch.timeZone };
    const open = breaches.open(t.kernel.db, 3, clock);
    const listed = ok<{ rows: ServiceOrder[]; total: number }>('planner', 'energy.installations.list', { sla: 'breached', limit: 500 });
    const stillOpen = listed.rows.filter((o) => o.sla.remainingHours !== null);
    expect(open.total).toBe(stillOpen.length);
    expect(open.total).toBeGreaterThan(0);
    expect(open.items.map((i) => i.link)).toEqual(
      [...stillOpen].sort((a, b) => a.sla.dueAt!.localeCompare(b.sla.dueAt!) || a.id.localeCompare(b.id)).slice(0, 3).map((o) => `/energy/installations/${o.id}`),
    );
  });
});
