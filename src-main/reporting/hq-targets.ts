import { z } from 'zod';
import { AppError } from '../../src-shared/errors';
import { localDate } from '../../src-shared/rpc';
import { kpiKey } from '../../src-shared/contracts/analytics';
import { REPORT_PERIODS } from '../../src-shared/contracts/reports';
import { sqlRun } from '../core/db/store';
import type { Ctx } from '../core/rpc/context';
import { newId } from '../core/util/ids';
import { defineMasterDataType } from '../sync/master-data-types';
import { hqActorId } from '../sync/kernel-master-data';
import { ReportingCatalogue, type KpiEntry } from './catalogue';
import { FUNCTION_REPORTING } from './functions';
import { KPI_TARGET, findTarget, findTargetById, targetProblem, toTarget, writeTarget } from './targets';

/**
 * KPI targets as HQ-owned master data. HQ names a target by `<kpi>:<period>:<periodStart>` (the
 * first day of the period, or `standing` for every such period) and sends
 * `{ kpi, period, periodStart, value, note }`; the name and the data must agree.
 *
 * Ownership is per record: HQ's targets are locked here (a supervisor's set or clear answers
 * FORBIDDEN "owned by HQ"), and while HQ sets the standing target of a KPI and period kind the
 * branch cannot override it for one period either (targets.ts). Every other target stays the
 * branch's to set. A branch target under the same name is taken over, not duplicated; HQ deleting
 * its target clears it (and the branch may set that target itself again). A target that does not
 * fit this branch (a KPI this version lacks, a start that is not the first day of its period in
 * the branch's week, a fraction of a count) is held back as a sync exception, as setting it here
 * would be refused. A branch's one-period targets from before HQ's standing one arrived are left
 * as they are (the branch may clear them, not change them) and still count for their periods.
 */
export const kpiTargetMasterData = z.strictObject({
  kpi: kpiKey,
  period: z.enum(REPORT_PERIODS),
  /** null: the standing target of every such period. */
  periodStart: localDate.nullable().default(null),
  value: z.number().finite().nonnegative().max(1e13),
  note: z.string().trim().max(300).nullable().default(null),
});
export type KpiTargetMasterData = z.output<typeof kpiTargetMasterData>;

/** The name HQ gives a target. */
export const hqTargetKey = (d: Pick<KpiTargetMasterData, 'kpi' | 'period' | 'periodStart'>): string => `${d.kpi}:${d.period}:${d.periodStart ?? 'standing'}`;

// Built on first use, from the same registrations the reporting procedures serve.
let catalogue: ReportingCatalogue | null = null;
const kpis = () => (catalogue ??= new ReportingCatalogue(FUNCTION_REPORTING));

const refuse = (key: string, message: string) => new AppError('VALIDATION', `HQ's target ${key}: ${message}`);

function kpiOf(key: string, kpi: string): KpiEntry {
  const entry = kpis()
    .allKpis()
    .find((k) => k.def.key === kpi);
  if (!entry) throw refuse(key, `there is no KPI ${kpi} in this version of the app (update the app, or publish a KPI it has)`);
  return entry;
}

export const kpiTargetMasterDataType = defineMasterDataType({
  entity: KPI_TARGET,
  label: 'target',
  data: kpiTargetMasterData,
  ownership: 'record',
  upsert(ctx: Ctx, key: string, data: KpiTargetMasterData, localId: string | null): string {
    const expected = hqTargetKey(data);
    if (key !== expected) throw refuse(key, `its data is the target ${expected}; a target's name is <kpi>:<period>:<first day of the period or standing>`);
    const kpi = kpiOf(key, data.kpi);
    const problem = targetProblem(kpi, ctx.branch.weekStart, data.period, data.periodStart, data.value);
    if (problem) throw refuse(key, problem.message);

    const setBy = hqActorId(ctx);
    const current = localId ? findTargetById(ctx.db, localId) : undefined;
    // The branch's own target of the same KPI, period and start is taken over, not duplicated.
    const row = current ?? (localId ? undefined : findTarget(ctx.db, ctx.branch.id, data.kpi, data.period, data.periodStart));
    if (row) {
      const before = toTarget(row, kpi);
      writeTarget(ctx, row.id, true, { ...data, setBy });
      const after = toTarget(findTargetById(ctx.db, row.id)!, kpi);
      ctx.audit({ entity: KPI_TARGET, entityId: row.id, action: current ? 'changed by HQ' : 'taken over by HQ', before, after });
      return row.id;
    }
    // HQ publishes a target it deleted earlier: the sync engine still knows it by its old local
    // id (one local record per HQ name), so it comes back under that id. A target the branch set
    // meanwhile under the same name gives way to it.
    const id = localId ?? newId();
    const meanwhile = localId ? findTarget(ctx.db, ctx.branch.id, data.kpi, data.period, data.periodStart) : undefined;
    if (meanwhile) {
      sqlRun(ctx.db, 'DELETE FROM report_targets WHERE id = ?', meanwhile.id);
      ctx.audit({ entity: KPI_TARGET, entityId: meanwhile.id, action: 'replaced by HQ', before: toTarget(meanwhile, kpi), after: null, reason: `HQ set ${key} again` });
    }
    writeTarget(ctx, id, false, { ...data, setBy });
    ctx.audit({ entity: KPI_TARGET, entityId: id, action: 'set by HQ', before: null, after: toTarget(findTargetById(ctx.db, id)!, kpi) });
    return id;
  },
  remove(ctx: Ctx, key: string, localId: string): void {
    const row = findTargetById(ctx.db, localId);
    if (!row) {
      // Deleted twice: nothing left to clear, but the batch still records that HQ withdrew it.
      ctx.audit({ entity: KPI_TARGET, entityId: localId, action: 'cleared by HQ', before: null, after: null, reason: `HQ withdrew ${key}; it was no longer here` });
      return;
    }
    const entry = kpis()
      .allKpis()
      .find((k) => k.def.key === row.kpi_key);
    const before = entry ? toTarget(row, entry) : { id: row.id, kpi: row.kpi_key, period: row.period, periodStart: row.period_start || null, value: row.value };
    sqlRun(ctx.db, 'DELETE FROM report_targets WHERE id = ?', row.id);
    ctx.audit({ entity: KPI_TARGET, entityId: row.id, action: 'cleared by HQ', before, after: null });
  },
});
