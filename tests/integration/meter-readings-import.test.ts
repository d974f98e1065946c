import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ImportResult, Reading } from '../../src-shared/contracts/energy/meter-readings';
import type { Job } from '../../src-shared/contracts/kernel';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { loadPrincipal } from '../../src-main/core/auth/sessions';
import { sqlGet } from '../../src-main/core/db/store';
import type { JobContext } from '../../src-main/core/jobs/types';
import { runImport } from '../../src-main/modules/energy/meter-readings/import';
import { openTestApp, type TestApp } from '../support/app';

/*
 * Import and export run as jobs in worker threads, writing through the same pipeline. These tests
 * start them the way the screens do and wait for the job to settle.
 */

let t: TestApp;
let routeId: string;
const serials: string[] = [];

beforeAll(() => {
  t = openTestApp();
  routeId = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: 'IMP', name: 'Import route' }).id;
  // Ten meters read 5,000 on 1 February after 300 units in 30 days: 5,150–5,600 is expected by 2 March.
  for (let i = 1; i <= 10; i += 1) {
    const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', {
      accountNo: `IMP-${i}`,
      name: `Import customer ${i}`,
      address: `${i} Import Road`,
      routeId,
      sequence: i,
    });
    const meter = t.ok<{ id: string; serial: string }>('admin', 'energy.meters.create', {
      serial: `IM-${i}`,
      dials: 5,
      accountId: account.id,
      installedOn: '2024-01-02',
      initialRead: 4_700,
    });
    t.ok('reader', 'energy.meterReadings.create', { meterId: meter.id, readDate: '2024-02-01', value: 5_000 });
    serials.push(meter.serial);
  }
});
afterAll(async () => {
  await t.close();
});

const base64 = (content: string | Buffer) => Buffer.from(content).toString('base64');

async function importFile(fileName: string, content: string | Buffer): Promise<{ job: Job; result: ImportResult }> {
  const { jobId } = t.ok<{ jobId: string }>('reader', 'energy.meterReadings.import', { fileName, contentBase64: base64(content) });
  const job = await t.kernel.jobs.settled(jobId);
  expect(job, job.error ?? '').toMatchObject({ state: 'succeeded', progress: 1 });
  return { job, result: job.result as ImportResult };
}

const readingsOn = (readDate: string) =>
  t.ok<{ rows: Reading[]; total: number }>('reader', 'energy.meterReadings.list', { routeId, from: readDate, to: readDate, limit: 500 });

describe('import of a handheld export', () => {
  it('saves good CSV rows through VEE, names the field of every bad row, and creates nothing on a second run', async () => {
    const csv = [
      'meter_serial,read_date,value,read_type,skip_code,remark',
      `${serials[0]},2024-03-02,5300,actual,,`,
      `${serials[1]},2024-03-02,5900,,,`,
      'NOPE-1,2024-03-02,5300,actual,,',
      `${serials[2]},2024-13-45,5300,actual,,`,
      `${serials[3]},2024-03-02,53OO,actual,,`,
      `${serials[4]},2024-03-02,,,locked,`,
      '',
      `${serials[5]},2024-03-02,5300,,locked,`,
      `${serials[6]},2024-03-02,5300,guess,,`,
      `"${serials[7]}",2024-03-02,5310,customer,,"Gate code 4411, then ""Rex""\nat the back"`,
    ].join('\r\n');
    const { result } = await importFile('route-imp.csv', csv);
    expect(result).toMatchObject({ total: 9, saved: 4, exceptions: 1, duplicates: 0 });
    expect(result.failed).toEqual([
      { row: 4, reason: 'meter_serial: no meter with serial NOPE-1' },
      { row: 5, reason: expect.stringMatching(/^read_date: /) },
      { row: 6, reason: 'value: "53OO" is not a whole register reading' },
      { row: 9, reason: expect.stringMatching(/^skip_code: A skipped meter has no reading/) },
      { row: 10, reason: expect.stringMatching(/^read_type: /) },
    ]);

    const saved = readingsOn('2024-03-02').rows;
    const bySerial = new Map(saved.map((r) => [r.meterSerial, r]));
    expect(bySerial.get(serials[0]!)).toMatchObject({ value: 5_300, status: 'posted', source: 'import', readerName: 'Ray Reader' });
    expect(bySerial.get(serials[1]!)).toMatchObject({ status: 'exception', exceptions: [expect.objectContaining({ code: 'HIGH_CONSUMPTION' })] });
    expect(bySerial.get(serials[4]!)).toMatchObject({ readType: 'estimated', source: 'estimate', skipCode: 'locked', value: 5_300 });
    expect(bySerial.get(serials[7]!)).toMatchObject({ readType: 'customer', remark: 'Gate code 4411, then "Rex"\nat the back' });

    const again = await importFile('route-imp.csv', csv);
    expect(again.result).toMatchObject({ total: 9, saved: 0, duplicates: 4 });
    expect(readingsOn('2024-03-02').total).toBe(4);
  });

  it('reads XLSX workbooks, with real date cells and a title block above the header', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Route IMP');
    sheet.addRow(['Handheld export, route IMP']);
    sheet.addRow(['Meter Serial', 'Read Date', 'Value', 'Read Type', 'Skip Code', 'Remark']);
    sheet.addRow([serials[0], new Date(Date.UTC(2024, 3, 1)), 5_610, 'Actual', null, null]);
    sheet.addRow([serials[1], new Date(Date.UTC(2024, 3, 1)), 5_620.5, 'actual', null, null]);
    sheet.addRow([serials[8], '2024-04-01', null, null, 'dog', 'Big one']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());

    const { result } = await importFile('handheld.xlsx', bytes);
    expect(result).toMatchObject({ total: 3, saved: 2, duplicates: 0 });
    expect(result.failed).toEqual([{ row: 4, reason: expect.stringMatching(/^value: /) }]);
    const saved = readingsOn('2024-04-01').rows;
    expect(saved.map((r) => [r.meterSerial, r.value, r.source]).sort()).toEqual([
      [serials[0], 5_610, 'import'],
      [serials[8], 5_600, 'estimate'],
    ]);

    expect((await importFile('handheld.xlsx', bytes)).result).toMatchObject({ saved: 0, duplicates: 2 });
  });

  it('checks the upload before starting a job and journals the request', () => {
    const bad = (fileName: string, contentBase64: string) => t.call('reader', 'energy.meterReadings.import', { fileName, contentBase64 });
    expect(bad('readings.txt', base64('a'))).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'fileName' }] } } });
    expect(bad('readings.csv', '***')).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'contentBase64' }] } } });
    expect(bad('readings.xlsx', base64('meter_serial,read_date'))).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION', message: expect.stringContaining('not an Excel') },
    });
    expect(t.call('cashier', 'energy.meterReadings.import', { fileName: 'a.csv', contentBase64: base64('x') })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });

  it('fails the job with a clear message when the file has no meter_serial column', async () => {
    const { jobId } = t.ok<{ jobId: string }>('reader', 'energy.meterReadings.import', { fileName: 'x.csv', contentBase64: base64('serial,date\nA,B') });
    const job = await t.kernel.jobs.settled(jobId);
    expect(job).toMatchObject({ state: 'failed', error: expect.stringContaining('meter_serial') });
    const requested = sqlGet<{ action: string; after_json: string }>(
      t.kernel.db,
      `SELECT action, after_json FROM audit_events WHERE entity = 'meterReadingImport' AND entity_id = ?`,
      jobId,
    );
    expect(requested?.action).toBe('import requested');
    expect(JSON.parse(requested!.after_json)).toMatchObject({ fileName: 'x.csv', bytes: 15 });
  });

  it('stops between chunks when cancelled, keeping the chunks already saved', async () => {
    // The runner itself, in-process, with a job context that asks to stop after the first chunk.
    const lines = ['meter_serial,read_date,value'];
    for (let day = 1; day <= 28; day += 1) {
      for (const serial of serials) lines.push(`${serial},2025-02-${String(day).padStart(2, '0')},${9_000 + day * 10}`);
    }
    const reader = t.ok<{ id: string }>('reader', 'auth.me', {});
    const principal = loadPrincipal(t.kernel.db, reader.id, null)!;
    let checks = 0;
    const job: JobContext = {
      jobId: 'in-process',
      kernel: t.kernel,
      principal,
      dispatch: (procedure, input, meta) => dispatch(t.kernel, procedure, input, { principal, meta }),
      progress: () => {},
      cancelled: () => (checks += 1) > 1,
    };
    const result = await runImport(job, { fileName: 'long.csv', contentBase64: base64(lines.join('\n')) });
    expect(result.total).toBe(250);
    expect(result.saved + result.failed.length + result.duplicates).toBe(250);
    expect(
      t.ok<{ total: number }>('reader', 'energy.meterReadings.list', { routeId, from: '2025-02-01', to: '2025-02-28' }).total,
    ).toBe(result.saved);
  });
});

describe('export', () => {
  it('writes the report and its readings to Excel: title block, bold frozen header, filter, formats, totals', async () => {
    const { jobId } = t.ok<{ jobId: string }>('supervisor', 'energy.meterReadings.export', {
      from: '2024-02-01',
      to: '2024-04-30',
      period: 'month',
      routeId,
      format: 'xlsx',
    });
    const job = await t.kernel.jobs.settled(jobId);
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded' });
    const file = (job.result as { file: { name: string; path: string; mime: string; size: number } }).file;
    expect(file).toMatchObject({ name: 'meter-readings-2024-02-01-to-2024-04-30.xlsx', path: path.join('exports', `${jobId}.xlsx`) });
    const absolute = path.join(t.dataDir, file.path);
    expect(fs.statSync(absolute).size).toBe(file.size);

    const report = t.ok<{ rows: { label: string; readings: number; consumption: number }[]; totals: { readings: number; consumption: number } }>(
      'supervisor',
      'energy.meterReadings.report',
      { from: '2024-02-01', to: '2024-04-30', period: 'month', routeId },
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(absolute);
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Summary', 'Readings']);

    const summary = workbook.getWorksheet('Summary')!;
    expect(String(summary.getCell('A1').value)).toContain('Meter readings 2024-02-01 to 2024-04-30');
    expect(String(summary.getCell('A2').value)).toContain('Route IMP Import route');
    expect(String(summary.getCell('A3').value)).toContain('Printed by Sam Supervisor');
    expect((summary.getRow(4).values as unknown[]).slice(1)).toEqual(['Period', 'Readings', 'Actual', 'Estimated', 'Skipped', 'Exceptions', 'Consumption']);
    expect(summary.getCell('A4').font?.bold).toBe(true);
    expect(summary.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(summary.autoFilter).toBeTruthy();
    const dataRows = report.rows.map((_, i) => summary.getRow(5 + i));
    expect(dataRows.map((r) => [r.getCell(1).value, r.getCell(2).value, r.getCell(7).value])).toEqual(
      report.rows.map((r) => [r.label, r.readings, r.consumption]),
    );
    const totalsRow = summary.getRow(5 + report.rows.length);
    expect([totalsRow.getCell(1).value, totalsRow.getCell(2).value, totalsRow.getCell(7).value]).toEqual([
      'Total',
      report.totals.readings,
      report.totals.consumption,
    ]);
    expect(totalsRow.getCell(1).font?.bold).toBe(true);
    expect(summary.getCell('G5').numFmt).toBe('#,##0.000');

    const detail = workbook.getWorksheet('Readings')!;
    expect(detail.rowCount).toBe(4 + report.totals.readings);
    expect(detail.getCell('A5').value).toBeInstanceOf(Date);
    expect(detail.getCell('A5').numFmt).toBe('yyyy-mm-dd');
  });

  it('writes CSV with the detail readings, and needs the export permission', async () => {
    const { jobId } = t.ok<{ jobId: string }>('supervisor', 'energy.meterReadings.export', { from: '2024-03-02', to: '2024-03-02', routeId, format: 'csv' });
    const job = await t.kernel.jobs.settled(jobId);
    expect(job, job.error ?? '').toMatchObject({ state: 'succeeded' });
    const file = (job.result as { file: { path: string; mime: string } }).file;
    expect(file.mime).toBe('text/csv');
    const text = fs.readFileSync(path.join(t.dataDir, file.path), 'utf8');
    const lines = text.split('\r\n').filter(Boolean);
    expect(lines[0]!.startsWith('\uFEFFRead date,Route,Account')).toBe(true);
    expect(lines.length - 1).toBe(readingsOn('2024-03-02').total);
    expect(text).toContain('"Gate code 4411, then ""Rex""\nat the back"');
    expect(t.call('reader', 'energy.meterReadings.export', { from: '2024-03-02', to: '2024-03-02' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
  });
});
