import { z } from 'zod';

/**
 * Building blocks the three Home & Personal Services functions share (scheduling, dispatch,
 * visits): wall-clock times, weekdays, coordinates, skills and the report periods.
 */

/** A wall-clock time in the branch's zone, `HH:mm`; `24:00` closes a day that runs to midnight. */
export const wallClock = z
  .string()
  .regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'Enter a time as HH:mm, e.g. 08:30');

/** `08:30` → 510 minutes after local midnight. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(':').map(Number);
  return h! * 60 + m!;
}

/** 510 → `08:30`. */
export function wallClockOf(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}

/** 0 = Sunday … 6 = Saturday, as JavaScript and dayjs count them. */
export const weekday = z.number().int().min(0).max(6);
export const WEEKDAY_LABELS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);

/** A skill key such as `plumbing` or `gas`: lower case, so "Gas" and "gas" are one skill. */
export const skillKey = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z][a-z0-9_-]{1,29}$/, 'Use 2–30 letters, digits, dash or underscore, starting with a letter');
/** 1 = trainee … 5 = expert. */
export const skillLevel = z.number().int().min(1).max(5);

/** A weekly interval in wall-clock time: a shift (working hours) or a break. */
export const weeklyInterval = z
  .strictObject({ weekday, start: wallClock, end: wallClock })
  .refine((i) => minutesOf(i.start) < minutesOf(i.end), { path: ['end'], message: 'The end must be after the start' });
export type WeeklyInterval = z.infer<typeof weeklyInterval>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const PRIORITY_LABELS: Record<Priority, string> = { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' };

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** An interval of instants, both ISO-8601 UTC; the end is not part of it (half-open). */
export const instantInterval = z.object({ startsAt: z.string(), endsAt: z.string() });
export type InstantInterval = z.infer<typeof instantInterval>;

export const formatNumber = (prefix: string, n: number): string => `${prefix}-${String(n).padStart(6, '0')}`;
