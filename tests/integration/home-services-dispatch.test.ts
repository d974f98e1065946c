import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import type { Candidate, Job } from '../../src-shared/contracts/home-services/dispatch';
import { sqlRun } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { callAs, fieldFixture, idempotencyKey, okAs, type FieldFixture } from '../support/home-services';

/*
 * Technician dispatch through the pipeline: the board, suggestions that explain themselves,
 * assignment rules, reassignment with reasons, time off sending work back to the tray, the SLA
 * by priority, en route by the technician themselves, utilisation, and the database's own guard
 * against double-booking a technician.
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
  weekOffset += 2;
  return new Date(Date.UTC(2026, 2, 2 + 7 * weekOffset)).toISOString().slice(0, 10);
}
const book = (input: Record<string, unknown>) =>
  okAs<{ appointment: Appointment }>(t, 'dispatcher', 'homeServices.scheduling.book', input, { idempotencyKey: idempotencyKey() }).appointment;
const jobById = (id: string) => okAs<Job>(t, 'dispatcher', 'homeServices.dispatch.get', { id });
const job = (a: Appointment) => jobById(a.jobId);
const suggest = (jobId: string) => okAs<{ candidates: Candidate[] }>(t, 'dispatcher', 'homeServices.dispatch.suggest', { jobId }).candidates;

describe('the board', () => {
  it('shows each technician’s day with capacity in hours, and the unassigned tray', () => {
    const monday = freshMonday();
    const onPlumber = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    const pooled = book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(monday, '10:00') });
    now = Date.parse(local(monday, '07:00'));
    const board = okAs<{
      technicians: { id: string; capacityMinutes: number; bookedMinutes: number; jobs: Job[]; working: unknown[]; breaks: unknown[] }[];
      unassigned: Job[];
    }>(t, 'dispatcher', 'homeServices.dispatch.board', { date: monday });
    const plumber = board.technicians.find((x) => x.id === f.technicians.plumber.id)!;
    expect(plumber).toMatchObject({ capacityMinutes: 510, bookedMinutes: 60 });
    expect(plumber.jobs.map((j) => j.appointmentId)).toEqual([onPlumber.id]);
    expect(board.unassigned.map((j) => j.appointmentId)).toEqual([pooled.id]);
    expect(board.technicians.map((x) => x.id)).toContain(f.technicians.electrician.id);
  });
});

describe('suggestions and assignment', () => {
  it('ranks the eligible technicians and says why the others cannot go', () => {
    const monday = freshMonday();
    // The all-rounder already has a morning job: the plumber, with nothing booked, comes first.
    book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.allRounder.id });
    const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '14:00') });
    const candidates = suggest(a.jobId);
    expect(candidates.map((c) => [c.technicianId, c.rank])).toEqual([
      [f.technicians.plumber.id, 1],
      [f.technicians.allRounder.id, 2],
      [f.technicians.electrician.id, null],
    ]);
    const best = candidates[0]!;
    expect(best.reasons[0]).toBe('On time');
    expect(best.reasons).toContain(`Covers zone ${f.zones.north.code}`);
    expect(best.reasons.some((r) => /km from home base ≈ \d+ min at 30 km\/h/.test(r))).toBe(true);
    expect(candidates[1]!.reasons.some((r) => r.includes(' from BK-'))).toBe(true);
    expect(candidates[2]!.blockers).toEqual(['Lacks the skill plumbing', `Does not cover zone ${f.zones.north.code}`]);
  });

  it('assigns the suggestion, refuses an ineligible technician and a stale version', () => {
    const monday = freshMonday();
    const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00') });
    const before = job(a);
    const refused = callAs(t, 'dispatcher', 'homeServices.dispatch.assign', { jobId: before.id, version: before.version, technicianId: f.technicians.electrician.id });
    expect(refused.ok ? null : refused.error.details?.rule).toBe('dispatch.notEligible');
    const assigned = okAs<Job>(t, 'dispatcher', 'homeServices.dispatch.assign', { jobId: before.id, version: before.version, technicianId: f.technicians.plumber.id });
    expect(assigned).toMatchObject({ state: 'assigned', technicianId: f.technicians.plumber.id });
    const stale = callAs(t, 'dispatcher', 'homeServices.dispatch.assign', { jobId: before.id, version: before.version, technicianId: f.technicians.allRounder.id });
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
    const again = callAs(t, 'dispatcher', 'homeServices.dispatch.assign', { jobId: before.id, version: assigned.version, technicianId: f.technicians.allRounder.id });
    expect(again.ok ? null : again.error.details?.rule).toBe('job.transition');
  });

  it('will not give a technician two jobs at once', () => {
    const monday = freshMonday();
    book({ customerId: f.customers.north.id, serviceId: f.services.camera.id, startsAt: local(monday, '10:00'), technicianId: f.technicians.plumber.id });
    const pooled = job(book({ customerId: f.customers.noCoordinates.id, serviceId: f.services.repair.id, startsAt: local(monday, '10:30') }));
    const refused = callAs(t, 'dispatcher', 'homeServices.dispatch.assign', { jobId: pooled.id, version: pooled.version, technicianId: f.technicians.plumber.id });
    expect(refused.ok ? null : refused.error.message).toMatch(/Already has BK-\d+ at 10:00–11:00/);
  });

  it('reassigns with a reason and returns a job to the tray', () => {
    const monday = freshMonday();
    const a = job(book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '11:00'), technicianId: f.technicians.plumber.id }));
    const moved = okAs<Job>(t, 'dispatcher', 'homeServices.dispatch.reassign', {
      jobId: a.id,
      version: a.version,
      technicianId: f.technicians.allRounder.id,
      reasonCode: 'running_late',
    });
    expect(moved).toMatchObject({ technicianId: f.technicians.allRounder.id, reassignCount: 1, lastReasonCode: 'running_late' });
    const tray = okAs<Job>(t, 'dispatcher', 'homeServices.dispatch.reassign', { jobId: a.id, version: moved.version, technicianId: null, reasonCode: 'vehicle', note: 'Van in the shop' });
    expect(tray).toMatchObject({ state: 'unassigned', technicianId: null, reassignCount: 2, lastReason: 'Van in the shop' });
    const trail = okAs<{ action: string; reason: string | null }[]>(t, 'supervisor', 'audit.trail', { entity: 'hsJob', entityId: a.id });
    expect(trail.map((e) => e.action)).toEqual(['created assigned', 'reassigned', 'returned to tray']);
    expect(trail.at(-1)!.reason).toBe('Vehicle or equipment problem: Van in the shop');
  });

  it('sends a technician’s work inside new time off back to the tray', () => {
    const monday = freshMonday();
    const a = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    const b = book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '15:00'), technicianId: f.technicians.plumber.id });
    const added = okAs<{ unassignedJobIds: string[] }>(t, 'dispatcher', 'homeServices.timeOff.add', {
      technicianId: f.technicians.plumber.id,
      startsAt: local(monday, '13:00'),
      endsAt: local(monday, '17:00'),
      reason: 'Dentist',
    });
    expect(added.unassignedJobIds).toEqual([b.jobId]);
    expect(job(a).state).toBe('assigned');
    const candidates = suggest(b.jobId);
    expect(candidates.find((c) => c.technicianId === f.technicians.plumber.id)!.blockers[0]).toMatch(/Outside working time/);
  });
});

describe('in the field', () => {
  it('lets a technician set off on their own jobs only', () => {
    const monday = freshMonday();
    const mine = job(book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id }));
    const theirs = job(book({ customerId: f.customers.south.id, serviceId: f.services.inspect.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.electrician.id }));
    const going = okAs<Job>(t, 'technician', 'homeServices.dispatch.startTravel', { jobId: mine.id, version: mine.version });
    expect(going).toMatchObject({ state: 'en_route' });
    expect(going.enRouteAt).not.toBeNull();
    const other = callAs(t, 'technician', 'homeServices.dispatch.startTravel', { jobId: theirs.id, version: theirs.version });
    expect(other.ok ? null : other.error.details?.rule).toBe('job.notYours');
    const forbidden = callAs(t, 'technician', 'homeServices.dispatch.assign', { jobId: theirs.id, version: theirs.version, technicianId: f.technicians.plumber.id });
    expect(forbidden.ok ? null : forbidden.error.code).toBe('FORBIDDEN');
  });

  it('sets the SLA deadline by priority and shows breaches on the board', () => {
    const urgent = job(book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local('2026-03-02', '09:00'), priority: 'urgent' }));
    // Urgent: 8 hours from the request at 07:00 → 15:00 local.
    expect(urgent.slaDueAt).toBe(local('2026-03-02', '15:00'));
    expect(urgent.slaStatus).toBe('open');
    now = Date.parse(local('2026-03-02', '14:30'));
    expect(jobById(urgent.id).slaStatus).toBe('at_risk');
    now = Date.parse(local('2026-03-02', '15:30'));
    const board = okAs<{ exceptions: { jobId: string; kind: string }[] }>(t, 'dispatcher', 'homeServices.dispatch.board', { date: '2026-03-02' });
    expect(board.exceptions).toContainEqual(expect.objectContaining({ jobId: urgent.id, kind: 'sla_breached' }));
    const breached = okAs<{ rows: Job[]; totals: { breached: number } }>(t, 'dispatcher', 'homeServices.dispatch.list', { sla: 'breached', from: '2026-03-02', to: '2026-03-02' });
    expect(breached.rows.map((j) => j.id)).toContain(urgent.id);
  });
});

describe('report', () => {
  it('gives utilisation per technician as booked hours over available hours', () => {
    const day = '2027-06-07';
    now = Date.parse(local('2027-06-01', '08:00'));
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(day, '09:00'), technicianId: f.technicians.plumber.id });
    book({ customerId: f.customers.north.id, serviceId: f.services.camera.id, startsAt: local(day, '13:00'), technicianId: f.technicians.plumber.id });
    const report = okAs<{ rows: { key: string; jobs: number; bookedMinutes: number; availableMinutes: number | null; utilisation: number | null }[] }>(
      t,
      'supervisor',
      'homeServices.dispatch.report',
      { from: day, to: day, groupBy: 'technician' },
    );
    const plumber = report.rows.find((r) => r.key === f.technicians.plumber.id)!;
    expect(plumber).toMatchObject({ jobs: 2, bookedMinutes: 120, availableMinutes: 510 });
    expect(plumber.utilisation).toBeCloseTo(120 / 510, 3);
    const electrician = report.rows.find((r) => r.key === f.technicians.electrician.id)!;
    expect(electrician).toMatchObject({ jobs: 0, bookedMinutes: 0, availableMinutes: 510, utilisation: 0 });
  });
});

describe('SLA in the report', () => {
  it('counts a job on site by its deadline as met, and an open job past its deadline as breached', () => {
    const monday = freshMonday();
    now = Date.parse(local(monday, '07:00')) - 7 * 86_400_000;
    const onTime = job(book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id }));
    const missed = job(book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '11:00'), technicianId: f.technicians.plumber.id }));
    now = Date.parse(local(monday, '09:05'));
    okAs(t, 'technician', 'homeServices.dispatch.startTravel', { jobId: onTime.id, version: onTime.version });
    const travelling = jobById(onTime.id);
    okAs(t, 'technician', 'homeServices.visits.checkIn', { jobId: onTime.id, version: travelling.version, location: null });
    const sla = () =>
      okAs<{ rows: { key: string; slaMet: number; slaBreached: number }[] }>(t, 'supervisor', 'homeServices.dispatch.report', { from: monday, to: monday, groupBy: 'period' }).rows.map(
        (r) => [r.key, r.slaMet, r.slaBreached],
      );
    // Before the second job's deadline it is neither met nor breached yet.
    expect(sla()).toEqual([[monday, 1, 0]]);
    now = Date.parse(missed.slaDueAt) + 60_000;
    expect(sla()).toEqual([[monday, 1, 1]]);
  });
});

describe('the store’s own guard', () => {
  it('refuses two overlapping open jobs on one technician whatever code path writes them', () => {
    const monday = freshMonday();
    book({ customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:00'), technicianId: f.technicians.plumber.id });
    const pooled = job(book({ customerId: f.customers.noCoordinates.id, serviceId: f.services.repair.id, startsAt: local(monday, '09:30') }));
    expect(() =>
      sqlRun(t.kernel.db, `UPDATE hs_jobs SET technician_id = ?, state = 'assigned' WHERE id = ?`, f.technicians.plumber.id, pooled.id),
    ).toThrow(/technician already has a job at this time/);
    // Touching is not overlapping: 10:00 right after the 09:00–10:00 job is allowed by the store.
    const after = job(book({ customerId: f.customers.south.id, serviceId: f.services.repair.id, startsAt: local(monday, '14:00') }));
    sqlRun(t.kernel.db, `UPDATE hs_appointments SET starts_at = ?, ends_at = ? WHERE id = ?`, local(monday, '10:00'), local(monday, '11:00'), after.appointmentId);
    expect(() => sqlRun(t.kernel.db, `UPDATE hs_jobs SET technician_id = ?, state = 'assigned' WHERE id = ?`, f.technicians.plumber.id, after.id)).not.toThrow();
  });
});
