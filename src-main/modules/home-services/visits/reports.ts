import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import {
  GEOFENCE_LABELS,
  VISIT_STATUS_LABELS,
  exportReport,
  type ReportGroup,
  type ReportRow,
  type Visit,
  type reportInput,
} from '../../../../src-shared/contracts/home-services/visits';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import type { Column } from '../../../reporting/columns';
import { writeCsv } from '../../../reporting/csv';
import { sheet, writeXlsx } from '../../../reporting/excel';
import { exportJob } from '../../../reporting/export-job';
import { PERIOD_LABEL, checkRange, foldReport } from '../report-helpers';
import { iterateVisits } from './queries';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Visits by their local date: completed, verified / warning / exception (of those that took
 * place), missed, corrected by a supervisor, first-time-right (completed without a follow-up
 * needed) and minutes on site.
 */
export const VISITS_EXPORT_JOB = 'homeServices.visits.export';

export type VisitsReportInput = z.output<typeof reportInput>;

const DIMENSION: Record<Exclude<ReportGroup, 'period'>, { key: string; label: string }> = {
  technician: { key: "coalesce(v.technician_id, '')", label: "coalesce(t.name, 'No technician')" },
  service: { key: 'v.service_id', label: "s.sku || ' ' || s.name" },
};

type Figures = Omit<ReportRow, 'key' | 'label'>;

const empty = (key: string, label: string): ReportRow => ({
  key,
  label,
  visits: 0,
  completed: 0,
  verified: 0,
  warnings: 0,
  exceptions: 0,
  missed: 0,
  corrected: 0,
  firstTimeRight: 0,
  minutesOnSite: 0,
});

function add(into: ReportRow, f: Figures): void {
  into.visits += f.visits;
  into.completed += f.completed;
  into.verified += f.verified;
  into.warnings += f.warnings;
  into.exceptions += f.exceptions;
  into.missed += f.missed;
  into.corrected += f.corrected;
  into.firstTimeRight += f.firstTimeRight;
  into.minutesOnSite += f.minutesOnSite;
}

export function buildVisitsReport(db: SqliteDb, branch: BranchInfo, input: VisitsReportInput) {
  checkRange(input);
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  const figures = sqlAll<{ day: string; k: string; l: string } & Figures>(
    db,
    `SELECT v.local_date AS day, ${dim.key} AS k, ${dim.label} AS l, count(*) AS visits,
       sum(v.status = 'completed') AS completed,
       sum(v.status <> 'missed' AND v.verification = 'verified') AS verified,
       sum(v.status <> 'missed' AND v.verification = 'warning') AS warnings,
       sum(v.status <> 'missed' AND v.verification = 'exception') AS exceptions,
       sum(v.status = 'missed') AS missed,
       sum(v.corrected = 1) AS corrected,
       sum(v.status = 'completed' AND v.outcome = 'completed') AS firstTimeRight,
       coalesce(sum(CASE WHEN v.check_out_at IS NOT NULL THEN round((julianday(v.check_out_at) - julianday(v.check_in_at)) * 1440) END), 0) AS minutesOnSite
     FROM hs_visits v JOIN hs_services s ON s.id = v.service_id LEFT JOIN hs_technicians t ON t.id = v.technician_id
     WHERE v.local_date BETWEEN ? AND ? AND (? IS NULL OR v.technician_id = ?) AND (? IS NULL OR v.service_id = ?)
     GROUP BY day, k`,
    input.from,
    input.to,
    input.technicianId ?? null,
    input.technicianId ?? null,
    input.serviceId ?? null,
    input.serviceId ?? null,
  ).map((r) => ({ day: r.day, key: r.k, label: r.l, figures: { ...r, minutesOnSite: Math.round(r.minutesOnSite) } }));
  return foldReport(figures, { ...input, branch, empty, add });
}

/* ---------------- export ---------------- */

const GROUP_LABEL: Record<ReportGroup, string> = { period: 'Period', technician: 'Technician', service: 'Service' };

const summaryColumns = (group: ReportGroup): Column<ReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 30 },
  { header: 'Visits', value: (r) => r.visits, kind: 'integer' },
  { header: 'Completed', value: (r) => r.completed, kind: 'integer' },
  { header: 'Verified', value: (r) => r.verified, kind: 'integer' },
  { header: 'Warnings', value: (r) => r.warnings, kind: 'integer' },
  { header: 'Exceptions', value: (r) => r.exceptions, kind: 'integer' },
  { header: 'Missed', value: (r) => r.missed, kind: 'integer' },
  { header: 'Corrected', value: (r) => r.corrected, kind: 'integer' },
  { header: 'First-time-right', value: (r) => r.firstTimeRight, kind: 'integer' },
  { header: 'Hours on site', value: (r) => r.minutesOnSite / 60, kind: 'decimal' },
];

/** The detail sheet carries the six EVV elements of every visit. */
const detailColumns = (timeZone: string): Column<Visit>[] => {
  const local = (value: string | null | undefined) => (value ? dayjs(value).tz(timeZone).format('YYYY-MM-DD HH:mm') : null);
  return [
    { header: 'Booking', value: (v) => v.appointmentNumber, width: 12 },
    { header: 'Date', value: (v) => v.localDate, kind: 'date', width: 12 },
    { header: 'Service type', value: (v) => v.evv.serviceType, width: 28 },
    { header: 'Recipient', value: (v) => v.evv.recipient, width: 24 },
    { header: 'Provider', value: (v) => v.evv.provider, width: 20 },
    { header: 'Location', value: (v) => v.evv.location, width: 22 },
    { header: 'Start', value: (v) => local(v.checkIn?.at), width: 17 },
    { header: 'End', value: (v) => local(v.checkOut?.at), width: 17 },
    { header: 'Status', value: (v) => VISIT_STATUS_LABELS[v.status] },
    { header: 'Verification', value: (v) => GEOFENCE_LABELS[v.verification] },
    { header: 'Check-in distance (m)', value: (v) => v.checkIn?.distanceM, kind: 'integer' },
    { header: 'Check-out distance (m)', value: (v) => v.checkOut?.distanceM, kind: 'integer' },
    { header: 'Outcome', value: (v) => v.outcome },
    { header: 'Signed by', value: (v) => v.signedBy, width: 20 },
    { header: 'Photos', value: (v) => v.photoRefs.join(', '), width: 24 },
    { header: 'Missing EVV', value: (v) => v.evv.missing.join(', '), width: 24 },
    { header: 'Corrected', value: (v) => (v.corrected ? 'yes' : '') },
  ];
};

export async function runVisitsExport(job: JobContext, raw: unknown) {
  const input = exportReport.input.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const report = buildVisitsReport(db, branch, input);
  const detail = () => iterateVisits(db, { from: input.from, to: input.to, technicianId: input.technicianId, serviceId: input.serviceId }, branch.timeZone);
  const total = report.totals.visits;
  const title = `Visits ${input.from} to ${input.to}`;
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
      if (input.technicianId) filters.push(['Technician', sqlGet<{ name: string }>(db, 'SELECT name FROM hs_technicians WHERE id = ?', input.technicianId)?.name ?? input.technicianId]);
      if (input.serviceId) filters.push(['Service', sqlGet<{ sku: string }>(db, 'SELECT sku FROM hs_services WHERE id = ?', input.serviceId)?.sku ?? input.serviceId]);
      await writeXlsx(
        filePath,
        { title: `${title} — ${branch.name}`, filters, printedBy: job.principal.displayName, printedAt: new Date(), timeZone: branch.timeZone },
        [
          sheet({ name: 'Summary', columns: summaryColumns(input.groupBy), rows: report.rows, totals: report.totals }),
          sheet({ name: 'Visits', columns: detailColumns(branch.timeZone), rows: detail() }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
