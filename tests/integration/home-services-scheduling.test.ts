import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import type { Technician, Zone } from '../../src-shared/contracts/home-services/master-data';
import { onAppointmentCancelled, onAppointmentNoShow, beforeBooking, type AppointmentCancelled } from '../../src-main/modules/home-services/events';
import { ruleViolation } from '../../src-shared/errors';
import { sqlGet } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { callAs, fieldFixture, idempotencyKey, okAs, type FieldFixture, type Slots } from '../support/home-services';

/*
 * Appointment scheduling through the pipeline on a real store, with the store's clock held at
 * Monday 2 March 2026 07:00 in Johannesburg (05:00 UTC; no daylight saving there) and moved as
 * each test needs. Technicians work Mon–Fri 08:00–17:00 with a 12:30–13:00 lunch; the minimum
 * notice is 120 minutes, so the first bookable start is 09:00 local.
 */
const MONDAY_0700 = Date.parse('2026-03-02T05:00:00Z');
let now = MONDAY_0700;
let t: TestApp;
let f: FieldFixture;

beforeAll(() => {
  t = openTestApp({ clock: () => new Date(now) });
  f = fieldFixture(t);
  // Each test books on a Monday of its own, months ahead; the default 90-day horizon is tested on its own.
  const horizon = okAs<{ key: string; version: number }[]>(t, 'admin', 'admin.settings.list', {}).find((s) => s.key === 'homeServices.scheduling.horizonDays')!;
  okAs(t, 'admin', 'admin.settings.update', { key: horizon.key, version: horizon.version, value: 730 });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  now = MONDAY_0700;
});

const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const local = (date: string, time: string) => new Date(`${date}T${time}:00+02:00`).toISOString();
const ok = <T>(as: string, procedure: string, input: unknown) => okAs<T>(t, as, procedure, input, { idempotencyKey: idempotencyKey() });
const call = (as: string, procedure: string, input: unknown) => callAs(t, as, procedure, input, { idempotencyKey: idempotencyKey() });
const book = (input: Record<string, unknown>, as = 'dispatcher') => ok<{ appointment: Appointment; series: Appointment[] }>(as, 'homeServices.scheduling.book', input);
const availability = (input: Record<string, unknown>) => okAs<Slots>(t, 'dispatcher', 'homeServices.scheduling.availability', input);

/** Four weeks of its own for each test, so bookings (and series) of one test never fill another's slots. */
let weekOffset = 0;
function freshMonday(): string {
  weekOffset += 4;
  const d = new Date(Date.UTC(2026, 2, 2 + 7 * weekOffset));
  return d.toISOString().slice(0, 10);
}

describe('master data', () => {
  it('keeps technicians with skills and levels, zones, weekly hours and breaks', () => {
    const list = okAs<Technician[]>(t, 'dispatcher', 'homeServices.technicians.list', {});
    const plumber = list.find((x) => x.id === f.technicians.plumber.id)!;
    expect(plumber.skills).toEqual([{ skill: 'plumbing', level: 3 }]);
    expect(plumber.zones.map((z) => z.id)).toEqual([f.zones.north.id]);
    expect(plumber.hours).toContainEqual({ weekday: 1, start: '08:00', end: '17:00' });
    expect(plumber.breaks).toContainEqual({ weekday: 1, start: '12:30', end: '13:00' });
  });

  it('refuses a break outside the shift, and a technician without the admin permission', () => {
    const input = { code: 'BAD', name: 'Bad Hours', skills: [], zoneIds: [], hours: [{ weekday: 1, start: '08:00', end: '12:00' }], breaks: [{ weekday: 1, start: '12:30', end: '13:00' }] };
    const refused = callAs(t, 'admin', 'homeServices.technicians.create', input);
    expect(refused.ok ? null : refused.error.details?.rule).toBe('technician.breakOutsideShift');
    expect(callAs(t, 'dispatcher', 'homeServices.technicians.create', input)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
  });

  it('numbers customers and finds them by name, phone or number', () => {
    const page = okAs<{ rows: { customerNo: string; name: string }[]; total: number }>(t, 'dispatcher', 'homeServices.customers.list', { search: 'North Home' });
    expect(page.rows.map((c) => c.name)).toContain('North Home');
    expect(f.customers.north.customerNo).toMatch(/^C-\d{6}$/);
    const both = callAs(t, 'dispatcher', 'homeServices.customers.create', { name: 'Half Mapped', address: '1 Nowhere', lat: -26 });
    expect(both.ok ? null : both.error.code).toBe('VALIDATION');
  });

  it('renames a zone, keeping its code, and refuses a stale rename, an unknown zone and a dispatcher', () => {
    const zone = ok<Zone>('admin', 'homeServices.zones.create', { code: 'HBR', name: 'Habour' });
    // No hours and no skills: never offered for work, so the other tests' availability is untouched.
    const covering = ok<Technician>('admin', 'homeServices.technicians.create', { code: 'HBR-1', name: 'Harbour Hand', skills: [], zoneIds: [zone.id], hours: [] });
    const rename = { id: zone.id, version: zone.version, name: 'Harbour' };

    expect(call('dispatcher', 'homeServices.zones.update', rename)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(call('admin', 'homeServices.zones.update', { ...rename, name: ' ' })).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'name' }] } } });
    const renamed = ok<Zone>('admin', 'homeServices.zones.update', rename);
    expect(renamed).toMatchObject({ code: 'HBR', name: 'Harbour', technicianCount: 1, version: zone.version + 1 });
    // The technicians covering it show the new name; the code they are listed by stays.
    const technician = okAs<Technician[]>(t, 'dispatcher', 'homeServices.technicians.list', {}).find((x) => x.id === covering.id)!;
    expect(technician.zones).toEqual([{ id: zone.id, code: 'HBR', name: 'Harbour' }]);

    // A second dialog still holding the old version would overwrite the first rename unseen.
    expect(call('admin', 'homeServices.zones.update', { ...rename, name: 'Harbour and docks' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
    expect(call('admin', 'homeServices.zones.update', { ...rename, id: 'no-such-zone' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    // The code is not an input: it cannot be changed through a rename.
    expect(call('admin', 'homeServices.zones.update', { ...rename, version: renamed.version, code: 'DOCK' })).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });

    const history = okAs<{ rows: { action: string; before: Zone | null; after: Zone }[] }>(t, 'admin', 'audit.list', { entity: 'hsZone', entityId: zone.id });
    expect(history.rows[0]).toMatchObject({ action: 'updated', before: { name: 'Habour' }, after: { name: 'Harbour' } });
  });
});

describe('availability', () => {
  it('starts at the minimum notice and offers only technicians with the skills and zone', () => {
    const found = availability({ customerId: f.customers.north.id, serviceId: f.services.repair.id, limit: 3 });
    expect(found.slots.map((s) => s.startsAt)).toEqual([local('2026-03-02', '09:00'), local('2026-03-02', '09:30'), local('2026-03-02', '10:00')]);
    expect(new Set(found.slots[0]!.technicianIds)).toEqual(new Set([f.technicians.plumber.id, f.technicians.allRounder.id]));
    expect(found.eligibleTechnicians).toBe(2);
    const south = availability({ customerId: f.customers.south.id, serviceId: f.services.repair.id, limit: 1 });
    expect(south.slots[0]!.technicianIds).toEqual([f.technicians.allRounder.id]);
  });

  it('skips lunch, the weekend and the end of the working day', () => {
    const monday = freshMonday();
    const found = availability({
      customerId: f.customers.north.id,
      serviceId: f.services.repair.id,
      technicianId: f.technicians.plumber.id,
      from: local(monday, '11:00'),
      limit: 20,
    });
    const times = found.slots.map((s) => new Date(Date.parse(s.startsAt) + 2 * 3_600_000).toISOString().slice(11, 16));
    // A 60-minute job: 11:00, 11:30 fit before lunch at 12:30; 12:00 would run into it.
    expect(times.slice(0, 4)).toEqual(['11:00', '11:30', '13:00', '13:30']);
    expect(times).not.toContain('16:30');
  });

  it('says why nothing can be found', () => {
    const found = availability({ customerId: f.customers.south.id, serviceId: f.services.repair.id, technicianId: f.technicians.plumber.id });
    expect(found.slots).toEqual([]);
    expect(found.explanation).toMatch(/lacks a skill|zone/);
  });
});

describe('booking', () => {
  it('books onto a technician (job assigned) or into the pool (job unassigned), checked inside the transaction', () => {
    const monday = freshMonday();
    const onTech = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    expect(onTech.appointment).toMatchObject({ status: 'confirmed', technicianId: f.technicians.plumber.id, jobState: 'assigned', durationMinutes: 60, priceMinor: 65000 });
    expect(onTech.appointment.number).toMatch(/^BK-\d{6}$/);
    const pooled = book({ customerId: f.customers.south.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), confirmed: false, channel: 'online' });
    expect(pooled.appointment).toMatchObject({ status: 'requested', technicianId: null, jobState: 'unassigned', channel: 'online' });
  });

  it('refuses a slot the pool cannot cover with CONFLICT and the next free slots', () => {
    const monday = freshMonday();
    const slot = local(monday, '10:00');
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: slot });
    book({ customerId: f.customers.north.id, serviceId: f.services.inspect.id, startsAt: slot, technicianId: f.technicians.allRounder.id });
    // Both plumbing technicians are taken at 10:00 (one by the pool booking, one by the inspection).
    const answer = call('dispatcher', 'homeServices.scheduling.book', { customerId: f.customers.noCoordinates.id, serviceId: f.services.repair.id, startsAt: slot });
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.error.code).toBe('CONFLICT');
    const next = answer.error.details?.nextSlots as { startsAt: string }[];
    expect(next.length).toBeGreaterThan(0);
    expect(next.every((s) => s.startsAt !== slot && s.startsAt > slot)).toBe(true);
  });

  it('keeps travel and the buffer free around a technician’s booking', () => {
    const monday = freshMonday();
    // 09:00–10:00 with 10 min clean-up and 20 min travel: the next repair may start at 10:30 (10:00 + 10 + 20).
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    const tooSoon = call('dispatcher', 'homeServices.scheduling.book', {
      customerId: f.customers.north.id,
      serviceId: f.services.repair.id,
      startsAt: local(monday, '10:00'),
      technicianId: f.technicians.plumber.id,
    });
    expect(tooSoon.ok ? null : tooSoon.error.code).toBe('CONFLICT');
    const next = availability({ customerId: f.customers.north.id, serviceId: f.services.repair.id, technicianId: f.technicians.plumber.id, from: local(monday, '09:00'), limit: 1 });
    expect(next.slots[0]!.startsAt).toBe(local(monday, '10:30'));
  });

  it('refuses bookings inside the minimum notice, beyond the horizon, or twice for the same customer', () => {
    const notice = call('dispatcher', 'homeServices.scheduling.book', { customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local('2026-03-02', '08:30') });
    expect(notice.ok ? null : notice.error.details?.rule).toBe('booking.minimumNotice');
    const horizon = call('dispatcher', 'homeServices.scheduling.book', { customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local('2028-03-10', '09:00') });
    expect(horizon.ok ? null : horizon.error.details?.rule).toBe('booking.horizon');
    const monday = freshMonday();
    book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(monday, '14:00') });
    const twice = call('dispatcher', 'homeServices.scheduling.book', { customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(monday, '14:00') });
    expect(twice.ok ? null : twice.error.details?.rule).toBe('booking.duplicate');
  });

  it('answers a retried click with the first booking', () => {
    const monday = freshMonday();
    const input = { customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '15:00') };
    const key = idempotencyKey();
    const first = okAs<{ appointment: Appointment }>(t, 'dispatcher', 'homeServices.scheduling.book', input, { idempotencyKey: key });
    const again = okAs<{ appointment: Appointment }>(t, 'dispatcher', 'homeServices.scheduling.book', input, { idempotencyKey: key });
    expect(again.appointment.id).toBe(first.appointment.id);
    expect(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM hs_appointments WHERE starts_at = ? AND customer_id = ?', first.appointment.startsAt, f.customers.north.id)!.n).toBe(1);
  });

  it('limits a service to its slot capacity branch-wide', () => {
    const monday = freshMonday();
    book({ customerId: f.customers.north.id, serviceId: f.services.camera.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    const second = call('dispatcher', 'homeServices.scheduling.book', {
      customerId: f.customers.south.id,
      serviceId: f.services.camera.id,
      startsAt: local(monday, '09:30'),
      technicianId: f.technicians.allRounder.id,
    });
    expect(second.ok ? null : second.error.message).toMatch(/Only 1 of this service/);
  });

  it('lets subscription billing veto a booking through the beforeBooking guard', () => {
    const off = beforeBooking('test.allowance', (_ctx, booking) => {
      if (booking.serviceSku === f.services.inspect.sku) throw ruleViolation('subscription.allowanceUsed', 'No inspections left this period');
    });
    try {
      const refused = call('dispatcher', 'homeServices.scheduling.book', { customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(freshMonday(), '09:00') });
      expect(refused.ok ? null : refused.error.details?.rule).toBe('subscription.allowanceUsed');
    } finally {
      off();
    }
  });
});

describe('recurring appointments', () => {
  it('books a weekly series at the same local time and previews it first', () => {
    const monday = freshMonday();
    const input = { customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '11:00'), technicianId: f.technicians.plumber.id };
    const preview = okAs<{ startsAt: string; free: boolean }[]>(t, 'dispatcher', 'homeServices.scheduling.previewSeries', { ...input, recurrence: { frequency: 'weekly', count: 4 } });
    expect(preview.map((p) => p.free)).toEqual([true, true, true, true]);
    const { series } = book({ ...input, recurrence: { frequency: 'weekly', interval: 1, count: 4 } });
    expect(series.map((a) => a.seriesIndex)).toEqual([1, 2, 3, 4]);
    expect(series.map((a) => new Date(Date.parse(a.startsAt) + 2 * 3_600_000).toISOString().slice(11, 16))).toEqual(['11:00', '11:00', '11:00', '11:00']);
    expect(new Set(series.map((a) => a.seriesId)).size).toBe(1);
  });

  it('refuses the whole series when one occurrence collides, naming it', () => {
    const monday = freshMonday();
    const week2 = new Date(Date.parse(`${monday}T00:00:00Z`) + 7 * 86_400_000).toISOString().slice(0, 10);
    book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(week2, '13:00'), technicianId: f.technicians.allRounder.id });
    const answer = call('dispatcher', 'homeServices.scheduling.book', {
      customerId: f.customers.north.id,
      serviceId: f.services.repair.id,
      startsAt: local(monday, '13:30'),
      technicianId: f.technicians.allRounder.id,
      recurrence: { frequency: 'weekly', count: 3 },
    });
    expect(answer.ok ? null : answer.error.message).toMatch(/^Occurrence 2 \(/);
    expect(sqlGet<{ n: number }>(t.kernel.db, `SELECT count(*) AS n FROM hs_appointments WHERE starts_at = ?`, local(monday, '13:30'))!.n).toBe(0);
  });

  it('moves one occurrence on its own (detached), or the rest of the series by the same shift', () => {
    const monday = freshMonday();
    const { series } = book({
      customerId: f.customers.north.id,
      serviceId: f.services.repair.id,
      startsAt: local(monday, '09:00'),
      technicianId: f.technicians.plumber.id,
      recurrence: { frequency: 'weekly', count: 3 },
    });
    const [first, second, third] = series as [Appointment, Appointment, Appointment];
    const moved = ok<{ appointment: Appointment }>('dispatcher', 'homeServices.scheduling.reschedule', {
      id: first.id,
      version: first.version,
      startsAt: local(monday, '14:00'),
      reasonCode: 'customer_request',
    });
    expect(moved.appointment).toMatchObject({ status: 'rescheduled', detached: true, technicianId: f.technicians.plumber.id, rescheduleCount: 1 });
    const shifted = ok<{ moved: number }>('dispatcher', 'homeServices.scheduling.reschedule', {
      id: second.id,
      version: second.version,
      startsAt: new Date(Date.parse(second.startsAt) + 86_400_000 + 3_600_000).toISOString(),
      reasonCode: 'customer_request',
      scope: 'series',
    });
    expect(shifted.moved).toBe(2);
    const after = okAs<{ series: Appointment[] }>(t, 'dispatcher', 'homeServices.scheduling.get', { id: third.id }).series;
    expect(after.map((a) => a.localDate)).toEqual([monday, addDays(second.localDate, 1), addDays(third.localDate, 1)]);
    expect(after.slice(1).every((a) => new Date(Date.parse(a.startsAt) + 2 * 3_600_000).toISOString().slice(11, 16) === '10:00')).toBe(true);
  });
});

describe('reschedule, cancel and no-show', () => {
  it('keeps the technician when still free, else sends the job back to the tray', () => {
    const monday = freshMonday();
    const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id }).appointment;
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '15:00'), technicianId: f.technicians.plumber.id });
    const moved = ok<{ appointment: Appointment; unassigned: number }>('dispatcher', 'homeServices.scheduling.reschedule', {
      id: a.id,
      version: a.version,
      startsAt: local(monday, '15:00'),
      reasonCode: 'technician_unavailable',
    });
    expect(moved.unassigned).toBe(1);
    expect(moved.appointment).toMatchObject({ technicianId: null, jobState: 'unassigned' });
    const stale = call('dispatcher', 'homeServices.scheduling.reschedule', { id: a.id, version: a.version, startsAt: local(monday, '16:00'), reasonCode: 'other' });
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
  });

  it('marks a cancellation inside the window as late and tells billing inside the transaction', () => {
    const seen: AppointmentCancelled[] = [];
    const off = onAppointmentCancelled('test.cancel', (ctx, event) => {
      // Inside the transaction: the appointment already reads as cancelled.
      expect(sqlGet<{ status: string }>(ctx.db, 'SELECT status FROM hs_appointments WHERE id = ?', event.appointmentId)!.status).toBe('cancelled');
      seen.push(event);
    });
    try {
      const monday = freshMonday();
      const early = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00') }).appointment;
      // Today at 14:00, seven hours away: inside the 24-hour window.
      const late = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local('2026-03-02', '14:00') }).appointment;
      const notLate = ok<{ lateCancel: boolean; appointment: Appointment }>('dispatcher', 'homeServices.scheduling.cancel', { id: early.id, version: early.version, reasonCode: 'customer_request' });
      expect(notLate.lateCancel).toBe(false);
      expect(notLate.appointment).toMatchObject({ status: 'cancelled', jobState: 'cancelled', cancelReasonCode: 'customer_request' });
      const inside = ok<{ lateCancel: boolean }>('dispatcher', 'homeServices.scheduling.cancel', { id: late.id, version: late.version, reasonCode: 'other', note: 'Customer travelling' });
      expect(inside.lateCancel).toBe(true);
      expect(seen.map((e) => [e.appointmentId, e.late, e.serviceSku])).toEqual([
        [early.id, false, f.services.repair.sku],
        [late.id, true, f.services.repair.sku],
      ]);
    } finally {
      off();
    }
  });

  it('records a no-show only once the appointment has started', () => {
    const noShows: string[] = [];
    const off = onAppointmentNoShow('test.noShow', (_ctx, event) => noShows.push(event.appointmentId));
    try {
      const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local('2026-03-02', '16:00') }).appointment;
      const early = call('dispatcher', 'homeServices.scheduling.markNoShow', { id: a.id, version: a.version, reason: 'Nobody home' });
      expect(early.ok ? null : early.error.details?.rule).toBe('appointment.notStarted');
      now = Date.parse(local('2026-03-02', '16:20'));
      const marked = ok<Appointment>('dispatcher', 'homeServices.scheduling.markNoShow', { id: a.id, version: a.version, reason: 'Nobody home' });
      expect(marked).toMatchObject({ status: 'no_show', jobState: 'cancelled' });
      expect(noShows).toEqual([a.id]);
      const again = call('dispatcher', 'homeServices.scheduling.cancel', { id: a.id, version: marked.version, reasonCode: 'other' });
      expect(again.ok ? null : again.error.details?.rule).toBe('appointment.transition');
    } finally {
      off();
    }
  });
});

describe('calendar, reminders and the report', () => {
  it('shows a technician’s day with working time, lunch, bookings and capacity', () => {
    const monday = freshMonday();
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    const cal = okAs<{ technicians: { id: string; days: { working: unknown[]; breaks: unknown[]; appointments: Appointment[]; availableMinutes: number; bookedMinutes: number }[] }[] }>(
      t,
      'dispatcher',
      'homeServices.scheduling.calendar',
      { from: monday, days: 5, technicianId: f.technicians.plumber.id },
    );
    const [day] = cal.technicians[0]!.days;
    expect(day).toMatchObject({ availableMinutes: 510, bookedMinutes: 60, working: [{ startsAt: local(monday, '08:00'), endsAt: local(monday, '17:00') }], breaks: [{ startsAt: local(monday, '12:30'), endsAt: local(monday, '13:00') }] });
    expect(day!.appointments).toHaveLength(1);
    expect(cal.technicians[0]!.days).toHaveLength(5);
  });

  it('queues reminders by phone or e-mail at their offsets', () => {
    now = Date.parse(local('2026-04-30', '08:00'));
    const a = book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local('2026-05-01', '14:00') }).appointment;
    now = Date.parse(local('2026-05-01', '12:30'));
    const queue = okAs<{ reminders: { appointmentId: string; sendAt: string; channel: string; state: string; to: string; message: string }[] }>(t, 'dispatcher', 'homeServices.scheduling.reminders', { hours: 24 });
    const mine = queue.reminders.filter((r) => r.appointmentId === a.id);
    expect(mine.map((r) => [r.sendAt, r.state, r.channel])).toEqual([
      [local('2026-04-30', '14:00'), 'due', 'sms'],
      [local('2026-05-01', '12:00'), 'due', 'sms'],
    ]);
    expect(mine[0]!.message).toContain('14:00');
  });

  it('counts bookings, cancellations (late ones apart) and no-shows by day and by channel', () => {
    const from = '2026-08-03';
    now = Date.parse(local('2026-07-31', '08:00'));
    const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(from, '09:00'), channel: 'phone' }).appointment;
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(from, '11:00'), channel: 'online' });
    book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local('2026-08-04', '09:00'), channel: 'online' });
    now = Date.parse(local('2026-08-02', '15:00'));
    ok('dispatcher', 'homeServices.scheduling.cancel', { id: a.id, version: a.version, reasonCode: 'customer_request' });
    const byDay = okAs<{ rows: { key: string; bookings: number; cancelled: number; lateCancellations: number; bookedMinutes: number }[]; totals: { bookings: number } }>(
      t,
      'supervisor',
      'homeServices.scheduling.report',
      { from, to: '2026-08-04', period: 'day' },
    );
    expect(byDay.rows.map((r) => [r.key, r.bookings, r.cancelled, r.lateCancellations, r.bookedMinutes])).toEqual([
      ['2026-08-03', 2, 1, 1, 60],
      ['2026-08-04', 1, 0, 0, 90],
    ]);
    expect(byDay.totals.bookings).toBe(3);
    const byChannel = okAs<{ rows: { key: string; label: string; bookings: number }[] }>(t, 'supervisor', 'homeServices.scheduling.report', { from, to: '2026-08-04', groupBy: 'channel' });
    expect(byChannel.rows.map((r) => [r.label, r.bookings])).toEqual([
      ['Online', 2],
      ['Phone', 1],
    ]);
    const byService = okAs<{ rows: { label: string; bookings: number; cancelled: number }[] }>(t, 'supervisor', 'homeServices.scheduling.report', { from, to: '2026-08-04', groupBy: 'service' });
    expect(byService.rows.map((r) => [r.label, r.bookings, r.cancelled]).sort()).toEqual(
      [
        [`${f.services.inspect.sku} ${f.services.inspect.name}`, 1, 0],
        [`${f.services.repair.sku} ${f.services.repair.name}`, 2, 1],
      ].sort(),
    );
    // Monday 3 and Tuesday 4 August share a week and a month.
    for (const period of ['week', 'month'] as const) {
      const rows = okAs<{ rows: { bookings: number; cancelled: number }[] }>(t, 'supervisor', 'homeServices.scheduling.report', { from, to: '2026-08-04', period }).rows;
      expect(rows.map((r) => [r.bookings, r.cancelled]), period).toEqual([[3, 1]]);
    }
  });
});
