import type { z } from 'zod';
import { prepaidExport, type PrepaidReportRow, type prepaidReportInput, type PREPAID_GROUPS } from '../../../../src-shared/contracts/energy/prepaid';
import { AppError } from '../../../../src-shared/errors';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet } from '../billing/sql';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import { bucketOfDate, bucketsBetween, instantRange, localDateOf } from '../../../reporting/periods';
import type { Column } from '../../../reporting/columns';
import { sheet, writeXlsx } from '../../../reporting/excel';
import { writeCsv } from '../../../reporting/csv';
import { exportJob } from '../../../reporting/export-job';
import { reportRangeProblem } from '../billing/rules';

/**
 * Prepaid figures: vends and units by branch-local day, week or month, by product (tariff) or by
 * cashier; debt recovered, service charges, tax; emergency credit issued. Reversed vends are not
 * counted as sales but as reversals. Outstanding debt and emergency credit are "now" figures.
 * Vends are UTC instants, grouped by quarter hour in SQL and placed on local days here.
 */
export const PREPAID_EXPORT_JOB = 'energy.prepaid.export';

type ReportInput = z.output<typeof prepaidReportInput>;
type Group = (typeof PREPAID_GROUPS)[number];

const DIMENSION: Record<Exclude<Group, 'period'>, { key: string; label: string }> = {
  tariff: { key: 't.code', label: "t.code || ' ' || t.name" },
  cashier: { key: 'v.cashier_id', label: 'u.display_name' },
};

const QUARTER = `strftime('%Y-%m-%dT%H:', v.created_at) || printf('%02d', (CAST(strftime('%M', v.created_at) AS INTEGER) / 15) * 15) || ':00Z'`;

const emptyRow = (key: string, label: string): PrepaidReportRow => ({
  key,
  label,
  vends: 0,
  amount: 0,
  units: 0,
  debtRecovered: 0,
  serviceCharges: 0,
  tax: 0,
  value: 0,
  emergencyIssued: 0,
  reversals: 0,
});

function add(into: PrepaidReportRow, f: Omit<PrepaidReportRow, 'key' | 'label'>): void {
  into.vends += f.vends;
  into.amount += f.amount;
  into.units += f.units;
  into.debtRecovered += f.debtRecovered;
  into.serviceCharges += f.serviceCharges;
  into.tax += f.tax;
  into.value += f.value;
  into.emergencyIssued += f.emergencyIssued;
  into.reversals += f.reversals;
}

export function buildPrepaidReport(db: SqliteDb, branch: BranchInfo, input: ReportInput) {
  const problem = reportRangeProblem(input.from, input.to);
  if (problem) throw new AppError('VALIDATION', `to: ${problem}`, { issues: [{ path: 'to', message: problem }] });
  const { fromInstant, toInstant } = instantRange(input.from, input.to, branch.timeZone);
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  const sale = `v.kind = 'sale' AND v.status = 'completed'`;
  const figures = sqlAll<Omit<PrepaidReportRow, 'key' | 'label'> & { quarter: string; k: string; l: string }>(
    db,
    `SELECT ${QUARTER} AS quarter, ${dim.key} AS k, ${dim.label} AS l,
       count(CASE WHEN ${sale} THEN 1 END) AS vends,
       coalesce(sum(CASE WHEN ${sale} THEN v.amount_minor END), 0) AS amount,
       coalesce(sum(CASE WHEN ${sale} THEN v.units END), 0) AS units,
       coalesce(sum(CASE WHEN ${sale} THEN v.debt_minor END), 0) AS debtRecovered,
       coalesce(sum(CASE WHEN ${sale} THEN v.service_charge_minor END), 0) AS serviceCharges,
       coalesce(sum(CASE WHEN ${sale} THEN v.tax_minor END), 0) AS tax,
       coalesce(sum(CASE WHEN ${sale} THEN v.value_minor END), 0) AS value,
       coalesce(sum(CASE WHEN v.kind = 'emergency' THEN v.value_minor END), 0) AS emergencyIssued,
       count(CASE WHEN v.status = 'reversed' THEN 1 END) AS reversals
     FROM vends v JOIN tariffs t ON t.id = v.tariff_id JOIN users u ON u.id = v.cashier_id
     WHERE v.created_at >= ? AND v.created_at < ? AND (? IS NULL OR t.code = ?) AND (? IS NULL OR v.cashier_id = ?)
     GROUP BY quarter, k`,
    fromInstant,
    toInstant,
    input.tariffCode ?? null,
    input.tariffCode ?? null,
    input.cashierId ?? null,
    input.cashierId ?? null,
  );
  const rows = new Map<string, PrepaidReportRow>();
  if (input.groupBy === 'period') for (const b of bucketsBetween(input.from, input.to, input.period, branch.weekStart)) rows.set(b.key, emptyRow(b.key, b.label));
  for (const f of figures) {
    const key = input.groupBy === 'period' ? bucketOfDate(localDateOf(f.quarter, branch.timeZone), input.period, branch.weekStart).key : f.k;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow(key, f.l)));
    add(row, f);
  }
  const list = [...rows.values()];
  if (input.groupBy !== 'period') list.sort((a, b) => a.label.localeCompare(b.label));
  for (const row of list) row.units = Math.round(row.units * 10) / 10;
  const totals = emptyRow('total', 'Total');
  for (const row of list) add(totals, row);
  totals.units = Math.round(totals.units * 10) / 10;
  const outstanding = sqlGet<{ emergency: number | null; debt: number | null }>(db, 'SELECT sum(emergency_minor) AS emergency, sum(debt_minor) AS debt FROM prepaid_accounts')!;
  return { rows: list, totals, emergencyOutstanding: outstanding.emergency ?? 0, debtOutstanding: outstanding.debt ?? 0 };
}

interface VendLine {
  created_at: string;
  receipt_no: string;
  kind: string;
  status: string;
  account_no: string;
  tariff: string;
  cashier: string;
  tender: string;
  amount_minor: number;
  debt_minor: number;
  service_charge_minor: number;
  tax_minor: number;
  value_minor: number;
  units: number;
}

function* vendLines(db: SqliteDb, branch: BranchInfo, input: ReportInput): Generator<VendLine> {
  const { fromInstant, toInstant } = instantRange(input.from, input.to, branch.timeZone);
  let key: [string, string] = [fromInstant, ''];
  for (;;) {
    const rows = sqlAll<VendLine & { id: string }>(
      db,
      `SELECT v.id, v.created_at, v.receipt_no, v.kind, v.status, a.account_no, t.code AS tariff, u.display_name AS cashier, v.tender,
         v.amount_minor, v.debt_minor, v.service_charge_minor, v.tax_minor, v.value_minor, v.units
       FROM vends v JOIN accounts a ON a.id = v.account_id JOIN tariffs t ON t.id = v.tariff_id JOIN users u ON u.id = v.cashier_id
       WHERE (v.created_at, v.id) > (?, ?) AND v.created_at < ? AND (? IS NULL OR t.code = ?) AND (? IS NULL OR v.cashier_id = ?)
       ORDER BY v.created_at, v.id LIMIT 500`,
      key[0],
      key[1],
      toInstant,
      input.tariffCode ?? null,
      input.tariffCode ?? null,
      input.cashierId ?? null,
      input.cashierId ?? null,
    );
    yield* rows;
    if (rows.length < 500) return;
    key = [rows.at(-1)!.created_at, rows.at(-1)!.id];
  }
}

const money = (minor: number) => minor / 100;
const summaryColumns: Column<PrepaidReportRow>[] = [
  { header: 'Group', value: (r) => r.label, width: 28 },
  { header: 'Vends', value: (r) => r.vends, kind: 'integer' },
  { header: 'Amount', value: (r) => money(r.amount), kind: 'decimal', width: 14 },
  { header: 'Units', value: (r) => r.units, kind: 'decimal', width: 12 },
  { header: 'Debt recovered', value: (r) => money(r.debtRecovered), kind: 'decimal', width: 15 },
  { header: 'Service charges', value: (r) => money(r.serviceCharges), kind: 'decimal', width: 15 },
  { header: 'Tax', value: (r) => money(r.tax), kind: 'decimal' },
  { header: 'Value vended', value: (r) => money(r.value), kind: 'decimal', width: 14 },
  { header: 'Emergency issued', value: (r) => money(r.emergencyIssued), kind: 'decimal', width: 16 },
  { header: 'Reversals', value: (r) => r.reversals, kind: 'integer' },
];
const detailColumns = (timeZone: string): Column<VendLine>[] => [
  { header: 'Date', value: (r) => localDateOf(r.created_at, timeZone), kind: 'date', width: 12 },
  { header: 'Receipt', value: (r) => r.receipt_no, width: 14 },
  { header: 'Kind', value: (r) => r.kind },
  { header: 'Status', value: (r) => r.status },
  { header: 'Account', value: (r) => r.account_no, width: 14 },
  { header: 'Tariff', value: (r) => r.tariff },
  { header: 'Cashier', value: (r) => r.cashier, width: 18 },
  { header: 'Tender', value: (r) => r.tender },
  { header: 'Amount', value: (r) => money(r.amount_minor), kind: 'decimal' },
  { header: 'Debt', value: (r) => money(r.debt_minor), kind: 'decimal' },
  { header: 'Service charge', value: (r) => money(r.service_charge_minor), kind: 'decimal' },
  { header: 'Tax', value: (r) => money(r.tax_minor), kind: 'decimal' },
  { header: 'Value', value: (r) => money(r.value_minor), kind: 'decimal' },
  { header: 'Units', value: (r) => r.units, kind: 'decimal' },
];

export async function runPrepaidExport(job: JobContext, raw: unknown) {
  const input = prepaidExport.input.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const report = buildPrepaidReport(db, branch, input);
  const title = `Prepaid ${input.from} to ${input.to}`;
  const total = report.totals.vends + report.totals.reversals;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      if (input.format === 'csv') {
        await writeCsv(filePath, detailColumns(branch.timeZone), vendLines(db, branch, input), { onRows: (n) => tick(n, total) });
        return;
      }
      await writeXlsx(
        filePath,
        {
          title: `${title} — ${branch.name}`,
          filters: [
            ['Group', input.groupBy],
            ['From', input.from],
            ['To', input.to],
            ['Emergency credit outstanding', money(report.emergencyOutstanding).toFixed(2)],
            ['Debt outstanding', money(report.debtOutstanding).toFixed(2)],
          ],
          printedBy: job.principal.displayName,
          printedAt: new Date(),
          timeZone: branch.timeZone,
        },
        [
          sheet({ name: 'Summary', columns: summaryColumns, rows: report.rows, totals: report.totals }),
          sheet({ name: 'Vends', columns: detailColumns(branch.timeZone), rows: vendLines(db, branch, input) }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
