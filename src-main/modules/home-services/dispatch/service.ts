import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import * as C from '../../../../src-shared/contracts/home-services/dispatch';
import { REASSIGN_REASONS } from '../../../../src-shared/contracts/home-services/dispatch';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { sqlAll, sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import type { Registry } from '../../../core/rpc/registry';
import type { JobRunners } from '../../../core/jobs/types';
import { findService, technicianFacts, technicianOfUser, type TechnicianFacts } from '../master-data/queries';
import { openTimeOn } from '../scheduling/rules';
import { schedulingSettings } from '../scheduling/settings';
import { HOUR, MINUTE, addDays, iso, lengthOf, ms, subtract, wallClockInstant, type Interval } from '../time';
import { findJobRow, jobsBetween, listJobs, toJob, type JobRow } from './queries';
import { buildDispatchReport, runDispatchExport, DISPATCH_EXPORT_JOB, checkRange } from './reports';
import { nextJobState, suggestTechnicians, type DispatchJob, type Suggestion, type TechnicianDay } from './rules';
import { dispatchSettings } from './settings';

dayjs.extend(utc);
dayjs.extend(timezone);

type Input<T extends ProcedureContract> = z.output<T['input']>;

export const JOB_ENTITY = 'hsJob';

const fmt = (timeZone: string) => (instant: number) => dayjs(instant).tz(timeZone).format('HH:mm');

export function jobDto(ctx: Ctx, row: JobRow) {
  return toJob(row, ctx.now.getTime(), dispatchSettings(ctx.settings).atRiskMinutes);
}

export function requireJob(ctx: Ctx, jobId: string, version?: number): JobRow {
  const row = findJobRow(ctx.db, jobId);
  if (!row) throw notFound('Job', jobId);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this job meanwhile; reload the board and try again');
  return row;
}

export function requireTransition(row: JobRow, action: Parameters<typeof nextJobState>[1]) {
  const next = nextJobState(row.state, action);
  if (!next) {
    throw ruleViolation('job.transition', `A job that is ${C.JOB_STATE_LABELS[row.state].toLowerCase()} cannot be ${
      { assign: 'assigned', reassign: 'reassigned', unassign: 'unassigned', startTravel: 'set en route', checkIn: 'checked in', checkOut: 'checked out', cancel: 'cancelled' }[action]
    }`);
  }
  return next;
}

/**
 * A technician signed in as themselves may act only on their own jobs; users who are not a
 * technician (supervisors, dispatchers) act on anyone's behalf.
 */
export function requireOwnJob(ctx: Ctx, row: JobRow): void {
  const me = technicianOfUser(ctx.db, ctx.user().userId);
  if (me && row.technician_id !== me.id) throw ruleViolation('job.notYours', 'This job is assigned to another technician');
}

/* ---------------- technicians' days ---------------- */

/** Local day bounds of `date` as instants. */
export function dayBounds(date: string, timeZone: string): Interval {
  return { start: wallClockInstant(date, 0, timeZone), end: wallClockInstant(addDays(date, 1), 0, timeZone) };
}

export interface DayView {
  tech: TechnicianFacts;
  working: Interval[];
  breaks: Interval[];
  timeOff: { start: number; end: number; reason: string }[];
  open: Interval[];
}

/** Each active technician's day: shifts, breaks, time off, and what is left to work with. */
export function technicianDays(ctx: Ctx, date: string, technicianId?: string): DayView[] {
  const { timeZone } = ctx.branch;
  const day = dayBounds(date, timeZone);
  return technicianFacts(ctx.db, iso(day.start), iso(day.end), technicianId).map((tech) => {
    const shiftsOnly = openTimeOn({ work: tech.work, breaks: new Map() }, date, timeZone);
    const open = subtract(openTimeOn(tech, date, timeZone), tech.timeOff);
    return {
      tech,
      working: shiftsOnly,
      breaks: subtract(shiftsOnly, openTimeOn(tech, date, timeZone)),
      timeOff: tech.timeOffRows
        .filter((o) => o.start < day.end && o.end > day.start)
        .map((o) => ({ start: Math.max(o.start, day.start), end: Math.min(o.end, day.end), reason: o.reason })),
      open,
    };
  });
}

function toDayJob(row: JobRow) {
  return {
    id: row.id,
    label: `BK-${String(row.appointment_number).padStart(6, '0')}`,
    start: ms(row.starts_at),
    end: ms(row.ends_at),
    bufferMinutes: row.buffer_minutes,
    location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
  };
}

/** Suggestions for a job: every active technician, assessed against that local day. */
export function suggestionsFor(ctx: Ctx, row: JobRow): Suggestion[] {
  const { timeZone } = ctx.branch;
  const service = findService(ctx.db, row.service_id)!;
  const day = dayBounds(row.local_date, timeZone);
  // Open work only, as the availability search sees it: a job finished early no longer holds its slot.
  const dayJobs = jobsBetween(ctx.db, iso(day.start - 12 * HOUR), iso(day.end)).filter(
    (j) => j.technician_id !== null && j.id !== row.id && ms(j.ends_at) > day.start,
  );
  const days: TechnicianDay[] = technicianDays(ctx, row.local_date).map(({ tech, open }) => ({
    id: tech.id,
    name: tech.name,
    skills: tech.skills,
    zoneIds: tech.zoneIds,
    home: tech.home,
    open,
    jobs: dayJobs.filter((j) => j.technician_id === tech.id).map(toDayJob),
  }));
  const job: DispatchJob = {
    id: row.id,
    start: ms(row.starts_at),
    end: ms(row.ends_at),
    durationMinutes: row.duration_minutes,
    bufferMinutes: row.buffer_minutes,
    requiredSkills: service.requiredSkills,
    zoneId: row.zone_id,
    zoneCode: row.zone_code,
    location: row.lat !== null && row.lng !== null ? { lat: row.lat, lng: row.lng } : null,
  };
  return suggestTechnicians(job, days, {
    averageSpeedKmh: dispatchSettings(ctx.settings).averageSpeedKmh,
    fallbackTravelMinutes: schedulingSettings(ctx.settings).travelMinutes,
    formatTime: fmt(timeZone),
  });
}

function requireEligible(ctx: Ctx, row: JobRow, technicianId: string): Suggestion {
  const verdict = suggestionsFor(ctx, row).find((s) => s.technicianId === technicianId);
  if (!verdict) throw ruleViolation('dispatch.unknownTechnician', 'Pick an active technician');
  if (!verdict.eligible) {
    throw ruleViolation('dispatch.notEligible', `${verdict.technicianName} cannot take this job: ${verdict.blockers.join('; ')}`, { blockers: verdict.blockers });
  }
  return verdict;
}

/* ---------------- writes ---------------- */

function assign(ctx: Ctx, input: Input<typeof C.assign>) {
  const row = requireJob(ctx, input.jobId, input.version);
  const next = requireTransition(row, 'assign');
  const verdict = requireEligible(ctx, row, input.technicianId);
  const before = jobDto(ctx, row);
  sqlRun(
    ctx.db,
    `UPDATE hs_jobs SET technician_id = ?, state = ?, assigned_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    input.technicianId,
    next,
    ctx.nowIso,
    ctx.nowIso,
    row.id,
  );
  const after = jobDto(ctx, findJobRow(ctx.db, row.id)!);
  ctx.audit({
    entity: JOB_ENTITY,
    entityId: row.id,
    action: 'assigned',
    before,
    after: { ...after, suggestion: { rank: verdict.rank, reasons: verdict.reasons } },
  });
  return after;
}

function reassign(ctx: Ctx, input: Input<typeof C.reassign>) {
  const row = requireJob(ctx, input.jobId, input.version);
  const action = input.technicianId === null ? 'unassign' : 'reassign';
  const next = requireTransition(row, action);
  if (input.technicianId !== null) {
    if (input.technicianId === row.technician_id) throw ruleViolation('dispatch.sameTechnician', 'The job is already assigned to this technician');
    requireEligible(ctx, row, input.technicianId);
  }
  const reason = `${REASSIGN_REASONS[input.reasonCode]}${input.note ? `: ${input.note}` : ''}`;
  const before = jobDto(ctx, row);
  sqlRun(
    ctx.db,
    `UPDATE hs_jobs SET technician_id = ?, state = ?, assigned_at = ?, en_route_at = NULL, reassign_count = reassign_count + 1,
       last_reason_code = ?, last_reason = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    input.technicianId,
    next,
    input.technicianId === null ? null : ctx.nowIso,
    input.reasonCode,
    input.note ?? null,
    ctx.nowIso,
    row.id,
  );
  const after = jobDto(ctx, findJobRow(ctx.db, row.id)!);
  ctx.audit({ entity: JOB_ENTITY, entityId: row.id, action: input.technicianId === null ? 'returned to tray' : 'reassigned', before, after, reason });
  return after;
}

function startTravel(ctx: Ctx, input: Input<typeof C.startTravel>) {
  const row = requireJob(ctx, input.jobId, input.version);
  const next = requireTransition(row, 'startTravel');
  requireOwnJob(ctx, row);
  const before = jobDto(ctx, row);
  sqlRun(ctx.db, `UPDATE hs_jobs SET state = ?, en_route_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, next, ctx.nowIso, ctx.nowIso, row.id);
  const after = jobDto(ctx, findJobRow(ctx.db, row.id)!);
  ctx.audit({ entity: JOB_ENTITY, entityId: row.id, action: 'en route', before, after });
  return after;
}

/**
 * Sends a technician's assigned work in [from, to) back to the unassigned tray (time off, a
 * technician deactivated). Jobs already on site stay: someone is standing in the customer's house.
 */
export function returnJobsToTray(ctx: Ctx, technicianId: string, from: string, to: string, reason: string): string[] {
  const rows = sqlAll<{ id: string }>(
    ctx.db,
    `SELECT j.id FROM hs_jobs j JOIN hs_appointments a ON a.id = j.appointment_id
     WHERE j.technician_id = ? AND j.state IN ('assigned', 'en_route') AND a.starts_at < ? AND a.ends_at > ?`,
    technicianId,
    to,
    from,
  );
  for (const { id } of rows) {
    const before = jobDto(ctx, findJobRow(ctx.db, id)!);
    sqlRun(
      ctx.db,
      `UPDATE hs_jobs SET technician_id = NULL, state = 'unassigned', assigned_at = NULL, en_route_at = NULL,
         reassign_count = reassign_count + 1, last_reason_code = 'technician_sick', last_reason = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      reason,
      ctx.nowIso,
      id,
    );
    ctx.audit({ entity: JOB_ENTITY, entityId: id, action: 'returned to tray', before, after: jobDto(ctx, findJobRow(ctx.db, id)!), reason });
  }
  return rows.map((r) => r.id);
}

/* ---------------- the board ---------------- */

function board(ctx: Ctx, input: Input<typeof C.board>) {
  const { timeZone } = ctx.branch;
  const { atRiskMinutes } = dispatchSettings(ctx.settings);
  const now = ctx.now.getTime();
  const day = dayBounds(input.date, timeZone);
  const dayJobs = jobsBetween(ctx.db, iso(day.start), iso(day.end), true);
  // Unassigned work from earlier days is still the dispatcher's problem today.
  const overdue = sqlAll<{ id: string }>(
    ctx.db,
    `SELECT j.id FROM hs_jobs j JOIN hs_appointments a ON a.id = j.appointment_id WHERE j.state = 'unassigned' AND a.starts_at < ? ORDER BY a.starts_at LIMIT 200`,
    iso(day.start),
  ).map((r) => findJobRow(ctx.db, r.id)!);
  const toDto = (r: JobRow) => toJob(r, now, atRiskMinutes);
  const technicians = technicianDays(ctx, input.date).map(({ tech, working, breaks, timeOff, open }) => {
    const jobs = dayJobs.filter((j) => j.technician_id === tech.id);
    return {
      id: tech.id,
      code: tech.code,
      name: tech.name,
      color: tech.color,
      zoneCodes: tech.zoneCodes,
      skills: [...tech.skills].map(([skill, level]) => ({ skill, level })),
      working: working.map((i) => ({ startsAt: iso(i.start), endsAt: iso(i.end) })),
      breaks: breaks.map((i) => ({ startsAt: iso(i.start), endsAt: iso(i.end) })),
      timeOff: timeOff.map((o) => ({ startsAt: iso(o.start), endsAt: iso(o.end), reason: o.reason })),
      capacityMinutes: Math.round(lengthOf(open) / MINUTE),
      bookedMinutes: jobs.reduce((sum, j) => sum + j.duration_minutes, 0),
      jobs: jobs.map(toDto),
    };
  });
  const unassigned = [...overdue, ...dayJobs.filter((j) => j.state === 'unassigned')].map(toDto);
  const exceptions: { jobId: string; kind: 'sla_breached' | 'sla_at_risk' | 'unassigned_soon'; message: string }[] = [];
  for (const job of [...unassigned, ...technicians.flatMap((t) => t.jobs)]) {
    if (job.slaStatus === 'breached' && job.onSiteAt === null) {
      exceptions.push({ jobId: job.id, kind: 'sla_breached', message: `${job.appointmentNumber} ${job.customerName}: SLA deadline passed at ${fmt(timeZone)(ms(job.slaDueAt))}` });
    } else if (job.slaStatus === 'at_risk') {
      exceptions.push({ jobId: job.id, kind: 'sla_at_risk', message: `${job.appointmentNumber} ${job.customerName}: SLA deadline at ${fmt(timeZone)(ms(job.slaDueAt))}` });
    } else if (job.state === 'unassigned' && ms(job.startsAt) - now < 2 * HOUR) {
      exceptions.push({ jobId: job.id, kind: 'unassigned_soon', message: `${job.appointmentNumber} starts at ${fmt(timeZone)(ms(job.startsAt))} and has no technician` });
    }
  }
  return { date: input.date, dayStartsAt: iso(day.start), dayEndsAt: iso(day.end), technicians, unassigned, exceptions };
}

function suggest(ctx: Ctx, input: Input<typeof C.suggest>) {
  const row = requireJob(ctx, input.jobId);
  return { job: jobDto(ctx, row), candidates: suggestionsFor(ctx, row) };
}

/* ---------------- registration ---------------- */

function requestExport(ctx: Ctx, input: Input<typeof C.exportReport>) {
  checkRange(input);
  const jobId = ctx.jobs.start(DISPATCH_EXPORT_JOB, `Dispatch ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
  ctx.audit({ entity: 'hsDispatchExport', entityId: jobId, action: 'export requested', after: input });
  return { jobId };
}

export function registerDispatch(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.board, board)
    .add(C.suggest, suggest)
    .add(C.assign, assign)
    .add(C.reassign, reassign)
    .add(C.startTravel, startTravel)
    .add(C.list, (ctx, input) => listJobs(ctx.db, input, ctx.now, dispatchSettings(ctx.settings).atRiskMinutes))
    .add(C.get, (ctx, input) => jobDto(ctx, requireJob(ctx, input.id)))
    .add(C.report, (ctx, input) => buildDispatchReport(ctx.db, ctx.branch, ctx.settings, ctx.now, input))
    .add(C.exportReport, requestExport);
  jobs.set(DISPATCH_EXPORT_JOB, runDispatchExport);
}
