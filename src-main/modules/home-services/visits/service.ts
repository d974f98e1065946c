import type { z } from 'zod';
import * as C from '../../../../src-shared/contracts/home-services/visits';
import { CORRECTION_REASONS, type LocationInput } from '../../../../src-shared/contracts/home-services/visits';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { sqlAll, sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import type { Registry } from '../../../core/rpc/registry';
import type { JobContext, JobRunners } from '../../../core/jobs/types';
import { newId } from '../../../core/util/ids';
import { JOB_ENTITY, dayBounds, jobDto, requireJob, requireOwnJob, requireTransition } from '../dispatch/service';
import { findJobRow, type JobRow } from '../dispatch/queries';
import { publish } from '../events';
import { technicianOfUser } from '../master-data/queries';
import { APPOINTMENT_ENTITY } from '../scheduling/service';
import { findAppointment, findAppointmentRow, toAppointment } from '../scheduling/queries';
import { nextStatus } from '../scheduling/rules';
import { checkRange } from '../report-helpers';
import { HOUR, iso, localDateOf, ms } from '../time';
import { findVisit, findVisitRow, listVisits, missedCandidates, visitOfJob, visitsOf, type VisitRow } from './queries';
import { buildVisitsReport, runVisitsExport, VISITS_EXPORT_JOB } from './reports';
import { geofence, isMissed, worstLevel, type GeofenceResult } from './rules';
import { visitSettings } from './settings';

type Input<T extends ProcedureContract> = z.output<T['input']>;

export const VISIT_ENTITY = 'hsVisit';
export const MISSED_VISITS_JOB = 'homeServices.visits.detectMissed';

const visitDto = (ctx: Ctx, id: string) => findVisit(ctx.db, id, ctx.branch.timeZone)!;

function requireVisit(ctx: Ctx, id: string, version: number): VisitRow {
  const row = findVisitRow(ctx.db, id);
  if (!row) throw notFound('Visit', id);
  if (row.version !== version) throw conflict('Someone changed this visit meanwhile; reload and try again');
  return row;
}

function fenceFor(ctx: Ctx, job: JobRow, location: LocationInput | null): GeofenceResult {
  const customer = job.lat !== null && job.lng !== null ? { lat: job.lat, lng: job.lng } : null;
  const { radiusM, toleranceM } = visitSettings(ctx.settings);
  return geofence(customer, location, { radiusM, toleranceM });
}

/* ---------------- check-in and check-out ---------------- */

function checkIn(ctx: Ctx, input: Input<typeof C.checkIn>) {
  const job = requireJob(ctx, input.jobId, input.version);
  const next = requireTransition(job, 'checkIn');
  requireOwnJob(ctx, job);
  if (ctx.now.getTime() < ms(job.starts_at) - visitSettings(ctx.settings).earlyCheckInHours * HOUR) {
    throw ruleViolation('visit.tooEarly', `This visit is booked for ${job.local_date}; check in when you arrive for it`);
  }
  const fence = fenceFor(ctx, job, input.location);
  const existing = visitOfJob(ctx.db, job.id);
  const values = {
    at: ctx.nowIso,
    lat: input.location?.lat ?? null,
    lng: input.location?.lng ?? null,
    accuracy: input.location?.accuracyM ?? null,
    distance: fence.distanceM,
    level: fence.level,
    explanation: fence.explanation,
    by: ctx.user().userId,
  };
  let visitId: string;
  if (existing) {
    // A visit already flagged missed: the technician turned up after all. The flag's time stays on record.
    visitId = existing.id;
    sqlRun(
      ctx.db,
      `UPDATE hs_visits SET status = 'in_progress', verification = ?, check_in_at = ?, check_in_lat = ?, check_in_lng = ?, check_in_accuracy_m = ?,
         check_in_distance_m = ?, check_in_level = ?, check_in_explanation = ?, checked_in_by = ?, technician_id = ?, evv_provider = ?,
         note = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      values.level,
      values.at,
      values.lat,
      values.lng,
      values.accuracy,
      values.distance,
      values.level,
      values.explanation,
      values.by,
      job.technician_id,
      job.technician_name,
      input.note || null,
      ctx.nowIso,
      visitId,
    );
  } else {
    visitId = newId();
    sqlRun(
      ctx.db,
      `INSERT INTO hs_visits (id, branch_id, job_id, appointment_id, service_id, evv_service_type, customer_id, evv_recipient, technician_id,
         evv_provider, local_date, status, verification, check_in_at, check_in_lat, check_in_lng, check_in_accuracy_m, check_in_distance_m,
         check_in_level, check_in_explanation, checked_in_by, note, photo_refs_json, corrected, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', 0, 0, ?, ?)`,
      visitId,
      ctx.branch.id,
      job.id,
      job.appointment_id,
      job.service_id,
      `${job.service_sku} ${job.service_name}`,
      job.customer_id,
      job.customer_name,
      job.technician_id,
      job.technician_name,
      localDateOf(ctx.now.getTime(), ctx.branch.timeZone),
      values.level,
      values.at,
      values.lat,
      values.lng,
      values.accuracy,
      values.distance,
      values.level,
      values.explanation,
      values.by,
      input.note || null,
      ctx.nowIso,
      ctx.nowIso,
    );
  }
  const jobBefore = jobDto(ctx, job);
  sqlRun(ctx.db, `UPDATE hs_jobs SET state = ?, on_site_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, next, ctx.nowIso, ctx.nowIso, job.id);
  const visit = visitDto(ctx, visitId);
  ctx.audit({ entity: VISIT_ENTITY, entityId: visitId, action: 'checked in', after: visit });
  ctx.audit({ entity: JOB_ENTITY, entityId: job.id, action: 'on site', before: jobBefore, after: jobDto(ctx, findJobRow(ctx.db, job.id)!) });
  return visit;
}

/** Closes the job and the appointment of a visit that took place, and tells package and subscription billing. */
function completeVisit(ctx: Ctx, visitId: string, viaCorrection: boolean): void {
  const visit = findVisitRow(ctx.db, visitId)!;
  const job = findJobRow(ctx.db, visit.job_id)!;
  const appointment = findAppointmentRow(ctx.db, visit.appointment_id)!;
  const jobBefore = jobDto(ctx, job);
  sqlRun(
    ctx.db,
    `UPDATE hs_jobs SET state = 'completed', on_site_at = coalesce(on_site_at, ?), completed_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    visit.check_in_at,
    visit.check_out_at,
    ctx.nowIso,
    job.id,
  );
  ctx.audit({ entity: JOB_ENTITY, entityId: job.id, action: 'completed', before: jobBefore, after: jobDto(ctx, findJobRow(ctx.db, job.id)!) });
  if (nextStatus(appointment.status, 'complete')) {
    const before = toAppointment(appointment);
    sqlRun(
      ctx.db,
      `UPDATE hs_appointments SET status = 'completed', closed_at = ?, closed_by = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      ctx.nowIso,
      ctx.user().userId,
      ctx.nowIso,
      appointment.id,
    );
    ctx.audit({ entity: APPOINTMENT_ENTITY, entityId: appointment.id, action: 'completed', before, after: findAppointment(ctx.db, appointment.id)! });
  }
  publish(ctx, 'visitCompleted', {
    visitId,
    jobId: job.id,
    appointmentId: appointment.id,
    appointmentNumber: toAppointment(appointment).number,
    customerId: appointment.customer_id,
    customerNo: appointment.customer_no,
    serviceId: appointment.service_id,
    serviceSku: appointment.service_sku,
    serviceCategory: appointment.service_category,
    priceMinor: appointment.price_minor,
    technicianId: job.technician_id!,
    scheduledStart: appointment.starts_at,
    checkInAt: visit.check_in_at!,
    checkOutAt: visit.check_out_at!,
    firstTimeRight: visit.outcome !== 'follow_up',
    seriesId: appointment.series_id,
    viaCorrection,
  });
}

function checkOut(ctx: Ctx, input: Input<typeof C.checkOut>) {
  const row = requireVisit(ctx, input.visitId, input.version);
  if (row.status !== 'in_progress') throw ruleViolation('visit.notOnSite', `This visit is ${C.VISIT_STATUS_LABELS[row.status].toLowerCase()}; only a visit on site can be checked out`);
  const job = findJobRow(ctx.db, row.job_id)!;
  requireTransition(job, 'checkOut');
  requireOwnJob(ctx, job);
  // Only a clock set back since the check-in gets here (a visit takes minutes): say so, rather than
  // answer the store's refusal of a check-out that is not after the check-in.
  if (row.check_in_at && ctx.now.getTime() <= ms(row.check_in_at)) {
    throw ruleViolation(
      'visit.clockBehind',
      `This computer's clock reads ${ctx.nowIso}, not later than the check-in at ${row.check_in_at}: correct the date and time, then check out again`,
    );
  }
  const fence = fenceFor(ctx, job, input.location);
  const before = visitDto(ctx, row.id);
  sqlRun(
    ctx.db,
    `UPDATE hs_visits SET status = 'completed', verification = ?, check_out_at = ?, check_out_lat = ?, check_out_lng = ?, check_out_accuracy_m = ?,
       check_out_distance_m = ?, check_out_level = ?, check_out_explanation = ?, checked_out_by = ?, outcome = ?,
       note = CASE WHEN ? IS NULL THEN note WHEN note IS NULL THEN ? ELSE note || char(10) || ? END,
       signature_png = ?, signed_by = ?, photo_refs_json = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    worstLevel(row.check_in_level, fence.level),
    ctx.nowIso,
    input.location?.lat ?? null,
    input.location?.lng ?? null,
    input.location?.accuracyM ?? null,
    fence.distanceM,
    fence.level,
    fence.explanation,
    ctx.user().userId,
    input.outcome,
    input.note || null,
    input.note || null,
    input.note || null,
    input.signature?.dataUrl ?? null,
    input.signature?.signedBy ?? null,
    JSON.stringify(input.photoRefs),
    ctx.nowIso,
    row.id,
  );
  const after = visitDto(ctx, row.id);
  // The journal keeps that a signature was captured, not the image (the visit row holds it).
  ctx.audit({ entity: VISIT_ENTITY, entityId: row.id, action: 'checked out', before, after });
  completeVisit(ctx, row.id, false);
  return visitDto(ctx, row.id);
}

/* ---------------- exceptions and corrections ---------------- */

function markMissed(ctx: Ctx, input: Input<typeof C.markMissed>) {
  const appointment = findAppointmentRow(ctx.db, input.appointmentId);
  if (!appointment) throw notFound('Appointment', input.appointmentId);
  const job = findJobRow(ctx.db, appointment.job_id)!;
  const { graceMinutes } = visitSettings(ctx.settings);
  const active = nextStatus(appointment.status, 'complete') !== null && ['unassigned', 'assigned', 'en_route'].includes(job.state);
  if (visitOfJob(ctx.db, job.id)) throw ruleViolation('visit.alreadyRecorded', 'This visit already has a record (checked in, or flagged missed before)');
  if (!isMissed({ windowEnd: ms(appointment.ends_at), active, checkedIn: false }, ctx.now.getTime(), graceMinutes)) {
    throw ruleViolation('visit.notMissed', `${toAppointment(appointment).number} is not missed: it is not active, or its window plus ${graceMinutes} minutes’ grace has not passed`);
  }
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_visits (id, branch_id, job_id, appointment_id, service_id, evv_service_type, customer_id, evv_recipient, technician_id,
       evv_provider, local_date, status, verification, missed_at, photo_refs_json, corrected, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'missed', 'exception', ?, '[]', 0, 0, ?, ?)`,
    id,
    ctx.branch.id,
    job.id,
    appointment.id,
    appointment.service_id,
    `${appointment.service_sku} ${appointment.service_name}`,
    appointment.customer_id,
    appointment.customer_name,
    job.technician_id,
    job.technician_name,
    appointment.local_date,
    ctx.nowIso,
    ctx.nowIso,
    ctx.nowIso,
  );
  const visit = visitDto(ctx, id);
  ctx.audit({ entity: VISIT_ENTITY, entityId: id, action: 'missed', after: visit, reason: `No check-in by ${appointment.ends_at} + ${graceMinutes} min grace` });
  return visit;
}

function correct(ctx: Ctx, input: Input<typeof C.correct>) {
  const row = requireVisit(ctx, input.visitId, input.version);
  const before = visitDto(ctx, row.id);
  const checkInAt = input.checkInAt ? iso(ms(input.checkInAt)) : row.check_in_at;
  const checkOutAt = input.checkOutAt ? iso(ms(input.checkOutAt)) : row.check_out_at;
  if (row.status === 'in_progress' && input.checkOutAt) {
    throw ruleViolation('visit.stillOnSite', 'The technician is still on site: they check out themselves; correct the check-in time only');
  }
  const becomesCompleted = row.status === 'missed';
  const job = findJobRow(ctx.db, row.job_id)!;
  if (becomesCompleted) {
    if (input.reasonCode !== 'visit_happened') throw ruleViolation('visit.missedNeedsProof', 'A missed visit is corrected only when it took place: use “The visit took place” with its times');
    if (!checkInAt || !checkOutAt) throw ruleViolation('visit.missedNeedsTimes', 'Give the check-in and check-out times of the visit that took place');
    if (!['assigned', 'en_route'].includes(job.state)) {
      throw ruleViolation(
        'visit.jobNotOpen',
        job.state === 'unassigned' ? 'Assign the technician who made the visit first' : `The job is ${job.state}; a closed booking cannot record a visit`,
      );
    }
  }
  if (checkInAt && checkOutAt && checkInAt >= checkOutAt) throw ruleViolation('visit.timesOrder', 'Check-out must be after check-in');
  if (checkOutAt && ms(checkOutAt) > ctx.now.getTime()) throw ruleViolation('visit.futureTime', 'A visit cannot end in the future');
  const changes: Record<string, unknown> = {};
  if (checkInAt !== row.check_in_at) changes.checkInAt = { from: row.check_in_at, to: checkInAt };
  if (checkOutAt !== row.check_out_at) changes.checkOutAt = { from: row.check_out_at, to: checkOutAt };
  // A supervisor's word replaces the geofence: a missed visit confirmed with the customer, or a location accepted.
  const verification = input.acceptLocation || becomesCompleted ? 'verified' : row.verification;
  if (verification !== row.verification) changes.verification = { from: row.verification, to: verification };
  if (becomesCompleted) changes.status = { from: 'missed', to: 'completed' };
  if (Object.keys(changes).length === 0) throw ruleViolation('visit.nothingToCorrect', 'The correction changes nothing');
  sqlRun(
    ctx.db,
    `UPDATE hs_visits SET check_in_at = ?, check_out_at = ?, verification = ?, status = ?, corrected = 1,
       outcome = coalesce(outcome, CASE WHEN ? THEN 'completed' END), technician_id = coalesce(technician_id, ?),
       evv_provider = coalesce(evv_provider, ?), version = version + 1, updated_at = ? WHERE id = ?`,
    checkInAt,
    checkOutAt,
    verification,
    becomesCompleted ? 'completed' : row.status,
    becomesCompleted,
    job.technician_id,
    job.technician_name,
    ctx.nowIso,
    row.id,
  );
  sqlRun(
    ctx.db,
    `INSERT INTO hs_visit_corrections (id, branch_id, visit_id, reason_code, reason, changes_json, corrected_by, corrected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    row.id,
    input.reasonCode,
    input.reason,
    JSON.stringify(changes),
    ctx.user().userId,
    ctx.nowIso,
  );
  const after = visitDto(ctx, row.id);
  ctx.audit({ entity: VISIT_ENTITY, entityId: row.id, action: 'corrected', before, after, reason: `${CORRECTION_REASONS[input.reasonCode]}: ${input.reason}` });
  if (becomesCompleted) {
    completeVisit(ctx, row.id, true);
    return visitDto(ctx, row.id);
  }
  return after;
}

function detectMissed(ctx: Ctx) {
  const jobId = ctx.jobs.start(MISSED_VISITS_JOB, 'Missed-visit check', {});
  ctx.audit({ entity: 'hsMissedVisitCheck', entityId: jobId, action: 'started' });
  return { jobId };
}

/**
 * The missed-visit job: every appointment still expected whose window ended more than the grace
 * ago without a check-in is marked missed, one pipeline call each (so each is its own audited
 * exception, and a visit checked in meanwhile is simply refused by the rule).
 */
export async function runMissedVisitCheck(job: JobContext): Promise<{ checked: number; missed: number; skipped: number }> {
  const { graceMinutes } = visitSettings(job.kernel.settings);
  const before = iso(job.kernel.clock().getTime() - graceMinutes * 60_000);
  const candidates = missedCandidates(job.kernel.db, before);
  let missed = 0;
  let skipped = 0;
  for (const [i, candidate] of candidates.entries()) {
    if (job.cancelled()) break;
    const answer = job.dispatch(C.markMissed.name, { appointmentId: candidate.id });
    if (answer.ok) missed += 1;
    else skipped += 1;
    job.progress((i + 1) / candidates.length, `${i + 1} of ${candidates.length} checked`);
  }
  return { checked: candidates.length, missed, skipped };
}

/* ---------------- views ---------------- */

function myDay(ctx: Ctx, input: Input<typeof C.myDay>) {
  const { timeZone } = ctx.branch;
  const date = input.date ?? localDateOf(ctx.now.getTime(), timeZone);
  const me = technicianOfUser(ctx.db, ctx.user().userId);
  // Technicians see their own day; others (supervisors, dispatchers) pick whose.
  const technicianId = me ? me.id : input.technicianId;
  if (!technicianId) return { date, technician: null, stops: [] };
  const tech = sqlAll<{ id: string; name: string }>(ctx.db, 'SELECT id, name FROM hs_technicians WHERE id = ?', technicianId)[0];
  if (!tech) throw notFound('Technician', technicianId);
  const day = dayBounds(date, timeZone);
  const jobs = sqlAll<{ id: string }>(
    ctx.db,
    `SELECT j.id FROM hs_jobs j JOIN hs_appointments a ON a.id = j.appointment_id
     WHERE j.technician_id = ? AND j.state <> 'cancelled' AND a.starts_at >= ? AND a.starts_at < ? ORDER BY a.starts_at`,
    tech.id,
    iso(day.start),
    iso(day.end),
  ).map((r) => findJobRow(ctx.db, r.id)!);
  const visits = new Map(visitsOf(ctx.db, jobs.map((j) => visitOfJob(ctx.db, j.id)).filter((v): v is VisitRow => v !== undefined), timeZone).map((v) => [v.jobId, v]));
  return { date, technician: tech, stops: jobs.map((j) => ({ job: jobDto(ctx, j), visit: visits.get(j.id) ?? null })) };
}

function getVisit(ctx: Ctx, input: Input<typeof C.get>) {
  const row = findVisitRow(ctx.db, input.id);
  if (!row) throw notFound('Visit', input.id);
  return { visit: visitsOf(ctx.db, [row], ctx.branch.timeZone)[0]!, signatureDataUrl: row.signature_png };
}

function requestExport(ctx: Ctx, input: Input<typeof C.exportReport>) {
  checkRange(input);
  const jobId = ctx.jobs.start(VISITS_EXPORT_JOB, `Visits ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
  ctx.audit({ entity: 'hsVisitsExport', entityId: jobId, action: 'export requested', after: input });
  return { jobId };
}

/* ---------------- registration ---------------- */

export function registerVisits(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.myDay, myDay)
    .add(C.checkIn, checkIn)
    .add(C.checkOut, checkOut)
    .add(C.correct, correct)
    .add(C.markMissed, markMissed)
    .add(C.detectMissed, detectMissed)
    .add(C.list, (ctx, input) => listVisits(ctx.db, input, ctx.branch.timeZone))
    .add(C.get, getVisit)
    .add(C.report, (ctx, input) => buildVisitsReport(ctx.db, ctx.branch, input))
    .add(C.exportReport, requestExport);
  jobs.set(MISSED_VISITS_JOB, (job) => runMissedVisitCheck(job));
  jobs.set(VISITS_EXPORT_JOB, runVisitsExport);
}
