import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedMeterReadingsDemo } from '../../src-main/modules/energy/meter-readings/demo';
import { seededRandom } from '../../src-main/demo';
import { sqlGet } from '../../src-main/core/db/store';
import type { ReportRow } from '../../src-shared/contracts/energy/meter-readings';
import type { TestApp } from '../support/app';
import { connect, openBranch, syncOnce } from './support/branch';
import { ADMIN_TOKEN, startTestHq, type Backend, type TestHq } from './support/hq';
import { startPostgres, type PgCluster } from './support/postgres';

/**
 * Consolidated reports at HQ: the branch records materialised from the journal, reported by branch
 * with the branch app's own definitions, so HQ's figures for a branch equal that branch's report.
 */
let pg: PgCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const TODAY = '2026-03-15';
const RANGE = { from: '2025-12-01', to: '2026-03-31' };

interface HqReport {
  rows: { branchId: string; branchName: string; key: string; values: Record<string, number> }[];
  byBranch: { branchId: string; branchName: string; values: Record<string, number> }[];
  totals: Record<string, number>;
}

function seedReadings(t: TestApp, seed: number): void {
  seedMeterReadingsDemo((procedure, input) => t.ok(procedure === 'energy.meterReadings.create' ? 'reader' : 'admin', procedure, input), {
    routes: 2,
    accounts: 6,
    months: 3,
    today: TODAY,
    random: seededRandom(seed),
  });
}

describe.each<Backend>(['sqlite', 'postgres'])('consolidated reports at HQ on %s', (backend) => {
  let hq: TestHq;
  const branches: TestApp[] = [];
  beforeAll(async () => {
    hq = await startTestHq(backend, pg);
    for (const seed of [1, 2]) {
      const t = openBranch();
      t.login('reader');
      branches.push(t);
      connect(t, hq.url, await hq.register(t));
      seedReadings(t, seed);
      expect((await syncOnce(t)).outcome).toBe('succeeded');
    }
  });
  afterAll(async () => {
    for (const t of branches) await t.close();
    await hq?.close();
  });

  it('gives each branch the figures its own readings report gives', async () => {
    const report = await hq.admin<HqReport>('GET', `/admin/reports/energy.meterReadings?from=${RANGE.from}&to=${RANGE.to}&period=month`);
    expect(report.byBranch).toHaveLength(2);
    for (const t of branches) {
      const own = t.ok<{ rows: ReportRow[]; totals: ReportRow }>('supervisor', 'energy.meterReadings.report', { ...RANGE, period: 'month' });
      const atHq = report.byBranch.find((b) => b.branchId === t.kernel.branch().id)!;
      const { key: _k, label: _l, ...figures } = own.totals;
      expect(figures.readings).toBeGreaterThan(0);
      expect(atHq.values).toEqual(figures);
      // Month by month too, not only in total.
      const months = report.rows.filter((r) => r.branchId === t.kernel.branch().id);
      expect(months.map((m) => m.values.readings)).toEqual(own.rows.map((r) => r.readings));
    }
    expect(report.totals.readings).toBe(report.byBranch.reduce((sum, b) => sum + b.values.readings!, 0));
  });

  it('counts journal activity per branch in its own time zone', async () => {
    const report = await hq.admin<HqReport>('GET', `/admin/reports/journal.activity?from=2000-01-01&to=2100-12-31&period=month`);
    for (const t of branches) {
      const events = sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM audit_events')!.n;
      expect(report.byBranch.find((b) => b.branchId === t.kernel.branch().id)!.values.events).toBe(events);
    }
  });

  it('exports the report to Excel: totals by branch, then every branch and month', async () => {
    const res = await fetch(`${hq.url}/admin/reports/energy.meterReadings.xlsx?from=${RANGE.from}&to=${RANGE.to}&period=month`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toMatch(/energy\.meterReadings-2025-12-01-2026-03-31\.xlsx/);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-xlsx-')), 'report.xlsx');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['By branch', 'By branch and period']);
    const byBranch = workbook.getWorksheet('By branch')!;
    const values = byBranch.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const header = values.findIndex((r) => r[0] === 'Branch');
    expect(values[header]).toEqual(['Branch', 'Readings', 'Actual', 'Estimated', 'Skipped', 'Exceptions', 'Consumption']);
    const json = await hq.admin<HqReport>('GET', `/admin/reports/energy.meterReadings?from=${RANGE.from}&to=${RANGE.to}&period=month`);
    expect(values.at(-1)).toEqual(['All branches', json.totals.readings, json.totals.actual, json.totals.estimated, json.totals.skipped, json.totals.exceptions, json.totals.consumption]);
    const detail = workbook.getWorksheet('By branch and period')!;
    // Title block, header, 2 branches × 4 months, totals.
    expect(detail.actualRowCount).toBe(header + 1 + 8 + 1);
  });
});
