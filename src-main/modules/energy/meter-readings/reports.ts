import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import {
  readingsExport,
  type Reading,
  type ReportRow,
  type reportInput,
  REPORT_GROUPS,
} from '../../../../src-shared/contracts/energy/meter-readings';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import { bucketOfDate, bucketsBetween } from '../../../reporting/periods';
import type { Column } from '../../../reporting/columns';
import { sheet, writeXlsx, type TitleBlock } from '../../../reporting/excel';
import { writeCsv } from '../../../reporting/csv';
import { exportJob } from '../../../reporting/export-job';
import { iterateReadings, roundTotal, type ReadingFilters } from './queries';
import { daysBetween } from './rules';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Daily / weekly / monthly reading figures. What counts: regular and removal reads, whatever their
 * review state, except reads sent back for re-reading (void) and install reads (a meter going up
 * is not a reading round). Read dates are already the branch's local dates; weeks start on the
 * branch's week-start day.
 */
export const EXPORT_JOB = 'energy.meterReadings.export';

export type ReportInput = z.output<typeof reportInput>;
type Group = (typeof REPORT_GROUPS)[number];

/** Longest range per period: enough for any real report, and a bound on the rows one call builds. */
const MAX_DAYS: Record<ReportInput['period'], number> = { day: 732, week: 366 * 10, month: 366 * 30 };

export function checkRange(input: { from: string; to: string; period: ReportInput['period'] }): void {
  const refuse = (message: string) => {
    throw new AppError('VALIDATION', `to: ${message}`, { issues: [{ path: 'to', message }] });
  };
  if (input.from > input.to) refuse('The end date is before the start date');
  if (daysBetween(input.from, input.to) > MAX_DAYS[input.period]) {
    refuse(`A ${input.period === 'day' ? 'daily' : input.period === 'week' ? 'weekly' : 'monthly'} report covers at most ${Math.floor(MAX_DAYS[input.period] / 366)} years`);
  }
}

/** The SQL key and label of each drilldown dimension (fixed strings: each is one cached statement). */
const DIMENSION: Record<Exclude<Group, 'period'>, { key: string; label: string }> = {
  route: { key: "coalesce(r.route_id, '')", label: "coalesce(ro.code || ' ' || ro.name, 'No route')" },
  reader: { key: 'r.reader_id', label: 'u.display_name' },
  category: { key: 'a.category', label: 'a.category' },
  readType: { key: 'r.read_type', label: 'r.read_type' },
};

const READ_TYPE_LABEL: Record<string, string> = { actual: 'Actual', customer: 'Customer', estimated: 'Estimated' };

interface DayFigures {
  day: string;
  k: string;
  l: string;
  readings: number;
  actual: number;
  estimated: number;
  skipped: number;
  exceptions: number;
  consumption: number;
}

function dailyFigures(db: SqliteDb, input: ReportInput): DayFigures[] {
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  return sqlAll<DayFigures>(
    db,
    `SELECT r.read_date AS day, ${dim.key} AS k, ${dim.label} AS l, count(*) AS readings,
       sum(r.read_type <> 'estimated') AS actual, sum(r.read_type = 'estimated') AS estimated,
       sum(r.skip_code IS NOT NULL) AS skipped, sum(r.status = 'exception') AS exceptions, sum(r.consumption) AS consumption
     FROM meter_readings r
       JOIN accounts a ON a.id = r.account_id
       LEFT JOIN routes ro ON ro.id = r.route_id
       JOIN users u ON u.id = r.reader_id
     WHERE r.read_date BETWEEN ? AND ? AND r.status <> 'reread' AND r.purpose <> 'install'
       AND (? IS NULL OR r.route_id = ?) AND (? IS NULL OR r.reader_id = ?) AND (? IS NULL OR a.category = ?)
     GROUP BY day, k`,
    input.from,
    input.to,
    input.routeId ?? null,
    input.routeId ?? null,
    input.readerId ?? null,
    input.readerId ?? null,
    input.category ?? null,
    input.category ?? null,
  );
}

const emptyRow = (key: string, label: string): ReportRow => ({
  key,
  label,
  readings: 0,
  actual: 0,
  estimated: 0,
  skipped: 0,
  exceptions: 0,
  consumption: 0,
});

function add(into: ReportRow, f: Omit<ReportRow, 'key' | 'label'>): void {
  into.readings += f.readings;
  into.actual += f.actual;
  into.estimated += f.estimated;
  into.skipped += f.skipped;
  into.exceptions += f.exceptions;
  into.consumption += f.consumption;
}

export function buildReport(db: SqliteDb, branch: BranchInfo, input: ReportInput): { rows: ReportRow[]; totals: ReportRow } {
  checkRange(input);
  const figures = dailyFigures(db, input);
  let rows: ReportRow[];
  if (input.groupBy === 'period') {
    const buckets = bucketsBetween(input.from, input.to, input.period, branch.weekStart);
    const byKey = new Map(buckets.map((b) => [b.key, emptyRow(b.key, b.label)]));
    for (const f of figures) add(byKey.get(bucketOfDate(f.day, input.period, branch.weekStart).key)!, f);
    rows = [...byKey.values()];
  } else {
    const byKey = new Map<string, ReportRow>();
    for (const f of figures) {
      let row = byKey.get(f.k);
      if (!row) {
        row = emptyRow(f.k, input.groupBy === 'readType' ? (READ_TYPE_LABEL[f.l] ?? f.l) : f.l);
        byKey.set(f.k, row);
      }
      add(row, f);
    }
    rows = [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
  }
  for (const row of rows) row.consumption = roundTotal(row.consumption);
  // Totals are the sum of the rows as shown, so a printed report always adds up.
  const totals = emptyRow('total', 'Total');
  for (const row of rows) add(totals, row);
  totals.consumption = roundTotal(totals.consumption);
  return { rows, totals };
}

/* ---------------- export ---------------- */

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const GROUP_LABEL: Record<Group, string> = { period: 'Period', route: 'Route', reader: 'Reader', category: 'Category', readType: 'Read type' };

const summaryColumns = (group: Group): Column<ReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 28 },
  { header: 'Readings', value: (r) => r.readings, kind: 'integer' },
  { header: 'Actual', value: (r) => r.actual, kind: 'integer' },
  { header: 'Estimated', value: (r) => r.estimated, kind: 'integer' },
  { header: 'Skipped', value: (r) => r.skipped, kind: 'integer' },
  { header: 'Exceptions', value: (r) => r.exceptions, kind: 'integer' },
  { header: 'Consumption', value: (r) => r.consumption, kind: 'decimal', width: 16 },
];

const detailColumns = (timeZone: string): Column<Reading>[] => [
  { header: 'Read date', value: (r) => r.readDate, kind: 'date', width: 12 },
  { header: 'Route', value: (r) => r.routeCode },
  { header: 'Account', value: (r) => r.accountNo, width: 14 },
  { header: 'Account name', value: (r) => r.accountName, width: 28 },
  { header: 'Meter', value: (r) => r.meterSerial, width: 14 },
  { header: 'Purpose', value: (r) => r.purpose },
  { header: 'Read type', value: (r) => r.readType },
  { header: 'Value', value: (r) => r.value, kind: 'integer' },
  { header: 'Original value', value: (r) => r.originalValue, kind: 'integer' },
  { header: 'Previous value', value: (r) => r.previousValue, kind: 'integer' },
  { header: 'Previous read date', value: (r) => r.previousReadDate, kind: 'date', width: 12 },
  { header: 'Consumption', value: (r) => r.consumption, kind: 'decimal', width: 14 },
  { header: 'Status', value: (r) => r.status },
  { header: 'Resolution', value: (r) => r.resolution },
  { header: 'Exceptions', value: (r) => r.exceptions.map((e) => e.code).join(', '), width: 30 },
  { header: 'Skip code', value: (r) => r.skipCode },
  { header: 'Remark', value: (r) => r.remark, width: 30 },
  { header: 'Reader', value: (r) => r.readerName, width: 20 },
  { header: 'Source', value: (r) => r.source },
  { header: 'Entered at', value: (r) => dayjs(r.createdAt).tz(timeZone).format('YYYY-MM-DD HH:mm'), width: 17 },
];

const exportInput = readingsExport.input;

function describeFilters(db: SqliteDb, input: z.output<typeof exportInput>): [string, string][] {
  const filters: [string, string][] = [
    ['Report', `${PERIOD_LABEL[input.period]} by ${GROUP_LABEL[input.groupBy].toLowerCase()}`],
    ['From', input.from],
    ['To', input.to],
  ];
  if (input.routeId) {
    const route = sqlGet<{ code: string; name: string }>(db, 'SELECT code, name FROM routes WHERE id = ?', input.routeId);
    filters.push(['Route', route ? `${route.code} ${route.name}` : input.routeId]);
  }
  if (input.readerId) {
    const reader = sqlGet<{ display_name: string }>(db, 'SELECT display_name FROM users WHERE id = ?', input.readerId);
    filters.push(['Reader', reader?.display_name ?? input.readerId]);
  }
  if (input.category) filters.push(['Category', input.category]);
  return filters;
}

/**
 * The export job: XLSX gets the report as its summary sheet and the readings it counts as the
 * detail sheet; CSV, being one table, carries the detail readings.
 */
export async function runExport(job: JobContext, raw: unknown) {
  const input = exportInput.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const report = buildReport(db, branch, input);
  const detailFilters: ReadingFilters = {
    routeId: input.routeId,
    readerId: input.readerId,
    category: input.category,
    from: input.from,
    to: input.to,
    counted: true,
  };
  const title = `Meter readings ${input.from} to ${input.to}`;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      const detail = iterateReadings(db, detailFilters);
      const total = report.totals.readings;
      if (input.format === 'csv') {
        await writeCsv(filePath, detailColumns(branch.timeZone), detail, { onRows: (n) => tick(n, total) });
        return;
      }
      const block: TitleBlock = {
        title: `${title} — ${branch.name}`,
        filters: describeFilters(db, input),
        printedBy: job.principal.displayName,
        printedAt: new Date(),
        timeZone: branch.timeZone,
      };
      await writeXlsx(
        filePath,
        block,
        [
          sheet({ name: 'Summary', columns: summaryColumns(input.groupBy), rows: report.rows, totals: report.totals }),
          sheet({ name: 'Readings', columns: detailColumns(branch.timeZone), rows: detail }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
