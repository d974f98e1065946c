import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../src-main/app';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { sqlGet } from '../../src-main/core/db/store';
import { seedDemo } from '../../src-main/demo';
import type { Principal } from '../../src-main/core/rpc/context';
import type { JobContext } from '../../src-main/core/jobs/types';
import { ReportingCatalogue } from '../../src-main/reporting/catalogue';
import { FUNCTION_REPORTING } from '../../src-main/reporting/functions';
import { runReportExport } from '../../src-main/reporting/report-export';
import type { ReportInfo, ReportResult } from '../../src-shared/contracts/reports';
import { FUNCTIONS } from '../../src-shared/permissions';
import { tempDir } from '../support/app';

/*
 * Every function registered with the report engine, driven from the catalogue: a definition added
 * later is covered without editing this file. On the demo branch (every module's demo data), each
 * report runs for every period and grouping, its groupings add up to the whole, its records page
 * through, it exports, and the dashboards, heatmaps and KPI analytics of both modules answer.
 */

let app: App;
let admin: Principal;
const catalogue = new ReportingCatalogue(FUNCTION_REPORTING);
const TODAY = '2026-03-18';

function call<T>(name: string, input: unknown): T {
  const r = dispatch(app.kernel, name, input, { principal: admin });
  if (!r.ok) throw new Error(`${name} ${JSON.stringify(input).slice(0, 200)}: ${r.error.code} ${r.error.message}`);
  return r.result as T;
}

beforeAll(() => {
  app = createApp({ dataDir: tempDir(), validateOutputs: true, clock: () => new Date(`${TODAY}T15:00:00Z`), log: { info: () => {}, error: () => {} } });
  seedDemo(app.kernel, { today: TODAY, timeZone: 'Europe/Berlin' });
  admin = loadPrincipal(app.kernel.db, sqlGet<{ id: string }>(app.kernel.db, "SELECT id FROM users WHERE username = 'admin'")!.id, null)!;
}, 600_000);

afterAll(async () => {
  await app?.close();
});

const RANGE = { from: '2025-12-18', to: TODAY };
/** Rounded per row, summed: a few rounding steps of the measure's last decimal at most. */
const tolerance = (unit: string, rows: number) => (unit === 'units' ? 0.0005 * rows + 1e-9 : unit === 'hours' ? 0.005 * rows + 1e-9 : 0);

describe('every registered function', () => {
  it('registers every business function that has tables, each with a report, KPIs and exception sources', () => {
    const registered = new Set(FUNCTION_REPORTING.map((f) => f.functionKey));
    const business = FUNCTIONS.filter((f) => f.module !== 'kernel').map((f) => f.key);
    const missing = business.filter((key) => !registered.has(key));
    // All ten functions of both modules: a lost registration line once dropped two of them.
    expect(missing).toEqual([]);
    for (const fn of FUNCTION_REPORTING) {
      expect([fn.functionKey, fn.reports.length > 0, fn.kpis.length > 0]).toEqual([fn.functionKey, true, true]);
    }
  });

  it('runs every report for every period and every grouping, and the groupings add up to the whole', () => {
    const { reports } = call<{ reports: ReportInfo[] }>('reports.catalogue', {});
    expect(reports.length).toBeGreaterThanOrEqual(FUNCTION_REPORTING.length);
    const sums = (r: ReportInfo) => r.measures.filter((m) => m.kind === 'sum');
    let nonEmpty = 0;
    for (const report of reports) {
      const whole = call<ReportResult>('reports.run', { report: report.key, ...RANGE, period: 'day' });
      for (const period of ['week', 'month'] as const) {
        const other = call<ReportResult>('reports.run', { report: report.key, ...RANGE, period });
        for (const m of sums(report)) {
          const gap = Math.abs(other.totals[m.key]! - whole.totals[m.key]!);
          expect([report.key, period, m.key, gap <= tolerance(m.unit, other.rows.length + whole.rows.length)]).toEqual([report.key, period, m.key, true]);
        }
      }
      if (Object.values(whole.totals).some((v) => v)) nonEmpty += 1;
      for (const dim of report.dimensions) {
        const split = call<ReportResult>('reports.run', { report: report.key, ...RANGE, groupBy: dim.key });
        for (const m of sums(report)) {
          const rowsSum = split.rows.reduce((a, r) => a + (r.values[m.key] ?? 0), 0);
          expect([report.key, dim.key, m.key, Math.abs(rowsSum - whole.totals[m.key]!) <= tolerance(m.unit, split.rows.length + whole.rows.length)]).toEqual([
            report.key,
            dim.key,
            m.key,
            true,
          ]);
        }
        // The first row drilled into: its filtered report totals the row.
        const first = split.rows[0];
        if (first) {
          const drilled = call<ReportResult>('reports.run', { report: report.key, ...RANGE, filters: { [dim.key]: first.key } });
          for (const m of sums(report)) {
            const gap = Math.abs(drilled.totals[m.key]! - first.values[m.key]!);
            expect([report.key, dim.key, m.key, gap <= tolerance(m.unit, drilled.rows.length + 1)]).toEqual([report.key, dim.key, m.key, true]);
          }
        }
      }
    }
    // The demo branch has activity in most functions; an engine that counted nothing would fail here.
    expect(nonEmpty).toBeGreaterThanOrEqual(Math.ceil(reports.length / 2));
  });

  it('names every grouping’s rows in words, never as a code', () => {
    const snakeCode = /^[a-z]+(_[a-z]+)+$/;
    const coded: string[] = [];
    for (const fn of FUNCTION_REPORTING) {
      for (const report of fn.reports) {
        for (const dim of report.dimensions) {
          const result = call<ReportResult>('reports.run', { report: report.key, ...RANGE, period: 'month', groupBy: dim.key });
          for (const row of result.rows) if (snakeCode.test(row.label)) coded.push(`${report.key} by ${dim.key}: ${row.label}`);
        }
      }
    }
    expect(coded).toEqual([]);
  });

  it('pages through every report’s records', () => {
    for (const entry of catalogue.allReports()) {
      let cursor: string | undefined;
      let seen = 0;
      let total = 0;
      do {
        const page = call<{ rows: { id: string; link: string | null }[]; nextCursor: string | null; total: number }>('reports.records', {
          report: entry.def.key,
          ...RANGE,
          limit: 500,
          ...(cursor ? { cursor } : {}),
        });
        seen += page.rows.length;
        total = page.total;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect([entry.def.key, seen]).toEqual([entry.def.key, total]);
    }
  });

  it('exports every report to Excel', async () => {
    for (const entry of catalogue.allReports()) {
      const job: JobContext = {
        jobId: `registrations-${entry.def.key}`,
        kernel: app.kernel,
        principal: admin,
        dispatch: () => ({ ok: true, result: null }),
        progress: () => {},
        cancelled: () => false,
      };
      const result = (await runReportExport(job, { report: entry.def.key, ...RANGE, period: 'week' }, catalogue)) as { file?: { size: number } };
      expect([entry.def.key, (result.file?.size ?? 0) > 1000]).toEqual([entry.def.key, true]);
    }
  });

  it('answers both dashboards, their timelines and every heatmap view', () => {
    for (const module of ['energy', 'homeServices'] as const) {
      const dash = call<{ kpis: { key: string }[]; alerts: { functionKey: string; kind: string }[] }>(`dashboard.${module}.get`, {});
      const expected = catalogue.allKpis().filter((k) => k.report.module === module).map((k) => k.def.key);
      expect(dash.kpis.map((k) => k.key)).toEqual(expected);
      // One alert per exception source of the module's functions, and the kernel's sync exceptions.
      const sources = catalogue.moduleFunctions(module).flatMap((f) => f.exceptions.map((e) => `${f.functionKey}:${e.kind}`));
      expect(dash.alerts.map((a) => `${a.functionKey}:${a.kind}`).sort()).toEqual([...sources, 'sync:sync'].sort());
      call(`dashboard.${module}.timeline`, { limit: 20 });
      for (const view of ['functionWeekday', 'weekdayHour', 'branchCategory'] as const) call('analytics.heatmap', { module, view, ...RANGE });
    }
  });

  it('answers trend, variance and forecast for every KPI', () => {
    for (const kpi of catalogue.allKpis()) {
      call('analytics.trend', { kpi: kpi.def.key, window: 30 });
      call('analytics.variance', { kpi: kpi.def.key, period: 'week', periods: 8 });
      call('analytics.forecast', { kpi: kpi.def.key, horizon: 7, history: 90 });
    }
  });
});
