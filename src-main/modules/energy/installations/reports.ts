import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import {
  ORDER_TYPES,
  PRIORITY_LABELS,
  REPORT_GROUPS,
  STAGE_LABELS,
  SURVEY_RESULTS,
  ordersExport,
  type InstallationsReportRow,
  type ServiceOrder,
  type Stage,
  type reportInput,
} from '../../../../src-shared/contracts/energy/installations';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { JobContext } from '../../../core/jobs/types';
import type { BranchInfo } from '../../../core/rpc/context';
import type { Column } from '../../../reporting/columns';
import { writeCsv } from '../../../reporting/csv';
import { sheet, writeXlsx, type TitleBlock } from '../../../reporting/excel';
import { exportJob } from '../../../reporting/export-job';
import { bucketOfDate, bucketsBetween, instantRange, localDateOf } from '../../../reporting/periods';
import { durationsOf, iterateOrders, orderTimeline, type Clock } from './queries';
import { atRiskFraction } from './settings';
import type { ServiceOrdersTable } from './tables';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Daily / weekly / monthly installation figures in the branch's time zone. Each figure is counted
 * on its own date: an order is "opened" on the day it was received, "commissioned" (and met or
 * breached its deadline) on the day it was commissioned, "cancelled" on the day it was cancelled.
 * Grouped by type, priority or current stage instead, the same counts fall into those rows.
 */
export const EXPORT_JOB = 'energy.installations.export';

export type ReportInput = z.output<typeof reportInput>;
type Group = (typeof REPORT_GROUPS)[number];

const HOUR_MS = 3_600_000;

export function checkRange(input: { from: string; to: string }): void {
  if (input.from > input.to) {
    throw new AppError('VALIDATION', 'to: The end date is before the start date', {
      issues: [{ path: 'to', message: 'The end date is before the start date' }],
    });
  }
}

type ReportOrder = Pick<
  ServiceOrdersTable,
  'id' | 'type' | 'priority' | 'stage' | 'received_at' | 'commissioned_at' | 'cancelled_at' | 'paused_ms' | 'sla_met'
>;

interface Accumulator extends InstallationsReportRow {
  commissionHours: number;
}

const emptyRow = (key: string, label: string): Accumulator => ({
  key,
  label,
  opened: 0,
  commissioned: 0,
  cancelled: 0,
  slaMet: 0,
  slaBreached: 0,
  avgHoursToCommission: null,
  commissionHours: 0,
});

const round2 = (n: number): number => Math.round(n * 100) / 100;

const finish = ({ commissionHours, ...row }: Accumulator): InstallationsReportRow => ({
  ...row,
  avgHoursToCommission: row.commissioned > 0 ? round2(commissionHours / row.commissioned) : null,
});

function dimension(order: ReportOrder, group: Exclude<Group, 'period'>): { key: string; label: string } {
  switch (group) {
    case 'type':
      return { key: order.type, label: ORDER_TYPES[order.type] };
    case 'priority':
      return { key: order.priority, label: PRIORITY_LABELS[order.priority] };
    case 'stage':
      return { key: order.stage, label: STAGE_LABELS[order.stage] };
  }
}

const GROUP_ORDER: Record<Exclude<Group, 'period'>, readonly string[]> = {
  type: Object.keys(ORDER_TYPES),
  priority: ['urgent', 'high', 'normal', 'low'],
  stage: Object.keys(STAGE_LABELS),
};

export function buildReport(db: SqliteDb, branch: BranchInfo, input: ReportInput, clock: Clock) {
  checkRange(input);
  const { fromInstant, toInstant } = instantRange(input.from, input.to, branch.timeZone);
  const orders = sqlAll<ReportOrder>(
    db,
    `SELECT id, type, priority, stage, received_at, commissioned_at, cancelled_at, paused_ms, sla_met FROM service_orders
     WHERE ((received_at >= @from AND received_at < @to) OR (commissioned_at >= @from AND commissioned_at < @to)
        OR (cancelled_at >= @from AND cancelled_at < @to))
       AND (@type IS NULL OR type = @type) AND (@priority IS NULL OR priority = @priority)`,
    { from: fromInstant, to: toInstant, type: input.type ?? null, priority: input.priority ?? null },
  );
  const inRange = (instant: string | null) => instant !== null && instant >= fromInstant && instant < toInstant;
  const bucketKey = (instant: string) => bucketOfDate(localDateOf(instant, branch.timeZone), input.period, branch.weekStart).key;

  const rows = new Map<string, Accumulator>();
  if (input.groupBy === 'period') {
    for (const b of bucketsBetween(input.from, input.to, input.period, branch.weekStart)) rows.set(b.key, emptyRow(b.key, b.label));
  }
  const rowFor = (order: ReportOrder, instant: string): Accumulator => {
    if (input.groupBy === 'period') return rows.get(bucketKey(instant))!;
    const { key, label } = dimension(order, input.groupBy);
    let row = rows.get(key);
    if (!row) {
      row = emptyRow(key, label);
      rows.set(key, row);
    }
    return row;
  };

  const commissionedIds: string[] = [];
  for (const o of orders) {
    if (inRange(o.received_at)) rowFor(o, o.received_at).opened += 1;
    if (inRange(o.cancelled_at)) rowFor(o, o.cancelled_at!).cancelled += 1;
    if (inRange(o.commissioned_at)) {
      const row = rowFor(o, o.commissioned_at!);
      row.commissioned += 1;
      if (o.sla_met === 1) row.slaMet += 1;
      else row.slaBreached += 1;
      row.commissionHours += (Date.parse(o.commissioned_at!) - Date.parse(o.received_at) - o.paused_ms) / HOUR_MS;
      commissionedIds.push(o.id);
    }
  }

  const ordered =
    input.groupBy === 'period'
      ? [...rows.values()]
      : [...rows.values()].sort((a, b) => GROUP_ORDER[input.groupBy as Exclude<Group, 'period'>].indexOf(a.key) - GROUP_ORDER[input.groupBy as Exclude<Group, 'period'>].indexOf(b.key));
  const finished = ordered.map(finish);
  // Totals are the sum of the rows as shown, so a printed report always adds up.
  const totals = emptyRow('total', 'Total');
  for (const row of ordered) {
    totals.opened += row.opened;
    totals.commissioned += row.commissioned;
    totals.cancelled += row.cancelled;
    totals.slaMet += row.slaMet;
    totals.slaBreached += row.slaBreached;
    totals.commissionHours += row.commissionHours;
  }

  return {
    rows: finished,
    totals: finish(totals),
    stageDurations: averageStageDurations(db, commissionedIds, clock),
    openByStage: openByStage(db, input),
  };
}

/** Mean working hours per stage over the orders commissioned in the range (time on hold left out). */
function averageStageDurations(db: SqliteDb, orderIds: readonly string[], clock: Clock) {
  const sums = new Map<Stage, { hours: number; orders: number }>();
  for (const id of orderIds) {
    const received = sqlGet<{ received_at: string }>(db, 'SELECT received_at FROM service_orders WHERE id = ?', id)!.received_at;
    for (const d of durationsOf(orderTimeline(db, id), received, clock.now)) {
      if (d.stage === 'commissioned') continue;
      const sum = sums.get(d.stage) ?? { hours: 0, orders: 0 };
      sum.hours += d.hours;
      sum.orders += 1;
      sums.set(d.stage, sum);
    }
  }
  const order: Stage[] = ['requested', 'surveyed', 'approved', 'scheduled', 'installed'];
  return order.filter((s) => sums.has(s)).map((stage) => ({ stage, orders: sums.get(stage)!.orders, avgHours: round2(sums.get(stage)!.hours / sums.get(stage)!.orders) }));
}

function openByStage(db: SqliteDb, input: ReportInput) {
  const rows = sqlAll<{ stage: Stage; count: number }>(
    db,
    `SELECT stage, count(*) AS count FROM service_orders
     WHERE stage IN ('requested','surveyed','approved','scheduled','installed')
       AND (@type IS NULL OR type = @type) AND (@priority IS NULL OR priority = @priority)
     GROUP BY stage`,
    { type: input.type ?? null, priority: input.priority ?? null },
  );
  const order: Stage[] = ['requested', 'surveyed', 'approved', 'scheduled', 'installed'];
  return order.map((stage) => ({ stage, count: rows.find((r) => r.stage === stage)?.count ?? 0 }));
}

/* ---------------- export ---------------- */

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const GROUP_LABEL: Record<Group, string> = { period: 'Period', type: 'Order type', priority: 'Priority', stage: 'Current stage' };

const summaryColumns = (group: Group): Column<InstallationsReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 26 },
  { header: 'Opened', value: (r) => r.opened, kind: 'integer' },
  { header: 'Commissioned', value: (r) => r.commissioned, kind: 'integer', width: 14 },
  { header: 'Cancelled', value: (r) => r.cancelled, kind: 'integer' },
  { header: 'Deadline met', value: (r) => r.slaMet, kind: 'integer', width: 14 },
  { header: 'Deadline breached', value: (r) => r.slaBreached, kind: 'integer', width: 18 },
  { header: 'Avg hours to commission', value: (r) => r.avgHoursToCommission, kind: 'decimal', width: 22 },
];

const at = (timeZone: string) => (instant: string | null) => (instant ? dayjs(instant).tz(timeZone).format('YYYY-MM-DD HH:mm') : null);

const detailColumns = (timeZone: string): Column<ServiceOrder>[] => {
  const local = at(timeZone);
  return [
    { header: 'Order', value: (o) => o.orderNo, width: 12 },
    { header: 'Type', value: (o) => ORDER_TYPES[o.type], width: 16 },
    { header: 'Priority', value: (o) => PRIORITY_LABELS[o.priority] },
    { header: 'Stage', value: (o) => STAGE_LABELS[o.stage], width: 14 },
    { header: 'Customer', value: (o) => o.customerName, width: 26 },
    { header: 'Address', value: (o) => o.address, width: 30 },
    { header: 'Account', value: (o) => o.accountNo, width: 14 },
    { header: 'Received', value: (o) => local(o.receivedAt), width: 17 },
    { header: 'Deadline', value: (o) => o.sla.state, width: 12 },
    { header: 'Allowance (h)', value: (o) => o.sla.hours, kind: 'integer' },
    { header: 'Hours on hold', value: (o) => o.sla.pausedHours, kind: 'decimal' },
    { header: 'Survey', value: (o) => (o.surveyResult ? SURVEY_RESULTS[o.surveyResult] : null), width: 24 },
    { header: 'Approved by', value: (o) => o.approvedByName, width: 18 },
    { header: 'Crew', value: (o) => o.crew, width: 18 },
    { header: 'Scheduled', value: (o) => o.scheduledDate, kind: 'date', width: 12 },
    { header: 'Installed', value: (o) => o.installedOn, kind: 'date', width: 12 },
    { header: 'Meter', value: (o) => o.meterSerial, width: 14 },
    { header: 'Commissioned', value: (o) => o.commissionedOn, kind: 'date', width: 13 },
    { header: 'Initial read', value: (o) => o.initialRead, kind: 'integer' },
    { header: 'Cancelled', value: (o) => local(o.cancelledAt), width: 17 },
    { header: 'Cancel reason', value: (o) => o.cancelReason, width: 30 },
  ];
};

const exportInput = ordersExport.input;

export async function runExport(job: JobContext, raw: unknown) {
  const input = exportInput.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const clock: Clock = { now: job.kernel.clock(), atRiskFraction: job.kernel.settings.get(atRiskFraction) };
  const report = buildReport(db, branch, input, clock);
  const range = instantRange(input.from, input.to, branch.timeZone);
  const title = `Service orders ${input.from} to ${input.to}`;
  const filters: [string, string][] = [
    ['Report', `${PERIOD_LABEL[input.period]} by ${GROUP_LABEL[input.groupBy].toLowerCase()}`],
    ['From', input.from],
    ['To', input.to],
  ];
  if (input.type) filters.push(['Type', ORDER_TYPES[input.type]]);
  if (input.priority) filters.push(['Priority', PRIORITY_LABELS[input.priority]]);
  const detailFilter = { type: input.type, priority: input.priority };
  const total = report.totals.opened;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      const detail = iterateOrders(db, detailFilter, range, clock);
      if (input.format === 'csv') {
        await writeCsv(filePath, detailColumns(branch.timeZone), detail, { onRows: (n) => tick(n, total) });
        return;
      }
      const block: TitleBlock = { title: `${title} — ${branch.name}`, filters, printedBy: job.principal.displayName, printedAt: new Date(), timeZone: branch.timeZone };
      await writeXlsx(
        filePath,
        block,
        [
          sheet({ name: 'Summary', columns: summaryColumns(input.groupBy), rows: report.rows, totals: report.totals }),
          sheet({
            name: 'Stage durations',
            columns: [
              { header: 'Stage', value: (r: (typeof report.stageDurations)[number]) => STAGE_LABELS[r.stage], width: 16 },
              { header: 'Orders', value: (r: (typeof report.stageDurations)[number]) => r.orders, kind: 'integer' },
              { header: 'Average hours', value: (r: (typeof report.stageDurations)[number]) => r.avgHours, kind: 'decimal', width: 16 },
            ],
            rows: report.stageDurations,
          }),
          sheet({ name: 'Orders', columns: detailColumns(branch.timeZone), rows: detail }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
