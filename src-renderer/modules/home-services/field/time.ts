import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { useEffect, useState } from 'react';
import { useSession } from '../../../api/hooks';

dayjs.extend(utc);
dayjs.extend(timezone);

/*
 * Times on the field screens are the branch's wall-clock time, whatever zone the PC is set to:
 * the clerk books "09:00" at the customer's house, and the board draws the day the branch lives.
 */

export function useBranchZone(): string {
  return useSession().system.timeZone;
}

/** Today (YYYY-MM-DD) in the branch's zone. */
export function todayIn(timeZone: string): string {
  return dayjs().tz(timeZone).format('YYYY-MM-DD');
}

export function useToday(): string {
  return todayIn(useBranchZone());
}

/** `2026-03-02T07:00:00Z` → `09:00` in Johannesburg. */
export const clock = (instant: string | number, timeZone: string): string => dayjs(instant).tz(timeZone).format('HH:mm');

/** `Mon 2 Mar, 09:00`. */
export const dayAndTime = (instant: string | number, timeZone: string): string => dayjs(instant).tz(timeZone).format('ddd D MMM, HH:mm');

export const dayLabel = (date: string): string => dayjs.utc(date).format('ddd D MMM');

/** The instant at which the branch's clocks show `time` on `date`. */
export const instantAt = (date: string, time: string, timeZone: string): string => dayjs.tz(`${date} ${time}`, timeZone).toISOString();

/** The branch-local date of an instant. */
export const localDate = (instant: string | number, timeZone: string): string => dayjs(instant).tz(timeZone).format('YYYY-MM-DD');

export const addDays = (date: string, days: number): string => dayjs.utc(date).add(days, 'day').format('YYYY-MM-DD');

/** Monday of the date's week. */
export const weekStart = (date: string): string => {
  const d = dayjs.utc(date);
  return d.subtract((d.day() + 6) % 7, 'day').format('YYYY-MM-DD');
};

export const hours = (minutes: number): string => `${(minutes / 60).toFixed(1)} h`;

/** The current instant, refreshed every `everyMs`: screens that show "started" or "due" stay truthful while open. */
export function useNow(everyMs = 60_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
