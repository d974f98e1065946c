import fs from 'node:fs';
import path from 'node:path';
import { createApp } from '../../src-main/app';
import { sqlGet } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import type { Principal } from '../../src-main/core/rpc/context';
import type { JobContext } from '../../src-main/core/jobs/types';
import { newId } from '../../src-main/core/util/ids';
import { DEMO_PASSWORD, DEMO_USERS, seededRandom } from '../../src-main/demo';
import { ReportingCatalogue } from '../../src-main/reporting/catalogue';
import { FUNCTION_REPORTING } from '../../src-main/reporting/functions';
import { runReportExport } from '../../src-main/reporting/report-export';
import { tempDir } from '../support/app';
import type { BenchResult } from './types';

/**
 * Reporting at scale: a store of 1,000,000 meter readings (seeded with raw inserts — the bench
 * measures reads and exports, never writes), then every monthly report grouping, the module
 * dashboard, the analytics calls and an export of 100,000 rows to XLSX with its peak memory.
 * Targets: monthly report ≤ 300 ms, dashboard ≤ 1 s, 100k-row XLSX ≤ 8 s within 400 MB RSS.
 */

const TZ = 'Europe/Berlin';
const DAYS = 500;
const FIRST_DAY = Date.UTC(2024, 0, 1);
const dayOf = (d: number) => new Date(FIRST_DAY + d * 86_400_000).toISOString().slice(0, 10);

export function seed(dataDir: string, readings: number): { users: Record<string, string> } {
  const app = createApp({ dataDir, log: { info: () => {}, error: () => {} } });
  try {
    const seeded = dispatch(app.kernel, 'system.seedDemo', { branchName: 'Bench Branch', timeZone: TZ, password: DEMO_PASSWORD, users: DEMO_USERS });
    if (!seeded.ok) throw new Error(seeded.error.message);
    const users = (seeded.result as { userIds: Record<string, string> }).userIds;
    const db = app.kernel.db;
    const branchId = app.kernel.branch().id;
    const readers = [users.reader!, users.supervisor!, users.admin!];
    const now = new Date().toISOString();
    const meters = Math.ceil(readings / (DAYS / 10));
    const random = seededRandom(7);
    db.transaction(() => {
      const routes: string[] = [];
      const insertRoute = db.prepare('INSERT INTO routes (id, branch_id, code, name, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
      for (let r = 0; r < 50; r += 1) {
        const id = newId();
        routes.push(id);
        insertRoute.run(id, branchId, `R${r}`, `Route ${r}`, now, now);
      }
      const insertAccount = db.prepare(
        "INSERT INTO accounts (id, branch_id, account_no, name, address, route_id, sequence, status, category, created_at, updated_at) VALUES (?, ?, ?, ?, 'Bench Street', ?, ?, 'active', ?, ?, ?)",
      );
      const insertMeter = db.prepare(
        "INSERT INTO meters (id, branch_id, serial, dials, multiplier, account_id, status, installed_on, created_at, updated_at) VALUES (?, ?, ?, 6, 1, ?, 'installed', '2023-12-01', ?, ?)",
      );
      const insertReading = db.prepare(
        `INSERT INTO meter_readings (id, branch_id, meter_id, account_id, route_id, value, read_date, read_type, purpose, skip_code, consumption,
           status, exceptions_json, reader_id, source, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'regular', ?, ?, ?, ?, ?, 'manual', ?, ?)`,
      );
      const categories = ['residential', 'commercial', 'industrial', 'agricultural'];
      const meterRows: { meterId: string; accountId: string; routeId: string; value: number; reader: string }[] = [];
      for (let m = 0; m < meters; m += 1) {
        const accountId = newId();
        const meterId = newId();
        const routeId = routes[m % routes.length]!;
        insertAccount.run(accountId, branchId, `A${m}`, `Customer ${m}`, routeId, m, categories[m % 4], now, now);
        insertMeter.run(meterId, branchId, `M${m}`, accountId, now, now);
        meterRows.push({ meterId, accountId, routeId, value: 1000, reader: readers[m % 3]! });
      }
      // Day by day, as a branch really fills its store: each meter is read every tenth day, so
      // 2,000 readings a day across the store, and rows of one day sit together on disk.
      let written = 0;
      for (let d = 0; d < DAYS && written < readings; d += 1) {
        const day = dayOf(d);
        for (let m = d % 10; m < meters && written < readings; m += 10) {
          const meter = meterRows[m]!;
          const consumption = Math.round(80 + random() * 40);
          meter.value += consumption;
          const flagged = random() < 0.03;
          const estimated = random() < 0.05;
          const enteredAt = `${day}T${String(6 + Math.floor(random() * 10)).padStart(2, '0')}:${String(Math.floor(random() * 60)).padStart(2, '0')}:00.000Z`;
          insertReading.run(
            newId(),
            branchId,
            meter.meterId,
            meter.accountId,
            meter.routeId,
            meter.value,
            day,
            estimated ? 'estimated' : 'actual',
            estimated ? 'locked' : null,
            consumption,
            flagged && d > DAYS - 30 ? 'exception' : 'posted',
            flagged ? '[{"code":"HIGH_CONSUMPTION","message":"Consumption above the expected range"}]' : '[]',
            meter.reader,
            enteredAt,
            enteredAt,
          );
          written += 1;
        }
      }
    })();
    db.exec('ANALYZE');
    return { users };
  } finally {
    void app.close();
  }
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = fn();
  return { ms: performance.now() - started, value };
}

export async function benchReporting(readings = 1_000_000): Promise<BenchResult[]> {
  const dataDir = tempDir('plug1-bench-reporting-');
  const seeding = time(() => seed(dataDir, readings));
  const app = createApp({ dataDir, log: { info: () => {}, error: () => {} }, clock: () => new Date(`${dayOf(DAYS - 1)}T15:00:00Z`) });
  const { kernel } = app;
  const supervisor: Principal = loadPrincipal(kernel.db, seeding.value.users.supervisor!, null)!;
  const call = (name: string, input: unknown) => {
    const r = dispatch(kernel, name, input, { principal: supervisor });
    if (!r.ok) throw new Error(`${name}: ${r.error.message}`);
    return r.result;
  };
  const results: BenchResult[] = [];
  const total = sqlGet<{ n: number }>(kernel.db, 'SELECT count(*) AS n FROM meter_readings')!.n;
  results.push({ name: `seed ${total.toLocaleString('en')} meter readings (raw inserts, not a target)`, ms: seeding.ms, details: `${DAYS} days, 2,000 readings a day` });

  // A warm-up run, as a screen's second look would be: statements prepared, pages cached.
  const month = { report: 'energy.meterReadings.readings', from: dayOf(DAYS - 31), to: dayOf(DAYS - 1) };
  call('reports.run', month);
  const reader = seeding.value.users.reader!;
  const groupings: [string, Record<string, unknown>][] = [
    ['daily', { period: 'day' }],
    ['weekly', { period: 'week' }],
    ['by reader', { groupBy: 'user' }],
    ['by walk (shift)', { groupBy: 'shift' }],
    ['by category', { groupBy: 'category' }],
    ['by route', { groupBy: 'route' }],
    ['one reader by walk', { groupBy: 'shift', filters: { user: reader } }],
    ['one category by reader', { groupBy: 'user', filters: { category: 'commercial' } }],
  ];
  let worst = 0;
  const lines: string[] = [];
  for (const [label, extra] of groupings) {
    const { ms, value } = time(() => call('reports.run', { ...month, ...extra }) as { totals: { readings: number } });
    worst = Math.max(worst, ms);
    lines.push(`${label} ${ms.toFixed(0)} ms (${value.totals.readings.toLocaleString('en')} readings)`);
  }
  results.push({ name: 'monthly report, every grouping', ms: worst, details: `slowest ${worst.toFixed(0)} ms, target ≤ 300 ms — ${lines.join('; ')}` });

  call('dashboard.energy.get', {});
  const dashboard = time(() => {
    call('dashboard.energy.get', { period: 'month' });
    call('dashboard.energy.timeline', { limit: 30 });
  });
  results.push({ name: 'module dashboard (KPI cards, queue, alerts, timeline page)', ms: dashboard.ms, details: `target ≤ 1 s` });

  const trend = time(() => call('analytics.trend', { kpi: 'energy.meterReadings.readings', window: 365 }));
  const forecast = time(() => call('analytics.forecast', { kpi: 'energy.meterReadings.readings', horizon: 7 }));
  const heat = time(() => call('analytics.heatmap', { module: 'energy', view: 'weekdayHour', from: dayOf(DAYS - 365), to: dayOf(DAYS - 1) }));
  results.push({
    name: 'analytics: 365-day trend, forecast, one-year heatmap',
    ms: trend.ms + forecast.ms + heat.ms,
    details: `trend ${trend.ms.toFixed(0)} ms, forecast ${forecast.ms.toFixed(0)} ms, heatmap ${heat.ms.toFixed(0)} ms`,
  });

  // 100,000 readings: the 50 days before the last one, 2,000 a day.
  const exportInput = { report: 'energy.meterReadings.readings', from: dayOf(DAYS - 51), to: dayOf(DAYS - 2), format: 'xlsx' };
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  const probe = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
  const job: JobContext = {
    jobId: 'bench-export',
    kernel,
    principal: supervisor,
    dispatch: () => {
      throw new Error('exports write nothing');
    },
    progress: () => (peak = Math.max(peak, process.memoryUsage().rss)),
    cancelled: () => false,
  };
  const started = performance.now();
  const exported = (await runReportExport(job, exportInput, new ReportingCatalogue(FUNCTION_REPORTING))) as { file: { path: string; size: number } };
  const exportMs = performance.now() - started;
  clearInterval(probe);
  const rows = sqlGet<{ n: number }>(kernel.db, 'SELECT count(*) AS n FROM meter_readings WHERE read_date BETWEEN ? AND ?', exportInput.from, exportInput.to)!.n;
  results.push({
    name: `export of ${rows.toLocaleString('en')} readings to XLSX (summary + detail, streaming)`,
    ms: exportMs,
    details: `target ≤ 8 s; peak RSS ${(peak / 2 ** 20).toFixed(0)} MB (before ${(rssBefore / 2 ** 20).toFixed(0)} MB), target ≤ 400 MB; file ${(exported.file.size / 2 ** 20).toFixed(1)} MB`,
  });

  await app.close();
  fs.rmSync(path.resolve(dataDir), { recursive: true, force: true });
  return results;
}
