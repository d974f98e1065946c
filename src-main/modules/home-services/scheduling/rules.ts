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

/** A pool booking as the index keeps it: where it blocks this job, and who could take it (worked out on first use). */
interface PoolEntry extends HeldBooking {
  blocked: Interval;
  takers?: number[];
}

const REFUSE_NOBODY = 'No technician has the skills for this service in the customer’s zone';
const REFUSE_NOT_ELIGIBLE = 'This technician lacks a skill the service needs or does not cover the customer’s zone';

/*
 * Local copies of the time constants: the search reads them hundreds of thousands of times, and
 * an imported binding can cost a property read each time (CommonJS in tests and benches).
 */
const MINUTE_MS = MINUTE;

/**
 * `open` (flat [start, end, start, end, …], sorted) minus `cuts` (sorted by start, may overlap),
 * as canonical intervals: sorted, disjoint, and never touching (touching open pieces join). The
 * same answer as `subtract`, in one pass without intermediate arrays: this runs for every
 * technician on every search.
 */
function subtractSorted(open: readonly number[], cuts: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let last: Interval | undefined;
  const emit = (start: number, end: number) => {
    if (last && start <= last.end) last.end = Math.max(last.end, end);
    else out.push((last = { start, end }));
  };
  let first = 0;
  for (let p = 0; p < open.length; p += 2) {
    const start = open[p]!;
    const end = open[p + 1]!;
    if (start >= end) continue;
    // Cuts ending before this piece end before every later piece too.
    while (first < cuts.length && cuts[first]!.end <= start) first += 1;
    let cursor = start;
    for (let k = first; k < cuts.length; k += 1) {
      const cut = cuts[k]!;
      if (cut.start >= end) break;
      if (cut.end <= cursor) continue;
      if (cut.start > cursor) emit(cursor, cut.start);
      cursor = cut.end;
      if (cursor >= end) break;
    }
    if (cursor < end) emit(cursor, end);
  }
  return out;
}

/** Whether flat [start, end, …] pieces are in order without overlapping (touching is fine). */
function inOrder(flat: readonly number[]): boolean {
  for (let p = 2; p < flat.length; p += 2) if (flat[p]! < flat[p - 1]!) return false;
  return true;
}

/**
 * Everything the search needs, prepared once for a request: every technician's free time over
 * the searched dates, the pool bookings, and the same-service bookings for capacity.
 *
 * Technicians are numbered (their position in `technicians`) so the per-slot work — who is free,
 * the pool matching — runs on arrays instead of string-keyed maps and sets: a 30-day search
 * evaluates hundreds of slots against every technician.
 */
export class AvailabilityIndex {
  readonly eligible: TechnicianCalendar[];
  private readonly techIds: string[];
  /** Free time by technician number: sorted, disjoint intervals. */
  private readonly free: Interval[][];
  /** Each technician's own bookings, by start. */
  private readonly own: HeldBooking[][];
  /** The searched local dates, their position, and each technician's booked milliseconds per date. */
  private readonly dateIndex: Map<string, number>;
  private readonly bookedByDay: Float64Array[];
  /** `eligible[i]` is technician number `eligibleAt[i]`. */
  private readonly eligibleAt: number[];
  /** Index into `eligible` of the requested technician; -1 when none was asked for or they are not eligible. */
  private readonly requested: number;
  private readonly pool: PoolEntry[];
  private readonly poolLongest: number;
  /** Pool bookings' eligible-technician sets as technician numbers (the loader shares one set between many bookings). */
  private readonly eligibleNumbers = new Map<ReadonlySet<string>, number[]>();
  /** Same-service bookings sorted by start, for the slot capacity (shared equipment); empty without one. */
  private readonly sameService: HeldBooking[];
  private readonly sameLongest: number;
  /** Scratch: which eligible technicians are free for the slot being judged. */
  private readonly freeFlags: Uint8Array;
  /** Scratch for the matching: whether a technician is one of the job's takers, who holds each, and a visit stamp. */
  private readonly isTaker: Uint8Array;
  private readonly holder: Int32Array;
  private readonly seen: Float64Array;
  private stamp = 0;
  private readonly dayOrder = new Map<string, number[]>();

  constructor(
    readonly request: AvailabilityRequest,
    technicians: readonly TechnicianCalendar[],
    bookings: readonly HeldBooking[],
    readonly policy: SchedulingPolicy,
  ) {
    const { service, zoneId } = request;
    const { travelMinutes, timeZone } = policy;
    const ignore = request.ignoreBookingIds;
    const held = ignore && ignore.size > 0 ? bookings.filter((b) => !ignore.has(b.id)) : bookings;
    this.techIds = technicians.map((t) => t.id);
    const number = new Map(this.techIds.map((id, k) => [id, k]));
    // Every technician who could do the job at all: the pool counts them even when a specific one is asked for.
    this.eligibleAt = [];
    this.eligible = [];
    technicians.forEach((t, k) => {
      if (!isEligible(t, service, zoneId)) return;
      this.eligible.push(t);
      this.eligibleAt.push(k);
    });
    this.requested = request.technicianId === undefined ? -1 : this.eligible.findIndex((t) => t.id === request.technicianId);

    const own: HeldBooking[][] = technicians.map(() => []);
    const pool: PoolEntry[] = [];
    const same: HeldBooking[] = [];
    const countSame = service.slotCapacity !== null;
    for (const b of held) {
      if (countSame && b.serviceId === service.id) same.push(b);
      if (b.technicianId === null) pool.push({ ...b, blocked: blockedBy(b, service.bufferMinutes, travelMinutes) });
      else {
        const k = number.get(b.technicianId);
        if (k !== undefined) own[k]!.push(b);
      }
    }
    const byStart = (a: Interval, b: Interval) => a.start - b.start;
    for (const list of own) {
      for (let i = 1; i < list.length; i += 1) {
        if (list[i]!.start < list[i - 1]!.start) {
          list.sort(byStart);
          break;
        }
      }
    }
    this.own = own;

    // The searched dates once, shared by every technician: weekday, wall-clock → instant, local midnight.
    const firstDate = localDateOf(request.from, timeZone);
    const lastDate = localDateOf(request.to + service.durationMinutes * MINUTE_MS, timeZone);
    const dates = datesBetween(firstDate, lastDate);
    this.dateIndex = new Map(dates.map((date, d) => [date, d]));
    const days = dates.map((date) => ({ weekday: weekdayOf(date), at: dayClock(date, timeZone) }));
    const midnights = [...days.map((d) => d.at(0)), dayClock(addDays(lastDate, 1), timeZone)(0)];

    // Free time of every technician (pool bookings of other services may need the ones this service
    // cannot use): working time − breaks − time off − own bookings widened by travel and buffers.
    const before = (travelMinutes + service.bufferMinutes) * MINUTE_MS;
    const open: number[] = [];
    this.free = technicians.map((tech, k) => {
      open.length = 0;
      for (const { weekday, at } of days) for (const i of openMinutesOn(tech, weekday)) open.push(at(i.start), at(i.end));
      const flat = inOrder(open) ? open : merge(pairs(open)).flatMap((i) => [i.start, i.end]);
      const blocked = own[k]!.map((b) => ({ start: b.start - before, end: b.end + (b.bufferMinutes + travelMinutes) * MINUTE_MS }));
      const cuts = tech.timeOff.length === 0 ? blocked : [...tech.timeOff, ...blocked].sort(byStart);
      return subtractSorted(flat, cuts);
    });
    // Booked time per technician and searched date (by the booking's local start date).
    this.bookedByDay = own.map((list) => {
      const booked = new Float64Array(dates.length);
      let d = 0;
      for (const b of list) {
        if (b.start < midnights[0]!) continue;
        while (d < dates.length && b.start >= midnights[d + 1]!) d += 1;
        if (d === dates.length) break;
        booked[d] = booked[d]! + (b.end - b.start);
      }
      return booked;
    });
    this.pool = pool.sort((a, b) => a.blocked.start - b.blocked.start);
    this.poolLongest = pool.reduce((longest, b) => Math.max(longest, b.blocked.end - b.blocked.start), 0);
    this.sameService = same.sort(byStart);
    this.sameLongest = same.reduce((longest, b) => Math.max(longest, b.end - b.start), 0);
    this.freeFlags = new Uint8Array(this.eligible.length);
    this.isTaker = new Uint8Array(technicians.length);
    this.holder = new Int32Array(technicians.length);
    this.seen = new Float64Array(technicians.length);
  }

  /** Index of the first entry of `sorted` whose `key` is at least `instant`. */
  private static firstFrom<T>(sorted: readonly T[], key: (item: T) => number, instant: number): number {
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (key(sorted[mid]!) < instant) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  /** The size of a maximum matching of `pool` bookings to their takers, leaving out technicians marked in `isTaker` when `withoutTakers`. */
  private matched(pool: readonly PoolEntry[], withoutTakers: boolean): number {
    const { holder, seen, isTaker } = this;
    const edges = pool.map((b) => this.takersOf(b));
    holder.fill(-1);
    const place = (node: number): boolean => {
      for (const tech of edges[node]!) {
        if (seen[tech] === this.stamp || (withoutTakers && isTaker[tech])) continue;
        seen[tech] = this.stamp;
        const other = holder[tech]!;
        if (other < 0 || place(other)) {
          holder[tech] = node;
          return true;
        }
      }
      return false;
    };
    let size = 0;
    for (let node = 0; node < pool.length; node += 1) {
      this.stamp += 1;
      if (place(node)) size += 1;
    }
    return size;
  }

  /**
   * How many more jobs `takers` (technician numbers) can absorb while every overlapping pool
   * booking that some free technician could take keeps one of its own (a bipartite matching of
   * bookings to technicians). Give the job every taker; the pool then loses exactly the bookings
   * it cannot place without them, and each of those takes one taker back:
   * capacity = |takers| − (ν(pool) − ν(pool without the takers)), ν = maximum matching size.
   */
  private capacityBeside(pool: readonly PoolEntry[], takers: readonly number[]): number {
    const all = this.matched(pool, false);
    for (const tech of takers) this.isTaker[tech] = 1;
    const without = this.matched(pool, true);
    for (const tech of takers) this.isTaker[tech] = 0;
    return takers.length - (all - without);
  }

  /** The technicians free for a pool booking's own time who could take it; the same for every candidate slot. */
  private takersOf(booking: PoolEntry): number[] {
    if (!booking.takers) {
      let candidates: readonly number[] | undefined;
      if (booking.eligibleTechnicianIds !== undefined) {
        candidates = this.eligibleNumbers.get(booking.eligibleTechnicianIds);
        if (!candidates) {
          const ids = booking.eligibleTechnicianIds;
          const numbers: number[] = [];
          this.techIds.forEach((id, k) => ids.has(id) && numbers.push(k));
          this.eligibleNumbers.set(ids, (candidates = numbers));
        }
      }
      const takers: number[] = [];
      const consider = (k: number) => holding(this.free[k]!, booking) !== undefined && takers.push(k);
      if (candidates) candidates.forEach(consider);
      else this.techIds.forEach((_id, k) => consider(k));
      booking.takers = takers;
    }
    return booking.takers;
  }

  /** Booked milliseconds of technician `k` on a local date (outside the searched dates, summed from their bookings). */
  private bookedOn(k: number, date: string): number {
    const d = this.dateIndex.get(date);
    if (d !== undefined) return this.bookedByDay[k]![d]!;
    let booked = 0;
    for (const b of this.own[k]!) if (localDateOf(b.start, this.policy.timeZone) === date) booked += b.end - b.start;
    return booked;
  }

  /** Eligible technicians by index, lightest booked day first (ties by id): the order slots suggest them in. */
  private orderOn(date: string): number[] {
    let order = this.dayOrder.get(date);
    if (!order) {
      const booked = this.eligibleAt.map((k) => this.bookedOn(k, date));
      order = this.eligible
        .map((_t, i) => i)
        // Plain code-unit order for ties: ids are ASCII, and a locale-aware compare is costly here.
        .sort((a, b) => booked[a]! - booked[b]! || (this.eligible[a]!.id < this.eligible[b]!.id ? -1 : 1));
      this.dayOrder.set(date, order);
    }
    return order;
  }

  private refuse(problem: string): SlotVerdict {
    return { ok: false, technicianIds: [], capacityLeft: 0, problem };
  }

  /** Why no slot at all can be booked for this request (nobody eligible), or null. */
  private impossible(): string | null {
    if (this.eligible.length === 0) return REFUSE_NOBODY;
    if (this.request.technicianId !== undefined && this.requested < 0) return REFUSE_NOT_ELIGIBLE;
    return null;
  }

  /** Whether a job starting at `start` can be booked (onto `request.technicianId`, or into the pool). */
  evaluate(start: number): SlotVerdict {
    const impossible = this.impossible();
    if (impossible) return this.refuse(impossible);
    const slot: Interval = { start, end: start + this.request.service.durationMinutes * MINUTE_MS };
    let freeCount = 0;
    for (let i = 0; i < this.eligible.length; i += 1) {
      const free = holding(this.free[this.eligibleAt[i]!]!, slot) === undefined ? 0 : 1;
      this.freeFlags[i] = free;
      freeCount += free;
    }
    return this.judge(slot, freeCount, localDateOf(start, this.policy.timeZone));
  }

  /** The verdict on `slot` once `freeFlags` say which eligible technicians are free for it. */
  private judge(slot: Interval, freeCount: number, date: string): SlotVerdict {
    const { service, technicianId } = this.request;
    const free = this.freeFlags;
    const requested = this.requested;
    if (requested >= 0 && !free[requested]) return this.refuse('The technician is not free at this time');
    const competing: PoolEntry[] = [];
    for (let i = AvailabilityIndex.firstFrom(this.pool, (b) => b.blocked.start, slot.start - this.poolLongest); i < this.pool.length; i += 1) {
      const b = this.pool[i]!;
      if (b.blocked.start >= slot.end) break;
      // Half-open overlap of the booking's blocked time with the slot.
      if (b.blocked.end > slot.start) competing.push(b);
    }
    let capacityLeft = requested >= 0 ? 1 : freeCount;
    if (competing.length > 0) {
      // Pool bookings overlapping this slot each need a technician of their own first.
      const takers: number[] = [];
      if (requested >= 0) takers.push(this.eligibleAt[requested]!);
      else for (let i = 0; i < this.eligible.length; i += 1) if (free[i]) takers.push(this.eligibleAt[i]!);
      capacityLeft = this.capacityBeside(competing, takers);
    }
    if (capacityLeft < 1) {
      return this.refuse(freeCount === 0 ? 'No eligible technician is free at this time' : 'Every free technician is already needed by unassigned bookings');
    }
    if (service.slotCapacity !== null) {
      let running = 0;
      for (let i = AvailabilityIndex.firstFrom(this.sameService, (b) => b.start, slot.start - this.sameLongest); i < this.sameService.length; i += 1) {
        const b = this.sameService[i]!;
        if (b.start >= slot.end) break;
        if (b.end > slot.start) running += 1;
      }
      if (running >= service.slotCapacity) return this.refuse(`Only ${service.slotCapacity} of this service can run at the same time`);
    }
    const ordered: string[] = [];
    for (const i of this.orderOn(date)) if (free[i]) ordered.push(this.eligible[i]!.id);
    const technicianIds = technicianId === undefined ? ordered : [technicianId, ...ordered.filter((id) => id !== technicianId)];
    return { ok: true, technicianIds, capacityLeft, problem: null };
  }

  /**
   * The first `limit` bookable starts on the slot grid (every step from local midnight), earliest
   * first. Candidate starts only ever move forward, so each technician's free time is walked once
   * with a cursor instead of searched per slot, and a start before anyone's next free time (the
   * night, a fully booked morning) is passed over without looking at anyone.
   */
  search(): SlotOffer[] {
    const { from, to, limit, service } = this.request;
    const { timeZone, slotStepMinutes } = this.policy;
    const offers: SlotOffer[] = [];
    if (this.impossible()) return offers;
    const duration = service.durationMinutes * MINUTE_MS;
    const lists = this.eligibleAt.map((k) => this.free[k]!);
    const cursors = new Int32Array(lists.length);
    const flags = this.freeFlags;
    const requested = this.requested;
    // Only the requested technician decides whether a slot is worth judging (the others only fill the list).
    const deciders = requested >= 0 ? [requested] : lists.map((_l, i) => i);
    let previous = -Infinity;
    /** No decider can be free before this instant (their cursors' free intervals all start later). */
    let nextFree = -Infinity;
    for (const date of datesBetween(localDateOf(from, timeZone), localDateOf(to, timeZone))) {
      const at = dayClock(date, timeZone);
      for (let minute = 0; minute < 1440; minute += slotStepMinutes) {
        const start = at(minute);
        if (start < from) continue;
        if (start > to) return offers;
        // A wall-clock time skipped by a spring-forward change lands on the same instant as the next one.
        if (start <= previous) continue;
        previous = start;
        if (start < nextFree) continue;
        const end = start + duration;
        let freeCount = 0;
        for (let i = 0; i < lists.length; i += 1) {
          const list = lists[i]!;
          let c = cursors[i]!;
          while (c < list.length && list[c]!.end < end) c += 1;
          cursors[i] = c;
          // The first free interval ending at or after the slot's end is the only one that could hold it.
          const free = c < list.length && list[c]!.start <= start ? 1 : 0;
          flags[i] = free;
          freeCount += free;
        }
        nextFree = Infinity;
        for (const i of deciders) {
          const c = cursors[i]!;
          if (c < lists[i]!.length) nextFree = Math.min(nextFree, lists[i]![c]!.start);
        }
        // Every decider's free time is used up: nothing later can be free either.
        if (nextFree === Infinity) return offers;
        if (requested >= 0 ? !flags[requested] : freeCount === 0) continue;
        const verdict = this.judge({ start, end }, freeCount, date);
        if (!verdict.ok) continue;
        offers.push({ start, end, technicianIds: verdict.technicianIds, capacityLeft: verdict.capacityLeft });
        if (offers.length >= limit) return offers;
      }
    }
    return offers;
  }
}

/** Flat [start, end, …] as intervals. */
function pairs(flat: readonly number[]): Interval[] {
  const out: Interval[] = [];
  for (let p = 0; p < flat.length; p += 2) out.push({ start: flat[p]!, end: flat[p + 1]! });
  return out;
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
