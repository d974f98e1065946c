import { AppError } from '../../../src-shared/errors';
import type { BranchInfo } from '../../core/rpc/context';
import { bucketOfDate, bucketsBetween, type Period } from '../../reporting/periods';

/**
 * The report skeleton the three field functions share: figures come from SQL per local date and
 * drilldown key; this folds them into period buckets (every bucket shown, empty ones as zero) or
 * into one row per key, and adds the totals as the sum of the rows shown.
 */

export function checkRange(input: { from: string; to: string }): void {
  if (input.from > input.to) {
    throw new AppError('VALIDATION', 'to: The end date is before the start date', {
      issues: [{ path: 'to', message: 'The end date is before the start date' }],
    });
  }
  // A report is read on a screen; a decade of days is an export's job, not a query's.
  const days = (Date.parse(input.to) - Date.parse(input.from)) / 86_400_000;
  if (days > 800) {
    throw new AppError('VALIDATION', 'to: Choose at most about two years', { issues: [{ path: 'to', message: 'Choose at most about two years' }] });
  }
}

export interface DayFigure<F> {
  day: string;
  key: string;
  label: string;
  figures: F;
}

export interface FoldedReport<R> {
  rows: R[];
  totals: R;
}

export function foldReport<F, R extends { key: string; label: string }>(
  figures: readonly DayFigure<F>[],
  options: {
    groupBy: string;
    period: Period;
    from: string;
    to: string;
    branch: BranchInfo;
    empty(key: string, label: string): R;
    add(into: R, figures: F | R): void;
    /** Figures derived from the sums (ratios), worked out once a row is complete. */
    finish?(row: R): void;
  },
): FoldedReport<R> {
  let rows: R[];
  if (options.groupBy === 'period') {
    const buckets = bucketsBetween(options.from, options.to, options.period, options.branch.weekStart);
    const byKey = new Map(buckets.map((b) => [b.key, options.empty(b.key, b.label)]));
    for (const f of figures) {
      const row = byKey.get(bucketOfDate(f.day, options.period, options.branch.weekStart).key);
      if (row) options.add(row, f.figures);
    }
    rows = [...byKey.values()];
  } else {
    const byKey = new Map<string, R>();
    for (const f of figures) {
      let row = byKey.get(f.key);
      if (!row) byKey.set(f.key, (row = options.empty(f.key, f.label)));
      options.add(row, f.figures);
    }
    rows = [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
  }
  const totals = options.empty('total', 'Total');
  for (const row of rows) {
    options.finish?.(row);
    options.add(totals, row);
  }
  options.finish?.(totals);
  return { rows, totals };
}

export const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
