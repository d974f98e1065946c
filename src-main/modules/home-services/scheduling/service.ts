import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import * as C from '../../../../src-shared/contracts/home-services/scheduling';
import { CANCEL_REASONS, RESCHEDULE_REASONS, type Appointment } from '../../../../src-shared/contracts/home-services/scheduling';
import type { Service } from '../../../../src-shared/contracts/home-services/master-data';
import { AppError, conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { sqlGet, sqlRun } from '../../../core/db/store';
import type { Ctx } from '../../../core/rpc/context';
import type { Registry } from '../../../core/rpc/registry';
import type { JobRunners } from '../../../core/jobs/types';
import { newId } from '../../../core/util/ids';
import { JOB_ENTITY, dayBounds, jobDto, technicianDays } from '../dispatch/service';
import { findJobRow } from '../dispatch/queries';
import { slaDueAt } from '../dispatch/rules';
import { dispatchSettings } from '../dispatch/settings';
import { publish } from '../events';
import { findCustomer, findService } from '../master-data/queries';
import { HOUR, MINUTE, addDays, daysBetween, iso, localDateOf, localMinutesOf, ms, wallClockInstant } from '../time';
import { loadIndex, searchAvailability } from './availability';
import {
  appointmentsBetween,
  findAppointment,
  findAppointmentRow,
  listAppointments,
  nextAppointmentNumber,
  seriesAppointments,
  toAppointment,
  type AppointmentRow,
} from './queries';
import { buildSchedulingReport, runSchedulingExport, SCHEDULING_EXPORT_JOB } from './reports';
import { checkRange } from '../report-helpers';
import { bookingWindow, isLateCancellation, nextStatus, recurrenceStarts, reminderPlan, windowProblem, type SlotVerdict } from './rules';
import { schedulingSettings } from './settings';
import type { Customer } from '../../../../src-shared/contracts/home-services/master-data';

dayjs.extend(utc);
dayjs.extend(timezone);

type Input<T extends ProcedureContract> = z.output<T['input']>;

export const APPOINTMENT_ENTITY = 'hsAppointment';
/** How many alternatives a refused booking offers. */
const NEXT_SLOTS = 5;

/* ---------------- loading and checking ---------------- */

function requireBookable(ctx: Ctx, customerId: string, serviceId: string): { customer: Customer; service: Service } {
  const customer = findCustomer(ctx.db, customerId);
  if (!customer) throw notFound('Customer', customerId);
  if (!customer.active) throw ruleViolation('booking.customerInactive', `${customer.name} is marked inactive`);
  const service = findService(ctx.db, serviceId);
  if (!service) throw notFound('Service', serviceId);
  if (!service.active) throw ruleViolation('booking.serviceInactive', `${service.name} is no longer offered`);
  return { customer, service };
}

function requireAppointment(ctx: Ctx, id: string, version?: number): AppointmentRow {
  const row = findAppointmentRow(ctx.db, id);
  if (!row) throw notFound('Appointment', id);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this appointment meanwhile; reload and try again');
  return row;
}

const needsOf = (service: Service) => ({
  id: service.id,
  durationMinutes: service.durationMinutes,
  bufferMinutes: service.bufferMinutes,
  requiredSkills: service.requiredSkills,
  slotCapacity: service.slotCapacity,
});

interface SlotCheck {
  service: Service;
  customer: Customer;
  start: number;
  technicianId?: string;
  ignore?: ReadonlySet<string>;
}

function evaluateSlot(ctx: Ctx, check: SlotCheck): SlotVerdict & { ineligible: boolean } {
  const index = loadIndex(ctx.db, ctx.settings, ctx.branch.timeZone, {
    service: needsOf(check.service),
    zoneId: check.customer.zoneId,
    technicianId: check.technicianId,
    from: check.start,
    to: check.start,
    limit: 1,
    ignoreBookingIds: check.ignore,
  });
  const verdict = index.evaluate(check.start);
  const ineligible = index.eligible.length === 0 || (check.technicianId !== undefined && !index.eligible.some((t) => t.id === check.technicianId));
  return { ...verdict, ineligible };
}

/** The next free slots from `after` (inside the booking window), for a refused booking to offer. */
function nextSlots(ctx: Ctx, check: Omit<SlotCheck, 'start'>, after: number) {
  const policy = schedulingSettings(ctx.settings);
  const window = bookingWindow(ctx.now.getTime(), policy.minNoticeMinutes, policy.horizonDays);
  const from = Math.max(after, window.start);
  if (from > window.end) return [];
  return searchAvailability(ctx.db, ctx.settings, ctx.branch.timeZone, {
    service: needsOf(check.service),
    zoneId: check.customer.zoneId,
    technicianId: check.technicianId,
    from,
    to: Math.min(window.end, from + 31 * 24 * HOUR),
    limit: NEXT_SLOTS,
    ignoreBookingIds: check.ignore,
  })
    .slots.map((s) => ({ startsAt: iso(s.start), endsAt: iso(s.end), technicianIds: s.technicianIds, capacityLeft: s.capacityLeft }));
}

function requireWindow(ctx: Ctx, start: number, what: string): void {
  const policy = schedulingSettings(ctx.settings);
  const window = bookingWindow(ctx.now.getTime(), policy.minNoticeMinutes, policy.horizonDays);
  const outside = windowProblem(start, window, policy.minNoticeMinutes, policy.horizonDays);
  if (outside) throw ruleViolation(start < window.start ? 'booking.minimumNotice' : 'booking.horizon', `${what}: ${outside}`);
}

/**
 * The slot must be inside the booking window and free. A slot someone took first is a CONFLICT
 * carrying the next free slots; a slot nobody could ever take (skills, zone, notice) is a rule.
 */
function requireSlot(ctx: Ctx, check: SlotCheck, what = 'This time', verdict?: SlotVerdict & { ineligible: boolean }): SlotVerdict {
  requireWindow(ctx, check.start, what);
  const answer = verdict ?? evaluateSlot(ctx, check);
  if (answer.ok) return answer;
  if (answer.ineligible) throw ruleViolation('booking.noEligibleTechnician', `${what}: ${answer.problem}`);
  throw conflict(`${what} is no longer free: ${answer.problem}`, {
    rule: 'booking.slotTaken',
    startsAt: iso(check.start),
    nextSlots: nextSlots(ctx, check, check.start),
  });
}

/* ---------------- booking ---------------- */

function insertAppointment(
  ctx: Ctx,
  input: Input<typeof C.book>,
  service: Service,
  start: number,
  technicianId: string | null,
  series: { id: string; index: number } | null,
): AppointmentRow {
  const id = newId();
  const end = start + service.durationMinutes * MINUTE;
  sqlRun(
    ctx.db,
    `INSERT INTO hs_appointments (id, branch_id, number, customer_id, service_id, starts_at, ends_at, local_date, duration_minutes,
       buffer_minutes, price_minor, status, channel, notes, series_id, series_index, detached, reschedule_count, late_cancel,
       booked_by, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    nextAppointmentNumber(ctx.db),
    input.customerId,
    service.id,
    iso(start),
    iso(end),
    localDateOf(start, ctx.branch.timeZone),
    service.durationMinutes,
    service.bufferMinutes,
    service.priceMinor,
    input.confirmed ? 'confirmed' : 'requested',
    input.channel,
    input.notes || null,
    series?.id ?? null,
    series?.index ?? null,
    ctx.user().userId,
    ctx.nowIso,
    ctx.nowIso,
  );
  const sla = dispatchSettings(ctx.settings);
  const due = slaDueAt(ctx.now.getTime(), input.priority, sla.slaHours, start, sla.arrivalToleranceMinutes);
  const jobId = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_jobs (id, branch_id, appointment_id, technician_id, state, priority, sla_due_at, assigned_at, reassign_count, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?)`,
    jobId,
    ctx.branch.id,
    id,
    technicianId,
    technicianId ? 'assigned' : 'unassigned',
    input.priority,
    iso(due),
    technicianId ? ctx.nowIso : null,
    ctx.nowIso,
    ctx.nowIso,
  );
  const row = findAppointmentRow(ctx.db, id)!;
  ctx.audit({ entity: APPOINTMENT_ENTITY, entityId: id, action: 'booked', after: toAppointment(row) });
  ctx.audit({ entity: JOB_ENTITY, entityId: jobId, action: technicianId ? 'created assigned' : 'created unassigned', after: jobDto(ctx, findJobRow(ctx.db, jobId)!) });
  return row;
}

function book(ctx: Ctx, input: Input<typeof C.book>) {
  const { customer, service } = requireBookable(ctx, input.customerId, input.serviceId);
  const first = ms(input.startsAt);
  const { timeZone } = ctx.branch;
  const occurrences = input.recurrence
    ? recurrenceStarts(localDateOf(first, timeZone), localMinutesOf(first, timeZone), input.recurrence, timeZone)
    : [{ date: localDateOf(first, timeZone), start: first }];
  /*
   * Package and subscription guards judge every occurrence on its own date, each after the ones
   * before it were written, so a series counts against the allowance of every period it reaches
   * (four weekly visits on a plan with two a month are refused at the third, not booked whole).
   */
  const guard = (o: { date: string; start: number }, i: number) => {
    try {
      publish(ctx, 'beforeBooking', {
        customerId: customer.id,
        serviceId: service.id,
        serviceSku: service.sku,
        startsAt: iso(o.start),
        channel: input.channel,
        priority: input.priority,
        occurrences: occurrences.length,
      });
    } catch (err) {
      if (occurrences.length > 1 && err instanceof AppError) throw new AppError(err.code, `Occurrence ${i + 1} (${o.date}): ${err.message}`, err.details);
      throw err;
    }
  };
  guard(occurrences[0]!, 0);
  const duplicate = sqlGet<{ number: number }>(
    ctx.db,
    `SELECT number FROM hs_appointments WHERE customer_id = ? AND service_id = ? AND starts_at = ? AND status IN ('requested', 'confirmed', 'rescheduled')`,
    customer.id,
    service.id,
    iso(first),
  );
  if (duplicate) throw ruleViolation('booking.duplicate', `${customer.name} already has this service booked at this time (BK-${String(duplicate.number).padStart(6, '0')})`);

  let series: { id: string } | null = null;
  if (input.recurrence) {
    series = { id: newId() };
    sqlRun(
      ctx.db,
      `INSERT INTO hs_series (id, branch_id, frequency, interval, count, local_time, time_zone, first_date, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      series.id,
      ctx.branch.id,
      input.recurrence.frequency,
      input.recurrence.interval,
      input.recurrence.count,
      dayjs(first).tz(timeZone).format('HH:mm'),
      timeZone,
      occurrences[0]!.date,
      ctx.user().userId,
      ctx.nowIso,
    );
  }
  // Each occurrence is checked after the ones before it were written, so a series cannot collide with itself.
  const rows = occurrences.map((o, i) => {
    const what = occurrences.length > 1 ? `Occurrence ${i + 1} (${o.date})` : 'This time';
    if (i > 0) guard(o, i);
    requireSlot(ctx, { service, customer, start: o.start, technicianId: input.technicianId }, what);
    return insertAppointment(ctx, input, service, o.start, input.technicianId ?? null, series && { id: series.id, index: i + 1 });
  });
  const all = rows.map((r) => toAppointment(findAppointmentRow(ctx.db, r.id)!));
  return { appointment: all[0]!, series: series ? all : [all[0]!] };
}

function previewSeries(ctx: Ctx, input: Input<typeof C.seriesPreview>) {
  const { customer, service } = requireBookable(ctx, input.customerId, input.serviceId);
  const { timeZone } = ctx.branch;
  const first = ms(input.startsAt);
  const policy = schedulingSettings(ctx.settings);
  const window = bookingWindow(ctx.now.getTime(), policy.minNoticeMinutes, policy.horizonDays);
  return recurrenceStarts(localDateOf(first, timeZone), localMinutesOf(first, timeZone), input.recurrence, timeZone).map((o) => {
    const outside = windowProblem(o.start, window, policy.minNoticeMinutes, policy.horizonDays);
    const verdict = outside ? null : evaluateSlot(ctx, { service, customer, start: o.start, technicianId: input.technicianId });
    return {
      startsAt: iso(o.start),
      endsAt: iso(o.start + service.durationMinutes * MINUTE),
      free: verdict?.ok ?? false,
      problem: outside ?? verdict?.problem ?? null,
    };
  });
}

function availability(ctx: Ctx, input: Input<typeof C.availability>) {
  const { customer, service } = requireBookable(ctx, input.customerId, input.serviceId);
  const policy = schedulingSettings(ctx.settings);
  const window = bookingWindow(ctx.now.getTime(), policy.minNoticeMinutes, policy.horizonDays);
  const from = Math.max(window.start, input.from ? ms(input.from) : 0);
  const to = Math.min(window.end, from + input.days * 24 * HOUR);
  const { slots, index } = searchAvailability(ctx.db, ctx.settings, ctx.branch.timeZone, {
    service: needsOf(service),
    zoneId: customer.zoneId,
    technicianId: input.technicianId,
    from,
    to,
    limit: input.limit,
    ignoreBookingIds: input.ignoreAppointmentId ? new Set([input.ignoreAppointmentId]) : undefined,
  });
  let explanation: string | null = null;
  if (slots.length === 0) {
    if (index.eligible.length === 0) explanation = `No technician has the skills for ${service.name}${customer.zoneCode ? ` in zone ${customer.zoneCode}` : ''}`;
    else if (input.technicianId && !index.eligible.some((t) => t.id === input.technicianId)) explanation = 'This technician lacks a skill the service needs or does not cover the customer’s zone';
    else if (from > to) explanation = `Nothing can be booked more than ${policy.horizonDays} days ahead`;
    else explanation = `Fully booked between ${dayjs(from).tz(ctx.branch.timeZone).format('D MMM HH:mm')} and ${dayjs(to).tz(ctx.branch.timeZone).format('D MMM')}; search further ahead`;
  }
  return {
    slots: slots.map((s) => ({ startsAt: iso(s.start), endsAt: iso(s.end), technicianIds: s.technicianIds, capacityLeft: s.capacityLeft })),
    searchedFrom: iso(from),
    searchedTo: iso(Math.max(from, to)),
    eligibleTechnicians: index.eligible.length,
    explanation,
  };
}

/* ---------------- changes ---------------- */

function requireNext(row: AppointmentRow, action: Parameters<typeof nextStatus>[1], verb: string) {
  const next = nextStatus(row.status, action);
  if (!next) throw ruleViolation('appointment.transition', `A ${C.STATUS_LABELS[row.status].toLowerCase()} appointment cannot be ${verb}`);
  return next;
}

function confirmAppointment(ctx: Ctx, input: Input<typeof C.confirm>) {
  const row = requireAppointment(ctx, input.id, input.version);
  const next = requireNext(row, 'confirm', 'confirmed');
  const before = toAppointment(row);
  sqlRun(ctx.db, 'UPDATE hs_appointments SET status = ?, version = version + 1, updated_at = ? WHERE id = ?', next, ctx.nowIso, row.id);
  const after = findAppointment(ctx.db, row.id)!;
  ctx.audit({ entity: APPOINTMENT_ENTITY, entityId: row.id, action: 'confirmed', before, after });
  return after;
}

/**
 * Moves one appointment to `start`. The technician stays when still free there; otherwise the job
 * returns to the unassigned tray if the pool can take it; otherwise CONFLICT with the next slots.
 */
function moveAppointment(
  ctx: Ctx,
  row: AppointmentRow,
  start: number,
  wanted: string | null | undefined,
  reason: string,
  options: { detach: boolean; what: string; ignore: ReadonlySet<string> },
): { unassigned: boolean } {
  const customer = findCustomer(ctx.db, row.customer_id)!;
  const service = findService(ctx.db, row.service_id)!;
  const ignore = new Set([...options.ignore, row.id]);
  const job = findJobRow(ctx.db, row.job_id)!;
  if (job.state === 'on_site' || job.state === 'completed') throw ruleViolation('appointment.inProgress', `${options.what}: the technician is already on site`);
  let technicianId: string | null;
  if (wanted !== undefined) {
    // Asked for: this technician (or the pool, for null) or nothing.
    requireSlot(ctx, { service, customer, start, technicianId: wanted ?? undefined, ignore }, options.what);
    technicianId = wanted;
  } else {
    requireWindow(ctx, start, options.what);
    const keep = row.technician_id ? evaluateSlot(ctx, { service, customer, start, technicianId: row.technician_id, ignore }) : null;
    if (keep?.ok) technicianId = row.technician_id;
    else {
      requireSlot(ctx, { service, customer, start, ignore }, options.what);
      technicianId = null;
    }
  }
  const next = requireNext(row, 'reschedule', 'rescheduled');
  const before = toAppointment(row);
  const jobBefore = jobDto(ctx, job);
  const end = start + row.duration_minutes * MINUTE;
  const technicianChanged = technicianId !== job.technician_id;
  // The job first: the double-booking trigger checks the new times against the technician it will have.
  sqlRun(
    ctx.db,
    `UPDATE hs_jobs SET technician_id = ?, state = ?, assigned_at = ?, en_route_at = NULL, sla_due_at = ?,
       reassign_count = reassign_count + ?, last_reason_code = CASE WHEN ? THEN 'rebalance' ELSE last_reason_code END,
       last_reason = CASE WHEN ? THEN ? ELSE last_reason END, version = version + 1, updated_at = ? WHERE id = ?`,
    technicianId,
    technicianId ? 'assigned' : 'unassigned',
    technicianId ? (technicianChanged ? ctx.nowIso : job.assigned_at) : null,
    iso(slaDueAt(ms(job.created_at), job.priority, dispatchSettings(ctx.settings).slaHours, start, dispatchSettings(ctx.settings).arrivalToleranceMinutes)),
    technicianChanged && job.technician_id ? 1 : 0,
    technicianChanged,
    technicianChanged,
    `Rescheduled: ${reason}`,
    ctx.nowIso,
    job.id,
  );
  sqlRun(
    ctx.db,
    `UPDATE hs_appointments SET starts_at = ?, ends_at = ?, local_date = ?, status = ?, reschedule_count = reschedule_count + 1,
       detached = CASE WHEN ? THEN 1 ELSE detached END, version = version + 1, updated_at = ? WHERE id = ?`,
    iso(start),
    iso(end),
    localDateOf(start, ctx.branch.timeZone),
    next,
    options.detach && row.series_id !== null,
    ctx.nowIso,
    row.id,
  );
  const after = findAppointment(ctx.db, row.id)!;
  ctx.audit({ entity: APPOINTMENT_ENTITY, entityId: row.id, action: 'rescheduled', before, after, reason });
  if (technicianChanged || job.state === 'en_route') {
    ctx.audit({ entity: JOB_ENTITY, entityId: job.id, action: technicianId ? 'reassigned' : 'returned to tray', before: jobBefore, after: jobDto(ctx, findJobRow(ctx.db, job.id)!), reason });
  }
  return { unassigned: technicianId === null && job.technician_id !== null };
}

function reschedule(ctx: Ctx, input: Input<typeof C.reschedule>) {
  const row = requireAppointment(ctx, input.id, input.version);
  requireNext(row, 'reschedule', 'rescheduled');
  const reason = `${RESCHEDULE_REASONS[input.reasonCode]}${input.note ? `: ${input.note}` : ''}`;
  const start = ms(input.startsAt);
  if (input.scope === 'occurrence' || row.series_id === null) {
    const { unassigned } = moveAppointment(ctx, row, start, input.technicianId, reason, { detach: true, what: 'The new time', ignore: new Set() });
    return { appointment: findAppointment(ctx.db, row.id)!, moved: 1, unassigned: unassigned ? 1 : 0 };
  }
  // The series from this occurrence on, by the same shift of local date and wall-clock time.
  const { timeZone } = ctx.branch;
  const dayShift = daysBetween(row.local_date, localDateOf(start, timeZone));
  const newMinutes = localMinutesOf(start, timeZone);
  const targets = seriesAppointments(ctx.db, row.series_id).filter(
    (o) => o.series_index! >= row.series_index! && o.detached === 0 && nextStatus(o.status, 'reschedule') !== null,
  );
  // Moving later, the last occurrence goes first (and earlier, the first), so no occurrence ever
  // lands on one of its own series that has not moved yet.
  if (start > ms(row.starts_at)) targets.reverse();
  const waiting = new Set(targets.map((o) => o.id));
  let unassigned = 0;
  for (const o of targets) {
    waiting.delete(o.id);
    const at = o.id === row.id ? start : wallClockInstant(addDays(o.local_date, dayShift), newMinutes, timeZone);
    const moved = moveAppointment(ctx, findAppointmentRow(ctx.db, o.id)!, at, input.technicianId, reason, {
      detach: false,
      what: `Occurrence ${o.series_index} (${localDateOf(at, timeZone)})`,
      ignore: waiting,
    });
    if (moved.unassigned) unassigned += 1;
  }
  sqlRun(ctx.db, 'UPDATE hs_series SET local_time = ? WHERE id = ?', dayjs(start).tz(timeZone).format('HH:mm'), row.series_id);
  return { appointment: findAppointment(ctx.db, row.id)!, moved: targets.length, unassigned };
}

function closeAppointment(ctx: Ctx, row: AppointmentRow, status: 'cancelled' | 'no_show', fields: { late: boolean; reasonCode: string | null; reason: string }) {
  const job = findJobRow(ctx.db, row.job_id)!;
  if (job.state === 'on_site' || job.state === 'completed') {
    throw ruleViolation('appointment.inProgress', `BK-${String(row.number).padStart(6, '0')}: the technician is already on site; finish the visit instead`);
  }
  const before = toAppointment(row);
  const jobBefore = jobDto(ctx, job);
  sqlRun(
    ctx.db,
    `UPDATE hs_appointments SET status = ?, late_cancel = ?, cancel_reason_code = ?, cancel_reason = ?, closed_at = ?, closed_by = ?,
       version = version + 1, updated_at = ? WHERE id = ?`,
    status,
    fields.late ? 1 : 0,
    fields.reasonCode,
    fields.reason,
    ctx.nowIso,
    ctx.user().userId,
    ctx.nowIso,
    row.id,
  );
  sqlRun(ctx.db, `UPDATE hs_jobs SET state = 'cancelled', cancelled_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, ctx.nowIso, ctx.nowIso, job.id);
  const after = findAppointment(ctx.db, row.id)!;
  ctx.audit({
    entity: APPOINTMENT_ENTITY,
    entityId: row.id,
    action: status === 'no_show' ? 'no-show' : fields.late ? 'cancelled late' : 'cancelled',
    before,
    after,
    reason: fields.reason,
  });
  ctx.audit({ entity: JOB_ENTITY, entityId: job.id, action: 'cancelled', before: jobBefore, after: jobDto(ctx, findJobRow(ctx.db, job.id)!), reason: fields.reason });
  const event = {
    appointmentId: row.id,
    appointmentNumber: after.number,
    customerId: row.customer_id,
    customerNo: row.customer_no,
    serviceId: row.service_id,
    serviceSku: row.service_sku,
    priceMinor: row.price_minor,
    scheduledStart: row.starts_at,
    closedAt: ctx.nowIso,
    reasonCode: fields.reasonCode,
  };
  if (status === 'no_show') publish(ctx, 'appointmentNoShow', event);
  else publish(ctx, 'appointmentCancelled', { ...event, late: fields.late });
  return after;
}

function cancel(ctx: Ctx, input: Input<typeof C.cancel>) {
  const row = requireAppointment(ctx, input.id, input.version);
  requireNext(row, 'cancel', 'cancelled');
  const { lateCancelHours } = schedulingSettings(ctx.settings);
  const reason = `${CANCEL_REASONS[input.reasonCode]}${input.note ? `: ${input.note}` : ''}`;
  const targets =
    input.scope === 'series' && row.series_id
      ? seriesAppointments(ctx.db, row.series_id).filter((o) => o.series_index! >= row.series_index! && nextStatus(o.status, 'cancel') !== null)
      : [row];
  let lateCancel = false;
  for (const o of targets) {
    const late = isLateCancellation(ms(o.starts_at), ctx.now.getTime(), lateCancelHours);
    if (o.id === row.id) lateCancel = late;
    closeAppointment(ctx, o, 'cancelled', { late, reasonCode: input.reasonCode, reason });
  }
  return { appointment: findAppointment(ctx.db, row.id)!, cancelled: targets.length, lateCancel };
}

function markNoShow(ctx: Ctx, input: Input<typeof C.markNoShow>) {
  const row = requireAppointment(ctx, input.id, input.version);
  requireNext(row, 'noShow', 'marked as a no-show');
  if (ms(row.starts_at) > ctx.now.getTime()) throw ruleViolation('appointment.notStarted', 'A no-show can only be recorded once the appointment has started');
  return closeAppointment(ctx, row, 'no_show', { late: false, reasonCode: null, reason: input.reason });
}

/* ---------------- views ---------------- */

function calendar(ctx: Ctx, input: Input<typeof C.calendar>) {
  const { timeZone } = ctx.branch;
  const dates = Array.from({ length: input.days }, (_, i) => addDays(input.from, i));
  const range = { start: dayBounds(dates[0]!, timeZone).start, end: dayBounds(dates.at(-1)!, timeZone).end };
  const rows = appointmentsBetween(ctx.db, range.start, range.end).filter((a) => a.status !== 'cancelled');
  const perDay = new Map(dates.map((d) => [d, technicianDays(ctx, d, input.technicianId)]));
  const technicians = (perDay.get(dates[0]!) ?? []).map(({ tech }) => ({
    id: tech.id,
    code: tech.code,
    name: tech.name,
    color: tech.color,
    days: dates.map((date) => {
      const view = perDay.get(date)!.find((v) => v.tech.id === tech.id)!;
      const mine = rows.filter((a) => a.technician_id === tech.id && a.local_date === date);
      const span = (i: { start: number; end: number }) => ({ startsAt: iso(i.start), endsAt: iso(i.end) });
      return {
        date,
        working: view.working.map(span),
        breaks: view.breaks.map(span),
        timeOff: view.timeOff.map((o) => ({ ...span(o), reason: o.reason })),
        appointments: mine.map(toAppointment),
        availableMinutes: Math.round(view.open.reduce((sum, i) => sum + (i.end - i.start), 0) / MINUTE),
        bookedMinutes: mine.filter((a) => a.status !== 'no_show').reduce((sum, a) => sum + a.duration_minutes, 0),
      };
    }),
  }));
  const unassigned = rows.filter((a) => a.technician_id === null && a.job_state === 'unassigned').map(toAppointment);
  return { technicians, unassigned };
}

function reminders(ctx: Ctx, input: Input<typeof C.reminders>) {
  const { reminderHours } = schedulingSettings(ctx.settings);
  const now = ctx.now.getTime();
  const rows = appointmentsBetween(ctx.db, now, now + input.hours * HOUR, true);
  const out: z.input<typeof C.reminderSchema>[] = [];
  const unreachable: Appointment[] = [];
  for (const row of rows) {
    const to = row.customer_phone ?? row.customer_email;
    if (!to) {
      unreachable.push(toAppointment(row));
      continue;
    }
    const when = dayjs(row.starts_at).tz(ctx.branch.timeZone);
    for (const plan of reminderPlan(ms(row.starts_at), ms(row.created_at), now, reminderHours)) {
      out.push({
        appointmentId: row.id,
        appointmentNumber: toAppointment(row).number,
        kind: plan.hoursBefore >= 24 && plan.hoursBefore % 24 === 0 ? `${plan.hoursBefore / 24} day(s) before` : `${plan.hoursBefore} h before`,
        channel: row.customer_phone ? 'sms' : 'email',
        to,
        customerName: row.customer_name,
        sendAt: iso(plan.sendAt),
        startsAt: row.starts_at,
        message: `Hello ${row.customer_name.split(' ')[0]}, a reminder of your ${row.service_name} appointment on ${when.format('ddd D MMM')} at ${when.format('HH:mm')} (ref ${toAppointment(row).number}). Call us to reschedule.`,
        state: plan.state,
      });
    }
  }
  out.sort((a, b) => a.sendAt.localeCompare(b.sendAt));
  return { reminders: out, unreachable };
}

function requestExport(ctx: Ctx, input: Input<typeof C.exportReport>) {
  checkRange(input);
  const jobId = ctx.jobs.start(SCHEDULING_EXPORT_JOB, `Bookings ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
  ctx.audit({ entity: 'hsSchedulingExport', entityId: jobId, action: 'export requested', after: input });
  return { jobId };
}

/* ---------------- registration ---------------- */

export function registerScheduling(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.availability, availability)
    .add(C.book, book)
    .add(C.seriesPreview, previewSeries)
    .add(C.confirm, confirmAppointment)
    .add(C.reschedule, reschedule)
    .add(C.cancel, cancel)
    .add(C.markNoShow, markNoShow)
    .add(C.list, (ctx, input) => listAppointments(ctx.db, input))
    .add(C.get, (ctx, input) => {
      const row = requireAppointment(ctx, input.id);
      return { appointment: toAppointment(row), series: row.series_id ? seriesAppointments(ctx.db, row.series_id).map(toAppointment) : [] };
    })
    .add(C.calendar, calendar)
    .add(C.reminders, reminders)
    .add(C.report, (ctx, input) => buildSchedulingReport(ctx.db, ctx.branch, input))
    .add(C.exportReport, requestExport);
  jobs.set(SCHEDULING_EXPORT_JOB, runSchedulingExport);
}
