import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { Cadence } from './definitions';

dayjs.extend(utc);
dayjs.extend(timezone);

/** After a skipped attempt (nobody may run it, its last job still running) try again this much later. */
export const RETRY_AFTER_SKIP_MS = 15 * 60_000;

/** What the scheduler needs to know of a routine's last runs to decide when it is next due. */
export interface RunMarks {
  last_attempt_at: string | null;
  last_run_at: string | null;
  last_slot: string | null;
  outcome: string | null;
}

export const localDate = (instant: Date, timeZone: string): string => dayjs(instant).tz(timeZone).format('YYYY-MM-DD');

/** `at` (HH:mm) on a local calendar date, as an instant: 01:00 stays 01:00 across daylight saving. */
const slotOn = (date: string, at: string, timeZone: string): Date => dayjs.tz(`${date}T${at}:00`, timeZone).toDate();
const shiftDate = (date: string, days: number): string => dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');

/** The most recent scheduled instant at or before `now` of a daily routine. */
export function latestSlot(at: string, now: Date, timeZone: string): Date {
  const today = localDate(now, timeZone);
  const slot = slotOn(today, at, timeZone);
  return slot.getTime() <= now.getTime() ? slot : slotOn(shiftDate(today, -1), at, timeZone);
}

/**
 * When a routine is next due; at or before `now` means it is due now. A daily routine is due once
 * per slot however many slots were missed while the app was closed (the latest one stands for
 * them all: every routine's procedure catches up by itself), and a routine that never ran is due
 * at once, so a store opened for the first time does not wait a day.
 */
export function dueAt(cadence: Cadence, marks: RunMarks | undefined, now: Date, timeZone: string): Date {
  let due: Date;
  if (cadence.kind === 'every') {
    due = marks?.last_run_at ? new Date(Date.parse(marks.last_run_at) + cadence.minutes * 60_000) : new Date(0);
  } else {
    const slot = latestSlot(cadence.at, now, timeZone);
    const done = marks?.last_slot != null && Date.parse(marks.last_slot) >= slot.getTime();
    due = done ? slotOn(shiftDate(localDate(slot, timeZone), 1), cadence.at, timeZone) : slot;
  }
  if (marks?.outcome === 'skipped' && marks.last_attempt_at) {
    const retry = Date.parse(marks.last_attempt_at) + RETRY_AFTER_SKIP_MS;
    if (retry > due.getTime()) due = new Date(retry);
  }
  return due;
}

export const isDue = (cadence: Cadence, marks: RunMarks | undefined, now: Date, timeZone: string): boolean =>
  dueAt(cadence, marks, now, timeZone).getTime() <= now.getTime();
