import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { RangePreset } from '../../src-shared/contracts/reports';

dayjs.extend(utc);

/**
 * Calendar arithmetic on branch-local dates (YYYY-MM-DD), pinned to UTC so the PC's own time zone
 * can never move a day. "Today" comes from the server (reports.catalogue), in the branch's zone.
 */
const DATE = 'YYYY-MM-DD';
const d = (date: string) => dayjs.utc(date);

export const addDays = (date: string, days: number): string => d(date).add(days, 'day').format(DATE);

export function weekStartOf(date: string, weekStart: number): string {
  const day = d(date);
  return day.subtract((day.day() - weekStart + 7) % 7, 'day').format(DATE);
}

export const PRESET_LABELS: Record<RangePreset, string> = {
  today: 'Today',
  yesterday: 'Yesterday',
  thisWeek: 'This week',
  lastWeek: 'Last week',
  thisMonth: 'This month',
  lastMonth: 'Last month',
  last7: 'Last 7 days',
  last30: 'Last 30 days',
  last90: 'Last 90 days',
  last365: 'Last 365 days',
  thisYear: 'This year',
};

export function presetRange(preset: RangePreset, today: string, weekStart: number): { from: string; to: string } {
  switch (preset) {
    case 'today':
      return { from: today, to: today };
    case 'yesterday':
      return { from: addDays(today, -1), to: addDays(today, -1) };
    case 'thisWeek':
      return { from: weekStartOf(today, weekStart), to: today };
    case 'lastWeek': {
      const start = addDays(weekStartOf(today, weekStart), -7);
      return { from: start, to: addDays(start, 6) };
    }
    case 'thisMonth':
      return { from: d(today).startOf('month').format(DATE), to: today };
    case 'lastMonth': {
      const last = d(today).startOf('month').subtract(1, 'day');
      return { from: last.startOf('month').format(DATE), to: last.format(DATE) };
    }
    case 'last7':
      return { from: addDays(today, -6), to: today };
    case 'last30':
      return { from: addDays(today, -29), to: today };
    case 'last90':
      return { from: addDays(today, -89), to: today };
    case 'last365':
      return { from: addDays(today, -364), to: today };
    case 'thisYear':
      return { from: d(today).startOf('year').format(DATE), to: today };
  }
}

/** The preset a range matches today, if any (a saved view keeps the preset, not the dates). */
export function matchingPreset(range: { from: string; to: string }, today: string, weekStart: number): RangePreset | null {
  for (const preset of Object.keys(PRESET_LABELS) as RangePreset[]) {
    const r = presetRange(preset, today, weekStart);
    if (r.from === range.from && r.to === range.to) return preset;
  }
  return null;
}

export const formatDay = (date: string): string => d(date).format('D MMM YYYY');
export const formatShortDay = (date: string): string => d(date).format('D MMM');
