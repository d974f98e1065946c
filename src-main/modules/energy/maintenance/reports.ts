import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import type { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import {
  ASSET_CLASSES,
  REPORT_GROUPS,
  WORK_ORDER_STATUS_LABELS,
  maintenanceExport,
  type AssetClass,
  type MaintenanceReportRow,
  type WorkOrder,
  type reliabilityRowSchema,
  type reportInput,
} from '../../../../src-shared/contracts/energy/maintenance';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import type { JobContext } from '../../../core/jobs/types';
import type { BranchInfo } from '../../../core/rpc/context';
import type { Column } from '../../../reporting/columns';
import { writeCsv } from '../../../reporting/csv';
import { sheet, writeXlsx, type TitleBlock } from '../../../reporting/excel';
import { exportJob } from '../../../reporting/export-job';
import { bucketOfDate, bucketsBetween, instantRange, localDateOf } from '../../../reporting/periods';
import { iterateWorkOrders, reliabilityParts, stockValue } from './queries';
import { downtimeHours, pooledReliability, type ReliabilityParts } from './rules';

dayjs.extend(utc);
dayjs.extend(timezone);

/**
 * Daily / weekly / monthly maintenance figures in the branch's time zone. Each figure is counted
 * on its own date: a work order is "opened" the day it was raised and "closed" the day it was
 * closed; downtime (and its failures) on the day the stop began; labour on the day it was worked;
 * parts on the day they were issued. Backlog, overdue preventive work, reliability and stock value
 * are as of now.
 */
export const EXPORT_JOB = 'energy.maintenance.export';

export type ReportInput = z.output<typeof reportInput>;
type Group = (typeof REPORT_GROUPS)[number];
type ReliabilityRow = z.infer<typeof reliabilityRowSchema>;

export function checkRange(input: { from: string; to: string }): void {
  if (input.from > input.to) {
    throw new AppError('VALIDATION', 'to: The end date is before the start date', {
      issues: [{ path: 'to', message: 'The end date is before the start date' }],
    });
  }
}

const round2 = (n: number): number => Math.round(n * 100) / 100;

const emptyRow = (key: string, label: string): MaintenanceReportRow => ({
  key,
  label,
  opened: 0,
  openedCorrective: 0,
  openedPreventive: 0,
  closed: 0,
  downtimeHours: 0,
  failures: 0,
  partsUsedValue: 0,
  labourHours: 0,
});

/** One dated fact with what every grouping needs to place it. */
interface Fact {
  instantOrDate: string;
  isDate: boolean;
  type: 'corrective' | 'preventive';
  assetClass: AssetClass;
  siteId: string;
  siteLabel: string;
  apply(row: MaintenanceReportRow): void;
}

const WO_TYPE_LABEL = { corrective: 'Corrective', preventive: 'Preventive' } as const;

export function buildReport(db: SqliteDb, branch: BranchInfo, input: ReportInput, now: Date) {
  checkRange(input);
  const { fromInstant, toInstant } = instantRange(input.from, input.to, branch.timeZone);
  const scope = { siteId: input.siteId ?? null, assetClass: input.assetClass ?? null };
  const assetScope = `(@siteId IS NULL OR a.site_id = @siteId) AND (@assetClass IS NULL OR a.asset_class = @assetClass)`;
  const facts: Fact[] = [];
  type Base = { type: 'corrective' | 'preventive'; asset_class: AssetClass; site_id: string; site_label: string };
  const place = (b: Base) => ({ type: b.type, assetClass: b.asset_class, siteId: b.site_id, siteLabel: b.site_label });
  const joins = `JOIN assets a ON a.id = w.asset_id JOIN maintenance_sites s ON s.id = a.site_id`;
  const cols = `w.type, a.asset_class, a.site_id, s.code || ' ' || s.name AS site_label`;

  for (const w of sqlAll<Base & { created_at: string }>(db, `SELECT w.created_at, ${cols} FROM work_orders w ${joins} WHERE w.created_at >= @from AND w.created_at < @to AND ${assetScope}`, { from: fromInstant, to: toInstant, ...scope })) {
    facts.push({
      instantOrDate: w.created_at,
      isDate: false,
      ...place(w),
      apply: (r) => {
        r.opened += 1;
        if (w.type === 'corrective') r.openedCorrective += 1;
        else r.openedPreventive += 1;
      },
    });
  }
  for (const w of sqlAll<Base & { closed_at: string }>(db, `SELECT w.closed_at, ${cols} FROM work_orders w ${joins} WHERE w.closed_at >= @from AND w.closed_at < @to AND ${assetScope}`, { from: fromInstant, to: toInstant, ...scope })) {
    facts.push({ instantOrDate: w.closed_at, isDate: false, ...place(w), apply: (r) => (r.closed += 1) });
  }
  // A stop belongs to the type of the work order that repaired it; unlinked, a failure is corrective work and a planned stop preventive.
  for (const d of sqlAll<Base & { started_at: string; ended_at: string | null; failure: number }>(
    db,
    `SELECT d.started_at, d.ended_at, d.failure, coalesce(w.type, CASE WHEN d.failure = 1 THEN 'corrective' ELSE 'preventive' END) AS type,
       a.asset_class, a.site_id, s.code || ' ' || s.name AS site_label
     FROM asset_downtime d JOIN assets a ON a.id = d.asset_id JOIN maintenance_sites s ON s.id = a.site_id LEFT JOIN work_orders w ON w.id = d.work_order_id
     WHERE d.started_at >= @from AND d.started_at < @to AND ${assetScope}`,
    { from: fromInstant, to: toInstant, ...scope },
  )) {
    const hours = downtimeHours([{ startedAt: d.started_at, endedAt: d.ended_at }], now);
    facts.push({
      instantOrDate: d.started_at,
      isDate: false,
      ...place(d),
      apply: (r) => {
        r.downtimeHours += hours;
        r.failures += d.failure;
      },
    });
  }
  for (const m of sqlAll<Base & { at: string; value: number }>(
    db,
    `SELECT m.at, -m.value AS value, ${cols} FROM part_movements m JOIN work_orders w ON w.id = m.work_order_id ${joins}
     WHERE m.kind = 'issue' AND m.at >= @from AND m.at < @to AND ${assetScope}`,
    { from: fromInstant, to: toInstant, ...scope },
  )) {
    facts.push({ instantOrDate: m.at, isDate: false, ...place(m), apply: (r) => (r.partsUsedValue += m.value) });
  }
  for (const l of sqlAll<Base & { worked_on: string; hours: number }>(
    db,
    `SELECT l.worked_on, l.hours, ${cols} FROM work_order_labour l JOIN work_orders w ON w.id = l.work_order_id ${joins}
     WHERE l.worked_on BETWEEN @fromDate AND @toDate AND ${assetScope}`,
    { fromDate: input.from, toDate: input.to, ...scope },
  )) {
    facts.push({ instantOrDate: l.worked_on, isDate: true, ...place(l), apply: (r) => (r.labourHours += l.hours) });
  }

  const rows = new Map<string, MaintenanceReportRow>();
  if (input.groupBy === 'period') {
    for (const b of bucketsBetween(input.from, input.to, input.period, branch.weekStart)) rows.set(b.key, emptyRow(b.key, b.label));
  }
  for (const fact of facts) {
    let key: string;
    let label: string;
    if (input.groupBy === 'period') {
      const date = fact.isDate ? fact.instantOrDate : localDateOf(fact.instantOrDate, branch.timeZone);
      key = bucketOfDate(date, input.period, branch.weekStart).key;
      label = '';
    } else if (input.groupBy === 'type') {
      key = fact.type;
      label = WO_TYPE_LABEL[fact.type];
    } else if (input.groupBy === 'assetClass') {
      key = fact.assetClass;
      label = ASSET_CLASSES[fact.assetClass];
    } else {
      key = fact.siteId;
      label = fact.siteLabel;
    }
    let row = rows.get(key);
    if (!row) {
      row = emptyRow(key, label);
      rows.set(key, row);
    }
    fact.apply(row);
  }
  const ordered = input.groupBy === 'period' ? [...rows.values()] : [...rows.values()].sort((a, b) => a.label.localeCompare(b.label));
  for (const row of ordered) {
    row.downtimeHours = round2(row.downtimeHours);
    row.labourHours = round2(row.labourHours);
  }
  // Totals are the sum of the rows as shown, so a printed report always adds up.
  const totals = emptyRow('total', 'Total');
  for (const row of ordered) {
    totals.opened += row.opened;
    totals.openedCorrective += row.openedCorrective;
    totals.openedPreventive += row.openedPreventive;
    totals.closed += row.closed;
    totals.downtimeHours += row.downtimeHours;
    totals.failures += row.failures;
    totals.partsUsedValue += row.partsUsedValue;
    totals.labourHours += row.labourHours;
  }
  totals.downtimeHours = round2(totals.downtimeHours);
  totals.labourHours = round2(totals.labourHours);

  const today = localDateOf(now, branch.timeZone);
  const backlogSql = (extra: string) =>
    `SELECT count(*) AS n FROM work_orders w JOIN assets a ON a.id = w.asset_id WHERE w.status IN ('open','in_progress','on_hold') ${extra} AND ${assetScope}`;
  return {
    rows: ordered,
    totals,
    backlog: sqlGet<{ n: number }>(db, backlogSql(''), scope)!.n,
    overduePm: sqlGet<{ n: number }>(db, backlogSql(`AND w.type = 'preventive' AND w.due_on < @today`), { ...scope, today })!.n,
    stockValue: stockValue(db),
    reliability: reliabilityRows(db, now, branch, { siteId: input.siteId, assetClass: input.assetClass }).byClass,
  };
}

/** MTBF / MTTR per asset and per class (pooled over the class's assets). */
export function reliabilityRows(db: SqliteDb, now: Date, branch: BranchInfo, f: { siteId?: string; assetClass?: string }): { byAsset: ReliabilityRow[]; byClass: ReliabilityRow[] } {
  const perAsset = reliabilityParts(db, now, (instant) => localDateOf(instant, branch.timeZone), f);
  const byAsset = perAsset.map(({ asset, parts }) => ({ key: asset.id, label: `${asset.code} ${asset.name}`, assets: 1, ...pooledReliability([parts]) }));
  const classes = new Map<AssetClass, ReliabilityParts[]>();
  for (const { asset, parts } of perAsset) classes.set(asset.asset_class, [...(classes.get(asset.asset_class) ?? []), parts]);
  const byClass = [...classes.entries()]
    .map(([assetClass, parts]) => ({ key: assetClass, label: ASSET_CLASSES[assetClass], assets: parts.length, ...pooledReliability(parts) }))
    .sort((a, b) => a.label.localeCompare(b.label));
  return { byAsset, byClass };
}

/* ---------------- export ---------------- */

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const GROUP_LABEL: Record<Group, string> = { period: 'Period', type: 'Work type', assetClass: 'Asset class', site: 'Site' };
const money = (minor: number) => minor / 100;

const summaryColumns = (group: Group): Column<MaintenanceReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 26 },
  { header: 'Opened', value: (r) => r.opened, kind: 'integer' },
  { header: 'Corrective', value: (r) => r.openedCorrective, kind: 'integer', width: 12 },
  { header: 'Preventive', value: (r) => r.openedPreventive, kind: 'integer', width: 12 },
  { header: 'Closed', value: (r) => r.closed, kind: 'integer' },
  { header: 'Downtime hours', value: (r) => r.downtimeHours, kind: 'decimal', width: 16 },
  { header: 'Failures', value: (r) => r.failures, kind: 'integer' },
  { header: 'Labour hours', value: (r) => r.labourHours, kind: 'decimal', width: 14 },
  { header: 'Parts used', value: (r) => money(r.partsUsedValue), kind: 'decimal', width: 14 },
];

const reliabilityColumns: Column<ReliabilityRow>[] = [
  { header: 'Asset class', value: (r) => r.label, width: 20 },
  { header: 'Assets', value: (r) => r.assets, kind: 'integer' },
  { header: 'Failures', value: (r) => r.failures, kind: 'integer' },
  { header: 'MTBF (days)', value: (r) => r.mtbfDays, kind: 'decimal', width: 14 },
  { header: 'Repairs', value: (r) => r.repairs, kind: 'integer' },
  { header: 'MTTR (hours)', value: (r) => r.mttrHours, kind: 'decimal', width: 14 },
  { header: 'Downtime hours', value: (r) => r.downtimeHours, kind: 'decimal', width: 16 },
];

const detailColumns = (timeZone: string): Column<WorkOrder>[] => {
  const local = (instant: string | null) => (instant ? dayjs(instant).tz(timeZone).format('YYYY-MM-DD HH:mm') : null);
  return [
    { header: 'Work order', value: (w) => w.woNo, width: 12 },
    { header: 'Type', value: (w) => WO_TYPE_LABEL[w.type], width: 12 },
    { header: 'Status', value: (w) => WORK_ORDER_STATUS_LABELS[w.status], width: 12 },
    { header: 'Priority', value: (w) => w.priority },
    { header: 'Title', value: (w) => w.title, width: 34 },
    { header: 'Asset', value: (w) => w.assetCode, width: 14 },
    { header: 'Asset name', value: (w) => w.assetName, width: 26 },
    { header: 'Class', value: (w) => ASSET_CLASSES[w.assetClass], width: 14 },
    { header: 'Site', value: (w) => w.siteCode },
    { header: 'Due', value: (w) => w.dueOn, kind: 'date', width: 12 },
    { header: 'Overdue', value: (w) => (w.overdue ? 'yes' : '') },
    { header: 'Assigned to', value: (w) => w.assignedToName, width: 18 },
    { header: 'Labour hours', value: (w) => w.labourHours, kind: 'decimal', width: 13 },
    { header: 'Labour cost', value: (w) => money(w.labourCost), kind: 'decimal', width: 13 },
    { header: 'Parts cost', value: (w) => money(w.partsCost), kind: 'decimal', width: 13 },
    { header: 'Total cost', value: (w) => money(w.totalCost), kind: 'decimal', width: 13 },
    { header: 'Raised', value: (w) => local(w.createdAt), width: 17 },
    { header: 'Completed', value: (w) => local(w.completedAt), width: 17 },
    { header: 'Closed', value: (w) => local(w.closedAt), width: 17 },
  ];
};

const exportInput = maintenanceExport.input;

export async function runExport(job: JobContext, raw: unknown) {
  const input = exportInput.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const now = job.kernel.clock();
  const report = buildReport(db, branch, input, now);
  const range = instantRange(input.from, input.to, branch.timeZone);
  const title = `Maintenance ${input.from} to ${input.to}`;
  const filters: [string, string][] = [
    ['Report', `${PERIOD_LABEL[input.period]} by ${GROUP_LABEL[input.groupBy].toLowerCase()}`],
    ['From', input.from],
    ['To', input.to],
  ];
  if (input.siteId) {
    const site = sqlGet<{ code: string; name: string }>(db, 'SELECT code, name FROM maintenance_sites WHERE id = ?', input.siteId);
    filters.push(['Site', site ? `${site.code} ${site.name}` : input.siteId]);
  }
  if (input.assetClass) filters.push(['Asset class', ASSET_CLASSES[input.assetClass]]);
  const today = localDateOf(now, branch.timeZone);
  const detailFilters = { siteId: input.siteId, assetClass: input.assetClass, createdFrom: range.fromInstant, createdTo: range.toInstant };
  const total = report.totals.opened;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      const detail = iterateWorkOrders(db, detailFilters, today);
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
          sheet({ name: 'Reliability', columns: reliabilityColumns, rows: report.reliability }),
          sheet({ name: 'Work orders', columns: detailColumns(branch.timeZone), rows: detail }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
