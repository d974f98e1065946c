import type { AppointmentStatus } from '../../../../src-shared/contracts/home-services/scheduling';
import {
  HOUR,
  MINUTE,
  addDays,
  dayClock,
  datesBetween,
  holding,
  lengthOf,
  localDateOf,
  merge,
  overlaps,
  subtract,
  wallClockInstant,
  weekdayOf,
  type Interval,
} from '../time';

/**
 * Pure scheduling rules (no I/O): free time, the availability search, slot checks for a booking,
 * DST-safe recurrence, late cancellation, reminders and the appointment state machine.
 *
 * Free time = working hours − breaks − time off − existing bookings, each booking widened by the
 * travel allowance before and after it and by the buffers of both jobs: a job [s, e) fits beside
 * a booking [S, E) when e + buffer(job) + travel ≤ S, or E + buffer(booking) + travel ≤ s.
 */

/* ---------------- inputs ---------------- */

/** Weekly wall-clock intervals by weekday (0 = Sunday): minutes after local midnight. */
export type WeeklyPattern = ReadonlyMap<number, readonly { start: number; end: number }[]>;

export interface TechnicianCalendar {
  id: string;
  skills: ReadonlyMap<string, number>;
  zoneIds: ReadonlySet<string>;
  work: WeeklyPattern;
  breaks: WeeklyPattern;
  timeOff: readonly Interval[];
}

export interface RequiredSkill {
  skill: string;
  minLevel: number;
}

export interface ServiceNeeds {
  id: string;
  durationMinutes: number;
  bufferMinutes: number;
  requiredSkills: readonly RequiredSkill[];
  /** Same-service jobs that may overlap branch-wide (shared equipment); null = no limit. */
  slotCapacity: number | null;
}

/** A booking that holds a slot: on a technician's day, or (technicianId null) in the unassigned pool. */
export interface HeldBooking extends Interval {
  id: string;
  technicianId: string | null;
  serviceId: string;
  bufferMinutes: number;
  /** For pool bookings: the technicians who could take it (skills and zone). */
  eligibleTechnicianIds?: ReadonlySet<string>;
}

export interface SchedulingPolicy {
  timeZone: string;
  /** The travel allowance kept free between two jobs of one technician. */
  travelMinutes: number;
  /** Candidate start times are this many minutes apart from local midnight. */
  slotStepMinutes: number;
}

/* ---------------- eligibility ---------------- */

export function missingSkills(skills: ReadonlyMap<string, number>, required: readonly RequiredSkill[]): RequiredSkill[] {
  return required.filter((r) => (skills.get(r.skill) ?? 0) < r.minLevel);
}

/** A customer without a zone can be served by anyone; otherwise the technician must cover it. */
export const coversZone = (zoneIds: ReadonlySet<string>, zoneId: string | null): boolean => zoneId === null || zoneIds.has(zoneId);

export const isEligible = (tech: Pick<TechnicianCalendar, 'skills' | 'zoneIds'>, service: Pick<ServiceNeeds, 'requiredSkills'>, zoneId: string | null): boolean =>
  missingSkills(tech.skills, service.requiredSkills).length === 0 && coversZone(tech.zoneIds, zoneId);

/* ---------------- working time ---------------- */

/** Working time of one local date: shifts minus breaks, as instants. */
/** Shifts minus breaks per weekday, in wall-clock minutes, worked out once per technician. */
const openMinutes = new WeakMap<Pick<TechnicianCalendar, 'work' | 'breaks'>, Map<number, Interval[]>>();

function openMinutesOn(tech: Pick<TechnicianCalendar, 'work' | 'breaks'>, weekday: number): Interval[] {
  let byWeekday = openMinutes.get(tech);
  if (!byWeekday) openMinutes.set(tech, (byWeekday = new Map()));
  let minutes = byWeekday.get(weekday);
  if (!minutes) {
    minutes = subtract(tech.work.get(weekday) ?? [], tech.breaks.get(weekday) ?? []);
    byWeekday.set(weekday, minutes);
  }
  return minutes;
}

/**
 * Working time of one local date: shifts minus breaks, as instants. The subtraction happens in
 * wall-clock minutes (the same every week) and only the result is placed on the date, so a
 * daylight-saving date simply maps its minutes to different instants.
 */
export function openTimeOn(tech: Pick<TechnicianCalendar, 'work' | 'breaks'>, date: string, timeZone: string): Interval[] {
  const minutes = openMinutesOn(tech, weekdayOf(date));
  if (minutes.length === 0) return [];
  const at = dayClock(date, timeZone);
  return minutes.map((i) => ({ start: at(i.start), end: at(i.end) }));
}

/** Working time over whole local dates, minus time off: the capacity before any booking. */
export function availableTime(tech: TechnicianCalendar, from: string, to: string, timeZone: string): Interval[] {
  const open = datesBetween(from, to).flatMap((date) => openTimeOn(tech, date, timeZone));
  return subtract(open, tech.timeOff);
}

/** Where a booking keeps a technician busy for a job with `bufferMinutes` of its own. */
export function blockedBy(booking: Pick<HeldBooking, 'start' | 'end' | 'bufferMinutes'>, jobBufferMinutes: number, travelMinutes: number): Interval {
  return {
    start: booking.start - (travelMinutes + jobBufferMinutes) * MINUTE,
    end: booking.end + (booking.bufferMinutes + travelMinutes) * MINUTE,
  };
}

/**
 * Where a job with `jobBufferMinutes` of its own could start and run on this technician's days:
 * working time − breaks − time off − their bookings widened by travel and buffers.
 */
export function freeTime(
  available: readonly Interval[],
  ownBookings: readonly Pick<HeldBooking, 'start' | 'end' | 'bufferMinutes'>[],
  jobBufferMinutes: number,
  travelMinutes: number,
): Interval[] {
  return subtract(
    available,
    ownBookings.map((b) => blockedBy(b, jobBufferMinutes, travelMinutes)),
  );
}

/* ---------------- the search ---------------- */

export interface AvailabilityRequest {
  service: ServiceNeeds;
  /** The customer's zone; null means any technician may go. */
  zoneId: string | null;
  /** Book onto this technician only. */
  technicianId?: string;
  /** Earliest start (now + minimum notice, or later). */
  from: number;
  /** Latest start (now + horizon). */
  to: number;
  limit: number;
  /** Bookings to leave out (the one being rescheduled). */
  ignoreBookingIds?: ReadonlySet<string>;
}

export interface SlotOffer extends Interval {
  technicianIds: string[];
  capacityLeft: number;
}

export interface SlotVerdict {
  ok: boolean;
  technicianIds: string[];
  capacityLeft: number;
  /** Why the slot cannot be booked, in words, when not ok. */
  problem: string | null;
}

/**
 * Everything the search needs, prepared once for a request: each eligible technician's free
 * time over the searched dates, the pool bookings, and the same-service bookings for capacity.
 */
export class AvailabilityIndex {
  readonly eligible: TechnicianCalendar[];
  private readonly free = new Map<string, Interval[]>();
  /** Booked milliseconds per technician and local date: the lightest day is suggested first. */
  private readonly bookedByDay = new Map<string, Map<string, number>>();
  private readonly pool: (HeldBooking & { blocked: Interval })[];
  private readonly poolLongest: number;
  private readonly sameService: HeldBooking[];
  private readonly allTechnicianIds: string[];
  private readonly poolTakers = new Map<string, string[]>();
  /** Free time of `eligible[i]`, side by side with it (no lookup per slot). */
  private readonly eligibleFree: Interval[][];
  /** Scratch: which eligible technicians are free for the slot being evaluated. */
  private readonly freeFlags: Uint8Array;
  private readonly dayOrder = new Map<string, number[]>();

  constructor(
    readonly request: AvailabilityRequest,
    technicians: readonly TechnicianCalendar[],
    bookings: readonly HeldBooking[],
    readonly policy: SchedulingPolicy,
  ) {
    const { service, zoneId } = request;
    const ignore = request.ignoreBookingIds ?? new Set<string>();
    const held = bookings.filter((b) => !ignore.has(b.id));
    // Every technician who could do the job at all: the pool counts them even when a specific one is asked for.
    this.eligible = technicians.filter((t) => isEligible(t, service, zoneId));
    const firstDate = localDateOf(request.from, policy.timeZone);
    const lastDate = localDateOf(request.to + service.durationMinutes * MINUTE, policy.timeZone);
    const byTechnician = new Map<string, HeldBooking[]>();
    for (const b of held) {
      if (b.technicianId === null) continue;
      let list = byTechnician.get(b.technicianId);
      if (!list) byTechnician.set(b.technicianId, (list = []));
      list.push(b);
    }
    // Free time of every technician: pool bookings of other services may need the ones this service cannot use.
    this.allTechnicianIds = technicians.map((t) => t.id);
    for (const tech of technicians) {
      const own = byTechnician.get(tech.id) ?? [];
      this.free.set(tech.id, freeTime(availableTime(tech, firstDate, lastDate, policy.timeZone), own, service.bufferMinutes, policy.travelMinutes));
      const byDay = new Map<string, number>();
      for (const b of own) {
        const date = localDateOf(b.start, policy.timeZone);
        byDay.set(date, (byDay.get(date) ?? 0) + (b.end - b.start));
      }
      this.bookedByDay.set(tech.id, byDay);
    }
    this.pool = held
      .filter((b) => b.technicianId === null)
      .map((b) => ({ ...b, blocked: blockedBy(b, service.bufferMinutes, policy.travelMinutes) }))
      .sort((a, b) => a.blocked.start - b.blocked.start);
    this.eligibleFree = this.eligible.map((t) => this.free.get(t.id)!);
    this.freeFlags = new Uint8Array(this.eligible.length);
    this.poolLongest = this.pool.reduce((longest, b) => Math.max(longest, b.blocked.end - b.blocked.start), 0);
    this.sameService = held.filter((b) => b.serviceId === service.id);
  }

  /** Index of the first pool booking that could reach `instant` (they are sorted by blocked start). */
  private firstPoolFrom(instant: number): number {
    const earliestStart = instant - this.poolLongest;
    let low = 0;
    let high = this.pool.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (this.pool[mid]!.blocked.start < earliestStart) low = mid + 1;
      else high = mid;
    }
    return low;
  }


  /**
   * How many more jobs `takers` can absorb while every overlapping pool booking keeps a technician
   * of its own: a bipartite matching (augmenting paths) of bookings to free, eligible technicians.
   * Pool bookings are matched first; each extra job is then one more augmenting path.
   */
  private capacityBeside(pool: readonly HeldBooking[], takers: readonly string[]): number {
    const edges: (readonly string[])[] = pool.map((b) => this.takersOf(b));
    const holder = new Map<string, number>();
    const place = (node: number, seen: Set<string>): boolean => {
      for (const tech of edges[node]!) {
        if (seen.has(tech)) continue;
        seen.add(tech);
        const other = holder.get(tech);
        if (other === undefined || place(other, seen)) {
          holder.set(tech, node);
          return true;
        }
      }
      return false;
    };
    for (let node = 0; node < pool.length; node += 1) place(node, new Set());
    // The new job's copies: first every taker nobody holds, then one augmenting path per further
    // copy (each moves pool bookings aside); at most one success per pool booking is left to find.
    let absorbed = 0;
    for (const tech of takers) {
      if (holder.has(tech)) continue;
      edges.push(takers);
      holder.set(tech, edges.length - 1);
      absorbed += 1;
    }
    for (;;) {
      edges.push(takers);
      if (!place(edges.length - 1, new Set())) return absorbed;
      absorbed += 1;
    }
  }

  /** The technicians free for a pool booking's own time who could take it; the same for every candidate slot. */
  private takersOf(booking: HeldBooking): string[] {
    let takers = this.poolTakers.get(booking.id);
    if (!takers) {
      takers = this.allTechnicianIds.filter(
        (id) => (booking.eligibleTechnicianIds === undefined || booking.eligibleTechnicianIds.has(id)) && holding(this.free.get(id)!, booking) !== undefined,
      );
      this.poolTakers.set(booking.id, takers);
    }
    return takers;
  }

  /** Eligible technicians by index, lightest booked day first (ties by id): the order slots suggest them in. */
  private orderOn(date: string): number[] {
    let order = this.dayOrder.get(date);
    if (!order) {
      const booked = this.eligible.map((t) => this.bookedByDay.get(t.id)?.get(date) ?? 0);
      order = this.eligible
        .map((_t, i) => i)
        // Plain code-unit order for ties: ids are ASCII, and a locale-aware compare is costly here.
        .sort((a, b) => booked[a]! - booked[b]! || (this.eligible[a]!.id < this.eligible[b]!.id ? -1 : 1));
      this.dayOrder.set(date, order);
    }
    return order;
  }

  /** Whether a job starting at `start` can be booked (onto `request.technicianId`, or into the pool). */
  evaluate(start: number): SlotVerdict {
    const { service, technicianId } = this.request;
    const slot: Interval = { start, end: start + service.durationMinutes * MINUTE };
    const refuse = (problem: string): SlotVerdict => ({ ok: false, technicianIds: [], capacityLeft: 0, problem });
    if (this.eligible.length === 0) return refuse('No technician has the skills for this service in the customer’s zone');
    const requested = technicianId === undefined ? -1 : this.eligible.findIndex((t) => t.id === technicianId);
    if (technicianId !== undefined && requested < 0) {
      return refuse('This technician lacks a skill the service needs or does not cover the customer’s zone');
    }
    const free = this.freeFlags;
    let freeCount = 0;
    for (let i = 0; i < this.eligible.length; i += 1) {
      free[i] = holding(this.eligibleFree[i]!, slot) === undefined ? 0 : 1;
      freeCount += free[i]!;
    }
    if (requested >= 0 && !free[requested]) return refuse('The technician is not free at this time');
    const competing: HeldBooking[] = [];
    for (let i = this.firstPoolFrom(slot.start); i < this.pool.length; i += 1) {
      const b = this.pool[i]!;
      if (b.blocked.start >= slot.end) break;
      if (overlaps(b.blocked, slot)) competing.push(b);
    }
    let capacityLeft = requested >= 0 ? 1 : freeCount;
    if (competing.length > 0) {
      // Pool bookings overlapping this slot each need a technician of their own first.
      const takers = requested >= 0 ? [technicianId!] : this.eligible.filter((_t, i) => free[i]).map((t) => t.id);
      capacityLeft = this.capacityBeside(competing, takers);
    }
    if (capacityLeft < 1) {
      return refuse(freeCount === 0 ? 'No eligible technician is free at this time' : 'Every free technician is already needed by unassigned bookings');
    }
    if (service.slotCapacity !== null) {
      const running = this.sameService.filter((b) => overlaps(b, slot)).length;
      if (running >= service.slotCapacity) return refuse(`Only ${service.slotCapacity} of this service can run at the same time`);
    }
    const ordered: string[] = [];
    for (const i of this.orderOn(localDateOf(start, this.policy.timeZone))) if (free[i]) ordered.push(this.eligible[i]!.id);
    const technicianIds = technicianId === undefined ? ordered : [technicianId, ...ordered.filter((id) => id !== technicianId)];
    return { ok: true, technicianIds, capacityLeft, problem: null };
  }

  /** The first `limit` bookable starts on the slot grid (every step from local midnight), earliest first. */
  search(): SlotOffer[] {
    const { from, to, limit, service, technicianId } = this.request;
    const { timeZone, slotStepMinutes } = this.policy;
    const offers: SlotOffer[] = [];
    const candidates = technicianId === undefined ? this.eligible : this.eligible.filter((t) => t.id === technicianId);
    if (candidates.length === 0) return offers;
    const duration = service.durationMinutes * MINUTE;
    // Where anybody could start at all: the union of the candidates' free time, long enough for the job.
    const open = merge(candidates.flatMap((t) => this.free.get(t.id)!)).filter((i) => i.end - i.start >= duration);
    let next = 0;
    for (const date of datesBetween(localDateOf(from, timeZone), localDateOf(to, timeZone))) {
      const at = dayClock(date, timeZone);
      for (let minute = 0; minute < 1440; minute += slotStepMinutes) {
        const start = at(minute);
        if (start < from) continue;
        if (start > to) return offers;
        while (next < open.length && open[next]!.end < start + duration) next += 1;
        if (next === open.length) return offers;
        if (open[next]!.start > start) continue;
        const verdict = this.evaluate(start);
        if (!verdict.ok) continue;
        offers.push({ start, end: start + duration, technicianIds: verdict.technicianIds, capacityLeft: verdict.capacityLeft });
        if (offers.length >= limit) return offers;
      }
    }
    return offers;
  }
}

/** The booking window: not before now + minimum notice, not after now + the horizon. */
export function bookingWindow(now: number, minNoticeMinutes: number, horizonDays: number): Interval {
  return { start: now + minNoticeMinutes * MINUTE, end: now + horizonDays * 24 * HOUR };
}

export function windowProblem(start: number, window: Interval, minNoticeMinutes: number, horizonDays: number): string | null {
  if (start < window.start) return `Bookings need at least ${minNoticeMinutes} minutes’ notice`;
  if (start > window.end) return `Bookings can be made at most ${horizonDays} days ahead`;
  return null;
}

/* ---------------- recurrence ---------------- */

export interface RecurrenceRule {
  frequency: 'weekly' | 'monthly';
  interval: number;
  count: number;
}

/** Every `interval` weeks or months from the first date; a monthly date past the month's end falls on its last day. */
export function recurrenceDates(firstDate: string, rule: RecurrenceRule): string[] {
  const dates: string[] = [];
  const [y, m, d] = firstDate.split('-').map(Number) as [number, number, number];
  for (let k = 0; k < rule.count; k += 1) {
    if (rule.frequency === 'weekly') {
      dates.push(addDays(firstDate, 7 * rule.interval * k));
      continue;
    }
    const monthIndex = m - 1 + rule.interval * k;
    const year = y + Math.floor(monthIndex / 12);
    const month = (monthIndex % 12) + 1;
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    dates.push(`${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, lastDay)).padStart(2, '0')}`);
  }
  return dates;
}

/**
 * The occurrences of a series as instants: the same local wall-clock time on every date, so a
 * 09:00 appointment stays at 09:00 when the clocks change (its UTC instant moves instead).
 */
export function recurrenceStarts(firstDate: string, localMinutes: number, rule: RecurrenceRule, timeZone: string): { date: string; start: number }[] {
  return recurrenceDates(firstDate, rule).map((date) => ({ date, start: wallClockInstant(date, localMinutes, timeZone) }));
}

/* ---------------- cancellation, no-show, reminders ---------------- */

/** Cancelled inside the notice window (or after the start): package and subscription billing may charge it. */
export const isLateCancellation = (start: number, now: number, lateCancelHours: number): boolean => now >= start - lateCancelHours * HOUR;

export interface ReminderPlan {
  hoursBefore: number;
  sendAt: number;
  state: 'scheduled' | 'due';
}

/**
 * The reminders an appointment gets: one per offset, unless the booking was made after that
 * reminder's time (a booking two hours ahead gets no day-before reminder) or the start has passed.
 */
export function reminderPlan(start: number, bookedAt: number, now: number, offsetsHours: readonly number[]): ReminderPlan[] {
  if (now >= start) return [];
  return [...offsetsHours]
    .sort((a, b) => b - a)
    .map((hoursBefore) => ({ hoursBefore, sendAt: start - hoursBefore * HOUR }))
    .filter((r) => r.sendAt > bookedAt)
    .map((r) => ({ ...r, state: r.sendAt <= now ? ('due' as const) : ('scheduled' as const) }));
}

/* ---------------- state machine ---------------- */

export type AppointmentAction = 'confirm' | 'reschedule' | 'cancel' | 'noShow' | 'complete';

const NEXT: Record<AppointmentStatus, Partial<Record<AppointmentAction, AppointmentStatus>>> = {
  requested: { confirm: 'confirmed', reschedule: 'requested', cancel: 'cancelled', noShow: 'no_show', complete: 'completed' },
  confirmed: { reschedule: 'rescheduled', cancel: 'cancelled', noShow: 'no_show', complete: 'completed' },
  rescheduled: { reschedule: 'rescheduled', cancel: 'cancelled', noShow: 'no_show', complete: 'completed' },
  completed: {},
  cancelled: {},
  no_show: {},
};

/** The status an action leads to, or null when the current status does not allow it. */
export const nextStatus = (current: AppointmentStatus, action: AppointmentAction): AppointmentStatus | null => NEXT[current][action] ?? null;

export const allowedActions = (current: AppointmentStatus): AppointmentAction[] => Object.keys(NEXT[current]) as AppointmentAction[];

/** Booked minutes of a list of appointments (for calendars and utilisation). */
export const bookedMinutes = (items: readonly Interval[]): number => Math.round(lengthOf(items) / MINUTE);
