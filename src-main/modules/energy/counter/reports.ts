import type { z } from 'zod';
import {
  TRANSACTION_TYPE_LABELS,
  TENDERS,
  collectionsExport,
  type CollectionsReportRow,
  type collectionsReportInput,
  type COLLECTION_GROUPS,
} from '../../../../src-shared/contracts/energy/counter';
import { AppError } from '../../../../src-shared/errors';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll } from '../billing/sql';
import type { BranchInfo } from '../../../core/rpc/context';
import type { JobContext } from '../../../core/jobs/types';
import { bucketOfDate, bucketsBetween, instantRange, localDateOf } from '../../../reporting/periods';
import type { Column } from '../../../reporting/columns';
import { sheet, writeXlsx } from '../../../reporting/excel';
import { writeCsv } from '../../../reporting/csv';
import { exportJob } from '../../../reporting/export-job';
import { reportRangeProblem } from '../billing/rules';

/**
 * Collections: every counter transaction (payments, vends, reversals, and later package and
 * subscription sales) by the branch-local day it happened, or by tender, cashier, shift or type.
 * Transactions are UTC instants; SQL groups them by quarter hour (every real time zone offset is a
 * multiple of 15 minutes) and each quarter is then placed on its local day.
 */
export const COLLECTIONS_EXPORT_JOB = 'energy.counter.export';

type ReportInput = z.output<typeof collectionsReportInput>;
type Group = (typeof COLLECTION_GROUPS)[number];

const DIMENSION: Record<Exclude<Group, 'period'>, { key: string; label: string }> = {
  tender: { key: 't.tender', label: 't.tender' },
  cashier: { key: 't.cashier_id', label: 'u.display_name' },
  shift: { key: 't.shift_id', label: "'Shift #' || s.shift_no || ' · ' || u.display_name" },
  type: { key: 't.type', label: 't.type' },
};

const QUARTER = `strftime('%Y-%m-%dT%H:', t.created_at) || printf('%02d', (CAST(strftime('%M', t.created_at) AS INTEGER) / 15) * 15) || ':00Z'`;

type Figures = Omit<CollectionsReportRow, 'key' | 'label'> & { quarter: string; k: string; l: string };

function figures(db: SqliteDb, branch: BranchInfo, input: ReportInput): Figures[] {
  const { fromInstant, toInstant } = instantRange(input.from, input.to, branch.timeZone);
  const dim = input.groupBy === 'period' ? { key: "''", label: "''" } : DIMENSION[input.groupBy];
  return sqlAll<Figures>(
    db,
    `SELECT ${QUARTER} AS quarter, ${dim.key} AS k, ${dim.label} AS l, count(*) AS transactions,
       coalesce(sum(CASE WHEN t.amount_minor > 0 THEN t.amount_minor END), 0) AS taken,
       coalesce(-sum(CASE WHEN t.amount_minor < 0 THEN t.amount_minor END), 0) AS refunded,
       sum(t.amount_minor) AS net,
       count(CASE WHEN t.type = 'payment' THEN 1 END) AS payments,
       count(CASE WHEN t.type IN ('vend', 'emergency_credit') THEN 1 END) AS vends,
       count(CASE WHEN t.type LIKE '%reversal' THEN 1 END) AS reversals
     FROM counter_transactions t JOIN users u ON u.id = t.cashier_id JOIN cashier_shifts s ON s.id = t.shift_id
     WHERE t.created_at >= ? AND t.created_at < ? AND (? IS NULL OR t.cashier_id = ?) AND (? IS NULL OR t.tender = ?)
     GROUP BY quarter, k`,
    fromInstant,
    toInstant,
    input.cashierId ?? null,
    input.cashierId ?? null,
    input.tender ?? null,
    input.tender ?? null,
  );
}

const emptyRow = (key: string, label: string): CollectionsReportRow => ({
  key,
  label,
  transactions: 0,
  taken: 0,
  refunded: 0,
  net: 0,
  payments: 0,
  vends: 0,
  reversals: 0,
});

function add(into: CollectionsReportRow, f: Omit<CollectionsReportRow, 'key' | 'label'>): void {
  into.transactions += f.transactions;
  into.taken += f.taken;
  into.refunded += f.refunded;
  into.net += f.net;
  into.payments += f.payments;
  into.vends += f.vends;
  into.reversals += f.reversals;
}

const labelOf = (group: Group, label: string): string =>
  group === 'tender' ? (TENDERS[label as keyof typeof TENDERS]?.label ?? (label === 'none' ? 'No money' : label)) : group === 'type' ? (TRANSACTION_TYPE_LABELS[label] ?? label) : label;

export function buildCollectionsReport(db: SqliteDb, branch: BranchInfo, input: ReportInput) {
  const problem = reportRangeProblem(input.from, input.to);
  if (problem) throw new AppError('VALIDATION', `to: ${problem}`, { issues: [{ path: 'to', message: problem }] });
  const rows = new Map<string, CollectionsReportRow>();
  if (input.groupBy === 'period') {
    for (const b of bucketsBetween(input.from, input.to, input.period, branch.weekStart)) rows.set(b.key, emptyRow(b.key, b.label));
  }
  for (const f of figures(db, branch, input)) {
    const key = input.groupBy === 'period' ? bucketOfDate(localDateOf(f.quarter, branch.timeZone), input.period, branch.weekStart).key : f.k;
    let row = rows.get(key);
    if (!row) rows.set(key, (row = emptyRow(key, labelOf(input.groupBy, f.l))));
    add(row, f);
  }
  const list = [...rows.values()];
  if (input.groupBy !== 'period') list.sort((a, b) => a.label.localeCompare(b.label));
  const totals = emptyRow('total', 'Total');
  for (const row of list) add(totals, row);
  return { rows: list, totals };
}

/* ---------------- export ---------------- */

interface TransactionRow {
  created_at: string;
  type: string;
  tender: string;
  amount_minor: number;
  receipt_no: string | null;
  account_no: string | null;
  cashier: string;
  shift_no: number;
}

function* transactions(db: SqliteDb, branch: BranchInfo, input: ReportInput): Generator<TransactionRow> {
  const { fromInstant, toInstant } = instantRange(input.from, input.to, branch.timeZone);
  let key: [string, string] = [fromInstant, ''];
  for (;;) {
    const rows = sqlAll<TransactionRow & { id: string }>(
      db,
      `SELECT t.id, t.created_at, t.type, t.tender, t.amount_minor, t.receipt_no, a.account_no, u.display_name AS cashier, s.shift_no
       FROM counter_transactions t JOIN users u ON u.id = t.cashier_id JOIN cashier_shifts s ON s.id = t.shift_id
         LEFT JOIN accounts a ON a.id = t.account_id
       WHERE (t.created_at, t.id) > (?, ?) AND t.created_at < ? AND (? IS NULL OR t.cashier_id = ?) AND (? IS NULL OR t.tender = ?)
       ORDER BY t.created_at, t.id LIMIT 500`,
      key[0],
      key[1],
      toInstant,
      input.cashierId ?? null,
      input.cashierId ?? null,
      input.tender ?? null,
      input.tender ?? null,
    );
    yield* rows;
    if (rows.length < 500) return;
    const last = rows.at(-1)!;
    key = [last.created_at, last.id];
  }
}

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const money = (minor: number) => minor / 100;

const summaryColumns: Column<CollectionsReportRow>[] = [
  { header: 'Group', value: (r) => r.label, width: 30 },
  { header: 'Transactions', value: (r) => r.transactions, kind: 'integer' },
  { header: 'Taken', value: (r) => money(r.taken), kind: 'decimal', width: 14 },
  { header: 'Refunded', value: (r) => money(r.refunded), kind: 'decimal' },
  { header: 'Net', value: (r) => money(r.net), kind: 'decimal', width: 14 },
  { header: 'Payments', value: (r) => r.payments, kind: 'integer' },
  { header: 'Vends', value: (r) => r.vends, kind: 'integer' },
  { header: 'Reversals', value: (r) => r.reversals, kind: 'integer' },
];

const detailColumns = (timeZone: string): Column<TransactionRow>[] => [
  { header: 'At', value: (r) => localDateOf(r.created_at, timeZone) + ' ' + new Date(r.created_at).toLocaleTimeString('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }), width: 18 },
  { header: 'Type', value: (r) => TRANSACTION_TYPE_LABELS[r.type] ?? r.type, width: 18 },
  { header: 'Tender', value: (r) => r.tender },
  { header: 'Amount', value: (r) => money(r.amount_minor), kind: 'decimal' },
  { header: 'Receipt', value: (r) => r.receipt_no, width: 14 },
  { header: 'Account', value: (r) => r.account_no, width: 14 },
  { header: 'Cashier', value: (r) => r.cashier, width: 20 },
  { header: 'Shift', value: (r) => r.shift_no, kind: 'integer' },
];

export async function runCollectionsExport(job: JobContext, raw: unknown) {
  const input = collectionsExport.input.parse(raw);
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const report = buildCollectionsReport(db, branch, input);
  const title = `Collections ${input.from} to ${input.to}`;
  const total = report.totals.transactions;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      if (input.format === 'csv') {
        await writeCsv(filePath, detailColumns(branch.timeZone), transactions(db, branch, input), { onRows: (n) => tick(n, total) });
        return;
      }
      await writeXlsx(
        filePath,
        {
          title: `${title} — ${branch.name}`,
          filters: [
            ['Report', `${PERIOD_LABEL[input.period]} by ${input.groupBy}`],
            ['From', input.from],
            ['To', input.to],
          ],
          printedBy: job.principal.displayName,
          printedAt: new Date(),
          timeZone: branch.timeZone,
        },
        [
          sheet({ name: 'Summary', columns: summaryColumns, rows: report.rows, totals: report.totals }),
          sheet({ name: 'Transactions', columns: detailColumns(branch.timeZone), rows: transactions(db, branch, input) }),
        ],
        { onRows: (n) => tick(n, total + report.rows.length) },
      );
    },
  });
}
