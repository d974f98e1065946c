import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import type { Customer, Service, Technician, Zone } from '../../src-shared/contracts/home-services/master-data';
import type { Job } from '../../src-shared/contracts/home-services/dispatch';
import type { CallMeta, RpcResult } from '../../src-shared/rpc';
import { sqlGet } from '../../src-main/core/db/store';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import type { TestApp } from './app';

/**
 * Fixtures for the Home & Personal Services field functions: zones, technicians, services and
 * customers around one point in Johannesburg, and shortcuts for booking the first free slot.
 */

/**
 * Calls as a seeded user through the full pipeline without a session token, so a test may move
 * the store's clock by days without its sessions expiring (authorization still applies).
 */
export function callAs(t: TestApp, username: string, procedure: string, input: unknown, meta?: CallMeta): RpcResult<unknown> {
  const user = sqlGet<{ id: string }>(t.kernel.db, 'SELECT id FROM users WHERE username = ?', username);
  if (!user) throw new Error(`no user ${username}`);
  return dispatch(t.kernel, procedure, input, { principal: loadPrincipal(t.kernel.db, user.id, null), meta });
}

export function okAs<T = unknown>(t: TestApp, username: string, procedure: string, input: unknown, meta?: CallMeta): T {
  const answer = callAs(t, username, procedure, input, meta);
  if (!answer.ok) throw new Error(`${procedure} as ${username}: ${answer.error.code} ${answer.error.message} ${JSON.stringify(answer.error.details ?? {})}`);
  return answer.result as T;
}

export const BASE = { lat: -26.1, lng: 28.05 };
/** About `metres` north of a point (0.001° of latitude ≈ 111 m). */
export const northOf = (p: { lat: number; lng: number }, metres: number) => ({ lat: p.lat + metres / 111_195, lng: p.lng });

export interface FieldFixture {
  zones: { north: Zone; south: Zone };
  services: { repair: Service; inspect: Service; camera: Service };
  technicians: { plumber: Technician; allRounder: Technician; electrician: Technician };
  customers: { north: Customer; south: Customer; noCoordinates: Customer };
}

const WEEKDAYS = [1, 2, 3, 4, 5];
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];

const fixtures = new WeakMap<TestApp, FieldFixture>();
let serial = 0;

/**
 * Master data, created once per store. `allDay` technicians work 00:00–24:00 every day (catalogue
 * samples run at whatever time the suite runs); otherwise Mon–Fri 08:00–17:00 with a 12:30 lunch.
 */
export function fieldFixture(t: TestApp, options: { allDay?: boolean; linkTechnicianUser?: boolean } = {}): FieldFixture {
  const existing = fixtures.get(t);
  if (existing) return existing;
  serial += 1;
  const tag = `${serial}${Date.now().toString(36).slice(-3)}`.toUpperCase();
  const zone = (code: string, name: string) => okAs<Zone>(t, 'admin', 'homeServices.zones.create', { code: `${code}${tag}`, name });
  const zones = { north: zone('N', 'North'), south: zone('S', 'South') };
  const service = (sku: string, extra: Record<string, unknown>) =>
    okAs<Service>(t, 'admin', 'homeServices.services.create', { sku: `${sku}-${tag}`, name: sku, category: 'plumbing', priceMinor: 65000, ...extra });
  const services = {
    repair: service('REPAIR', { name: 'Leak repair', durationMinutes: 60, bufferMinutes: 10, requiredSkills: [{ skill: 'plumbing', minLevel: 2 }] }),
    inspect: service('INSPECT', { name: 'Electrical inspection', category: 'electrical', durationMinutes: 90, requiredSkills: [{ skill: 'electrical', minLevel: 1 }] }),
    camera: service('CAMERA', { name: 'Drain camera survey', durationMinutes: 60, requiredSkills: [{ skill: 'plumbing', minLevel: 1 }], slotCapacity: 1 }),
  };
  const days = options.allDay ? EVERY_DAY : WEEKDAYS;
  const hours = days.map((weekday) => ({ weekday, start: options.allDay ? '00:00' : '08:00', end: options.allDay ? '24:00' : '17:00' }));
  const breaks = options.allDay ? [] : days.map((weekday) => ({ weekday, start: '12:30', end: '13:00' }));
  const technicianUserId = options.linkTechnicianUser
    ? okAs<{ id: string; username: string }[]>(t, 'admin', 'admin.users.list', {}).find((u) => u.username === 'technician')!.id
    : undefined;
  const technician = (code: string, name: string, extra: Record<string, unknown>) =>
    okAs<Technician>(t, 'admin', 'homeServices.technicians.create', { code: `${code}${tag}`, name, hours, breaks, homeLat: BASE.lat, homeLng: BASE.lng, ...extra });
  const technicians = {
    plumber: technician('P', 'Pat Plumber', { skills: [{ skill: 'plumbing', level: 3 }], zoneIds: [zones.north.id], userId: technicianUserId, color: 'teal' }),
    allRounder: technician('A', 'Alex Allround', {
      skills: [
        { skill: 'plumbing', level: 2 },
        { skill: 'electrical', level: 2 },
      ],
      zoneIds: [zones.north.id, zones.south.id],
      color: 'grape',
    }),
    electrician: technician('E', 'Eve Electric', { skills: [{ skill: 'electrical', level: 4 }], zoneIds: [zones.south.id], color: 'orange' }),
  };
  const customer = (name: string, extra: Record<string, unknown>) =>
    okAs<Customer>(t, 'dispatcher', 'homeServices.customers.create', { name, address: `${serial} ${name} Street`, phone: '0821234567', ...extra });
  const customers = {
    north: customer('North Home', { zoneId: zones.north.id, ...northOf(BASE, 2000) }),
    south: customer('South Home', { zoneId: zones.south.id, ...northOf(BASE, -3000), email: 'south@example.com' }),
    noCoordinates: customer('Unmapped Home', { zoneId: zones.north.id }),
  };
  const fixture = { zones, services, technicians, customers };
  fixtures.set(t, fixture);
  return fixture;
}

let customers = 0;
/** A customer of their own for each booking, so no two samples ever book the same customer twice. */
export function freshCustomer(t: TestApp, zone: 'north' | 'south'): Customer {
  const f = fixtures.get(t);
  if (!f) throw new Error('fieldFixture(t) first');
  customers += 1;
  const place = zone === 'north' ? northOf(BASE, 1500 + customers * 10) : northOf(BASE, -2500 - customers * 10);
  return okAs<Customer>(t, 'dispatcher', 'homeServices.customers.create', {
    name: `Customer ${customers}`,
    address: `${customers} ${zone === 'north' ? 'Northern' : 'Southern'} Avenue`,
    phone: '0829876543',
    zoneId: f.zones[zone].id,
    ...place,
  });
}

export type Slots = { slots: { startsAt: string; endsAt: string; technicianIds: string[]; capacityLeft: number }[]; eligibleTechnicians: number; explanation: string | null };

export function firstFree(t: TestApp, as: string, input: { customerId: string; serviceId: string; technicianId?: string; from?: string; days?: number }): string {
  const found = okAs<Slots>(t, as, 'homeServices.scheduling.availability', { ...input, limit: 1 });
  const slot = found.slots[0];
  if (!slot) throw new Error(`no free slot: ${found.explanation}`);
  return slot.startsAt;
}

let keys = 0;
export const idempotencyKey = () => `test-${Date.now().toString(36)}-${(keys += 1)}`;

/** Books the first free slot (optionally onto a technician) and answers the appointment. */
export function bookFirstFree(
  t: TestApp,
  input: { customerId: string; serviceId: string; technicianId?: string; from?: string; priority?: string; channel?: string },
  as = 'dispatcher',
): Appointment {
  const startsAt = firstFree(t, as, { customerId: input.customerId, serviceId: input.serviceId, technicianId: input.technicianId, from: input.from });
  return okAs<{ appointment: Appointment }>(t, as, 'homeServices.scheduling.book', { ...input, startsAt }, { idempotencyKey: idempotencyKey() }).appointment;
}

export const jobOf = (t: TestApp, appointment: Appointment, as = 'dispatcher') => okAs<Job>(t, as, 'homeServices.dispatch.get', { id: appointment.jobId });

/** Runs `body` with the store's clock at `at` (the pipeline stamps and checks times with it). */
export function at<T>(t: TestApp, instant: string | Date, body: () => T): T {
  const real = t.kernel.clock;
  const fixed = new Date(instant);
  t.kernel.clock = () => fixed;
  try {
    return body();
  } finally {
    t.kernel.clock = real;
  }
}
