import { AppError, conflict, notFound } from '../../src-shared/errors';
import { viewParamsSchema, type ReportView, type ViewParams } from '../../src-shared/contracts/reports';
import { sqlAll, sqlGet, sqlRun } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { newId } from '../core/util/ids';
import { requirePermission, type ReportingCatalogue } from './catalogue';
import type { ReportViewsTable } from './tables';

/** Saved report settings ("Monthly by cashier, this month"), private or shared with the branch. */

type ViewRow = ReportViewsTable & { owner_name: string };

const SELECT = 'SELECT v.*, u.display_name AS owner_name FROM report_views v JOIN users u ON u.id = v.owner_id';

function toView(row: ViewRow, userId: string): ReportView {
  const parsed = viewParamsSchema.safeParse(JSON.parse(row.params_json));
  return {
    id: row.id,
    report: row.report_key,
    name: row.name,
    // Settings saved by an older version that no longer fit open as the report's defaults.
    params: parsed.success ? parsed.data : { period: 'day', groupBy: 'period', filters: {}, range: { preset: 'thisMonth' } },
    shared: row.shared === 1,
    mine: row.owner_id === userId,
    ownerName: row.owner_name,
    version: row.version,
  };
}

export function listViews(ctx: Ctx, catalogue: ReportingCatalogue, report: string): ReportView[] {
  const me = ctx.user();
  requirePermission(me, catalogue.report(report).fn.functionKey, 'view');
  return sqlAll<ViewRow>(ctx.db, `${SELECT} WHERE v.report_key = ? AND (v.owner_id = ? OR v.shared = 1) ORDER BY v.name`, report, me.userId).map((r) =>
    toView(r, me.userId),
  );
}

export function saveView(
  ctx: Ctx,
  catalogue: ReportingCatalogue,
  input: { id?: string; version?: number; report: string; name: string; params: ViewParams; shared: boolean },
): ReportView {
  const me = ctx.user();
  const entry = catalogue.report(input.report);
  requirePermission(me, entry.fn.functionKey, 'view');
  for (const key of [input.params.groupBy, ...Object.keys(input.params.filters)]) {
    if (key !== 'period' && !entry.dimensions.some((d) => d.key === key)) {
      throw new AppError('VALIDATION', `params: ${entry.def.label} has no drilldown “${key}”`, { issues: [{ path: 'params', message: `Unknown drilldown ${key}` }] });
    }
  }
  const clash = sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM report_views WHERE owner_id = ? AND report_key = ? AND name = ?', me.userId, input.report, input.name);
  if (clash && clash.id !== input.id) {
    throw new AppError('VALIDATION', `name: You already have a view called “${input.name}”`, { issues: [{ path: 'name', message: 'You already have a view with this name' }] });
  }
  const params = JSON.stringify(input.params);
  if (input.id) {
    const existing = sqlGet<ViewRow>(ctx.db, `${SELECT} WHERE v.id = ?`, input.id);
    if (!existing || existing.owner_id !== me.userId) throw notFound('Saved view', input.id);
    if (existing.version !== input.version) throw conflict('This view changed meanwhile; reload it');
    sqlRun(
      ctx.db,
      'UPDATE report_views SET name = ?, params_json = ?, shared = ?, version = version + 1, updated_at = ? WHERE id = ?',
      input.name,
      params,
      input.shared ? 1 : 0,
      ctx.nowIso,
      input.id,
    );
    const after = toView(sqlGet<ViewRow>(ctx.db, `${SELECT} WHERE v.id = ?`, input.id)!, me.userId);
    ctx.audit({ entity: 'reportView', entityId: input.id, action: 'changed', before: toView(existing, me.userId), after });
    return after;
  }
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO report_views (id, branch_id, owner_id, report_key, name, params_json, shared, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
    id,
    ctx.branch.id,
    me.userId,
    input.report,
    input.name,
    params,
    input.shared ? 1 : 0,
    ctx.nowIso,
    ctx.nowIso,
  );
  const after = toView(sqlGet<ViewRow>(ctx.db, `${SELECT} WHERE v.id = ?`, id)!, me.userId);
  ctx.audit({ entity: 'reportView', entityId: id, action: 'saved', after });
  return after;
}

export function deleteView(ctx: Ctx, input: { id: string; version: number }): { ok: true } {
  const me = ctx.user();
  const existing = sqlGet<ViewRow>(ctx.db, `${SELECT} WHERE v.id = ?`, input.id);
  if (!existing || existing.owner_id !== me.userId) throw notFound('Saved view', input.id);
  if (existing.version !== input.version) throw conflict('This view changed meanwhile; reload it');
  sqlRun(ctx.db, 'DELETE FROM report_views WHERE id = ?', input.id);
  ctx.audit({ entity: 'reportView', entityId: input.id, action: 'deleted', before: toView(existing, me.userId) });
  return { ok: true };
}
