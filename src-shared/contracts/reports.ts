import { z } from 'zod';
import { SIGNED_IN, id, localDate, mutation, query, version } from '../rpc';

/**
 * The report catalogue: every function's daily / weekly / monthly report set through one engine.
 * A function declares its reports (measures, drilldown dimensions, records) on the server; these
 * procedures run any of them the same way, so HQ and scripts query exactly what the screens show.
 *
 * Access: the procedures are open to any signed-in user, and each call checks the cell of the
 * report's own function — `view` to run a report or read its records, `export` to export it —
 * because one procedure serves reports of every function. Refusals answer FORBIDDEN with the
 * permission that was missing, like the pipeline does.
 */

export const REPORT_PERIODS = ['day', 'week', 'month'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

export const MEASURE_UNITS = ['count', 'money', 'units', 'hours', 'percent'] as const;
export type MeasureUnit = (typeof MEASURE_UNITS)[number];

/** The drilldowns every module offers; functions add their own (route, read type, SKU, zone…). */
export const STANDARD_DIMENSIONS = ['branch', 'user', 'shift', 'category'] as const;

/** Grouping by the report's period buckets rather than by a dimension. */
export const PERIOD_GROUP = 'period';

export const MODULE_KEYS = ['energy', 'homeServices'] as const;
export type ModuleKey = (typeof MODULE_KEYS)[number];

export const reportKey = z
  .string()
  .max(120)
  .regex(/^[a-z][A-Za-z0-9]*(\.[a-z][A-Za-z0-9]*){2}$/, 'Not a report key (module.function.report)');
export const dimensionKey = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'Not a dimension key');

/**
 * Dimension → value the rows must have, e.g. `{ user: '01J…', shift: 'R01|2025-03-04|01J…' }`.
 * An empty value is a real one: the row of records without it ("No route", "Unassigned").
 */
export const reportFilters = z
  .record(dimensionKey, z.string().max(200))
  .refine((filters) => Object.keys(filters).length <= 12, 'At most 12 filters');
export type ReportFilters = z.infer<typeof reportFilters>;

export const measureSchema = z.object({
  key: z.string(),
  label: z.string(),
  unit: z.enum(MEASURE_UNITS),
  /** Sums add up across rows; ratios are worked out from the summed parts of each row. */
  kind: z.enum(['sum', 'ratio']),
  decimals: z.number().int(),
  description: z.string().nullable(),
});
export type Measure = z.infer<typeof measureSchema>;

export const dimensionSchema = z.object({
  key: z.string(),
  label: z.string(),
  /** One of branch / user / shift / category, whatever this function calls it. */
  standard: z.boolean(),
});
export type Dimension = z.infer<typeof dimensionSchema>;

export const reportInfoSchema = z.object({
  key: z.string(),
  functionKey: z.string(),
  functionLabel: z.string(),
  module: z.enum(MODULE_KEYS),
  label: z.string(),
  description: z.string(),
  /** What the date range filters on, e.g. "Read date" or "Paid at". */
  timeLabel: z.string(),
  /** What one record is, e.g. "reading", "payment". */
  recordLabel: z.string(),
  dimensions: z.array(dimensionSchema),
  measures: z.array(measureSchema),
  defaultMeasure: z.string(),
  canExport: z.boolean(),
});
export type ReportInfo = z.infer<typeof reportInfoSchema>;

export const kpiInfoSchema = z.object({
  key: z.string(),
  label: z.string(),
  description: z.string(),
  functionKey: z.string(),
  module: z.enum(MODULE_KEYS),
  unit: z.enum(MEASURE_UNITS),
  decimals: z.number().int(),
  reportKey: z.string(),
  measure: z.string(),
  /** Whether more is better (throughput) or worse (exceptions); colours variances. */
  goodDirection: z.enum(['up', 'down']),
  canSetTarget: z.boolean(),
});
export type KpiInfo = z.infer<typeof kpiInfoSchema>;

export const reportsCatalogue = query({
  name: 'reports.catalogue',
  description: 'The reports and KPIs the signed-in user may see, with their measures and drilldown dimensions.',
  access: SIGNED_IN,
  input: z.strictObject({ module: z.enum(MODULE_KEYS).optional() }),
  output: z.object({
    reports: z.array(reportInfoSchema),
    kpis: z.array(kpiInfoSchema),
    /** The branch's calendar, so screens resolve "this week" exactly as reports bucket it. */
    calendar: z.object({ today: z.string(), timeZone: z.string(), weekStart: z.number().int().min(0).max(6) }),
  }),
});

export const reportRunInput = z.strictObject({
  report: reportKey,
  from: localDate,
  to: localDate,
  period: z.enum(REPORT_PERIODS).default('day'),
  /** `period`, or one of the report's dimension keys. */
  groupBy: z.union([z.literal(PERIOD_GROUP), dimensionKey]).default(PERIOD_GROUP),
  filters: reportFilters.default({}),
});
export type ReportRunInput = z.input<typeof reportRunInput>;

const values = z.record(z.string(), z.number().nullable());

export const reportRowSchema = z.object({
  /** Period rows: the bucket's first date; dimension rows: the dimension value (the filter to drill with). */
  key: z.string(),
  label: z.string(),
  /** Period rows: the dates the row covers, clipped to the report's range. */
  from: z.string().nullable(),
  to: z.string().nullable(),
  values,
});
export type ReportRow = z.infer<typeof reportRowSchema>;

export const reportResultSchema = z.object({
  report: z.object({ key: z.string(), label: z.string(), functionKey: z.string(), recordLabel: z.string() }),
  from: z.string(),
  to: z.string(),
  period: z.enum(REPORT_PERIODS),
  groupBy: z.string(),
  groupLabel: z.string(),
  filters: reportFilters,
  /** Filter values as people read them (names, not ids), for headings and printed sheets. */
  filterLabels: z.array(z.object({ dimension: z.string(), label: z.string(), value: z.string() })),
  measures: z.array(measureSchema),
  rows: z.array(reportRowSchema),
  /** Sums of the rows as shown (so a printed report always adds up); ratios from those sums. */
  totals: values,
  /** The function's own list with the same filters, when it can express them. */
  listLink: z.string().nullable(),
});
export type ReportResult = z.infer<typeof reportResultSchema>;

export const reportsRun = query({
  name: 'reports.run',
  description:
    'Run a report: a date range in the branch’s calendar, filters by any drilldown dimension, grouped by day/week/month or by a dimension, with totals. Needs view on the report’s function.',
  access: SIGNED_IN,
  input: reportRunInput,
  output: reportResultSchema,
});

export const RECORD_COLUMN_KINDS = ['text', 'integer', 'decimal', 'money', 'date', 'datetime'] as const;

export const recordColumnSchema = z.object({ key: z.string(), header: z.string(), kind: z.enum(RECORD_COLUMN_KINDS) });

export const reportsRecords = query({
  name: 'reports.records',
  description: 'The records behind a report or one of its rows (same range and filters), oldest first, paged by key.',
  access: SIGNED_IN,
  input: z.strictObject({
    report: reportKey,
    from: localDate,
    to: localDate,
    filters: reportFilters.default({}),
    cursor: z.string().max(400).optional(),
    limit: z.number().int().min(1).max(500).default(50),
  }),
  output: z.object({
    columns: z.array(recordColumnSchema),
    rows: z.array(z.object({ id: z.string(), link: z.string().nullable(), values: z.record(z.string(), z.union([z.string(), z.number(), z.null()])) })),
    nextCursor: z.string().nullable(),
    total: z.number().int().nonnegative(),
  }),
});

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;

export const reportsExport = mutation({
  name: 'reports.export',
  description:
    'Export a report as a job: Excel with a summary sheet and a detail sheet of its records, or CSV (the records, or the summary). Needs export on the report’s function; every export is journalled.',
  access: SIGNED_IN,
  input: reportRunInput.extend({
    format: z.enum(EXPORT_FORMATS).default('xlsx'),
    /** CSV holds one table: the records (default) or the summary rows. Excel always has both. */
    csvContent: z.enum(['records', 'summary']).default('records'),
  }),
  output: z.object({ jobId: z.string() }),
});

/* ---------------- saved views ---------------- */

export const RANGE_PRESETS = ['today', 'yesterday', 'thisWeek', 'lastWeek', 'thisMonth', 'lastMonth', 'last7', 'last30', 'last90', 'last365', 'thisYear'] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const viewParamsSchema = z.strictObject({
  period: z.enum(REPORT_PERIODS),
  groupBy: z.union([z.literal(PERIOD_GROUP), dimensionKey]),
  filters: reportFilters,
  measure: z.string().max(40).optional(),
  /** A relative range stays useful tomorrow; fixed dates are kept when no preset fits. */
  range: z.union([z.strictObject({ preset: z.enum(RANGE_PRESETS) }), z.strictObject({ from: localDate, to: localDate })]),
});
export type ViewParams = z.infer<typeof viewParamsSchema>;

export const reportViewSchema = z.object({
  id: z.string(),
  report: z.string(),
  name: z.string(),
  params: viewParamsSchema,
  shared: z.boolean(),
  mine: z.boolean(),
  ownerName: z.string(),
  version: z.number().int(),
});
export type ReportView = z.infer<typeof reportViewSchema>;

export const reportsViewsList = query({
  name: 'reports.views.list',
  description: 'Saved views of a report: mine, and those colleagues shared.',
  access: SIGNED_IN,
  input: z.strictObject({ report: reportKey }),
  output: z.array(reportViewSchema),
});

export const reportsViewsSave = mutation({
  name: 'reports.views.save',
  description: 'Save report settings under a name (new, or my existing view by id and version).',
  access: SIGNED_IN,
  input: z.strictObject({
    id: id.optional(),
    version: version.optional(),
    report: reportKey,
    name: z.string().trim().min(2, 'Give the view a name of at least 2 characters').max(60),
    params: viewParamsSchema,
    shared: z.boolean().default(false),
  }),
  output: reportViewSchema,
});

export const reportsViewsDelete = mutation({
  name: 'reports.views.delete',
  description: 'Delete one of my saved views.',
  access: SIGNED_IN,
  input: z.strictObject({ id, version }),
  output: z.object({ ok: z.literal(true) }),
});

export const reportContracts = [reportsCatalogue, reportsRun, reportsRecords, reportsExport, reportsViewsList, reportsViewsSave, reportsViewsDelete] as const;
