import { AppError, conflict, notFound } from '../../src-shared/errors';
import type { ReportPeriod } from '../../src-shared/contracts/reports';
import type { Target } from '../../src-shared/contracts/analytics';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { newId } from '../core/util/ids';
import { assertBranchOwned, ownedByHq } from '../sync/ownership';
import { bucketOfDate } from './periods';
import { requirePermission, can, type KpiEntry, type ReportingCatalogue } from './catalogue';
import type { ReportTargetsTable } from './tables';

/**
 * KPI targets: a standing target for every day, week or month, and optionally a target for one
 * particular period that overrides it. They are the supervisor's word, set through the pipeline
 * and journalled; reports and dashboards only read them. HQ may publish targets too
 * (hq-targets.ts): those are locked here, and so is overriding HQ's standing target for one period.
 */

export const STANDING = '';
export const KPI_TARGET = 'kpiTarget';

export interface TargetLookup {
  /** The target of the period starting on `start`, or null when none applies. */
  forPeriod(start: string): number | null;
}

export function targetLookup(db: SqliteDb, kpiKey: string, period: ReportPeriod): TargetLookup {
  const rows = sqlAll<{ period_start: string; value: number }>(
    db,
    'SELECT period_start, value FROM report_targets WHERE kpi_key = ? AND period = ?',
    kpiKey,
    period,
  );
  const byStart = new Map(rows.map((r) => [r.period_start, r.value]));
  return { forPeriod: (start) => byStart.get(start) ?? byStart.get(STANDING) ?? null };
}

export type TargetRow = ReportTargetsTable & { set_by_name: string };

const SELECT = 'SELECT t.*, u.display_name AS set_by_name FROM report_targets t JOIN users u ON u.id = t.set_by';

export const findTargetById = (db: SqliteDb, id: string): TargetRow | undefined => sqlGet<TargetRow>(db, `${SELECT} WHERE t.id = ?`, id);

export interface TargetWrite {
  kpi: string;
  period: ReportPeriod;
  periodStart: string | null;
  value: number;
  note: string | null;
  setBy: string;
}

/**
 * Writes a target's value: a new row under `id`, or the existing row `id` updated. The one writer
 * for the supervisor's own targets and HQ's.
 */
export function writeTarget(ctx: Ctx, id: string, exists: boolean, t: TargetWrite): void {
  if (exists) {
    sqlRun(ctx.db, 'UPDATE report_targets SET value = ?, note = ?, set_by = ?, version = version + 1, updated_at = ? WHERE id = ?', t.value, t.note, t.setBy, ctx.nowIso, id);
    return;
  }
  sqlRun(
    ctx.db,
    `INSERT INTO report_targets (id, branch_id, kpi_key, period, period_start, value, note, set_by, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    id,
    ctx.branch.id,
    t.kpi,
    t.period,
    t.periodStart ?? STANDING,
    t.value,
    t.note,
    t.setBy,
    ctx.nowIso,
    ctx.nowIso,
  );
}

export function findTarget(db: SqliteDb, branchId: string, kpi: string, period: ReportPeriod, periodStart: string | null): TargetRow | undefined {
  return sqlGet<TargetRow>(db, `${SELECT} WHERE t.branch_id = ? AND t.kpi_key = ? AND t.period = ? AND t.period_start = ?`, branchId, kpi, period, periodStart ?? STANDING);
}

export function toTarget(row: TargetRow, kpi: KpiEntry): Target {
  return {
    id: row.id,
    kpi: row.kpi_key,
    kpiLabel: kpi.def.label,
    functionKey: kpi.report.fn.functionKey,
    period: row.period,
    periodStart: row.period_start === STANDING ? null : row.period_start,
    value: row.value,
    note: row.note,
    setByName: row.set_by_name,
    updatedAt: row.updated_at,
    version: row.version,
  };
}

export function listTargets(ctx: Ctx, catalogue: ReportingCatalogue, input: { kpi?: string; module?: string }): Target[] {
  const me = ctx.user();
  const kpis = input.kpi ? [catalogue.kpi(input.kpi)] : catalogue.allKpis();
  const visible = new Map(
    kpis.filter((k) => can(me, k.report.fn.functionKey, 'view') && (!input.module || k.report.module === input.module)).map((k) => [k.def.key, k]),
  );
  if (input.kpi && visible.size === 0) requirePermission(me, catalogue.kpi(input.kpi).report.fn.functionKey, 'view');
  return sqlAll<TargetRow>(ctx.db, `${SELECT} ORDER BY t.kpi_key, t.period, t.period_start`)
    .filter((row) => visible.has(row.kpi_key))
    .map((row) => toTarget(row, visible.get(row.kpi_key)!));
}

const PERIOD_WORD = { day: 'day', week: 'week', month: 'month' } as const;
const WEEKDAY = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

export interface TargetProblem {
  path: 'periodStart' | 'value';
  /** The whole sentence, naming the field. */
  message: string;
  /** The short form shown beside the field. */
  hint: string;
}

/**
 * What makes a target fit this branch, whoever sets it: a one-period target starts on the first
 * day of its period (weeks in the branch's week start), and counts and amounts are whole numbers.
 */
export function targetProblem(kpi: KpiEntry, weekStart: number, period: ReportPeriod, periodStart: string | null, value: number | null): TargetProblem | null {
  if (periodStart !== null) {
    const bucket = bucketOfDate(periodStart, period, weekStart);
    if (bucket.start !== periodStart) {
      const hint = period === 'week' ? ` (weeks start on ${WEEKDAY[weekStart]})` : '';
      return {
        path: 'periodStart',
        message: `periodStart: ${periodStart} is not the first day of a ${PERIOD_WORD[period]}${hint}; use ${bucket.start}`,
        hint: `The ${PERIOD_WORD[period]} starts on ${bucket.start}`,
      };
    }
  }
  const unit = kpi.measure.unit;
  if (value !== null && (unit === 'count' || unit === 'money') && !Number.isInteger(value)) {
    const what = unit === 'money' ? 'an amount in cents' : 'a whole number';
    return { path: 'value', message: `value: ${kpi.def.label} targets are ${what}`, hint: `Enter ${what}` };
  }
  return null;
}

/** HQ's standing target of a KPI and period kind, which a one-period target here would override. */
export function hqStandingTarget(db: SqliteDb, branchId: string, kpi: string, period: ReportPeriod): TargetRow | undefined {
  const standing = findTarget(db, branchId, kpi, period, null);
  return standing && ownedByHq(db, KPI_TARGET, standing.id) ? standing : undefined;
}

export interface SetTargetInput {
  kpi: string;
  period: ReportPeriod;
  periodStart: string | null;
  value: number | null;
  note?: string;
  version: number;
}

export function setTarget(ctx: Ctx, catalogue: ReportingCatalogue, input: SetTargetInput): Target | null {
  const kpi = catalogue.kpi(input.kpi);
  requirePermission(ctx.user(), kpi.report.fn.functionKey, 'approve');
  const problem = targetProblem(kpi, ctx.branch.weekStart, input.period, input.periodStart, input.value);
  if (problem) throw new AppError('VALIDATION', problem.message, { issues: [{ path: problem.path, message: problem.hint }] });
  const existing = findTarget(ctx.db, ctx.branch.id, input.kpi, input.period, input.periodStart);
  // Before the version check: "owned by HQ" is the answer, whatever version the screen had.
  if (existing) assertBranchOwned(ctx, KPI_TARGET, existing.id);
  if (input.periodStart !== null && input.value !== null && hqStandingTarget(ctx.db, ctx.branch.id, input.kpi, input.period)) {
    // A one-period target would override HQ's for that period, so the variance would no longer
    // be against HQ's. Clearing a branch one-period target set before HQ's arrived stays allowed.
    throw new AppError(
      'FORBIDDEN',
      `The target of ${kpi.def.label} for every ${PERIOD_WORD[input.period]} is owned by HQ: a target for one ${PERIOD_WORD[input.period]} would override it; change it at HQ`,
      { entity: KPI_TARGET, ownedBy: 'HQ' },
    );
  }
  if ((existing?.version ?? 0) !== input.version) throw conflict('Someone changed this target meanwhile; reload and try again');
  const before = existing ? toTarget(existing, kpi) : null;

  if (input.value === null) {
    if (!existing) throw notFound('Target', `${input.kpi} ${input.period} ${input.periodStart ?? '(standing)'}`);
    sqlRun(ctx.db, 'DELETE FROM report_targets WHERE id = ?', existing.id);
    ctx.audit({ entity: KPI_TARGET, entityId: existing.id, action: 'cleared', before, after: null, reason: input.note });
    return null;
  }
  const id = existing?.id ?? newId();
  writeTarget(ctx, id, existing !== undefined, { kpi: input.kpi, period: input.period, periodStart: input.periodStart, value: input.value, note: input.note ?? null, setBy: ctx.user().userId });
  const after = toTarget(findTargetById(ctx.db, id)!, kpi);
  ctx.audit({ entity: KPI_TARGET, entityId: id, action: existing ? 'changed' : 'set', before, after, reason: input.note });
  return after;
}
