import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { sqlAll, sqlGet } from '../../src-main/core/db/store';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import type { JobContext } from '../../src-main/core/jobs/types';
import { ReportingCatalogue } from '../../src-main/reporting/catalogue';
import { defineFunctionReporting } from '../../src-main/reporting/definitions';
import { runReport } from '../../src-main/reporting/engine';
import { FUNCTION_REPORTING } from '../../src-main/reporting/functions';
import { runReportExport } from '../../src-main/reporting/report-export';
import type { ReportResult } from '../../src-shared/contracts/reports';
import { openTestApp, type TestApp } from '../support/app';
import { readMeter, seedRoute } from '../support/reporting';

dayjs.extend(utc);
dayjs.extend(timezone);

/*
 * The engine on timestamped records (UTC instants bucketed into the branch's days across both
 * daylight-saving changes), and exports read back with exceljs.
 */

describe('reports over UTC instants in a zone with daylight saving', () => {
  const TZ = 'America/New_York';
  let now = new Date('2025-01-10T15:00:00Z');
  let t: TestApp;
  /** A test report over the journal: every write is a timestamped record. */
  const catalogue = new ReportingCatalogue([
    defineFunctionReporting({
      functionKey: 'energy.billing',
      reports: [
        {
          key: 'energy.billing.journalTest',
          label: 'Journal events',
          description: 'Writes per local day (test only).',
          recordLabel: 'event',
          from: 'audit_events e',
          where: "e.procedure = 'admin.users.update'",
          time: { column: 'e.at', kind: 'instant', label: 'At' },
          id: 'e.id',
          branch: 'e.branch_id',
          dimensions: [
            { key: 'user', label: 'User', value: 'e.actor_id', display: 'e.actor_name' },
            // Like a cashier's shift: a label dated by an instant, printed as the local date.
            { key: 'shift', label: 'Event', value: 'e.id', display: "'Event ' || e.entity_id", datedBy: 'e.at' },
          ],
          measures: [{ key: 'events', label: 'Events', unit: 'count', aggregate: 'count(*)' }],
          defaultMeasure: 'events',
          records: { columns: [{ key: 'at', header: 'At', sql: 'e.at', kind: 'datetime' }], link: () => null },
        },
      ],
      kpis: [],
      exceptions: [],
    }),
  ]);

  // Around the spring change (9 March 2025, 07:00Z), a week boundary (Sunday 9 → Monday 10
  // March), the month end, and the autumn change (2 November 2025, 06:00Z).
  const INSTANTS = [
    '2025-03-08T04:59:00.000Z', // 7 March 23:59 EST
    '2025-03-08T05:00:00.000Z', // 8 March 00:00 EST
    '2025-03-09T06:59:00.000Z', // 9 March 01:59 EST
    '2025-03-09T07:00:00.000Z', // 9 March 03:00 EDT
    '2025-03-10T03:59:00.000Z', // 9 March 23:59 EDT (Sunday)
    '2025-03-10T04:00:00.000Z', // 10 March 00:00 EDT (Monday, next week)
    '2025-04-01T03:30:00.000Z', // 31 March 23:30 EDT
    '2025-04-01T04:30:00.000Z', // 1 April 00:30 EDT
    '2025-11-02T05:30:00.000Z', // 2 November 01:30 EDT
    '2025-11-02T06:30:00.000Z', // 2 November 01:30 EST (the hour again)
    '2025-11-03T04:59:00.000Z', // 2 November 23:59 EST
    '2025-11-03T05:00:00.000Z', // 3 November 00:00 EST
  ];

  beforeAll(() => {
    t = openTestApp({ timeZone: TZ, clock: () => now });
    const admin = loadPrincipal(t.kernel.db, sqlGet<{ id: string }>(t.kernel.db, "SELECT id FROM users WHERE username = 'admin'")!.id, null)!;
    for (const [i, at] of INSTANTS.entries()) {
      now = new Date(at);
      const user = sqlGet<{ id: string; version: number }>(t.kernel.db, "SELECT id, version FROM users WHERE username = 'cashier'")!;
      const r = dispatch(t.kernel, 'admin.users.update', { id: user.id, version: user.version, displayName: `Cara ${i}` }, { principal: admin });
      if (!r.ok) throw new Error(r.error.message);
    }
  });
  afterAll(async () => {
    await t.close();
  });

  function expected(period: 'day' | 'week' | 'month'): Map<string, number> {
    const counts = new Map<string, number>();
    for (const { at } of sqlAll<{ at: string }>(t.kernel.db, "SELECT at FROM audit_events WHERE procedure = 'admin.users.update'")) {
      const local = dayjs(at).tz(TZ);
      const date = dayjs.utc(local.format('YYYY-MM-DD'));
      const key = period === 'day' ? date : period === 'month' ? date.startOf('month') : date.subtract((date.day() + 6) % 7, 'day');
      counts.set(key.format('YYYY-MM-DD'), (counts.get(key.format('YYYY-MM-DD')) ?? 0) + 1);
    }
    return counts;
  }

  for (const period of ['day', 'week', 'month'] as const) {
    it(`puts each record in its local ${period} and the totals add up`, () => {
      const result: ReportResult = runReport(t.kernel.db, t.kernel.branch(), catalogue.report('energy.billing.journalTest'), {
        from: '2025-03-01',
        to: '2025-11-30',
        period,
        groupBy: 'period',
        filters: {},
      });
      const got = new Map(result.rows.filter((r) => r.values.events! > 0).map((r) => [r.key, r.values.events]));
      expect(got).toEqual(expected(period));
      expect(result.totals.events).toBe(INSTANTS.length);
    });
  }

  it('counts the days of the changes exactly (23 and 25 hours long)', () => {
    const result = runReport(t.kernel.db, t.kernel.branch(), catalogue.report('energy.billing.journalTest'), {
      from: '2025-03-07',
      to: '2025-11-03',
      period: 'day',
      groupBy: 'period',
      filters: {},
    });
    const day = (d: string) => result.rows.find((r) => r.key === d)!.values.events;
    expect([day('2025-03-07'), day('2025-03-08'), day('2025-03-09'), day('2025-03-10')]).toEqual([1, 1, 3, 1]);
    expect([day('2025-03-31'), day('2025-04-01')]).toEqual([1, 1]);
    expect([day('2025-11-02'), day('2025-11-03')]).toEqual([3, 1]);
    // A range that starts on a change day still begins at that day's local midnight.
    const single = runReport(t.kernel.db, t.kernel.branch(), catalogue.report('energy.billing.journalTest'), {
      from: '2025-11-02',
      to: '2025-11-02',
      period: 'day',
      groupBy: 'user',
      filters: {},
    });
    expect(single.totals.events).toBe(3);
    expect(single.rows).toEqual([expect.objectContaining({ label: 'Ada Admin', values: { events: 3 } })]);
  });

  it('dates a dimension’s labels by the local day of their instant, in rows and in the filter names', () => {
    const input = { from: '2025-03-07', to: '2025-03-10', period: 'day' as const, filters: {} };
    const byEvent = runReport(t.kernel.db, t.kernel.branch(), catalogue.report('energy.billing.journalTest'), { ...input, groupBy: 'shift' });
    const userId = sqlGet<{ id: string }>(t.kernel.db, "SELECT id FROM users WHERE username = 'cashier'")!.id;
    // 2025-03-08T04:59Z is 7 March 23:59 in New York; 2025-03-10T03:59Z is still 9 March there (UTC says the 10th).
    expect(byEvent.rows.map((r) => r.label)).toEqual([
      `Event ${userId} · 2025-03-07`,
      `Event ${userId} · 2025-03-08`,
      `Event ${userId} · 2025-03-09`,
      `Event ${userId} · 2025-03-09`,
      `Event ${userId} · 2025-03-09`,
      `Event ${userId} · 2025-03-10`,
    ]);
    const first = byEvent.rows[0]!;
    const filtered = runReport(t.kernel.db, t.kernel.branch(), catalogue.report('energy.billing.journalTest'), { ...input, groupBy: 'period', filters: { shift: first.key } });
    expect(filtered.filterLabels).toEqual([{ dimension: 'shift', label: 'Event', value: first.label }]);
    expect(filtered.totals.events).toBe(1);
  });
});

describe('exports read back with exceljs', () => {
  let t: TestApp;
  let supervisor: NonNullable<ReturnType<typeof loadPrincipal>>;
  const catalogue = new ReportingCatalogue(FUNCTION_REPORTING);
  let jobs = 0;

  beforeAll(() => {
    t = openTestApp({ timeZone: 'Europe/Berlin', clock: () => new Date('2025-04-03T08:00:00Z') });
    supervisor = loadPrincipal(t.kernel.db, sqlGet<{ id: string }>(t.kernel.db, "SELECT id FROM users WHERE username = 'supervisor'")!.id, null)!;
    const { meters } = seedRoute(t, { code: 'EX', meters: 6, category: 'residential', installedOn: '2025-01-01' });
    meters.forEach((m, i) => {
      readMeter(t, 'reader', m.meterId, '2025-02-01', 1_310 + i);
      readMeter(t, i % 2 ? 'reader' : 'supervisor', m.meterId, '2025-03-03', 1_610 + i);
      readMeter(t, 'reader', m.meterId, '2025-03-31', i === 0 ? 9_000 : 1_900 + i);
    });
  });
  afterAll(async () => {
    await t.close();
  });

  /** Runs the export job's body in this process (the worker thread runs the same function). */
  async function exportFile(input: Record<string, unknown>) {
    jobs += 1;
    const job: JobContext = {
      jobId: `export-test-${jobs}`,
      kernel: t.kernel,
      principal: supervisor,
      dispatch: () => {
        throw new Error('exports write nothing');
      },
      progress: () => {},
      cancelled: () => false,
    };
    const result = (await runReportExport(job, { report: 'energy.meterReadings.readings', ...input }, catalogue)) as { file: { path: string; name: string; mime: string } };
    return { ...result.file, absolute: path.join(t.dataDir, result.file.path) };
  }

  it('writes a summary and a detail sheet with title block, styled frozen header, autofilter, formats and the report’s values', async () => {
    const input = { from: '2025-03-01', to: '2025-03-31', period: 'week', groupBy: 'period', filters: {} };
    const report = t.ok<ReportResult>('supervisor', 'reports.run', { report: 'energy.meterReadings.readings', ...input });
    const file = await exportFile({ ...input, format: 'xlsx' });
    expect(file.name).toBe('meter-readings-2025-03-01-to-2025-03-31.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file.absolute);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Summary', 'Readings']);

    const summary = wb.getWorksheet('Summary')!;
    expect(String(summary.getCell('A1').value)).toBe('Meter readings 2025-03-01 to 2025-03-31 — Test Branch');
    expect(String(summary.getCell('A2').value)).toBe('Filters: Report Meter readings, weekly · From 2025-03-01 · To 2025-03-31');
    expect(String(summary.getCell('A3').value)).toBe('Printed by Sam Supervisor on 2025-04-03 10:00 (Europe/Berlin)');
    const header = summary.getRow(4);
    expect(header.getCell(1).value).toBe('Week');
    expect(header.getCell(2).value).toBe('Readings');
    expect(header.getCell(1).font?.bold).toBe(true);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(summary.autoFilter).toBeTruthy();
    const columns = report.measures.map((m) => m.key);
    report.rows.forEach((row, i) => {
      const excelRow = summary.getRow(5 + i);
      expect(excelRow.getCell(1).value).toBe(row.label);
      columns.forEach((key, c) => expect([row.label, key, excelRow.getCell(2 + c).value]).toEqual([row.label, key, row.values[key]]));
    });
    const totals = summary.getRow(5 + report.rows.length);
    expect(totals.getCell(1).value).toBe('Total');
    for (let c = 1; c <= 1 + report.measures.length; c += 1) expect(totals.getCell(c).font?.bold).toBe(true);
    expect(summary.getRow(5).getCell(2).font?.bold).toBeFalsy();
    expect(totals.getCell(2).value).toBe(report.totals.readings);
    expect(summary.getRow(5).getCell(2).numFmt).toBe('#,##0');
    expect(summary.getRow(5).getCell(2 + columns.indexOf('consumption')).numFmt).toBe('#,##0.000');
    expect(summary.getRow(5).getCell(2 + columns.indexOf('exceptionRate')).numFmt).toBe('#,##0.0');
    expect(header.getCell(2 + columns.indexOf('exceptionRate')).value).toBe('Exception rate (%)');

    const detail = wb.getWorksheet('Readings')!;
    expect(detail.getRow(4).getCell(1).value).toBe('Read date');
    expect(detail.rowCount - 4).toBe(report.totals.readings);
    const first = detail.getRow(5);
    expect(first.getCell(1).value).toEqual(new Date('2025-03-03T00:00:00Z'));
    expect(first.getCell(1).numFmt).toBe('yyyy-mm-dd');
    // Entered at 10:00 Berlin time (08:00Z): the sheet shows the branch's wall clock.
    const enteredAt = first.getCell(14);
    expect(enteredAt.value).toEqual(new Date('2025-04-03T10:00:00Z'));
    expect(enteredAt.numFmt).toBe('yyyy-mm-dd hh:mm');
    expect(detail.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
  });

  it('prints the filters by name, and CSV carries the records or the summary', async () => {
    const reader = sqlGet<{ id: string }>(t.kernel.db, "SELECT id FROM users WHERE username = 'reader'")!;
    const xlsx = await exportFile({ from: '2025-03-01', to: '2025-03-31', groupBy: 'shift', filters: { user: reader.id }, format: 'xlsx' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.absolute);
    expect(String(wb.getWorksheet('Summary')!.getCell('A2').value)).toBe(
      'Filters: Report Meter readings, by walk (route · day · reader) · From 2025-03-01 · To 2025-03-31 · Reader Ray Reader',
    );
    const readerRows = 3 + 6;
    expect(wb.getWorksheet('Readings')!.rowCount - 4).toBe(readerRows);

    const csv = await exportFile({ from: '2025-03-01', to: '2025-03-31', filters: { user: reader.id }, format: 'csv' });
    expect(csv.mime).toBe('text/csv');
    const lines = fs.readFileSync(csv.absolute, 'utf8').split('\r\n').filter(Boolean);
    expect(lines[0]!.startsWith('\uFEFFRead date,Route,Account')).toBe(true);
    expect(lines).toHaveLength(1 + readerRows);
    expect(lines[1]).toMatch(/^2025-03-03,EX,/);
    expect(lines[1]).toMatch(/,2025-04-03 10:00$/);

    const summary = await exportFile({ from: '2025-03-01', to: '2025-03-31', period: 'month', format: 'csv', csvContent: 'summary' });
    const summaryLines = fs.readFileSync(summary.absolute, 'utf8').split('\r\n').filter(Boolean);
    expect(summaryLines).toHaveLength(3);
    expect(summaryLines[1]).toMatch(/^March 2025,12,/);
    expect(summaryLines[2]).toMatch(/^Total,12,/);
  });

  it('refuses an export for a role that lost the right after asking', async () => {
    const reader = loadPrincipal(t.kernel.db, sqlGet<{ id: string }>(t.kernel.db, "SELECT id FROM users WHERE username = 'reader'")!.id, null)!;
    const job: JobContext = { jobId: 'x', kernel: t.kernel, principal: reader, dispatch: () => ({ ok: true, result: null }), progress: () => {}, cancelled: () => false };
    await expect(runReportExport(job, { report: 'energy.meterReadings.readings', from: '2025-03-01', to: '2025-03-31' }, catalogue)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
  });
});
