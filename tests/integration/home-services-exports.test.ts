import path from 'node:path';
import fs from 'node:fs';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import type { Job } from '../../src-shared/contracts/home-services/dispatch';
import type { Visit } from '../../src-shared/contracts/home-services/visits';
import { openTestApp, type TestApp } from '../support/app';
import { fieldFixture, idempotencyKey, northOf, okAs, type FieldFixture } from '../support/home-services';

/*
 * The three field exports run as jobs in a worker and write real files: the Excel workbook has the
 * report as its summary sheet and the records (visits with their EVV elements) as its detail sheet;
 * CSV carries the records.
 */
const local = (date: string, time: string) => new Date(`${date}T${time}:00+02:00`).toISOString();
const DAY = '2026-03-03';
let t: TestApp;
let f: FieldFixture;

beforeAll(() => {
  let now = Date.parse(local('2026-03-02', '07:00'));
  t = openTestApp({ clock: () => new Date(now) });
  f = fieldFixture(t);
  const book = (time: string) =>
    okAs<{ appointment: Appointment }>(
      t,
      'dispatcher',
      'homeServices.scheduling.book',
      { customerId: f.customers.north.id, serviceId: f.services.repair.id, startsAt: local(DAY, time), technicianId: f.technicians.plumber.id, channel: 'online' },
      { idempotencyKey: idempotencyKey() },
    ).appointment;
  const done = book('09:00');
  book('13:00');
  now = Date.parse(local(DAY, '09:05'));
  const job = okAs<Job>(t, 'dispatcher', 'homeServices.dispatch.get', { id: done.jobId });
  const door = { ...northOf({ lat: f.customers.north.lat!, lng: f.customers.north.lng! }, 30), accuracyM: 6 };
  const visit = okAs<Visit>(t, 'supervisor', 'homeServices.visits.checkIn', { jobId: job.id, version: job.version, location: door });
  now = Date.parse(local(DAY, '10:00'));
  okAs(t, 'supervisor', 'homeServices.visits.checkOut', { visitId: visit.id, version: visit.version, location: door, note: 'Done' });
});
afterAll(async () => {
  await t.close();
});

async function exported(procedure: string, input: Record<string, unknown>) {
  const { jobId } = okAs<{ jobId: string }>(t, 'supervisor', procedure, { from: DAY, to: DAY, ...input });
  const job = await t.kernel.jobs.settled(jobId);
  expect(job.state, JSON.stringify(job.error)).toBe('succeeded');
  const file = (job.result as { file: { path: string; name: string } }).file;
  return { file: path.join(t.dataDir, file.path), name: file.name };
}

describe('field exports', () => {
  it('writes the bookings workbook: summary by channel and every appointment', async () => {
    const { file, name } = await exported('homeServices.scheduling.export', { groupBy: 'channel', format: 'xlsx' });
    expect(name).toMatch(/^bookings-2026-03-03-to-2026-03-03\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    expect(book.worksheets.map((s) => s.name)).toEqual(['Summary', 'Appointments']);
    const summary = book.getWorksheet('Summary')!;
    const values = summary.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    expect(values.some((row) => row[0] === 'Online' && row[1] === 2)).toBe(true);
    const detail = book.getWorksheet('Appointments')!;
    expect(detail.actualRowCount).toBeGreaterThanOrEqual(2 + 4);
  });

  it('writes the visits CSV with the six EVV elements', async () => {
    const { file } = await exported('homeServices.visits.export', { format: 'csv' });
    const text = fs.readFileSync(file, 'utf8');
    const [header, row] = text.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(header).toContain('Service type,Recipient,Provider,Location,Start,End');
    expect(row).toContain('North Home');
    expect(row).toContain('Pat Plumber');
    expect(row).toContain('2026-03-03 09:05');
  });

  it('writes the dispatch workbook with utilisation per technician', async () => {
    const { file } = await exported('homeServices.dispatch.export', { groupBy: 'technician', format: 'xlsx' });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const rows = book.getWorksheet('Summary')!.getSheetValues().filter(Boolean).map((row) => (row as unknown[]).slice(1));
    const plumber = rows.find((row) => row[0] === 'Pat Plumber')!;
    // 2 jobs, 2 h booked of 8.5 h available: 23.5 %.
    expect(plumber.slice(1, 3)).toEqual([2, 1]);
    expect(plumber[8]).toBeCloseTo(23.5, 1);
  });
});
