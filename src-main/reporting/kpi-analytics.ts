import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import type { z } from 'zod';
import type { analyticsForecast, analyticsHeatmap, analyticsTrend, analyticsVariance } from '../../src-shared/contracts/analytics';
import type { ReportFilters, ReportPeriod } from '../../src-shared/contracts/reports';
import { FUNCTIONS } from '../../src-shared/permissions';
import { AppError } from '../../src-shared/errors';
import { sqlAll } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { HOUR_KEYS, WEEKDAY_NAMES, forecastNextPeriod, heatmapGrid, mean, movingAverage, variance, varianceTone, weekdayKeys } from '../analytics';
import type { HeatmapCount } from '../analytics';
import { bucketOfDate, instantRange, localDateOf } from './periods';
import { localTimeSql, offsetSegments } from './local-time';
import { can, decimalsOf, kpiInfo, requirePermission, type KpiEntry, type ReportingCatalogue } from './catalogue';
import { branchNames, checkRange, dailySeries, valueOver, type DailySeries } from './engine';
import { isRatio } from './definitions';
import { targetLookup } from './targets';

dayjs.extend(utc);

type Out<C extends { output: z.ZodType }> = z.input<C['output']>;

const DATE = 'YYYY-MM-DD';
const shift = (date: string, days: number) => dayjs.utc(date).add(days, 'day').format(DATE);
const daysBetween = (from: string, to: string) => dayjs.utc(to).diff(dayjs.utc(from), 'day');
const roundTo = (value: number | null, decimals: number) => (value === null ? null : Math.round(value * 10 ** decimals) / 10 ** decimals);

function visibleKpi(ctx: Ctx, catalogue: ReportingCatalogue, key: string): KpiEntry {
  const kpi = catalogue.kpi(key);
  requirePermission(ctx.user(), kpi.report.fn.functionKey, 'view');
  return kpi;
}

function seriesFor(ctx: Ctx, kpi: KpiEntry, from: string, to: string, filters: ReportFilters): DailySeries {
  return dailySeries(ctx.db, ctx.branch, kpi.report, [kpi.measure], { from, to, filters });
}

/** Variances under this many percent are noise: shown, not coloured. */
export const VARIANCE_TOLERANCE_PERCENT = 5;

/* ---------------- trend ---------------- */

export function trend(ctx: Ctx, catalogue: ReportingCatalogue, input: z.output<typeof analyticsTrend.input>): Out<typeof analyticsTrend> {
  const kpi = visibleKpi(ctx, catalogue, input.kpi);
  const asOf = input.asOf ?? localDateOf(ctx.now, ctx.branch.timeZone);
  const window = input.window;
  const maDays = input.movingAverage ?? (window === 365 ? 28 : 7);
  const from = shift(asOf, -(window - 1));
  // Earlier days feed the first moving averages and the window before (for the change).
  const fetchFrom = shift(from, -Math.max(window, maDays - 1));
  const series = seriesFor(ctx, kpi, fetchFrom, asOf, input.filters);
  const offset = daysBetween(fetchFrom, from);
  const decimals = decimalsOf(kpi.measure);
  const daily = series.days.map((_, i) => valueOver(series, kpi.measure, i, i));
  const averages = isRatio(kpi.measure)
    ? // A ratio's average is the ratio of the summed parts over the window, not a mean of daily ratios.
      series.days.map((_, i) => (i >= maDays - 1 ? valueOver(series, kpi.measure, i - maDays + 1, i) : null))
    : movingAverage(
        daily.map((v) => v ?? 0),
        maDays,
      );
  const targets = targetLookup(ctx.db, kpi.def.key, 'day');
  const total = valueOver(series, kpi.measure, offset, series.days.length - 1);
  const previousTotal = valueOver(series, kpi.measure, offset - window, offset - 1);
  const change = total !== null && previousTotal !== null ? variance(total, previousTotal) : null;
  return {
    kpi: kpiInfo(kpi, ctx.user()),
    from,
    to: asOf,
    movingAverageDays: maDays,
    points: series.days.slice(offset).map((date, j) => ({
      date,
      value: daily[offset + j] ?? null,
      movingAverage: roundTo(averages[offset + j] ?? null, decimals + 2),
      target: targets.forPeriod(date),
    })),
    total,
    previousTotal,
    change,
    tone: varianceTone(change, kpi.def.goodDirection, VARIANCE_TOLERANCE_PERCENT),
  };
}

/* ---------------- variance ---------------- */

interface Span {
  from: string;
  to: string;
}

/** The bucket `steps` periods before the one starting at `start`. */
function bucketBefore(start: string, period: ReportPeriod, weekStart: number, steps: number) {
  let bucket = bucketOfDate(start, period, weekStart);
  for (let i = 0; i < steps; i += 1) bucket = bucketOfDate(shift(bucket.start, -1), period, weekStart);
  return bucket;
}

export function varianceReport(ctx: Ctx, catalogue: ReportingCatalogue, input: z.output<typeof analyticsVariance.input>): Out<typeof analyticsVariance> {
  const kpi = visibleKpi(ctx, catalogue, input.kpi);
  const asOf = input.asOf ?? localDateOf(ctx.now, ctx.branch.timeZone);
  const { weekStart } = ctx.branch;
  const { period, periods, baselineWindow } = input;
  const dir = kpi.def.goodDirection;

  const rows: { bucket: ReturnType<typeof bucketOfDate>; span: Span; references: Span[] }[] = [];
  for (let j = periods - 1; j >= 0; j -= 1) {
    const bucket = bucketBefore(asOf, period, weekStart, j);
    const span = { from: bucket.start, to: bucket.end < asOf ? bucket.end : asOf };
    const elapsed = daysBetween(span.from, span.to);
    // Same weekday in the weeks before (days), or the periods before; a partial current period is
    // compared with the same number of days of each of them.
    const references = Array.from({ length: baselineWindow }, (_, k) => {
      const ref = period === 'day' ? bucketOfDate(shift(bucket.start, -7 * (k + 1)), 'day', weekStart) : bucketBefore(bucket.start, period, weekStart, k + 1);
      const to = shift(ref.start, elapsed);
      return { from: ref.start, to: to < ref.end ? to : ref.end };
    });
    rows.push({ bucket, span, references });
  }
  const earliest = rows.flatMap((r) => r.references.map((s) => s.from)).sort()[0] ?? rows[0]!.span.from;
  checkRange({ from: earliest, to: asOf }, 2_200);
  const series = seriesFor(ctx, kpi, earliest, asOf, input.filters);
  const at = (date: string) => daysBetween(earliest, date);
  const over = (span: Span) => valueOver(series, kpi.measure, at(span.from), at(span.to));
  const targets = targetLookup(ctx.db, kpi.def.key, period);
  const decimals = decimalsOf(kpi.measure);

  return {
    kpi: kpiInfo(kpi, ctx.user()),
    period,
    baselineWindow,
    tolerancePercent: VARIANCE_TOLERANCE_PERCENT,
    rows: rows.map(({ bucket, span, references }) => {
      const value = over(span);
      const partial = span.to < bucket.end;
      let baseline: number | null;
      if (isRatio(kpi.measure)) {
        // Pool the reference periods' parts: a ratio of sums, not a mean of ratios.
        const pooled = new Map<string, number>();
        for (const ref of references) {
          for (const [key, values] of series.sums) {
            let s = 0;
            for (let i = at(ref.from); i <= at(ref.to); i += 1) s += values[i] ?? 0;
            pooled.set(key, (pooled.get(key) ?? 0) + s);
          }
        }
        const { numerator, denominator, scale = 1 } = kpi.measure.ratio;
        baseline = (pooled.get(denominator) ?? 0) === 0 ? null : ((pooled.get(numerator) ?? 0) / pooled.get(denominator)!) * scale;
      } else {
        const refValues = references.map((ref) => over(ref) ?? 0);
        baseline = refValues.length ? mean(refValues) : null;
      }
      const fullTarget = targets.forPeriod(bucket.start);
      // Against the current period so far, the target counts for the days elapsed.
      const target =
        fullTarget === null ? null : partial ? (fullTarget * (daysBetween(span.from, span.to) + 1)) / (daysBetween(bucket.start, bucket.end) + 1) : fullTarget;
      const vsBaseline = value !== null && baseline !== null ? variance(value, baseline) : null;
      const vsTarget = value !== null && target !== null ? variance(value, target) : null;
      return {
        key: bucket.key,
        label: bucket.label,
        from: span.from,
        to: span.to,
        partial,
        value,
        baseline: roundTo(baseline, decimals + 2),
        vsBaseline,
        baselineTone: varianceTone(vsBaseline, dir, VARIANCE_TOLERANCE_PERCENT),
        target: roundTo(target, decimals + 2),
        vsTarget,
        targetTone: varianceTone(vsTarget, dir, VARIANCE_TOLERANCE_PERCENT),
      };
    }),
  };
}

/* ---------------- forecast ---------------- */

export function forecast(ctx: Ctx, catalogue: ReportingCatalogue, input: z.output<typeof analyticsForecast.input>): Out<typeof analyticsForecast> {
  const kpi = visibleKpi(ctx, catalogue, input.kpi);
  // The model learns from complete days only: today is still being written.
  const asOf = input.asOf ?? shift(localDateOf(ctx.now, ctx.branch.timeZone), -1);
  const from = shift(asOf, -(input.history - 1));
  const series = seriesFor(ctx, kpi, from, asOf, input.filters);
  // A ratio has no value on a day without its denominator; carry the last known value over it.
  let last = 0;
  const values = series.days.map((_, i) => {
    const v = valueOver(series, kpi.measure, i, i);
    if (v !== null) last = v;
    return v ?? last;
  });
  const result = forecastNextPeriod(values, { season: 7, horizon: input.horizon, confidence: input.confidence });
  const decimals = Math.max(1, decimalsOf(kpi.measure));
  const r = (v: number) => roundTo(v, decimals)!;
  const shown = Math.max(56, 2 * input.horizon);
  return {
    kpi: kpiInfo(kpi, ctx.user()),
    method: result.method,
    params: result.params,
    season: 7,
    confidence: result.confidence,
    history: series.days.slice(-shown).map((date, j) => ({ date, value: values[values.length - Math.min(shown, values.length) + j]! })),
    points: result.points.map((p) => ({ date: shift(asOf, p.step), value: r(p.value), lower: r(p.lower), upper: r(p.upper) })),
    nextPeriod: { from: shift(asOf, 1), to: shift(asOf, input.horizon), value: r(result.total.value), lower: r(result.total.lower), upper: r(result.total.upper) },
    lastPeriod: { from: shift(asOf, -(input.horizon - 1)), to: asOf, value: result.lastActual === null ? null : r(result.lastActual) },
    signal: result.signal,
    mape: result.mape === null ? null : Math.round(result.mape * 10) / 10,
    backtestPeriods: result.backtestPeriods,
  };
}

/* ---------------- heatmap ---------------- */

export function heatmap(ctx: Ctx, catalogue: ReportingCatalogue, input: z.output<typeof analyticsHeatmap.input>): Out<typeof analyticsHeatmap> {
  checkRange(input);
  const me = ctx.user();
  if (input.functionKey) {
    const fn = FUNCTIONS.find((f) => f.key === input.functionKey && f.module === input.module);
    if (!fn) {
      throw new AppError('VALIDATION', `functionKey: ${input.functionKey} is not a function of this module`, {
        issues: [{ path: 'functionKey', message: 'Not a function of this module' }],
      });
    }
    requirePermission(me, fn.key, 'view');
  }
  const fns = catalogue
    .moduleFunctions(input.module)
    .filter((f) => can(me, f.functionKey, 'view') && (!input.functionKey || f.functionKey === input.functionKey));
  const { fromInstant, toInstant } = instantRange(input.from, input.to, ctx.branch.timeZone);
  const segments = offsetSegments(ctx.branch.timeZone, fromInstant, toInstant);
  const weekdays = weekdayKeys(ctx.branch.weekStart);
  const weekdayAxis = weekdays.map((k) => ({ key: k, label: WEEKDAY_NAMES[Number(k)]! }));
  const label = new Map<string, string>(FUNCTIONS.map((f) => [f.key, f.label]));
  const counts: HeatmapCount[] = [];

  for (const fn of fns) {
    for (const source of fn.exceptions) {
      const occ = source.occurrences;
      const dateKind = occ.atKind === 'date';
      if (input.view === 'weekdayHour' && dateKind) continue; // a date has no hour
      const range = dateKind ? { sql: `${occ.at} BETWEEN ? AND ?`, params: [input.from, input.to] } : { sql: `${occ.at} >= ? AND ${occ.at} < ?`, params: [fromInstant, toInstant] };
      const local = (format: string) => (dateKind ? { sql: `strftime('${format}', ${occ.at})`, params: [] as string[] } : localTimeSql(occ.at, format, segments));
      const [x, y] =
        input.view === 'functionWeekday'
          ? [local('%w'), { sql: '?', params: [fn.functionKey] }]
          : input.view === 'weekdayHour'
            ? [local('%H'), local('%w')]
            : [{ sql: `coalesce(${occ.category}, '(none)')`, params: [] as string[] }, { sql: occ.branch, params: [] as string[] }];
      const rows = sqlAll<{ x: string; y: string; n: number }>(
        ctx.db,
        `SELECT ${x.sql} AS x, ${y.sql} AS y, count(*) AS n FROM ${occ.from} WHERE ${range.sql}${occ.where ? ` AND (${occ.where})` : ''} GROUP BY x, y`,
        ...x.params,
        ...y.params,
        ...range.params,
      );
      for (const row of rows) counts.push({ x: String(row.x), y: String(row.y), count: row.n });
    }
  }

  let grid;
  let x: { key: string; label: string }[];
  let y: { key: string; label: string }[];
  let axisLabels: [string, string];
  if (input.view === 'functionWeekday') {
    const yKeys = fns.map((f) => f.functionKey);
    grid = heatmapGrid(counts, { xKeys: weekdays, yKeys });
    x = weekdayAxis;
    y = yKeys.map((k) => ({ key: k, label: label.get(k) ?? k }));
    axisLabels = ['Weekday', 'Function'];
  } else if (input.view === 'weekdayHour') {
    grid = heatmapGrid(counts, { xKeys: HOUR_KEYS, yKeys: weekdays });
    x = HOUR_KEYS.map((h) => ({ key: h, label: `${h}:00` }));
    y = weekdayAxis;
    axisLabels = ['Hour', 'Weekday'];
  } else {
    const names = branchNames(ctx.db);
    grid = heatmapGrid(counts);
    x = grid.xKeys.map((k) => ({ key: k, label: k }));
    y = grid.yKeys.map((k) => ({ key: k, label: names.get(k) ?? k }));
    axisLabels = ['Exception category', 'Branch'];
  }
  return {
    view: input.view,
    xLabel: axisLabels[0],
    yLabel: axisLabels[1],
    x,
    y,
    cells: grid.cells,
    rowTotals: grid.rowTotals,
    columnTotals: grid.columnTotals,
    total: grid.total,
    max: grid.max,
  };
}
