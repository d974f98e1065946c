import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Pure time arithmetic the field functions share. Instants are epoch milliseconds; intervals are
 * half-open [start, end): 10:00–11:00 and 11:00–12:00 touch but do not overlap. Wall-clock times
 * (shifts, breaks, a series' start time) are minutes after local midnight in the branch's zone
 * and are turned into instants per calendar date, so 08:00 stays 08:00 across daylight saving.
 */

export interface Interval {
  start: number;
  end: number;
}

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;

/** Half-open overlap: they share some instant, i.e. s1 < e2 and s2 < e1. */
export const overlaps = (a: Interval, b: Interval): boolean => a.start < b.end && b.start < a.end;

export const contains = (outer: Interval, inner: Interval): boolean => outer.start <= inner.start && inner.end <= outer.end;

export const lengthOf = (intervals: readonly Interval[]): number => intervals.reduce((sum, i) => sum + (i.end - i.start), 0);

/** Sorted, with overlapping or touching intervals joined. */
export function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter((i) => i.start < i.end).sort((a, b) => a.start - b.start);
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) last.end = Math.max(last.end, i.end);
    else out.push({ start: i.start, end: i.end });
  }
  return out;
}

/** `base` with every part covered by `cuts` removed; both may be unsorted, the answer is sorted. */
export function subtract(base: readonly Interval[], cuts: readonly Interval[]): Interval[] {
  const blocks = merge(cuts);
  const out: Interval[] = [];
  for (const piece of merge(base)) {
    let cursor = piece.start;
    for (const cut of blocks) {
      if (cut.end <= cursor) continue;
      if (cut.start >= piece.end) break;
      if (cut.start > cursor) out.push({ start: cursor, end: cut.start });
      cursor = Math.max(cursor, cut.end);
      if (cursor >= piece.end) break;
    }
    if (cursor < piece.end) out.push({ start: cursor, end: piece.end });
  }
  return out;
}

export function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const left = merge(a);
  const right = merge(b);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < left.length && j < right.length) {
    const start = Math.max(left[i]!.start, right[j]!.start);
    const end = Math.min(left[i]!.end, right[j]!.end);
    if (start < end) out.push({ start, end });
    if (left[i]!.end < right[j]!.end) i += 1;
    else j += 1;
  }
  return out;
}

/** The free interval (of a sorted, disjoint list) that holds all of `wanted`, if any. */
export function holding(free: readonly Interval[], wanted: Interval): Interval | undefined {
  let low = 0;
  let high = free.length - 1;
  let candidate = -1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    if (free[mid]!.start <= wanted.start) {
      candidate = mid;
      low = mid + 1;
    } else high = mid - 1;
  }
  const found = candidate >= 0 ? free[candidate] : undefined;
  return found && found.end >= wanted.end ? found : undefined;
}

/* ---------------- calendar dates and wall-clock time ---------------- */

const DATE = 'YYYY-MM-DD';

/** Calendar arithmetic on dates only, pinned to UTC so the machine's own zone never shifts a day. */
export const addDays = (date: string, days: number): string => dayjs.utc(date).add(days, 'day').format(DATE);
export const weekdayOf = (date: string): number => dayjs.utc(date).day();
export const daysBetween = (from: string, to: string): number => dayjs.utc(to).diff(dayjs.utc(from), 'day');

/** The branch-local calendar date of an instant. */
export const localDateOf = (instant: number, timeZone: string): string => dayjs(instant).tz(timeZone).format(DATE);
/** Minutes after local midnight of an instant, in `timeZone`. */
export function localMinutesOf(instant: number, timeZone: string): number {
  const local = dayjs(instant).tz(timeZone);
  return local.hour() * 60 + local.minute();
}

const wallClockCache = new Map<string, number>();

/**
 * The instant at which the clocks in `timeZone` show `minutes` after midnight on `date`. A time
 * skipped by a spring-forward change (02:30 on that Sunday) resolves to the instant an hour later
 * in wall-clock terms, as dayjs does; shifts never start in that hour in practice.
 */
export function wallClockInstant(date: string, minutes: number, timeZone: string): number {
  const key = `${timeZone}|${date}|${minutes}`;
  let instant = wallClockCache.get(key);
  if (instant === undefined) {
    const dayOffset = Math.floor(minutes / 1440);
    const rest = minutes - dayOffset * 1440;
    const day = dayOffset === 0 ? date : addDays(date, dayOffset);
    const hh = String(Math.floor(rest / 60)).padStart(2, '0');
    const mm = String(rest % 60).padStart(2, '0');
    instant = dayjs.tz(`${day} ${hh}:${mm}`, timeZone).valueOf();
    // Bounded: the availability search asks for a few thousand distinct values at most.
    if (wallClockCache.size > 100_000) wallClockCache.clear();
    wallClockCache.set(key, instant);
  }
  return instant;
}

/**
 * Converts many wall-clock minutes of one date cheaply: a day without a daylight-saving change is
 * exactly 24 hours long, so minutes are an offset from its midnight; a change day converts each.
 */
export function dayClock(date: string, timeZone: string): (minutes: number) => number {
  const midnight = wallClockInstant(date, 0, timeZone);
  const nextMidnight = wallClockInstant(addDays(date, 1), 0, timeZone);
  if (nextMidnight - midnight === 24 * HOUR) return (minutes) => midnight + minutes * MINUTE;
  return (minutes) => wallClockInstant(date, minutes, timeZone);
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export const iso = (instant: number): string => new Date(instant).toISOString();
export const ms = (isoText: string): number => Date.parse(isoText);
