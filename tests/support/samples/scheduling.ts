import type { Appointment } from '../../../src-shared/contracts/home-services/scheduling';
import type { Technician, TimeOff } from '../../../src-shared/contracts/home-services/master-data';
import type { TestApp } from '../app';
import { at, bookFirstFree, fieldFixture, firstFree, freshCustomer, idempotencyKey, okAs } from '../home-services';
import type { Sample } from '../samples';

/**
 * One valid call per scheduling mutation (and the field master data). Technicians work around the
 * clock every day here, because the catalogue tests run at whatever hour the suite runs.
 */

let n = 0;
const unique = () => `${Date.now().toString(36).slice(-4)}${(n += 1)}`.toUpperCase();
const fixture = (t: TestApp) => fieldFixture(t, { allDay: true });
const DAY = 86_400_000;

function spareTechnician(t: TestApp): Technician {
  const f = fixture(t);
  return okAs<Technician>(t, 'admin', 'homeServices.technicians.create', {
    code: `X${unique()}`,
    name: 'Spare Technician',
    skills: [{ skill: 'plumbing', level: 1 }],
    zoneIds: [f.zones.north.id],
    hours: [{ weekday: 1, start: '08:00', end: '17:00' }],
  });
}

export const schedulingSamples: Record<string, Sample> = {
  'homeServices.zones.create': () => ({ as: 'admin', input: { code: `Z${unique()}`, name: 'East' } }),
  'homeServices.zones.update': (t) => {
    const zone = okAs<{ id: string; version: number }>(t, 'admin', 'homeServices.zones.create', { code: `Z${unique()}`, name: 'East' });
    return { as: 'admin', input: { id: zone.id, version: zone.version, name: 'East and harbour' } };
  },
  'homeServices.technicians.create': (t) => ({
    as: 'admin',
    input: { code: `T${unique()}`, name: 'New Technician', skills: [{ skill: 'gas', level: 2 }], zoneIds: [fixture(t).zones.south.id], hours: [{ weekday: 2, start: '07:00', end: '15:00' }] },
  }),
  'homeServices.technicians.update': (t) => {
    const tech = spareTechnician(t);
    return {
      as: 'admin',
      input: { id: tech.id, version: tech.version, name: 'Spare Technician (senior)', skills: [{ skill: 'plumbing', level: 4 }], zoneIds: [], hours: [{ weekday: 1, start: '08:00', end: '16:00' }] },
    };
  },
  'homeServices.timeOff.add': (t) => {
    const tech = spareTechnician(t);
    const start = new Date(Date.now() + 30 * DAY);
    return { as: 'dispatcher', input: { technicianId: tech.id, startsAt: start.toISOString(), endsAt: new Date(start.getTime() + DAY).toISOString(), reason: 'Training course' } };
  },
  'homeServices.timeOff.remove': (t) => {
    const tech = spareTechnician(t);
    const start = Date.now() + 40 * DAY;
    const { timeOff } = okAs<{ timeOff: TimeOff }>(t, 'dispatcher', 'homeServices.timeOff.add', {
      technicianId: tech.id,
      startsAt: new Date(start).toISOString(),
      endsAt: new Date(start + DAY).toISOString(),
      reason: 'Booked by mistake',
    });
    return { as: 'dispatcher', input: { id: timeOff.id, reason: 'Entered for the wrong technician' } };
  },
  'homeServices.services.create': () => ({
    as: 'admin',
    input: { sku: `SVC-${unique()}`, name: 'Geyser service', category: 'plumbing', durationMinutes: 120, priceMinor: 95000, requiredSkills: [{ skill: 'plumbing', minLevel: 2 }] },
  }),
  'homeServices.services.update': (t) => {
    const service = fixture(t).services.camera;
    const current = okAs<{ id: string; version: number }[]>(t, 'admin', 'homeServices.services.list', { includeInactive: true }).find((s) => s.id === service.id)!;
    return {
      as: 'admin',
      input: { id: service.id, version: current.version, name: 'Drain camera survey', category: 'plumbing', durationMinutes: 60, priceMinor: 70000, requiredSkills: [{ skill: 'plumbing', minLevel: 1 }], slotCapacity: 1 },
    };
  },
  'homeServices.customers.create': () => ({ as: 'dispatcher', input: { name: 'Sample Customer', address: '12 Sample Road', phone: '0110000000' } }),
  'homeServices.customers.update': (t) => {
    const customer = okAs<{ id: string; version: number }>(t, 'dispatcher', 'homeServices.customers.create', { name: 'To Update', address: '1 Old Road' });
    return { as: 'dispatcher', input: { id: customer.id, version: customer.version, name: 'Updated Customer', address: '2 New Road', lat: -26.2, lng: 28.04 } };
  },
  'homeServices.scheduling.book': (t) => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    const startsAt = firstFree(t, 'dispatcher', { customerId: customer.id, serviceId: f.services.repair.id });
    return { as: 'dispatcher', input: { customerId: customer.id, serviceId: f.services.repair.id, startsAt, channel: 'phone' }, meta: { idempotencyKey: idempotencyKey() } };
  },
  'homeServices.scheduling.confirm': (t) => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'south');
    const startsAt = firstFree(t, 'dispatcher', { customerId: customer.id, serviceId: f.services.inspect.id });
    const { appointment } = okAs<{ appointment: Appointment }>(
      t,
      'dispatcher',
      'homeServices.scheduling.book',
      { customerId: customer.id, serviceId: f.services.inspect.id, startsAt, confirmed: false },
      { idempotencyKey: idempotencyKey() },
    );
    return { as: 'dispatcher', input: { id: appointment.id, version: appointment.version } };
  },
  'homeServices.scheduling.reschedule': (t) => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    const a = bookFirstFree(t, { customerId: customer.id, serviceId: f.services.repair.id });
    const later = firstFree(t, 'dispatcher', { customerId: customer.id, serviceId: f.services.repair.id, from: new Date(Date.parse(a.startsAt) + DAY).toISOString() });
    return { as: 'dispatcher', input: { id: a.id, version: a.version, startsAt: later, reasonCode: 'customer_request' } };
  },
  'homeServices.scheduling.cancel': (t) => {
    const f = fixture(t);
    const a = bookFirstFree(t, { customerId: freshCustomer(t, 'south').id, serviceId: f.services.repair.id });
    return { as: 'dispatcher', input: { id: a.id, version: a.version, reasonCode: 'customer_request', note: 'Fixed it themselves' } };
  },
  'homeServices.scheduling.markNoShow': (t) => {
    const f = fixture(t);
    // Booked yesterday for yesterday: it has started, so it can be a no-show.
    const a = at(t, new Date(Date.now() - DAY), () => bookFirstFree(t, { customerId: freshCustomer(t, 'north').id, serviceId: f.services.repair.id }));
    return { as: 'dispatcher', input: { id: a.id, version: a.version, reason: 'Nobody answered the door' } };
  },
  'homeServices.scheduling.export': () => ({ as: 'supervisor', input: { from: '2026-01-01', to: '2026-01-31', format: 'csv' } }),
};
