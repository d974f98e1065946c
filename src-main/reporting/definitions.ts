import type { SqliteDb } from '../core/db/store';
import type { FunctionKey } from '../../src-shared/permissions';
import type { MeasureUnit } from '../../src-shared/contracts/reports';
import type { Severity } from '../../src-shared/contracts/dashboard';

/**
 * How a function plugs into the reporting engine: one `FunctionReportingDef` per function, in one
 * file under `src-main/reporting/functions/`, listed in that folder's index. The engine then gives
 * the function its report set, export, KPI cards, exception alerts, heatmap cells, trend,
 * variance and forecast; nothing else in the engine changes. docs/reporting.md walks through it.
 *
 * Definitions are SQL fragments written by the function (never by users): the engine composes
 * them with bound parameters for every value a caller sends.
 */

/** A figure that adds up across records: `count(*)`, `sum(p.amount)`, `sum(r.status = 'exception')`. */
export interface SumMeasureDef {
  key: string;
  label: string;
  unit: MeasureUnit;
  /** SQL aggregate over the report's records. Money in integer minor units. */
  aggregate: string;
  /** Decimals shown and exported; 0 for counts and money, 3 for units, 2 for hours by default. */
  decimals?: number;
  description?: string;
}

/** A figure worked out from two sums of the same row: exception rate, average ticket, MTTR. */
export interface RatioMeasureDef {
  key: string;
  label: string;
  unit: MeasureUnit;
  ratio: { numerator: string; denominator: string; scale?: number };
  decimals?: number;
  description?: string;
}

export type MeasureDef = SumMeasureDef | RatioMeasureDef;

export const isRatio = (m: MeasureDef): m is RatioMeasureDef => 'ratio' in m;

/**
 * A drilldown. Use the standard keys `user`, `shift` and `category` for what this function calls
 * its user (reader, cashier, technician), its shift or session, and its category or SKU; `branch`
 * is added by the engine. Further keys (`route`, `readType`, `zone`) are the function's own.
 */
export interface DimensionDef {
  key: string;
  label: string;
  /** SQL of the value records are grouped and filtered by; one value per record. */
  value: string;
  /** SQL of what people read for that value (a name, a code and a name). */
  display: string;
  /**
   * SQL of a UTC instant that dates the value (a shift's opening), printed after the label as the
   * branch's local date: "Shift #12 · Cara Cashier · 2026-11-27". SQLite cannot turn an instant
   * into a local date by itself, so the engine does it for the few labels it shows.
   */
  datedBy?: string;
}

export type RecordColumnKind = 'text' | 'integer' | 'decimal' | 'money' | 'date' | 'datetime';

export interface RecordColumnDef {
  key: string;
  header: string;
  sql: string;
  kind: RecordColumnKind;
  /** Excel column width in characters. */
  width?: number;
  /** Read for the record's link only: not listed, not exported. */
  hidden?: boolean;
}

export interface JoinDef {
  alias: string;
  /** e.g. `LEFT JOIN accounts a ON a.id = r.account_id` */
  sql: string;
}

export interface ReportDef {
  /** `<functionKey>.<name>`, e.g. `energy.meterReadings.readings`. */
  key: string;
  label: string;
  description: string;
  /** One record, in words: "reading", "payment", "work order". */
  recordLabel: string;
  /** The records' table with its alias, e.g. `meter_readings r`. */
  from: string;
  /**
   * Lookups (names, categories), each used only by the queries whose SQL mentions its alias (or
   * by another join that does): a report grouped by day does not pay for the reader's name.
   * Order them so a join comes after the joins its ON clause uses.
   */
  joins?: JoinDef[];
  /** What the report counts, e.g. `r.status <> 'reread'`; applied to every figure and record. */
  where?: string;
  /**
   * The column the date range filters and periods bucket on. `date`: a local calendar date
   * (YYYY-MM-DD) such as a read date; `instant`: a UTC ISO instant such as `paid_at`, bucketed
   * into the branch's local days (daylight saving included) by the engine.
   * Index it, alone or after the columns of the function's list filters.
   */
  time: { column: string; kind: 'date' | 'instant'; label: string };
  /** SQL of one record's unique id (keyset paging of records, links). */
  id: string;
  /** SQL of the record's branch id. */
  branch: string;
  dimensions: DimensionDef[];
  measures: MeasureDef[];
  defaultMeasure: string;
  /** The record list behind every row, and the detail sheet of exports. */
  records: { columns: RecordColumnDef[]; link(id: string, values: Readonly<Record<string, string | number | null>>): string | null };
  /** The function's own list with the same range and filters, when its URL filters can say it. */
  listLink?(scope: { from: string; to: string; filters: Readonly<Record<string, string>> }): string | null;
}

export interface KpiDef {
  /** `<functionKey>.<name>`; targets are stored under it, so keep it stable. */
  key: string;
  label: string;
  description: string;
  /** The report (of this function) and measure the KPI reads. */
  report: string;
  measure: string;
  goodDirection: 'up' | 'down';
}

/** The call's one clock reading, in the forms definitions need. */
export interface ReportClock {
  now: Date;
  nowIso: string;
  /** Today in the branch's time zone (YYYY-MM-DD). */
  today: string;
  timeZone: string;
}

export interface OpenException {
  id: string;
  title: string;
  detail?: string | null;
  /** When it started waiting for someone (UTC instant). */
  since: string;
  link: string;
}

export interface ExceptionSourceDef {
  /** Stable key, e.g. `vee`, `slaBreach`, `overdue`. */
  kind: string;
  label: string;
  severity: Severity;
  /** Items waiting longer than this become critical. */
  criticalAfterHours?: number;
  /** The function's list of them. */
  link: string;
  /**
   * What waits for review now, oldest first, at most `limit` items (and how many in all). Compare
   * times with `clock.nowIso` rather than SQLite's 'now', so an injected test clock holds.
   */
  open(db: SqliteDb, limit: number, clock: ReportClock): { total: number; oldestAt: string | null; items: OpenException[] };
  /**
   * Every exception raised, for the concentration heatmap: one row per exception (and per
   * category, if one record raises several). `at` is when it was raised: a UTC instant, or a
   * local date for exceptions that belong to a day (then the hour view leaves them out).
   */
  occurrences: { from: string; where?: string; at: string; atKind?: 'instant' | 'date'; category: string; branch: string };
}

export interface WorkItem {
  id: string;
  title: string;
  detail?: string | null;
  since: string;
  link: string;
  actionLabel?: string;
}

export interface FunctionReportingDef {
  functionKey: FunctionKey;
  reports: ReportDef[];
  kpis: KpiDef[];
  exceptions: ExceptionSourceDef[];
  /** Workflows this user started and has not finished, each with a "continue" link. */
  inProgress?(db: SqliteDb, who: { userId: string; today: string; timeZone: string; nowIso: string }): WorkItem[];
  /** Record links for the timeline, by the `entity` the function's audit events carry. */
  entityLinks?: Record<string, (id: string) => string | null>;
}

/** Identity function that type-checks a definition where it is written. */
export const defineFunctionReporting = (def: FunctionReportingDef): FunctionReportingDef => def;
