import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import { PRIORITY_LABELS } from '../../../../src-shared/contracts/home-services/common';
import { JOB_STATE_LABELS, exportReport, type Job, type ReportRow, type reportInput, type ReportGroup } from '../../../../src-shared/contracts/home-services/dispatch';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import type { Settings } from '../../../core/settings/settings';
import type { Column } from '../../../reporting/columns';
import { writeCsv } from '../../../reporting/csv';
import { sheet, writeXlsx } from '../../../reporting/excel';
import { exportJob } from '../../../reporting/export-job';
import { technicianFacts } from '../master-data/queries';
import { PERIOD_LABEL, checkRange, foldReport, type DayFigure } from '../report-helpers';
import { openTimeOn } from '../scheduling/rules';
import { MINUTE, addDays, datesBetween, iso, lengthOf, subtract, wallClockInstant } from '../time';
import { iterateJobs } from './queries';
import { dispatchSettings } from './settings';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Dispatch figures per local date of the job's start: jobs (cancelled ones left out), completed,
 * SLA met / breached (on site by the deadline or not; an open job past its deadline is breached), reassignments, booked hours of
 * assigned jobs, and utilisation = booked minutes / available minutes (working time after breaks
 * and time off) by period or technician.
 */
export const DISPATCH_EXPORT_JOB = 'homeServices.dispatch.export';
export { checkRange };

export type DispatchReportInput = z.output<typeof reportInput>;

const DIMENSION: Record<Exclude<ReportGroup, 'period'>, { key: string; label: string }> = {
  technician: { key: "coalesce(j.technician_id, '')", label: "coalesce(t.name, 'Unassigned')" },
  priority: { key: 'j.priority', label: 'j.priority' },
  zone: { key: "coalesce(c.zone_id, '')", label: "coalesce(z.code || ' ' || z.name, 'No zone')" },
};

interface Figures {
  jobs: number;
  completed: number;
  slaMet: number;
  slaBreached: number;
  reassignments: number;
  bookedMinutes: number;
  availableMinutes: number | null;
}

const empty = (key: string, label: string): ReportRow => ({
  key,
  label,
  jobs: 0,
  completed: 0,
  slaMet: 0,
  slaBreached: 0,
  reassignments: 0,
  bookedMinutes: 0,
  availableMinutes: null,
  utilisation: null,
});

function add(into: ReportRow, f: Figures | ReportRow): void {
  into.jobs += f.jobs;
  into.completed += f.completed;
  into.slaMet += f.slaMet;
  into.slaBreached += f.slaBreached;
  into.reassignments += f.reassignments;
  into.bookedMinutes += f.bookedMinutes;
  if (f.availableMinutes !== null) into.availableMinutes = (into.availableMinutes ?? 0) + f.availableMinutes;
}

const finish = (row: ReportRow) => {
  row.utilisation = row.availableMinutes ? Math.round((row.bookedMinutes / row.availableMinutes) * 1000) / 1000 : null;
};

function jobFigures(db: SqliteDb, input: DispatchReportInput, now: Date): DayFigure<Figures>[] {
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  return sqlAll<{ day: string; k: string; l: string } & Omit<Figures, 'availableMinutes'>>(
    db,
    `SELECT a.local_date AS day, ${dim.key} AS k, ${dim.label} AS l, count(*) AS jobs,
       sum(j.state = 'completed') AS completed,
       sum(j.on_site_at IS NOT NULL AND j.on_site_at <= j.sla_due_at) AS slaMet,
       sum((j.on_site_at IS NOT NULL AND j.on_site_at > j.sla_due_at) OR (j.on_site_at IS NULL AND ? > j.sla_due_at)) AS slaBreached,
       sum(j.reassign_count) AS reassignments,
       sum(CASE WHEN j.technician_id IS NOT NULL THEN a.duration_minutes ELSE 0 END) AS bookedMinutes
     FROM hs_jobs j JOIN hs_appointments a ON a.id = j.appointment_id JOIN hs_customers c ON c.id = a.customer_id
       LEFT JOIN hs_zones z ON z.id = c.zone_id LEFT JOIN hs_technicians t ON t.id = j.technician_id
     WHERE a.local_date BETWEEN ? AND ? AND j.state <> 'cancelled'
       AND (? IS NULL OR j.technician_id = ?) AND (? IS NULL OR j.priority = ?)
     GROUP BY day, k`,
    now.toISOString(),
    input.from,
    input.to,
    input.technicianId ?? null,
    input.technicianId ?? null,
    input.priority ?? null,
    input.priority ?? null,
  ).map((r) => ({
    day: r.day,
    key: r.k,
    label: input.groupBy === 'priority' ? (PRIORITY_LABELS[r.l as keyof typeof PRIORITY_LABELS] ?? r.l) : r.l,
    figures: { ...r, availableMinutes: null },
  }));
}

/** Available minutes per technician and local date: the denominator of utilisation. */
function availabilityFigures(db: SqliteDb, branch: BranchInfo, input: DispatchReportInput): DayFigure<Figures>[] {
  const from = iso(wallClockInstant(input.from, 0, branch.timeZone));
  const to = iso(wallClockInstant(addDays(input.to, 1), 0, branch.timeZone));
  const out: DayFigure<Figures>[] = [];
  for (const tech of technicianFacts(db, from, to, input.technicianId)) {
    for (const day of datesBetween(input.from, input.to)) {
      const minutes = Math.round(lengthOf(subtract(openTimeOn(tech, day, branch.timeZone), tech.timeOff)) / MINUTE);
      if (minutes === 0) continue;
      out.push({
        day,
        key: tech.id,
        label: tech.name,
        figures: { jobs: 0, completed: 0, slaMet: 0, slaBreached: 0, reassignments: 0, bookedMinutes: 0, availableMinutes: minutes },
      });
    }
  }
  return out;
}

export function buildDispatchReport(db: SqliteDb, branch: BranchInfo, _settings: Settings, now: Date, input: DispatchReportInput) {
  checkRange(input);
  const figures = jobFigures(db, input, now);
  // Utilisation means something per period and per technician; by priority or zone there is no denominator.
  if ((input.groupBy === 'period' || input.groupBy === 'technician') && !input.priority) figures.push(...availabilityFigures(db, branch, input));
  return foldReport(figures, { ...input, branch, empty, add, finish });
}

/* ---------------- export ---------------- */

const GROUP_LABEL: Record<ReportGroup, string> = { period: 'Period', technician: 'Technician', priority: 'Priority', zone: 'Zone' };

const summaryColumns = (group: ReportGroup): Column<ReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 28 },
  { header: 'Jobs', value: (r) => r.jobs, kind: 'integer' },
  { header: 'Completed', value: (r) => r.completed, kind: 'integer' },
  { header: 'SLA met', value: (r) => r.slaMet, kind: 'integer' },
  { header: 'SLA breached', value: (r) => r.slaBreached, kind: 'integer' },
  { header: 'Reassignments', value: (r) => r.reassignments, kind: 'integer' },
  { header: 'Booked hours', value: (r) => r.bookedMinutes / 60, kind: 'decimal' },
  { header: 'Available hours', value: (r) => (r.availableMinutes === null ? null : r.availableMinutes / 60), kind: 'decimal' },
  { header: 'Utilisation %', value: (r) => (r.utilisation === null ? null : Math.round(r.utilisation * 1000) / 10), kind: 'decimal' },
];

const detailColumns = (timeZone: string): Column<Job>[] => {
  const local = (value: string | null) => (value ? dayjs(value).tz(timeZone).format('YYYY-MM-DD HH:mm') : null);
  return [
    { header: 'Booking', value: (j) => j.appointmentNumber, width: 12 },
    { header: 'Date', value: (j) => j.localDate, kind: 'date', width: 12 },
    { header: 'Start', value: (j) => local(j.startsAt), width: 17 },
    { header: 'Customer', value: (j) => j.customerName, width: 26 },
    { header: 'Zone', value: (j) => j.zoneCode },
    { header: 'SKU', value: (j) => j.serviceSku, width: 14 },
    { header: 'Service', value: (j) => j.serviceName, width: 26 },
    { header: 'Technician', value: (j) => j.technicianName, width: 20 },
    { header: 'State', value: (j) => JOB_STATE_LABELS[j.state] },
    { header: 'Priority', value: (j) => PRIORITY_LABELS[j.priority] },
    { header: 'SLA due', value: (j) => local(j.slaDueAt), width: 17 },
    { header: 'SLA', value: (j) => j.slaStatus },
    { header: 'Assigned', value: (j) => local(j.assignedAt), width: 17 },
    { header: 'On site', value: (j) => local(j.onSiteAt), width: 17 },
    { header: 'Completed', value: (j) => local(j.completedAt), width: 17 },
    { header: 'Reassignments', value: (j) => j.reassignCount, kind: 'integer' },
  ];
};

export async function runDispatchExport(job: JobContext, raw: unknown) {
  const input = exportReport.input.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const now = job.kernel.clock();
  const report = buildDispatchReport(db, branch, job.kernel.settings, now, input);
  const { atRiskMinutes } = dispatchSettings(job.kernel.settings);
  const detail = () => iterateJobs(db, { from: input.from, to: input.to, technicianId: input.technicianId, priority: input.priority }, now, atRiskMinutes);
  const total = sqlGet<{ n: number }>(db, 'SELECT count(*) AS n FROM hs_appointments WHERE local_date BETWEEN ? AND ?', input.from, input.to)!.n;
  const title = `Dispatch ${input.from} to ${input.to}`;
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
      if (input.priority) filters.push(['Priority', PRIORITY_LABELS[input.priority]]);
      await writeXlsx(
        filePath,
        { title: `${title} — ${branch.name}`, filters, printedBy: job.principal.displayName, printedAt: new Date(), timeZone: branch.timeZone },
        [
          sheet({ name: 'Summary', columns: summaryColumns(input.groupBy), rows: report.rows, totals: report.totals }),
          sheet({ name: 'Jobs', columns: detailColumns(branch.timeZone), rows: detail() }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
