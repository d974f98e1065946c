import type { Asset, Downtime, Part, Schedule, WorkOrder } from '../../../src-shared/contracts/energy/maintenance';
import type { Sample } from '../samples';
import type { TestApp } from '../app';

/**
 * One valid call per equipment maintenance mutation. Each sample makes its own site, asset, part
 * or work order, so the samples run in any order in one shared store. The planner's work is done
 * as admin: an earlier sample (auth.logout) ends the planner's shared session.
 */

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`.toUpperCase();
const localToday = (t: TestApp) => new Intl.DateTimeFormat('en-CA', { timeZone: t.kernel.branch().timeZone }).format(new Date());

function site(t: TestApp): string {
  return t.ok<{ id: string }>('admin', 'energy.maintenance.sites.create', { code: `ST${unique()}`.slice(0, 30), name: 'Sample site' }).id;
}

function asset(t: TestApp, fields: Record<string, unknown> = {}): Asset {
  return t.ok<Asset>('admin', 'energy.maintenance.assets.create', {
    code: `AS${unique()}`.slice(0, 30),
    name: 'Sample pump',
    assetClass: 'pump',
    siteId: site(t),
    inServiceOn: '2024-01-01',
    ...fields,
  });
}

function part(t: TestApp, onHand: number): Part {
  const created = t.ok<Part>('admin', 'energy.maintenance.parts.create', { code: `PT${unique()}`.slice(0, 30), name: 'Sample part', unitCost: 1_000 });
  return onHand > 0 ? t.ok<Part>('admin', 'energy.maintenance.parts.receive', { id: created.id, quantity: onHand }) : created;
}

function workOrder(t: TestApp, status: 'open' | 'in_progress' | 'completed'): WorkOrder {
  let wo = t.ok<WorkOrder>('admin', 'energy.maintenance.workOrders.create', { assetId: asset(t).id, title: 'Sample work' });
  if (status === 'open') return wo;
  wo = t.ok<WorkOrder>('technician', 'energy.maintenance.workOrders.start', { id: wo.id, version: wo.version });
  if (status === 'in_progress') return wo;
  return t.ok<WorkOrder>('technician', 'energy.maintenance.workOrders.complete', { id: wo.id, version: wo.version, completionNotes: 'Done and tested' });
}

export const maintenanceSamples: Record<string, Sample> = {
  'energy.maintenance.sites.create': () => ({ as: 'admin', input: { code: `ST${unique()}`.slice(0, 30), name: 'Sample site' } }),
  'energy.maintenance.sites.update': (t) => {
    const created = t.ok<{ id: string; version: number }>('admin', 'energy.maintenance.sites.create', { code: `ST${unique()}`.slice(0, 30), name: 'Sample site' });
    return { as: 'admin', input: { id: created.id, version: created.version, name: 'Sample site, renamed' } };
  },
  'energy.maintenance.assets.create': (t) => ({
    as: 'admin',
    input: { code: `AS${unique()}`.slice(0, 30), name: 'Sample transformer', assetClass: 'transformer', siteId: site(t), inServiceOn: '2024-01-01' },
  }),
  'energy.maintenance.assets.update': (t) => {
    const a = asset(t);
    return { as: 'admin', input: { id: a.id, version: a.version, name: 'Renamed pump', serial: 'SN-1' } };
  },
  'energy.maintenance.assets.setStatus': (t) => {
    const a = asset(t);
    return { as: 'technician', input: { id: a.id, version: a.version, status: 'standby', note: 'Duty pump swapped' } };
  },
  'energy.maintenance.assets.recordUsage': (t) => ({ as: 'technician', input: { id: asset(t, { usageUnit: 'h' }).id, value: 120, readOn: localToday(t) } }),
  'energy.maintenance.downtime.start': (t) => ({ as: 'technician', input: { assetId: asset(t).id, reason: 'breakdown', raiseWorkOrder: true } }),
  'energy.maintenance.downtime.end': (t) => {
    const stop = t.ok<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId: asset(t).id, reason: 'power_outage' });
    return { as: 'technician', input: { id: stop.id, version: stop.version } };
  },
  'energy.maintenance.downtime.correct': (t) => {
    const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000).toISOString();
    const opened = t.ok<Downtime>('technician', 'energy.maintenance.downtime.start', { assetId: asset(t).id, reason: 'power_outage', startedAt: hoursAgo(3) });
    const stop = t.ok<Downtime>('technician', 'energy.maintenance.downtime.end', { id: opened.id, version: opened.version, endedAt: hoursAgo(1) });
    return {
      as: 'supervisor',
      input: { id: stop.id, version: stop.version, reason: 'breakdown', startedAt: hoursAgo(2), endedAt: stop.endedAt, correction: 'Stop logged from the wrong shift sheet' },
    };
  },
  'energy.maintenance.schedules.create': (t) => ({
    as: 'admin',
    input: { assetId: asset(t).id, title: 'Monthly check', kind: 'calendar', intervalDays: 30, startOn: '2099-01-01' },
  }),
  'energy.maintenance.schedules.update': (t) => {
    const s = t.ok<Schedule>('admin', 'energy.maintenance.schedules.create', { assetId: asset(t).id, title: 'Monthly check', kind: 'calendar', intervalDays: 30, startOn: '2099-01-01' });
    return { as: 'admin', input: { id: s.id, version: s.version, active: false } };
  },
  'energy.maintenance.generatePm': () => ({ as: 'admin', input: { horizonDays: 7 } }),
  'energy.maintenance.workOrders.create': (t) => ({ as: 'admin', input: { assetId: asset(t).id, title: 'Inspect', dueOn: localToday(t) } }),
  'energy.maintenance.workOrders.update': (t) => {
    const wo = workOrder(t, 'open');
    return { as: 'admin', input: { id: wo.id, version: wo.version, priority: 'high' } };
  },
  'energy.maintenance.workOrders.start': (t) => {
    const wo = workOrder(t, 'open');
    return { as: 'technician', input: { id: wo.id, version: wo.version } };
  },
  'energy.maintenance.workOrders.hold': (t) => {
    const wo = workOrder(t, 'in_progress');
    return { as: 'technician', input: { id: wo.id, version: wo.version, reason: 'Waiting for parts' } };
  },
  'energy.maintenance.workOrders.logLabour': (t) => ({ as: 'technician', input: { id: workOrder(t, 'in_progress').id, hours: 1.5, workedOn: localToday(t) } }),
  'energy.maintenance.workOrders.issuePart': (t) => ({ as: 'technician', input: { id: workOrder(t, 'in_progress').id, partId: part(t, 5).id, quantity: 2 } }),
  'energy.maintenance.workOrders.complete': (t) => {
    const wo = workOrder(t, 'in_progress');
    return { as: 'technician', input: { id: wo.id, version: wo.version, completionNotes: 'Replaced and tested' } };
  },
  'energy.maintenance.workOrders.close': (t) => {
    const wo = workOrder(t, 'completed');
    return { as: 'admin', input: { id: wo.id, version: wo.version } };
  },
  'energy.maintenance.workOrders.cancel': (t) => {
    const wo = workOrder(t, 'open');
    return { as: 'supervisor', input: { id: wo.id, version: wo.version, reason: 'Raised twice' } };
  },
  'energy.maintenance.parts.create': () => ({ as: 'admin', input: { code: `PT${unique()}`.slice(0, 30), name: 'Sample part', unitCost: 500, minQuantity: 2 } }),
  'energy.maintenance.parts.update': (t) => {
    const p = part(t, 0);
    return { as: 'admin', input: { id: p.id, version: p.version, minQuantity: 5, name: 'Renamed part' } };
  },
  'energy.maintenance.parts.receive': (t) => ({ as: 'admin', input: { id: part(t, 0).id, quantity: 10, unitCost: 700, reference: 'GRN-9' } }),
  'energy.maintenance.export': (t) => ({ as: 'supervisor', input: { from: localToday(t), to: localToday(t), format: 'csv' } }),
};

export const maintenanceExemptions: Record<string, string> = {
  'energy.maintenance.assets.retire': 'always approval-gated (tests/integration/maintenance.test.ts retires through approvals.decide)',
  'energy.maintenance.parts.adjust': 'always approval-gated (tests/integration/maintenance.test.ts adjusts through approvals.decide)',
};
