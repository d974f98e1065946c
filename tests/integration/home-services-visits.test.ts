import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import type { Job } from '../../src-shared/contracts/home-services/dispatch';
import type { Visit } from '../../src-shared/contracts/home-services/visits';
import { onVisitCompleted, type VisitCompleted } from '../../src-main/modules/home-services/events';
import { sqlGet } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { callAs, fieldFixture, idempotencyKey, northOf, okAs, type FieldFixture } from '../support/home-services';

/*
 * Home visits: check-in and check-out with location, accuracy and evidence, geofence levels,
 * completion closing the job and the appointment and telling billing, missed-visit detection (by
 * hand and as a job), and supervisor corrections with reason codes.
 */
const MONDAY_0700 = Date.parse('2026-03-02T05:00:00Z');
let now = MONDAY_0700;
let t: TestApp;
let f: FieldFixture;

beforeAll(() => {
  t = openTestApp({ clock: () => new Date(now) });
  f = fieldFixture(t, { linkTechnicianUser: true });
  const horizon = okAs<{ key: string; version: number }[]>(t, 'admin', 'admin.settings.list', {}).find((s) => s.key === 'homeServices.scheduling.horizonDays')!;
  okAs(t, 'admin', 'admin.settings.update', { key: horizon.key, version: horizon.version, value: 730 });
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  now = MONDAY_0700;
});

const local = (date: string, time: string) => new Date(`${date}T${time}:00+02:00`).toISOString();
let weekOffset = 0;
function freshMonday(): string {
  weekOffset += 1;
  return new Date(Date.UTC(2026, 2, 2 + 7 * weekOffset)).toISOString().slice(0, 10);
}
const book = (input: Record<string, unknown>) =>
  okAs<{ appointment: Appointment }>(t, 'dispatcher', 'homeServices.scheduling.book', input, { idempotencyKey: idempotencyKey() }).appointment;
const jobOf = (a: Appointment) => okAs<Job>(t, 'dispatcher', 'homeServices.dispatch.get', { id: a.jobId });
const customerAt = (metres: number, accuracyM: number) => ({ ...northOf({ lat: f.customers.north.lat!, lng: f.customers.north.lng! }, metres), accuracyM });

/** A repair at the north customer on the plumber (the `technician` user), with the clock at its start. */
function scheduledVisit(time = '09:00'): { appointment: Appointment; job: Job; date: string } {
  const date = freshMonday();
  const appointment = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(date, time), technicianId: f.technicians.plumber.id });
  now = Date.parse(local(date, time));
  return { appointment, job: jobOf(appointment), date };
}

describe('check-in and check-out', () => {
  it('verifies a visit at the door, completes job and appointment, records the EVV elements and tells billing', () => {
    const completed: VisitCompleted[] = [];
    const off = onVisitCompleted('test.visits', (ctx, event) => {
      // Inside the completing transaction: the job already reads as completed.
      expect(sqlGet<{ state: string }>(ctx.db, 'SELECT state FROM hs_jobs WHERE id = ?', event.jobId)!.state).toBe('completed');
      completed.push(event);
    });
    try {
      const { appointment, job, date } = scheduledVisit();
      const travelling = okAs<Job>(t, 'technician', 'homeServices.dispatch.startTravel', { jobId: job.id, version: job.version });
      now += 5 * 60_000;
      const onSite = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: job.id, version: travelling.version, location: customerAt(40, 10) });
      expect(onSite).toMatchObject({ status: 'in_progress', verification: 'verified', technicianId: f.technicians.plumber.id });
      expect(onSite.checkIn).toMatchObject({ distanceM: 40, level: 'verified', accuracyM: 10 });
      expect(onSite.evv.missing).toEqual(['End time']);
      now += 55 * 60_000;
      const done = okAs<Visit>(t, 'technician', 'homeServices.visits.checkOut', {
        visitId: onSite.id,
        version: onSite.version,
        location: customerAt(20, 5),
        note: 'Replaced the washer',
        signature: { dataUrl: 'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', signedBy: 'N. Home' },
        photoRefs: ['IMG_1001.jpg', 'IMG_1002.jpg'],
      });
      expect(done).toMatchObject({ status: 'completed', verification: 'verified', outcome: 'completed', minutesOnSite: 55, signedBy: 'N. Home', hasSignature: true });
      expect(done.photoRefs).toEqual(['IMG_1001.jpg', 'IMG_1002.jpg']);
      expect(done.evv).toMatchObject({ serviceType: `${f.services.repair.sku} Leak repair`, recipient: 'North Home', provider: 'Pat Plumber', date, startTime: '09:05', endTime: '10:00', missing: [] });
      const after = okAs<{ appointment: Appointment }>(t, 'dispatcher', 'homeServices.scheduling.get', { id: appointment.id }).appointment;
      expect(after).toMatchObject({ status: 'completed', jobState: 'completed', visitStatus: 'completed' });
      expect(completed).toHaveLength(1);
      expect(completed[0]).toMatchObject({
        appointmentId: appointment.id,
        customerId: f.customers.north.id,
        serviceSku: f.services.repair.sku,
        priceMinor: 65000,
        technicianId: f.technicians.plumber.id,
        checkInAt: local(date, '09:05'),
        checkOutAt: local(date, '10:00'),
        firstTimeRight: true,
        viaCorrection: false,
      });
      const detail = okAs<{ signatureDataUrl: string | null }>(t, 'supervisor', 'homeServices.visits.get', { id: done.id });
      expect(detail.signatureDataUrl).toMatch(/^data:image\/png;base64,/);
    } finally {
      off();
    }
  });

  it('rates the visit by its weakest checkpoint: warning within the GPS accuracy, exception beyond or without a fix', () => {
    const { job } = scheduledVisit();
    const warned = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: customerAt(190, 60) });
    expect(warned.verification).toBe('warning');
    now += 3_600_000;
    const out = okAs<Visit>(t, 'technician', 'homeServices.visits.checkOut', { visitId: warned.id, version: warned.version, location: null, outcome: 'follow_up' });
    expect(out.checkOut).toMatchObject({ level: 'exception', explanation: 'No location was recorded' });
    expect(out).toMatchObject({ verification: 'exception', outcome: 'follow_up' });
    const far = scheduledVisit();
    const away = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: far.job.id, version: far.job.version, location: customerAt(800, 20) });
    expect(away.checkIn).toMatchObject({ level: 'exception', distanceM: 800 });
  });

  it('refuses a check-out the clock puts before the check-in, naming the clock, and takes it once the clock is right', () => {
    const { job } = scheduledVisit();
    const onSite = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: customerAt(20, 8) });
    now -= 10 * 60_000; // the PC's clock corrected backwards during the visit
    const early = callAs(t, 'technician', 'homeServices.visits.checkOut', { visitId: onSite.id, version: onSite.version, location: customerAt(20, 8) });
    expect(early.ok ? null : early.error).toMatchObject({ code: 'RULE_VIOLATION', details: { rule: 'visit.clockBehind' } });
    expect(early.ok ? '' : early.error.message).toContain('correct the date and time');
    now += 40 * 60_000;
    const done = okAs<Visit>(t, 'technician', 'homeServices.visits.checkOut', { visitId: onSite.id, version: onSite.version, location: customerAt(20, 8) });
    expect(done.status).toBe('completed');
  });

  it('refuses a check-in on an unassigned job, a day early, on another technician’s job, or with a stale job', () => {
    const date = freshMonday();
    const pooled = jobOf(book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(date, '14:00') }));
    const theirs = jobOf(book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(date, '15:00'), technicianId: f.technicians.electrician.id }));
    now = Date.parse(local(date, '14:00'));
    const unassigned = callAs(t, 'supervisor', 'homeServices.visits.checkIn', { jobId: pooled.id, version: pooled.version, location: null });
    expect(unassigned.ok ? null : unassigned.error.details?.rule).toBe('job.transition');
    const notMine = callAs(t, 'technician', 'homeServices.visits.checkIn', { jobId: theirs.id, version: theirs.version, location: null });
    expect(notMine.ok ? null : notMine.error.details?.rule).toBe('job.notYours');
    const { job } = scheduledVisit('16:00');
    now -= 24 * 3_600_000;
    const early = callAs(t, 'technician', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: null });
    expect(early.ok ? null : early.error.details?.rule).toBe('visit.tooEarly');
    now += 24 * 3_600_000;
    const stale = callAs(t, 'technician', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version + 1, location: null });
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
    const cancelForbidden = callAs(t, 'technician', 'homeServices.scheduling.cancel', { id: job.appointmentId, version: 0, reasonCode: 'other' });
    expect(cancelForbidden.ok ? null : cancelForbidden.error.code).toBe('FORBIDDEN');
  });

  it('lists a technician their own day', () => {
    const { job, date } = scheduledVisit('11:00');
    const day = okAs<{ technician: { id: string } | null; stops: { job: Job; visit: Visit | null }[] }>(t, 'technician', 'homeServices.visits.myDay', { date });
    expect(day.technician!.id).toBe(f.technicians.plumber.id);
    expect(day.stops.map((s) => s.job.id)).toContain(job.id);
    const someoneElse = okAs<{ technician: { id: string } | null }>(t, 'technician', 'homeServices.visits.myDay', { date, technicianId: f.technicians.electrician.id });
    expect(someoneElse.technician!.id).toBe(f.technicians.plumber.id);
  });
});

describe('missed visits and corrections', () => {
  it('marks a visit missed only after its window plus grace, and a supervisor can record that it took place', () => {
    const completed: VisitCompleted[] = [];
    const off = onVisitCompleted('test.corrections', (_ctx, event) => completed.push(event));
    try {
      const { appointment, date } = scheduledVisit('09:00');
      now = Date.parse(local(date, '10:25'));
      const tooSoon = callAs(t, 'supervisor', 'homeServices.visits.markMissed', { appointmentId: appointment.id });
      expect(tooSoon.ok ? null : tooSoon.error.details?.rule).toBe('visit.notMissed');
      now = Date.parse(local(date, '10:31'));
      const missed = okAs<Visit>(t, 'supervisor', 'homeServices.visits.markMissed', { appointmentId: appointment.id });
      expect(missed).toMatchObject({ status: 'missed', verification: 'exception', checkIn: null });
      expect(missed.evv.missing).toEqual(['Date', 'Location', 'Start time', 'End time']);
      const twice = callAs(t, 'supervisor', 'homeServices.visits.markMissed', { appointmentId: appointment.id });
      expect(twice.ok ? null : twice.error.details?.rule).toBe('visit.alreadyRecorded');

      const noProof = callAs(t, 'supervisor', 'homeServices.visits.correct', { visitId: missed.id, version: missed.version, reasonCode: 'gps_failure', reason: 'Phone off', acceptLocation: true });
      expect(noProof.ok ? null : noProof.error.details?.rule).toBe('visit.missedNeedsProof');
      const technicianMayNot = callAs(t, 'technician', 'homeServices.visits.correct', { visitId: missed.id, version: missed.version, reasonCode: 'visit_happened', reason: 'I was there', checkInAt: local(date, '09:10'), checkOutAt: local(date, '10:00') });
      expect(technicianMayNot.ok ? null : technicianMayNot.error.code).toBe('FORBIDDEN');
      const corrected = okAs<Visit>(t, 'supervisor', 'homeServices.visits.correct', {
        visitId: missed.id,
        version: missed.version,
        reasonCode: 'visit_happened',
        reason: 'Customer confirmed by phone; the app crashed',
        checkInAt: local(date, '09:10'),
        checkOutAt: local(date, '10:00'),
      });
      expect(corrected).toMatchObject({ status: 'completed', verification: 'verified', corrected: true, minutesOnSite: 50 });
      expect(corrected.corrections).toHaveLength(1);
      expect(corrected.corrections[0]).toMatchObject({ reasonCode: 'visit_happened', byName: 'Sam Supervisor' });
      expect(completed.map((e) => [e.appointmentId, e.viaCorrection])).toEqual([[appointment.id, true]]);
      const trail = okAs<{ action: string; reason: string | null }[]>(t, 'auditor', 'audit.trail', { entity: 'hsVisit', entityId: missed.id });
      expect(trail.map((e) => e.action)).toEqual(['missed', 'corrected']);
      expect(trail[1]!.reason).toBe('The visit took place (confirmed with the customer): Customer confirmed by phone; the app crashed');
    } finally {
      off();
    }
  });

  it('lets a supervisor accept a location the geofence refused, with a reason', () => {
    const { job } = scheduledVisit('13:00');
    const inVisit = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: customerAt(900, 15) });
    now += 3_600_000;
    const done = okAs<Visit>(t, 'technician', 'homeServices.visits.checkOut', { visitId: inVisit.id, version: inVisit.version, location: customerAt(900, 15) });
    expect(done.verification).toBe('exception');
    const fixed = okAs<Visit>(t, 'supervisor', 'homeServices.visits.correct', { visitId: done.id, version: done.version, reasonCode: 'address_wrong', reason: 'Pin was on the neighbour’s plot', acceptLocation: true });
    expect(fixed).toMatchObject({ verification: 'verified', corrected: true });
    expect(fixed.checkIn!.level).toBe('exception');
    const list = okAs<{ rows: Visit[]; totals: { verified: number } }>(t, 'supervisor', 'homeServices.visits.list', { corrected: true });
    expect(list.rows.map((v) => v.id)).toContain(done.id);
  });

  it('counts verified, exceptions, missed and first-time-right in the report', () => {
    const day = '2027-08-02';
    now = Date.parse(local('2027-07-30', '08:00'));
    const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(day, '09:00'), technicianId: f.technicians.plumber.id });
    const b = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(day, '11:00'), technicianId: f.technicians.plumber.id });
    book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(day, '09:00'), technicianId: f.technicians.electrician.id });
    now = Date.parse(local(day, '09:00'));
    const ja = jobOf(a);
    const va = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: ja.id, version: ja.version, location: customerAt(10, 5) });
    now = Date.parse(local(day, '10:00'));
    okAs(t, 'technician', 'homeServices.visits.checkOut', { visitId: va.id, version: va.version, location: customerAt(10, 5) });
    now = Date.parse(local(day, '11:00'));
    const jb = jobOf(b);
    const vb = okAs<Visit>(t, 'technician', 'homeServices.visits.checkIn', { jobId: jb.id, version: jb.version, location: null });
    now = Date.parse(local(day, '11:45'));
    okAs(t, 'technician', 'homeServices.visits.checkOut', { visitId: vb.id, version: vb.version, location: customerAt(0, 5), outcome: 'follow_up' });
    now = Date.parse(local(day, '17:00'));
    const missedAppointment = okAs<{ rows: Appointment[] }>(t, 'dispatcher', 'homeServices.scheduling.list', { from: day, to: day, customerId: f.customers.south.id }).rows[0]!;
    okAs(t, 'supervisor', 'homeServices.visits.markMissed', { appointmentId: missedAppointment.id });
    const report = okAs<{ rows: { key: string; visits: number; completed: number; verified: number; exceptions: number; missed: number; firstTimeRight: number; minutesOnSite: number }[] }>(
      t,
      'supervisor',
      'homeServices.visits.report',
      { from: day, to: day },
    );
    expect(report.rows).toEqual([
      expect.objectContaining({ key: day, visits: 3, completed: 2, verified: 1, exceptions: 1, missed: 1, firstTimeRight: 1, minutesOnSite: 105 }),
    ]);
  });
});

describe('the missed-visit job', () => {
  it('runs in a worker and marks every overdue visit without a check-in as missed', async () => {
    // Its own store: the job runs on the real clock, so every 2026 booking here is long overdue.
    const own = openTestApp({ clock: () => new Date(MONDAY_0700) });
    try {
      const g = fieldFixture(own, { linkTechnicianUser: true });
      const bookIn = (input: Record<string, unknown>) =>
        okAs<{ appointment: Appointment }>(own, 'dispatcher', 'homeServices.scheduling.book', input, { idempotencyKey: idempotencyKey() }).appointment;
      const expected = bookIn({ customerId: g.customers.north.id, serviceId: g.services.repair.id, startsAt: local('2026-03-02', '09:00'), technicianId: g.technicians.plumber.id });
      const cancelled = bookIn({ customerId: g.customers.south.id, serviceId: g.services.inspect.id, startsAt: local('2026-03-02', '10:00') });
      okAs(own, 'dispatcher', 'homeServices.scheduling.cancel', { id: cancelled.id, version: cancelled.version, reasonCode: 'customer_request' });
      const { jobId } = okAs<{ jobId: string }>(own, 'supervisor', 'homeServices.visits.detectMissed', {});
      const job = await own.kernel.jobs.settled(jobId);
      expect(job).toMatchObject({ state: 'succeeded', result: { checked: 1, missed: 1, skipped: 0 } });
      const visits = okAs<{ rows: Visit[] }>(own, 'supervisor', 'homeServices.visits.list', { status: 'missed' });
      expect(visits.rows.map((v) => v.appointmentId)).toEqual([expected.id]);
    } finally {
      await own.close();
    }
  });
});
