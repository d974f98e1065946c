import dayjs from 'dayjs';
import type { z } from 'zod';
import {
  reportInput,
  type REPORT_PERIODS,
  type ReadType,
  type ReportRow,
} from '../../../../src-shared/contracts/energy/meter-readings';
import type { ReadingFilters } from './filters';
import { READ_TYPE_LABELS } from './labels';

/**
 * The readings report's settings and drilldowns, kept apart from the screen so the rule "a report
 * row opens exactly the readings it counts" can be tested without a browser.
 */
export type ReportInput = z.output<typeof reportInput>;
type Period = (typeof REPORT_PERIODS)[number];

/** Key of the synthetic Total row the table appends; its drilldown is the whole report. */
export const TOTAL_KEY = '__total__';

const DATE = 'YYYY-MM-DD';

/**
 * The report's settings live in the URL like the list's filters, so a report is a link too. Each
 * param passes the contract's own schema or falls back to its default (this month to today).
 */
export function reportInputFromParams(params: URLSearchParams, today: string): ReportInput {
  const field = <K extends keyof typeof reportInput.shape>(key: K) => {
    const raw = params.get(key);
    const parsed = raw === null || raw === '' ? null : reportInput.shape[key].safeParse(raw);
    return parsed?.success ? (parsed.data as z.output<(typeof reportInput.shape)[K]>) : undefined;
  };
  return {
    period: field('period') ?? 'day',
    groupBy: field('groupBy') ?? 'period',
    from: field('from') ?? dayjs(today).startOf('month').format(DATE),
    to: field('to') ?? today,
    routeId: field('routeId'),
    readerId: field('readerId'),
    category: field('category'),
  };
}

/** The last date of the period bucket that starts on `key` (the server keys buckets by their first date). */
export function bucketEnd(key: string, period: Period): string {
  if (period === 'day') return key;
  const start = dayjs(key);
  return (period === 'week' ? start.add(6, 'day') : start.endOf('month')).format(DATE);
}

const laterOf = (a: string, b: string) => (a > b ? a : b);
const earlierOf = (a: string, b: string) => (a < b ? a : b);

/** The readings behind one report row: the report's own filters plus the row's period or dimension. */
export function reportDrilldown(input: ReportInput, row: Pick<ReportRow, 'key'>): ReadingFilters {
  const base: ReadingFilters = { from: input.from, to: input.to, routeId: input.routeId, readerId: input.readerId, category: input.category };
  if (row.key === TOTAL_KEY) return base;
  switch (input.groupBy) {
    case 'period':
      // Buckets at the edges may reach outside the report's range; the drilldown must not.
      return { ...base, from: laterOf(row.key, input.from), to: earlierOf(bucketEnd(row.key, input.period), input.to) };
    case 'route':
      // Readings of meters on no route (key '') cannot be filtered for; the report's own scope is the closest link.
      return row.key ? { ...base, routeId: row.key } : base;
    case 'reader':
      return { ...base, readerId: row.key };
    case 'category':
      return { ...base, category: row.key };
    case 'readType':
      return { ...base, readType: row.key as ReadType };
  }
}

/** Read types arrive as codes (`customer`); everything else comes labelled by the server. */
export const reportRowLabel = (input: ReportInput, row: Pick<ReportRow, 'key' | 'label'>): string =>
  input.groupBy === 'readType' && row.key in READ_TYPE_LABELS ? READ_TYPE_LABELS[row.key as ReadType] : row.label;
