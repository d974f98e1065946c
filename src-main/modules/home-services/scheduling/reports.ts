import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import { PRIORITY_LABELS } from '../../../../src-shared/contracts/home-services/common';
import {
  CHANNEL_LABELS,
  STATUS_LABELS,
  exportReport,
  type Appointment,
  type ReportGroup,
  type ReportRow,
  type reportInput,
} from '../../../../src-shared/contracts/home-services/scheduling';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import type { Column } from '../../../reporting/columns';
import { writeCsv } from '../../../reporting/csv';
import { sheet, writeXlsx } from '../../../reporting/excel';
import { exportJob } from '../../../reporting/export-job';
import { PERIOD_LABEL, checkRange, foldReport } from '../report-helpers';
import { iterateAppointments } from './queries';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Bookings by the local date of the appointment (the day the work is due), grouped by period or
 * by service/SKU, category, channel or technician: how many, booked hours (cancelled and no-shows
 * left out), completed and still open, cancellations (late ones apart) and no-shows, and the value
 * of completed work.
 */
export const SCHEDULING_EXPORT_JOB = 'homeServices.scheduling.export';

export type SchedulingReportInput = z.output<typeof reportInput>;

const DIMENSION: Record<Exclude<ReportGroup, 'period'>, { key: string; label: string }> = {
  service: { key: 'a.service_id', label: "s.sku || ' ' || s.name" },
  category: { key: 's.category', label: 's.category' },
  channel: { key: 'a.channel', label: 'a.channel' },
  technician: { key: "coalesce(j.technician_id, '')", label: "coalesce(t.name, 'Unassigned')" },
};

type Figures = Omit<ReportRow, 'key' | 'label'>;

const empty = (key: string, label: string): ReportRow => ({
  key,
  label,
  bookings: 0,
  bookedMinutes: 0,
  completed: 0,
  open: 0,
  cancelled: 0,
  lateCancellations: 0,
  noShows: 0,
  completedValueMinor: 0,
});

function add(into: ReportRow, f: Figures): void {
  into.bookings += f.bookings;
  into.bookedMinutes += f.bookedMinutes;
  into.completed += f.completed;
  into.open += f.open;
  into.cancelled += f.cancelled;
  into.lateCancellations += f.lateCancellations;
  into.noShows += f.noShows;
  into.completedValueMinor += f.completedValueMinor;
}

export function buildSchedulingReport(db: SqliteDb, branch: BranchInfo, input: SchedulingReportInput) {
  checkRange(input);
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  const figures = sqlAll<{ day: string; k: string; l: string } & Figures>(
    db,
    `SELECT a.local_date AS day, ${dim.key} AS k, ${dim.label} AS l, count(*) AS bookings,
       coalesce(sum(CASE WHEN a.status NOT IN ('cancelled', 'no_show') THEN a.duration_minutes END), 0) AS bookedMinutes,
       sum(a.status = 'completed') AS completed,
       sum(a.status IN ('requested', 'confirmed', 'rescheduled')) AS open,
       sum(a.status = 'cancelled') AS cancelled,
       sum(a.status = 'cancelled' AND a.late_cancel = 1) AS lateCancellations,
       sum(a.status = 'no_show') AS noShows,
       coalesce(sum(CASE WHEN a.status = 'completed' THEN a.price_minor END), 0) AS completedValueMinor
     FROM hs_appointments a JOIN hs_services s ON s.id = a.service_id JOIN hs_jobs j ON j.appointment_id = a.id
       LEFT JOIN hs_technicians t ON t.id = j.technician_id
     WHERE a.local_date BETWEEN ? AND ?
       AND (? IS NULL OR a.service_id = ?) AND (? IS NULL OR j.technician_id = ?) AND (? IS NULL OR a.channel = ?) AND (? IS NULL OR s.category = ?)
     GROUP BY day, k`,
    input.from,
    input.to,
    input.serviceId ?? null,
    input.serviceId ?? null,
    input.technicianId ?? null,
    input.technicianId ?? null,
    input.channel ?? null,
    input.channel ?? null,
    input.category ?? null,
    input.category ?? null,
  ).map((r) => ({
    day: r.day,
    key: r.k,
    label: input.groupBy === 'channel' ? (CHANNEL_LABELS[r.l as keyof typeof CHANNEL_LABELS] ?? r.l) : r.l,
    figures: r,
  }));
  return foldReport(figures, { ...input, branch, empty, add });
}

/* ---------------- export ---------------- */

const GROUP_LABEL: Record<ReportGroup, string> = { period: 'Period', service: 'Service', category: 'Category', channel: 'Channel', technician: 'Technician' };

const summaryColumns = (group: ReportGroup): Column<ReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 30 },
  { header: 'Bookings', value: (r) => r.bookings, kind: 'integer' },
  { header: 'Booked hours', value: (r) => r.bookedMinutes / 60, kind: 'decimal' },
  { header: 'Completed', value: (r) => r.completed, kind: 'integer' },
  { header: 'Open', value: (r) => r.open, kind: 'integer' },
  { header: 'Cancelled', value: (r) => r.cancelled, kind: 'integer' },
  { header: 'Late cancellations', value: (r) => r.lateCancellations, kind: 'integer' },
  { header: 'No-shows', value: (r) => r.noShows, kind: 'integer' },
  { header: 'Completed value', value: (r) => r.completedValueMinor / 100, kind: 'decimal', width: 16 },
];

const detailColumns = (timeZone: string): Column<Appointment>[] => {
  const local = (value: string | null) => (value ? dayjs(value).tz(timeZone).format('YYYY-MM-DD HH:mm') : null);
  return [
    { header: 'Booking', value: (a) => a.number, width: 12 },
    { header: 'Date', value: (a) => a.localDate, kind: 'date', width: 12 },
    { header: 'Start', value: (a) => local(a.startsAt), width: 17 },
    { header: 'End', value: (a) => local(a.endsAt), width: 17 },
    { header: 'Customer no', value: (a) => a.customerNo, width: 12 },
    { header: 'Customer', value: (a) => a.customerName, width: 26 },
    { header: 'SKU', value: (a) => a.serviceSku, width: 14 },
    { header: 'Service', value: (a) => a.serviceName, width: 26 },
    { header: 'Category', value: (a) => a.serviceCategory },
    { header: 'Channel', value: (a) => CHANNEL_LABELS[a.channel] },
    { header: 'Priority', value: (a) => PRIORITY_LABELS[a.priority] },
    { header: 'Technician', value: (a) => a.technicianName, width: 20 },
    { header: 'Status', value: (a) => STATUS_LABELS[a.status] },
    { header: 'Late cancellation', value: (a) => (a.lateCancel ? 'yes' : '') },
    { header: 'Cancel reason', value: (a) => a.cancelReason, width: 30 },
    { header: 'Minutes', value: (a) => a.durationMinutes, kind: 'integer' },
    { header: 'Price', value: (a) => a.priceMinor / 100, kind: 'decimal' },
    { header: 'Series', value: (a) => (a.seriesIndex ? `#${a.seriesIndex}` : '') },
    { header: 'Booked by', value: (a) => a.bookedByName, width: 20 },
    { header: 'Booked at', value: (a) => local(a.createdAt), width: 17 },
  ];
};

export async function runSchedulingExport(job: JobContext, raw: unknown) {
  const input = exportReport.input.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const report = buildSchedulingReport(db, branch, input);
  const detail = () =>
    iterateAppointments(db, { from: input.from, to: input.to, serviceId: input.serviceId, technicianId: input.technicianId, channel: input.channel, category: input.category });
  const total = report.totals.bookings;
  const title = `Bookings ${input.from} to ${input.to}`;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      if (input.format === 'csv') {
        await writeCsv(filePath, detailColumns(branch.timeZone), detail(), { onRows: (n) => tick(n, total) });
        return;
      }
      const filters: [string, string][] = [
        ['Report', `${PERIOD_LABEL[input.period]} by ${GROUP_LABEL[input.groupBy].toLowerCase()}`],
        ['From', input.from],
        ['To', input.to],
      ];
      if (input.serviceId) filters.push(['Service', sqlGet<{ sku: string }>(db, 'SELECT sku FROM hs_services WHERE id = ?', input.serviceId)?.sku ?? input.serviceId]);
      if (input.technicianId) filters.push(['Technician', sqlGet<{ name: string }>(db, 'SELECT name FROM hs_technicians WHERE id = ?', input.technicianId)?.name ?? input.technicianId]);
      if (input.channel) filters.push(['Channel', CHANNEL_LABELS[input.channel]]);
      if (input.category) filters.push(['Category', input.category]);
      await writeXlsx(
        filePath,
        { title: `${title} — ${branch.name}`, filters, printedBy: job.principal.displayName, printedAt: new Date(), timeZone: branch.timeZone },
        [
          sheet({ name: 'Summary', columns: summaryColumns(input.groupBy), rows: report.rows, totals: report.totals }),
          sheet({ name: 'Appointments', columns: detailColumns(branch.timeZone), rows: detail() }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
