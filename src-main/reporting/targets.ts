import { AppError, conflict, notFound } from '../../src-shared/errors';
import type { ReportPeriod } from '../../src-shared/contracts/reports';
import type { Target } from '../../src-shared/contracts/analytics';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { newId } from '../core/util/ids';
import { bucketOfDate } from './periods';
import { kpiInfo, requirePermission, can, type KpiEntry, type ReportingCatalogue } from './catalogue';
import type { ReportTargetsTable } from './tables';

/**
 * KPI targets: a standing target for every day, week or month, and optionally a target for one
 * particular period that overrides it. They are the supervisor's word, set through the pipeline
 * and journalled; reports and dashboards only read them.
 */

const STANDING = '';

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

type TargetRow = ReportTargetsTable & { set_by_name: string };

const SELECT = 'SELECT t.*, u.display_name AS set_by_name FROM report_targets t JOIN users u ON u.id = t.set_by';

function toTarget(row: TargetRow, kpi: KpiEntry): Target {
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
  const info = kpiInfo(kpi, ctx.user());
  if (input.periodStart !== null) {
    const bucket = bucketOfDate(input.periodStart, input.period, ctx.branch.weekStart);
    if (bucket.start !== input.periodStart) {
      const hint = input.period === 'week' ? ` (weeks start on ${WEEKDAY[ctx.branch.weekStart]})` : '';
      throw new AppError('VALIDATION', `periodStart: ${input.periodStart} is not the first day of a ${PERIOD_WORD[input.period]}${hint}; use ${bucket.start}`, {
        issues: [{ path: 'periodStart', message: `The ${PERIOD_WORD[input.period]} starts on ${bucket.start}` }],
      });
    }
  }
  if (input.value !== null && (info.unit === 'count' || info.unit === 'money') && !Number.isInteger(input.value)) {
    const what = info.unit === 'money' ? 'an amount in cents' : 'a whole number';
    throw new AppError('VALIDATION', `value: ${info.label} targets are ${what}`, { issues: [{ path: 'value', message: `Enter ${what}` }] });
  }
  const start = input.periodStart ?? STANDING;
  const existing = sqlGet<TargetRow>(
    ctx.db,
    `${SELECT} WHERE t.branch_id = ? AND t.kpi_key = ? AND t.period = ? AND t.period_start = ?`,
    ctx.branch.id,
    input.kpi,
    input.period,
    start,
  );
  if ((existing?.version ?? 0) !== input.version) throw conflict('Someone changed this target meanwhile; reload and try again');
  const before = existing ? toTarget(existing, kpi) : null;

  if (input.value === null) {
    if (!existing) throw notFound('Target', `${input.kpi} ${input.period} ${input.periodStart ?? '(standing)'}`);
    sqlRun(ctx.db, 'DELETE FROM report_targets WHERE id = ?', existing.id);
    ctx.audit({ entity: 'kpiTarget', entityId: existing.id, action: 'cleared', before, after: null, reason: input.note });
    return null;
  }
  const id = existing?.id ?? newId();
  if (existing) {
    sqlRun(
      ctx.db,
      'UPDATE report_targets SET value = ?, note = ?, set_by = ?, version = version + 1, updated_at = ? WHERE id = ?',
      input.value,
      input.note ?? null,
      ctx.user().userId,
      ctx.nowIso,
      id,
    );
  } else {
    sqlRun(
      ctx.db,
      `INSERT INTO report_targets (id, branch_id, kpi_key, period, period_start, value, note, set_by, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
      id,
      ctx.branch.id,
      input.kpi,
      input.period,
      start,
      input.value,
      input.note ?? null,
      ctx.user().userId,
      ctx.nowIso,
      ctx.nowIso,
    );
  }
  const after = toTarget(sqlGet<TargetRow>(ctx.db, `${SELECT} WHERE t.id = ?`, id)!, kpi);
  ctx.audit({ entity: 'kpiTarget', entityId: id, action: existing ? 'changed' : 'set', before, after, reason: input.note });
  return after;
}
