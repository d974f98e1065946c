import type { z } from 'zod';
import {
  BILL_EXCEPTIONS,
  billingExport,
  type Bill,
  type BillingReportRow,
  type billingReportInput,
  type BILLING_GROUPS,
} from '../../../../src-shared/contracts/energy/billing';
import { AppError } from '../../../../src-shared/errors';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet } from './sql';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import { bucketOfDate, bucketsBetween } from '../../../reporting/periods';
import type { Column } from '../../../reporting/columns';
import { sheet, writeXlsx } from '../../../reporting/excel';
import { writeCsv } from '../../../reporting/csv';
import { exportJob } from '../../../reporting/export-job';
import { reportRangeProblem } from './rules';
import { toBill } from './queries';

/**
 * Billing figures by bill date (the branch-local date a bill was posted), by day, week or month,
 * or by tariff category, cycle or exception type. Cancelled originals still count as billed (they
 * were); their credit notes are counted apart, so cancel/rebills show as credit notes + rebills.
 */
export const BILLING_EXPORT_JOB = 'energy.billing.export';

type ReportInput = z.output<typeof billingReportInput>;
type Group = (typeof BILLING_GROUPS)[number];

const DIMENSION: Record<Exclude<Group, 'period' | 'exception'>, { key: string; label: string }> = {
  category: { key: 'b.category', label: 'b.category' },
  cycle: { key: "coalesce(c.id, '')", label: "coalesce(c.code || ' ' || c.name, 'No cycle')" },
};

type Figures = Omit<BillingReportRow, 'key' | 'label'> & { day: string; k: string; l: string };

const FIGURES = `count(CASE WHEN b.kind = 'bill' THEN 1 END) AS bills,
  coalesce(sum(CASE WHEN b.kind = 'bill' THEN b.consumption END), 0) AS consumption,
  coalesce(sum(CASE WHEN b.kind = 'bill' THEN b.total_minor END), 0) AS amount,
  coalesce(sum(CASE WHEN b.kind = 'bill' THEN b.tax_minor END), 0) AS tax,
  count(CASE WHEN b.kind = 'bill' AND b.estimated = 1 THEN 1 END) AS estimated,
  count(CASE WHEN b.kind = 'bill' AND b.exceptions_json <> '[]' THEN 1 END) AS exceptions,
  count(CASE WHEN b.kind = 'credit_note' THEN 1 END) AS creditNotes,
  coalesce(-sum(CASE WHEN b.kind = 'credit_note' THEN b.total_minor END), 0) AS credited`;

const FROM = `FROM bills b LEFT JOIN billing_accounts ba ON ba.account_id = b.account_id LEFT JOIN billing_cycles c ON c.id = ba.cycle_id`;
const WHERE = `WHERE b.issue_date BETWEEN ?1 AND ?2 AND b.status IN ('posted','cancelled')
  AND (?3 IS NULL OR ba.cycle_id = ?3) AND (?4 IS NULL OR b.category = ?4)`;

function dailyFigures(db: SqliteDb, input: ReportInput): Figures[] {
  const args = [input.from, input.to, input.cycleId ?? null, input.category ?? null];
  if (input.groupBy === 'exception') {
    return sqlAll<Figures>(
      db,
      `SELECT b.issue_date AS day, json_extract(e.value, '$.code') AS k, json_extract(e.value, '$.code') AS l, ${FIGURES}
       ${FROM}, json_each(b.exceptions_json) e ${WHERE} GROUP BY day, k`,
      ...args,
    );
  }
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  return sqlAll<Figures>(db, `SELECT b.issue_date AS day, ${dim.key} AS k, ${dim.label} AS l, ${FIGURES} ${FROM} ${WHERE} GROUP BY day, k`, ...args);
}

const emptyRow = (key: string, label: string): BillingReportRow => ({
  key,
  label,
  bills: 0,
  consumption: 0,
  amount: 0,
  tax: 0,
  estimated: 0,
  exceptions: 0,
  creditNotes: 0,
  credited: 0,
});

function add(into: BillingReportRow, f: Omit<BillingReportRow, 'key' | 'label'>): void {
  into.bills += f.bills;
  into.consumption += f.consumption;
  into.amount += f.amount;
  into.tax += f.tax;
  into.estimated += f.estimated;
  into.exceptions += f.exceptions;
  into.creditNotes += f.creditNotes;
  into.credited += f.credited;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

export function buildBillingReport(db: SqliteDb, branch: BranchInfo, input: ReportInput): { rows: BillingReportRow[]; totals: BillingReportRow } {
  const problem = reportRangeProblem(input.from, input.to);
  if (problem) throw new AppError('VALIDATION', `to: ${problem}`, { issues: [{ path: 'to', message: problem }] });
  const figures = dailyFigures(db, input);
  let rows: BillingReportRow[];
  if (input.groupBy === 'period') {
    const byKey = new Map(bucketsBetween(input.from, input.to, input.period, branch.weekStart).map((b) => [b.key, emptyRow(b.key, b.label)]));
    for (const f of figures) add(byKey.get(bucketOfDate(f.day, input.period, branch.weekStart).key)!, f);
    rows = [...byKey.values()];
  } else {
    const byKey = new Map<string, BillingReportRow>();
    for (const f of figures) {
      const label = input.groupBy === 'exception' ? (BILL_EXCEPTIONS[f.l as keyof typeof BILL_EXCEPTIONS] ?? f.l) : f.l;
      let row = byKey.get(f.k);
      if (!row) byKey.set(f.k, (row = emptyRow(f.k, label)));
      add(row, f);
    }
    rows = [...byKey.values()].sort((a, b) => a.label.localeCompare(b.label));
  }
  for (const row of rows) row.consumption = round3(row.consumption);
  const totals = emptyRow('total', 'Total');
  if (input.groupBy === 'exception') {
    // A bill with two exceptions sits in two rows; the total counts it once.
    const once = sqlGet<Omit<BillingReportRow, 'key' | 'label'>>(
      db,
      `SELECT ${FIGURES} ${FROM} ${WHERE} AND b.exceptions_json <> '[]'`,
      input.from,
      input.to,
      input.cycleId ?? null,
      input.category ?? null,
    )!;
    add(totals, once);
  } else for (const row of rows) add(totals, row);
  totals.consumption = round3(totals.consumption);
  return { rows, totals };
}

/* ---------------- export ---------------- */

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const GROUP_LABEL: Record<Group, string> = { period: 'Period', category: 'Tariff category', cycle: 'Cycle', exception: 'Exception' };
const money = (minor: number) => minor / 100;

const summaryColumns = (group: Group): Column<BillingReportRow>[] => [
  { header: GROUP_LABEL[group], value: (r) => r.label, width: 30 },
  { header: 'Bills', value: (r) => r.bills, kind: 'integer' },
  { header: 'Consumption', value: (r) => r.consumption, kind: 'decimal', width: 14 },
  { header: 'Amount', value: (r) => money(r.amount), kind: 'decimal', width: 14 },
  { header: 'Tax', value: (r) => money(r.tax), kind: 'decimal' },
  { header: 'Estimated', value: (r) => r.estimated, kind: 'integer' },
  { header: 'With exceptions', value: (r) => r.exceptions, kind: 'integer' },
  { header: 'Credit notes', value: (r) => r.creditNotes, kind: 'integer' },
  { header: 'Credited', value: (r) => money(r.credited), kind: 'decimal' },
];

const detailColumns: Column<Bill>[] = [
  { header: 'Number', value: (b) => b.billNo, width: 14 },
  { header: 'Kind', value: (b) => (b.kind === 'bill' ? 'Bill' : 'Credit note') },
  { header: 'Status', value: (b) => b.status },
  { header: 'Bill date', value: (b) => b.issueDate, kind: 'date', width: 12 },
  { header: 'Due date', value: (b) => b.dueDate, kind: 'date', width: 12 },
  { header: 'Account', value: (b) => b.accountNo, width: 14 },
  { header: 'Name', value: (b) => b.accountName, width: 26 },
  { header: 'Category', value: (b) => b.category },
  { header: 'Period start', value: (b) => b.periodStart, kind: 'date', width: 12 },
  { header: 'Period end', value: (b) => b.periodEnd, kind: 'date', width: 12 },
  { header: 'Billed from', value: (b) => b.billedFrom, kind: 'date', width: 12 },
  { header: 'Billed to', value: (b) => b.billedTo, kind: 'date', width: 12 },
  { header: 'Consumption', value: (b) => b.consumption, kind: 'decimal', width: 13 },
  { header: 'Estimated', value: (b) => (b.estimated ? 'yes' : '') },
  { header: 'Subtotal', value: (b) => money(b.subtotal), kind: 'decimal' },
  { header: 'Tax', value: (b) => money(b.tax), kind: 'decimal' },
  { header: 'Total', value: (b) => money(b.total), kind: 'decimal' },
  { header: 'Open', value: (b) => money(b.open), kind: 'decimal' },
  { header: 'Exceptions', value: (b) => b.exceptions.map((e) => e.code).join(', '), width: 28 },
  { header: 'Reason', value: (b) => b.reason, width: 28 },
];

function* billsInRange(db: SqliteDb, input: ReportInput): Generator<Bill> {
  let key: [string, string] = ['', ''];
  for (;;) {
    const rows = sqlAll<Parameters<typeof toBill>[0]>(
      db,
      `SELECT b.*, a.name AS account_name, a.address FROM bills b JOIN accounts a ON a.id = b.account_id
         LEFT JOIN billing_accounts ba ON ba.account_id = b.account_id
       ${WHERE} AND (b.issue_date, b.id) > (?5, ?6) ORDER BY b.issue_date, b.id LIMIT 500`,
      input.from,
      input.to,
      input.cycleId ?? null,
      input.category ?? null,
      key[0],
      key[1],
    );
    for (const row of rows) yield toBill(row);
    if (rows.length < 500) return;
    const last = rows.at(-1)!;
    key = [last.issue_date!, last.id];
  }
}

export async function runBillingExport(job: JobContext, raw: unknown) {
  const input = billingExport.input.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const report = buildBillingReport(db, branch, input);
  const title = `Billing ${input.from} to ${input.to}`;
  const total = report.totals.bills + report.totals.creditNotes;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      if (input.format === 'csv') {
        await writeCsv(filePath, detailColumns, billsInRange(db, input), { onRows: (n) => tick(n, total) });
        return;
      }
      await writeXlsx(
        filePath,
        {
          title: `${title} — ${branch.name}`,
          filters: [
            ['Report', `${PERIOD_LABEL[input.period]} by ${GROUP_LABEL[input.groupBy].toLowerCase()}`],
            ['From', input.from],
            ['To', input.to],
            ...(input.category ? [['Category', input.category] as [string, string]] : []),
          ],
          printedBy: job.principal.displayName,
          printedAt: new Date(),
          timeZone: branch.timeZone,
        },
        [
          sheet({ name: 'Summary', columns: summaryColumns(input.groupBy), rows: report.rows, totals: report.totals }),
          sheet({ name: 'Bills', columns: detailColumns, rows: billsInRange(db, input) }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
