import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import { AppError } from '../../src-shared/errors';
import { PERIOD_GROUP, type ReportFilters, type ReportPeriod, type ReportResult, type ReportRow } from '../../src-shared/contracts/reports';
import type { Statement } from 'better-sqlite3';
import { sqlAll, sqlGet, type SqliteDb } from '../core/db/store';
import type { BranchInfo } from '../core/rpc/context';
import { bucketsBetween, instantRange } from './periods';
import { localTimeSql, localWallClock, offsetSegments } from './local-time';
import { decimalsOf, dimensionOf, sumMeasuresFor, type ReportEntry } from './catalogue';
import { isRatio, type DimensionDef, type MeasureDef, type RecordColumnDef, type SumMeasureDef } from './definitions';

dayjs.extend(utc);

/**
 * The report engine: one SQL aggregate per call over a function's declared records, bucketed into
 * the branch's days (UTC instants converted exactly, daylight saving included) and then into
 * weeks or months in code, so every period type is built from the same day figures and adds up.
 */

/** Longest range one report covers: three years of days is still a readable table. */
export const MAX_REPORT_DAYS = 1_100;

export interface Scope {
  from: string;
  to: string;
  filters: ReportFilters;
}

export function checkRange(scope: { from: string; to: string }, maxDays: number | null = MAX_REPORT_DAYS): void {
  if (scope.from > scope.to) {
    throw new AppError('VALIDATION', 'to: The end date is before the start date', { issues: [{ path: 'to', message: 'The end date is before the start date' }] });
  }
  if (maxDays !== null && dayjs.utc(scope.to).diff(dayjs.utc(scope.from), 'day') + 1 > maxDays) {
    throw new AppError('VALIDATION', `to: A report covers at most ${maxDays} days; narrow the range`, {
      issues: [{ path: 'to', message: `At most ${maxDays} days` }],
    });
  }
}

interface CompiledScope {
  where: string;
  params: unknown[];
  /** SQL of the record's local day, and its parameters (they precede the WHERE's in a SELECT). */
  day: { sql: string; params: unknown[] };
}

/** WHERE clause of a report over a local date range and dimension filters. */
export function compileScope(entry: ReportEntry, branch: BranchInfo, scope: Scope): CompiledScope {
  const { time } = entry.def;
  const clauses: string[] = [];
  const params: unknown[] = [];
  let day: CompiledScope['day'];
  if (time.kind === 'date') {
    clauses.push(`${time.column} BETWEEN ? AND ?`);
    params.push(scope.from, scope.to);
    day = { sql: time.column, params: [] };
  } else {
    const { fromInstant, toInstant } = instantRange(scope.from, scope.to, branch.timeZone);
    clauses.push(`${time.column} >= ? AND ${time.column} < ?`);
    params.push(fromInstant, toInstant);
    day = localTimeSql(time.column, '%Y-%m-%d', offsetSegments(branch.timeZone, fromInstant, toInstant));
  }
  if (entry.def.where) clauses.push(`(${entry.def.where})`);
  // A fixed order keeps the SQL text (and so the cached statement) the same for the same filters.
  for (const key of Object.keys(scope.filters).sort()) {
    const dim = dimensionOf(entry, key);
    clauses.push(`(${dim.value}) = ?`);
    params.push(scope.filters[key]);
  }
  return { where: clauses.join(' AND '), params, day };
}

/**
 * The FROM clause for SQL made of `fragments`: the records' table and only the joins the
 * fragments mention by alias (and the joins those joins need).
 */
export function fromClause(entry: ReportEntry, fragments: readonly string[]): string {
  const joins = entry.def.joins ?? [];
  const needed = new Set<string>();
  const pending = [...fragments];
  while (pending.length > 0) {
    const text = pending.pop()!;
    for (const join of joins) {
      if (!needed.has(join.alias) && new RegExp(`\\b${join.alias}\\.`).test(text)) {
        needed.add(join.alias);
        pending.push(join.sql);
      }
    }
  }
  return [entry.def.from, ...joins.filter((j) => needed.has(j.alias)).map((j) => j.sql)].join(' ');
}

const round = (value: number, decimals: number): number => {
  const f = 10 ** decimals;
  return Math.round(value * f) / f;
};

/** Measure values from the sums of one row (ratios from their parts, null when the denominator is 0). */
export function measureValues(measures: readonly MeasureDef[], sums: ReadonlyMap<string, number>): Record<string, number | null> {
  const out: Record<string, number | null> = {};
  for (const m of measures) {
    if (isRatio(m)) {
      const denominator = sums.get(m.ratio.denominator) ?? 0;
      out[m.key] = denominator === 0 ? null : round(((sums.get(m.ratio.numerator) ?? 0) / denominator) * (m.ratio.scale ?? 1), decimalsOf(m));
    } else out[m.key] = round(sums.get(m.key) ?? 0, decimalsOf(m));
  }
  return out;
}

interface Grouped {
  k: string;
  l: string | null;
  sums: number[];
}

/**
 * The aggregate every figure comes from: sums of `measures` per local day (`group` = 'day') or per
 * dimension value, over the scope.
 */
export function aggregate(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, scope: Scope, group: 'day' | DimensionDef, measures: readonly SumMeasureDef[]): Grouped[] {
  const compiled = compileScope(entry, branch, scope);
  const sums = measures.map((m, i) => `coalesce(${m.aggregate}, 0) AS m${i}`).join(', ');
  // Grouped by a dimension, each group keeps one record's id: its label is looked up once per
  // group afterwards, instead of joining names and building strings for every record.
  const select =
    group === 'day'
      ? { sql: `SELECT ${compiled.day.sql} AS k, NULL AS rep${sums ? `, ${sums}` : ''}`, params: compiled.day.params }
      : { sql: `SELECT (${group.value}) AS k, min(${entry.def.id}) AS rep${sums ? `, ${sums}` : ''}`, params: [] };
  const rows = sqlAll<Record<string, unknown>>(
    db,
    `${select.sql} FROM ${fromClause(entry, [select.sql, compiled.where])} WHERE ${compiled.where} GROUP BY k`,
    ...select.params,
    ...compiled.params,
  );
  const labels = group === 'day' || (group.display === group.value && !group.datedBy) ? null : labelsOf(db, branch, entry, group, rows.map((r) => r.rep));
  return rows.map((r) => {
    const k = r.k === null || r.k === undefined ? '' : String(r.k);
    const l = group === 'day' ? null : labels ? labels.get(String(r.rep)) : k;
    return { k, l: l === null || l === undefined ? null : String(l), sums: measures.map((_, i) => Number(r[`m${i}`] ?? 0)) };
  });
}

const LABEL_CHUNK = 500;

/** A dimension's label for each representative record id, in chunks of bound parameters. */
function labelsOf(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, dim: DimensionDef, ids: readonly unknown[]): Map<string, unknown> {
  const labels = new Map<string, unknown>();
  const display = dimensionLabelSql(dim);
  const dated = datedLabel(branch);
  for (let i = 0; i < ids.length; i += LABEL_CHUNK) {
    const chunk = ids.slice(i, i + LABEL_CHUNK);
    const rows = sqlAll<{ rep: unknown; l: unknown; i?: unknown }>(
      db,
      `SELECT ${entry.def.id} AS rep, ${display} FROM ${fromClause(entry, [display, entry.def.id])} WHERE ${entry.def.id} IN (${chunk.map(() => '?').join(', ')})`,
      ...chunk,
    );
    for (const row of rows) labels.set(String(row.rep), dated(row.l, row.i));
  }
  return labels;
}

export function branchNames(db: SqliteDb): Map<string, string> {
  return new Map(sqlAll<{ id: string; name: string }>(db, 'SELECT id, name FROM branch').map((b) => [b.id, b.name]));
}

/** `<display> AS l`, and the instant dating it as `i` when the dimension has one. */
const dimensionLabelSql = (dim: DimensionDef, l = 'l', i = 'i') => `${dim.display} AS ${l}${dim.datedBy ? `, ${dim.datedBy} AS ${i}` : ''}`;

/** A label with its dating instant's local date appended, in the branch's time zone. */
function datedLabel(branch: BranchInfo): (label: unknown, instant: unknown) => unknown {
  const wallClock = localWallClock(branch.timeZone);
  return (label, instant) =>
    typeof instant === 'string' && instant && label !== null && label !== undefined ? `${String(label)} · ${wallClock(instant).slice(0, 10)}` : label;
}

/** What a filter value reads as: the first record in scope carries every filtered dimension's label. */
function filterLabels(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, scope: Scope): ReportResult['filterLabels'] {
  const keys = Object.keys(scope.filters).sort();
  if (keys.length === 0) return [];
  const dims = keys.map((k) => dimensionOf(entry, k));
  const compiled = compileScope(entry, branch, scope);
  const select = dims.map((d, i) => dimensionLabelSql(d, `d${i}`, `i${i}`)).join(', ');
  const row = sqlGet<Record<string, unknown>>(
    db,
    `SELECT ${select} FROM ${fromClause(entry, [select, compiled.where])} WHERE ${compiled.where} LIMIT 1`,
    ...compiled.params,
  );
  const names = branchNames(db);
  return dims.map((d, i) => {
    const value = scope.filters[d.key]!;
    const shown = d.key === 'branch' ? names.get(value) : datedLabel(branch)(row?.[`d${i}`], row?.[`i${i}`]);
    return { dimension: d.key, label: d.label, value: shown === null || shown === undefined ? value : String(shown) };
  });
}

/** Refuses a bad range, an unknown grouping or filter before any work starts (exports). */
export function validateRun(entry: ReportEntry, input: Scope & { groupBy: string }): void {
  checkRange(input);
  if (input.groupBy !== PERIOD_GROUP) dimensionOf(entry, input.groupBy);
  for (const key of Object.keys(input.filters)) dimensionOf(entry, key);
}

export interface RunInput extends Scope {
  period: ReportPeriod;
  groupBy: string;
}

export function runReport(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, input: RunInput): ReportResult {
  checkRange(input);
  const { def } = entry;
  const sumMeasures = sumMeasuresFor(def, def.measures);
  const toRow = (key: string, label: string, sums: number[], span: { from: string; to: string } | null): ReportRow => {
    const byKey = new Map(sumMeasures.map((m, i) => [m.key, sums[i]!]));
    return { key, label, from: span?.from ?? null, to: span?.to ?? null, values: measureValues(def.measures, byKey) };
  };

  let rows: ReportRow[];
  let groupLabel: string;
  if (input.groupBy === PERIOD_GROUP) {
    groupLabel = { day: 'Day', week: 'Week', month: 'Month' }[input.period];
    const days = new Map(aggregate(db, branch, entry, input, 'day', sumMeasures).map((g) => [g.k, g.sums]));
    rows = bucketsBetween(input.from, input.to, input.period, branch.weekStart).map((bucket) => {
      const span = { from: bucket.start < input.from ? input.from : bucket.start, to: bucket.end > input.to ? input.to : bucket.end };
      const sums = sumMeasures.map(() => 0);
      for (let d = dayjs.utc(span.from); !d.isAfter(dayjs.utc(span.to)); d = d.add(1, 'day')) {
        const day = days.get(d.format('YYYY-MM-DD'));
        if (day) day.forEach((v, i) => (sums[i]! += v));
      }
      return toRow(bucket.key, bucket.label, sums, span);
    });
  } else {
    const dim = dimensionOf(entry, input.groupBy);
    groupLabel = dim.label;
    const names = dim.key === 'branch' ? branchNames(db) : null;
    rows = aggregate(db, branch, entry, input, dim, sumMeasures)
      .map((g) => toRow(g.k, (names ? names.get(g.k) : g.l) ?? (g.k || '(none)'), g.sums, null))
      .sort((a, b) => a.label.localeCompare(b.label, undefined, { numeric: true }));
  }

  // Totals are the sums of the rows as shown (rounded), so a printed report always adds up.
  const totalSums = new Map(sumMeasures.map((m) => [m.key, rows.reduce((acc, r) => acc + (r.values[m.key] ?? 0), 0)]));
  const totals = measureValues(def.measures, totalSums);

  return {
    report: { key: def.key, label: def.label, functionKey: entry.fn.functionKey, recordLabel: def.recordLabel },
    from: input.from,
    to: input.to,
    period: input.period,
    groupBy: input.groupBy,
    groupLabel,
    filters: input.filters,
    filterLabels: filterLabels(db, branch, entry, input),
    measures: def.measures.map((m) => ({
      key: m.key,
      label: m.label,
      unit: m.unit,
      kind: isRatio(m) ? ('ratio' as const) : ('sum' as const),
      decimals: decimalsOf(m),
      description: m.description ?? null,
    })),
    rows,
    totals,
    listLink: def.listLink?.({ from: input.from, to: input.to, filters: input.filters }) ?? null,
  };
}

/* ---------------- daily series (KPIs, trend, variance, forecast) ---------------- */

export interface DailySeries {
  days: string[];
  /** Per sum measure, one value per day (zero where nothing happened). */
  sums: Map<string, number[]>;
}

export function dailySeries(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, measures: readonly MeasureDef[], scope: Scope): DailySeries {
  const sumMeasures = sumMeasuresFor(entry.def, measures);
  const byDay = new Map(aggregate(db, branch, entry, scope, 'day', sumMeasures).map((g) => [g.k, g.sums]));
  const days: string[] = [];
  for (let d = dayjs.utc(scope.from); !d.isAfter(dayjs.utc(scope.to)); d = d.add(1, 'day')) days.push(d.format('YYYY-MM-DD'));
  const sums = new Map(sumMeasures.map((m, i) => [m.key, days.map((day) => byDay.get(day)?.[i] ?? 0)]));
  return { days, sums };
}

/** One measure's value over the days [fromIndex, toIndex] of a series. */
export function valueOver(series: DailySeries, measure: MeasureDef, fromIndex: number, toIndex: number): number | null {
  const sums = new Map<string, number>();
  for (const [key, values] of series.sums) {
    let total = 0;
    for (let i = Math.max(0, fromIndex); i <= Math.min(toIndex, values.length - 1); i += 1) total += values[i]!;
    sums.set(key, total);
  }
  return measureValues([measure], sums)[measure.key] ?? null;
}

/* ---------------- records ---------------- */

export type RecordValue = string | number | null;

export interface RecordRow {
  id: string;
  link: string | null;
  values: Record<string, RecordValue>;
}

const encodeCursor = (key: readonly RecordValue[]): string => Buffer.from(JSON.stringify(key)).toString('base64url');

function decodeCursor(cursor: string): [RecordValue, string] {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[1] === 'string' && ['string', 'number'].includes(typeof parsed[0])) {
      return [parsed[0] as RecordValue, parsed[1]];
    }
  } catch {
    // fall through to the refusal below
  }
  throw new AppError('VALIDATION', 'cursor: not a cursor this list gave out', { issues: [{ path: 'cursor', message: 'Invalid cursor' }] });
}

function recordsQuery(entry: ReportEntry, compiled: CompiledScope, after: boolean, limit: boolean): string {
  const { def } = entry;
  const columns = def.records.columns.map((c: RecordColumnDef, i) => `${c.sql} AS c${i}`).join(', ');
  return `SELECT ${def.id} AS _id, ${def.time.column} AS _t, ${columns} FROM ${fromClause(entry, [columns, compiled.where])}
    WHERE ${compiled.where}${after ? ` AND (${def.time.column}, ${def.id}) > (?, ?)` : ''}
    ORDER BY ${def.time.column}, ${def.id}${limit ? ' LIMIT ?' : ''}`;
}

/** Records are read as arrays: `[id, time, ...columns]`. Objects cost a third more on 100k-row exports. */
type RawRecord = unknown[];

const rawStatements = new WeakMap<SqliteDb, Map<string, Statement>>();

function rawAll(db: SqliteDb, sql: string, params: readonly unknown[]): RawRecord[] {
  let cache = rawStatements.get(db);
  if (!cache) rawStatements.set(db, (cache = new Map()));
  let stmt = cache.get(sql);
  if (!stmt) cache.set(sql, (stmt = db.prepare(sql).raw(true)));
  return stmt.all(...params) as RawRecord[];
}

function toRecord(entry: ReportEntry, row: RawRecord): RecordRow {
  const all: Record<string, RecordValue> = {};
  const shown: Record<string, RecordValue> = {};
  entry.def.records.columns.forEach((c, i) => {
    const v = row[2 + i];
    all[c.key] = v === undefined || v === null ? null : typeof v === 'number' ? v : String(v);
    if (!c.hidden) shown[c.key] = all[c.key]!;
  });
  const id = String(row[0]);
  return { id, link: entry.def.records.link(id, all), values: shown };
}

export function listRecords(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, scope: Scope & { cursor?: string; limit: number }) {
  checkRange(scope, null);
  const compiled = compileScope(entry, branch, scope);
  const after = scope.cursor ? decodeCursor(scope.cursor) : null;
  const rows = rawAll(db, recordsQuery(entry, compiled, after !== null, true), [...compiled.params, ...(after ?? []), scope.limit + 1]);
  const total = countRecords(db, branch, entry, scope);
  const page = rows.slice(0, scope.limit);
  const last = page.at(-1);
  return {
    columns: entry.def.records.columns.filter((c) => !c.hidden).map((c) => ({ key: c.key, header: c.header, kind: c.kind })),
    rows: page.map((r) => toRecord(entry, r)),
    nextCursor: rows.length > scope.limit && last ? encodeCursor([last[1] as RecordValue, String(last[0])]) : null,
    total,
  };
}

export function countRecords(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, scope: Scope): number {
  const compiled = compileScope(entry, branch, scope);
  return sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM ${fromClause(entry, [compiled.where])} WHERE ${compiled.where}`, ...compiled.params)!.n;
}

/**
 * Every record of the scope, oldest first, fetched by key in chunks: an export of 100k rows holds
 * one chunk in memory, and no statement stays open between chunks.
 */
export function* iterateRecords(db: SqliteDb, branch: BranchInfo, entry: ReportEntry, scope: Scope, chunk = 2000): Generator<RecordRow> {
  const compiled = compileScope(entry, branch, scope);
  let after: [RecordValue, string] | null = null;
  for (;;) {
    const rows = rawAll(db, recordsQuery(entry, compiled, after !== null, true), [...compiled.params, ...(after ?? []), chunk]);
    for (const row of rows) yield toRecord(entry, row);
    if (rows.length < chunk) return;
    const last = rows[rows.length - 1]!;
    after = [last[1] as RecordValue, String(last[0])];
  }
}
