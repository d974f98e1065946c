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
  if (cuts.length === 0) return merge(base);
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
const DAY = 24 * HOUR;

/*
 * Calendar arithmetic on dates only, as whole days since the epoch in UTC, so the machine's own
 * zone never shifts a day. Plain arithmetic: the availability search does this thousands of times.
 */
const dayNumber = (date: string): number => Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY;
const dateOfDayNumber = (n: number): string => new Date(n * DAY).toISOString().slice(0, 10);

export const addDays = (date: string, days: number): string => dateOfDayNumber(dayNumber(date) + days);
/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (date: string): number => (((dayNumber(date) + 4) % 7) + 7) % 7;
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** Every zone's offset is a whole multiple of 15 minutes, so all instants of one quarter hour share a local date. */
const QUARTER_HOUR = 15 * MINUTE;
const localDateCache = new Map<string, Map<number, string>>();

/**
 * The branch-local calendar date of an instant. Cached per quarter hour: the availability search
 * asks this tens of thousands of times per call, and a time-zone conversion costs microseconds each.
 */
export function localDateOf(instant: number, timeZone: string): string {
  let zone = localDateCache.get(timeZone);
  if (!zone) localDateCache.set(timeZone, (zone = new Map()));
  const quarter = Math.floor(instant / QUARTER_HOUR);
  let date = zone.get(quarter);
  if (date === undefined) {
    date = dayjs(quarter * QUARTER_HOUR).tz(timeZone).format(DATE);
    if (zone.size > 200_000) zone.clear();
    zone.set(quarter, date);
  }
  return date;
}
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
const dayClocks = new Map<string, (minutes: number) => number>();

export function dayClock(date: string, timeZone: string): (minutes: number) => number {
  const key = `${timeZone}|${date}`;
  let clock = dayClocks.get(key);
  if (!clock) {
    const midnight = wallClockInstant(date, 0, timeZone);
    const nextMidnight = wallClockInstant(addDays(date, 1), 0, timeZone);
    clock = nextMidnight - midnight === 24 * HOUR ? (minutes) => midnight + minutes * MINUTE : (minutes) => wallClockInstant(date, minutes, timeZone);
    if (dayClocks.size > 50_000) dayClocks.clear();
    dayClocks.set(key, clock);
  }
  return clock;
}

/** Every date from `from` to `to`, both included. */
export function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

export const iso = (instant: number): string => new Date(instant).toISOString();
export const ms = (isoText: string): number => Date.parse(isoText);
