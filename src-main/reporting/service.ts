import * as R from '../../src-shared/contracts/reports';
import * as A from '../../src-shared/contracts/analytics';
import { DASHBOARDS } from '../../src-shared/contracts/dashboard';
import type { Registry } from '../core/rpc/registry';
import type { JobRunners } from '../core/jobs/types';
import { ReportingCatalogue, can, kpiInfo, reportInfo, requirePermission } from './catalogue';
import { listRecords, runReport, validateRun } from './engine';
import { buildDashboard, mutationFunctions, timeline } from './dashboard';
import { forecast, heatmap, trend, varianceReport } from './kpi-analytics';
import { listTargets, setTarget } from './targets';
// Targets HQ publishes: registered with the sync engine when reporting is.
import './hq-targets';
import { deleteView, listViews, saveView } from './views';
import { REPORT_EXPORT_JOB, runReportExport } from './report-export';
import { FUNCTION_REPORTING } from './functions';
import { localDateOf } from './periods';

/**
 * Reports, dashboards, analytics and targets for every function that registered with the engine
 * (src-main/reporting/functions). One set of procedures serves all of them; each call checks the
 * permission cell of the function it touches.
 */
export function registerReporting(registry: Registry, jobs: JobRunners, catalogue = new ReportingCatalogue(FUNCTION_REPORTING)): void {
  // Built on first use: by then every module has registered its procedures.
  let procedures: Map<string, string> | null = null;
  const writeProcedures = () => (procedures ??= mutationFunctions(registry));

  registry
    .add(R.reportsCatalogue, (ctx, input) => {
      const me = ctx.user();
      return {
        reports: catalogue
          .allReports()
          .filter((r) => can(me, r.fn.functionKey, 'view') && (!input.module || r.module === input.module))
          .map((r) => reportInfo(r, me)),
        kpis: catalogue
          .allKpis()
          .filter((k) => can(me, k.report.fn.functionKey, 'view') && (!input.module || k.report.module === input.module))
          .map((k) => kpiInfo(k, me)),
        calendar: { today: localDateOf(ctx.now, ctx.branch.timeZone), timeZone: ctx.branch.timeZone, weekStart: ctx.branch.weekStart },
      };
    })
    .add(R.reportsRun, (ctx, input) => {
      const entry = catalogue.report(input.report);
      requirePermission(ctx.user(), entry.fn.functionKey, 'view');
      return runReport(ctx.db, ctx.branch, entry, input);
    })
    .add(R.reportsRecords, (ctx, input) => {
      const entry = catalogue.report(input.report);
      requirePermission(ctx.user(), entry.fn.functionKey, 'view');
      return listRecords(ctx.db, ctx.branch, entry, input);
    })
    .add(R.reportsExport, (ctx, input) => {
      const entry = catalogue.report(input.report);
      requirePermission(ctx.user(), entry.fn.functionKey, 'export');
      // Refuse a bad range or an unknown drilldown now, not minutes later in the job.
      validateRun(entry, input);
      const jobId = ctx.jobs.start(REPORT_EXPORT_JOB, `${entry.def.label} ${input.from} – ${input.to} (${input.format.toUpperCase()})`, input);
      ctx.audit({ entity: 'reportExport', entityId: jobId, action: 'export requested', after: input });
      return { jobId };
    })
    .add(R.reportsViewsList, (ctx, input) => listViews(ctx, catalogue, input.report))
    .add(R.reportsViewsSave, (ctx, input) => saveView(ctx, catalogue, input))
    .add(R.reportsViewsDelete, (ctx, input) => deleteView(ctx, input));

  for (const module of R.MODULE_KEYS) {
    const contracts = DASHBOARDS[module];
    registry
      .add(contracts.get, (ctx, input) => buildDashboard(ctx, catalogue, module, input))
      .add(contracts.timeline, (ctx, input) => timeline(ctx, catalogue, writeProcedures(), module, input));
  }

  registry
    .add(A.analyticsTrend, (ctx, input) => trend(ctx, catalogue, input))
    .add(A.analyticsVariance, (ctx, input) => varianceReport(ctx, catalogue, input))
    .add(A.analyticsHeatmap, (ctx, input) => heatmap(ctx, catalogue, input))
    .add(A.analyticsForecast, (ctx, input) => forecast(ctx, catalogue, input))
    .add(A.targetsList, (ctx, input) => listTargets(ctx, catalogue, input))
    .add(A.targetsSet, (ctx, input) => setTarget(ctx, catalogue, input));

  jobs.set(REPORT_EXPORT_JOB, (job, input) => runReportExport(job, input, catalogue));
}
