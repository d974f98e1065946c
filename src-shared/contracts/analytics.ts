import { z } from 'zod';
import { SIGNED_IN, localDate, mutation, query, version } from '../rpc';
import { MODULE_KEYS, REPORT_PERIODS, kpiInfoSchema, reportFilters } from './reports';

/**
 * The analytics pack over the KPIs functions declare: trend with a moving average, variance
 * against the baseline and the target, exception heatmaps and a next-period forecast. Each call
 * needs `view` on the KPI's function; targets are set by whoever holds `approve` on it
 * (supervisors and administrators by default), and every change of a target is journalled.
 */

export const kpiKey = z
  .string()
  .max(120)
  .regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*){2}$/, 'Not a KPI key (module.function.kpi)');

export const TREND_WINDOWS = [7, 30, 90, 365] as const;

const kpiRef = kpiInfoSchema;
const tone = z.enum(['good', 'bad', 'neutral']);
const varianceSchema = z.object({ value: z.number(), percent: z.number().nullable() });

export const analyticsTrend = query({
  name: 'analytics.trend',
  description: 'A KPI per day over the last 7, 30, 90 or 365 days with its moving average, target and the change against the window before.',
  access: SIGNED_IN,
  input: z.strictObject({
    kpi: kpiKey,
    window: z.literal(TREND_WINDOWS).default(30),
    /** Days averaged; 7 by default (28 for the 365-day window). */
    movingAverage: z.number().int().min(2).max(90).optional(),
    asOf: localDate.optional(),
    filters: reportFilters.default({}),
  }),
  output: z.object({
    kpi: kpiRef,
    from: z.string(),
    to: z.string(),
    movingAverageDays: z.number().int(),
    points: z.array(z.object({ date: z.string(), value: z.number().nullable(), movingAverage: z.number().nullable(), target: z.number().nullable() })),
    total: z.number().nullable(),
    previousTotal: z.number().nullable(),
    change: varianceSchema.nullable(),
    tone,
  }),
});

export const analyticsVariance = query({
  name: 'analytics.variance',
  description:
    'A KPI per day, week or month against its baseline (trailing average of the same weekday, or of the previous periods) and its target, in value and percent.',
  access: SIGNED_IN,
  input: z.strictObject({
    kpi: kpiKey,
    period: z.enum(REPORT_PERIODS).default('day'),
    periods: z.number().int().min(1).max(60).default(14),
    /** How many earlier weekdays / periods make the baseline. */
    baselineWindow: z.number().int().min(1).max(12).default(4),
    asOf: localDate.optional(),
    filters: reportFilters.default({}),
  }),
  output: z.object({
    kpi: kpiRef,
    period: z.enum(REPORT_PERIODS),
    baselineWindow: z.number().int(),
    /** Variances smaller than this many percent are neutral (not coloured). */
    tolerancePercent: z.number(),
    rows: z.array(
      z.object({
        key: z.string(),
        label: z.string(),
        from: z.string(),
        to: z.string(),
        /** The current period so far: its baseline covers the same elapsed days. */
        partial: z.boolean(),
        value: z.number().nullable(),
        baseline: z.number().nullable(),
        vsBaseline: varianceSchema.nullable(),
        baselineTone: tone,
        target: z.number().nullable(),
        vsTarget: varianceSchema.nullable(),
        targetTone: tone,
      }),
    ),
  }),
});

export const HEATMAP_VIEWS = ['functionWeekday', 'weekdayHour', 'branchCategory'] as const;

export const analyticsHeatmap = query({
  name: 'analytics.heatmap',
  description:
    'Where exceptions concentrate: by function × weekday, by weekday × hour (one function or all), or by branch × exception category, in the branch’s time zone.',
  access: SIGNED_IN,
  input: z.strictObject({
    module: z.enum(MODULE_KEYS),
    view: z.enum(HEATMAP_VIEWS).default('functionWeekday'),
    from: localDate,
    to: localDate,
    functionKey: z.string().max(60).optional(),
  }),
  output: z.object({
    view: z.enum(HEATMAP_VIEWS),
    xLabel: z.string(),
    yLabel: z.string(),
    x: z.array(z.object({ key: z.string(), label: z.string() })),
    y: z.array(z.object({ key: z.string(), label: z.string() })),
    cells: z.array(z.object({ x: z.string(), y: z.string(), count: z.number().int() })),
    rowTotals: z.record(z.string(), z.number().int()),
    columnTotals: z.record(z.string(), z.number().int()),
    total: z.number().int(),
    max: z.number().int(),
  }),
});

export const FORECAST_HORIZONS = [7, 14, 28] as const;

export const analyticsForecast = query({
  name: 'analytics.forecast',
  description:
    'Next-period forecast of a KPI (Holt-Winters additive with a weekly season) with a prediction interval, the backtest MAPE, and an up/down/flat signal when the forecast leaves the interval.',
  access: SIGNED_IN,
  input: z.strictObject({
    kpi: kpiKey,
    horizon: z.literal(FORECAST_HORIZONS).default(7),
    /** Days of history the model learns from. */
    history: z.number().int().min(28).max(730).default(364),
    confidence: z.literal([0.8, 0.9, 0.95]).default(0.95),
    asOf: localDate.optional(),
    filters: reportFilters.default({}),
  }),
  output: z.object({
    kpi: kpiRef,
    method: z.enum(['holt-winters', 'seasonal-naive', 'mean', 'none']),
    params: z.object({ alpha: z.number(), beta: z.number(), gamma: z.number() }).nullable(),
    season: z.number().int(),
    confidence: z.number(),
    /** The recent actuals the chart shows before the forecast. */
    history: z.array(z.object({ date: z.string(), value: z.number() })),
    points: z.array(z.object({ date: z.string(), value: z.number(), lower: z.number(), upper: z.number() })),
    nextPeriod: z.object({ from: z.string(), to: z.string(), value: z.number(), lower: z.number(), upper: z.number() }),
    lastPeriod: z.object({ from: z.string(), to: z.string(), value: z.number().nullable() }),
    signal: z.enum(['up', 'down', 'flat']),
    mape: z.number().nullable(),
    backtestPeriods: z.number().int(),
  }),
});

/* ---------------- targets ---------------- */

export const targetSchema = z.object({
  id: z.string(),
  kpi: z.string(),
  kpiLabel: z.string(),
  functionKey: z.string(),
  period: z.enum(REPORT_PERIODS),
  /** First date of the one period it is for; null = every such period (standing target). */
  periodStart: z.string().nullable(),
  value: z.number(),
  note: z.string().nullable(),
  setByName: z.string(),
  updatedAt: z.string(),
  version: z.number().int(),
});
export type Target = z.infer<typeof targetSchema>;

export const targetsList = query({
  name: 'targets.list',
  description: 'KPI targets of the functions I may view, standing and per period.',
  access: SIGNED_IN,
  input: z.strictObject({ kpi: kpiKey.optional(), module: z.enum(MODULE_KEYS).optional() }),
  output: z.array(targetSchema),
});

export const targetsSet = mutation({
  name: 'targets.set',
  description:
    'Set, change or clear (value null) the target of a KPI for every day/week/month or for one period. Needs approve on the KPI’s function; journalled.',
  access: SIGNED_IN,
  input: z.strictObject({
    kpi: kpiKey,
    period: z.enum(REPORT_PERIODS),
    periodStart: localDate.nullable().default(null),
    value: z.number().finite().nonnegative().max(1e13).nullable(),
    note: z.string().trim().max(300).optional(),
    /** The version last read; 0 when there is no target yet. */
    version,
  }),
  output: targetSchema.nullable(),
});

export const analyticsContracts = [analyticsTrend, analyticsVariance, analyticsHeatmap, analyticsForecast, targetsList, targetsSet] as const;
