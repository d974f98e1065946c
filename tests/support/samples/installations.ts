import type { ServiceOrder } from '../../../src-shared/contracts/energy/installations';
import type { Sample } from '../samples';
import type { TestApp } from '../app';

/**
 * One valid call per service installation mutation. Each sample builds its own order up to the
 * stage its call needs, so the samples run in any order in one shared store. The planner's work
 * is done as admin: an earlier sample (auth.logout) ends the planner's shared session.
 */

let counter = 0;
const unique = () => `${Date.now().toString(36)}${(counter += 1)}`.toUpperCase();

/** Today in the branch's calendar: the stage dates are checked against it. */
const localToday = (t: TestApp) => new Intl.DateTimeFormat('en-CA', { timeZone: t.kernel.branch().timeZone }).format(new Date());

function route(t: TestApp): string {
  return t.ok<{ id: string }>('admin', 'energy.routes.create', { code: `S${unique()}`.slice(0, 20), name: 'Sample route' }).id;
}

const TICKS = {
  surveyed: ['site_visited', 'load_assessed'],
  approved: ['budget_checked'],
  scheduled: ['customer_informed'],
  installed: ['meter_sealed', 'earth_tested'],
  commissioned: ['supply_energized', 'customer_shown'],
  closed: ['paperwork_filed'],
};

type Stage = 'requested' | 'surveyed' | 'approved' | 'scheduled' | 'installed' | 'commissioned';

function orderAt(t: TestApp, stage: Stage): ServiceOrder {
  const stages: Stage[] = ['requested', 'surveyed', 'approved', 'scheduled', 'installed', 'commissioned'];
  const want = stages.indexOf(stage);
  let order = t.ok<ServiceOrder>('admin', 'energy.installations.create', {
    type: 'new_connection',
    customerName: 'Sample Customer',
    address: '1 Sample Street',
    routeId: route(t),
  });
  const today = localToday(t);
  if (want >= 1) {
    order = t.ok('technician', 'energy.installations.survey', {
      id: order.id,
      version: order.version,
      surveyResult: 'feasible',
      surveyNotes: 'Supply point within reach',
      materials: [{ item: 'Service cable', quantity: 20, unit: 'm' }],
      checked: TICKS.surveyed,
    });
  }
  if (want >= 2) {
    const asked = t.call('admin', 'energy.installations.approve', { id: order.id, version: order.version, checked: TICKS.approved });
    const approvalId = asked.ok ? '' : String(asked.error.details?.approvalId);
    const approval = t.ok<{ version: number }>('supervisor', 'approvals.get', { id: approvalId });
    t.ok('supervisor', 'approvals.decide', { id: approvalId, version: approval.version, decision: 'approve', reason: 'Sample approval' });
    order = t.ok<{ order: ServiceOrder }>('admin', 'energy.installations.get', { id: order.id }).order;
  }
  if (want >= 3) {
    order = t.ok('admin', 'energy.installations.schedule', { id: order.id, version: order.version, crew: 'Crew S', scheduledDate: today, checked: TICKS.scheduled });
  }
  if (want >= 4) {
    order = t.ok('technician', 'energy.installations.install', {
      id: order.id,
      version: order.version,
      installedOn: today,
      meterSerial: `SM${unique()}`.slice(0, 30),
      checked: TICKS.installed,
    });
  }
  if (want >= 5) {
    order = t.ok('technician', 'energy.installations.commission', { id: order.id, version: order.version, commissionedOn: today, initialRead: 5, checked: TICKS.commissioned });
  }
  return order;
}

export const installationSamples: Record<string, Sample> = {
  'energy.installations.create': (t) => ({
    as: 'admin',
    input: { type: 'new_connection', priority: 'high', customerName: 'Sample Customer', address: '2 Sample Street', routeId: route(t) },
  }),
  'energy.installations.update': (t) => {
    const order = orderAt(t, 'requested');
    return { as: 'admin', input: { id: order.id, version: order.version, priority: 'urgent', phone: '0820000000' } };
  },
  'energy.installations.survey': (t) => {
    const order = orderAt(t, 'requested');
    return {
      as: 'technician',
      input: { id: order.id, version: order.version, surveyResult: 'feasible', surveyNotes: 'Fine', materials: [{ item: 'Cable', quantity: 5 }], checked: TICKS.surveyed },
    };
  },
  'energy.installations.schedule': (t) => {
    const order = orderAt(t, 'approved');
    return { as: 'admin', input: { id: order.id, version: order.version, crew: 'Crew S', scheduledDate: localToday(t), checked: TICKS.scheduled } };
  },
  'energy.installations.install': (t) => {
    const order = orderAt(t, 'scheduled');
    return {
      as: 'technician',
      input: { id: order.id, version: order.version, installedOn: localToday(t), meterSerial: `SM${unique()}`.slice(0, 30), checked: TICKS.installed },
    };
  },
  'energy.installations.commission': (t) => {
    const order = orderAt(t, 'installed');
    return { as: 'technician', input: { id: order.id, version: order.version, commissionedOn: localToday(t), initialRead: 12, checked: TICKS.commissioned } };
  },
  'energy.installations.close': (t) => {
    const order = orderAt(t, 'commissioned');
    return { as: 'technician', input: { id: order.id, version: order.version, checked: TICKS.closed } };
  },
  'energy.installations.cancel': (t) => {
    const order = orderAt(t, 'surveyed');
    return { as: 'supervisor', input: { id: order.id, version: order.version, reason: 'Customer withdrew the request' } };
  },
  'energy.installations.hold': (t) => {
    const order = orderAt(t, 'requested');
    return { as: 'technician', input: { id: order.id, version: order.version, reason: 'Waiting for the customer to call back' } };
  },
  'energy.installations.resume': (t) => {
    const order = orderAt(t, 'requested');
    const held = t.ok<ServiceOrder>('technician', 'energy.installations.hold', { id: order.id, version: order.version, reason: 'Waiting on customer' });
    return { as: 'technician', input: { id: held.id, version: held.version, note: 'Customer called back' } };
  },
  'energy.installations.addNote': (t) => ({ as: 'technician', input: { id: orderAt(t, 'requested').id, text: 'Gate code 1234' } }),
  'energy.installations.addAttachment': (t) => ({
    as: 'technician',
    input: { id: orderAt(t, 'requested').id, fileRef: '\\\\files\\scans\\site-plan.pdf', label: 'Site plan' },
  }),
  'energy.installations.export': (t) => ({ as: 'supervisor', input: { from: localToday(t), to: localToday(t), format: 'csv' } }),
};

export const installationExemptions: Record<string, string> = {
  'energy.installations.approve':
    'always approval-gated, so a direct call never runs its handler (tests/integration/installations.test.ts approves through approvals.decide)',
};
