import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { z } from 'zod';
import { AppError } from '../src-shared/errors';
import { localDate } from '../src-shared/rpc';
import { REPORT_PERIODS, bucketOfDate, bucketsBetween, type Bucket } from '../src-main/reporting/periods';
import { sheet, writeXlsx } from '../src-main/reporting/excel';
import type { Column } from '../src-main/reporting/columns';
import { roundTotal } from '../src-main/modules/energy/meter-readings/queries';
import type { Hq } from './hq';
import { parseOrThrow } from './validate';

/**
 * Consolidated reports by branch. Each report keeps the branch app's definition of its figures
 * (what counts, how it is rounded) and adds the branch as the first drilldown; buckets follow each
 * branch's own time zone and week start, as the branch's report would.
 */
export const hqReportInput = z.strictObject({
  from: localDate,
  to: localDate,
  period: z.enum(REPORT_PERIODS).default('month'),
  branchId: z.string().min(1).max(64).optional(),
});
export type HqReportInput = z.input<typeof hqReportInput>;

interface Figure {
  key: string;
  header: string;
  /** money: integer minor units in the JSON answer, currency units with two decimals in Excel. */
  kind: 'integer' | 'decimal' | 'money';
}

interface DailyFigures {
  branchId: string;
  day: string;
  values: Record<string, number>;
}

interface HqReportDefinition {
  key: string;
  title: string;
  figures: readonly Figure[];
  daily(hq: Hq, input: z.output<typeof hqReportInput>): Promise<DailyFigures[]>;
}

const n = (v: unknown): number => Number(v ?? 0);

/**
 * A grouped query's rows as daily figures: each query names its columns after the report's
 * figures, so one reader serves every report (a figure a query lacks reads as zero).
 */
function byDay<R extends { branch_id: string }>(figures: readonly Figure[], rows: readonly R[], day: keyof R & string): DailyFigures[] {
  return rows.map((r) => {
    const row = r as unknown as Record<string, unknown>;
    return { branchId: r.branch_id, day: String(row[day]), values: Object.fromEntries(figures.map((f) => [f.key, n(row[f.key])])) };
  });
}

const meterReadings: HqReportDefinition = {
  key: 'energy.meterReadings',
  title: 'Meter readings by branch',
  figures: [
    { key: 'readings', header: 'Readings', kind: 'integer' },
    { key: 'actual', header: 'Actual', kind: 'integer' },
    { key: 'estimated', header: 'Estimated', kind: 'integer' },
    { key: 'skipped', header: 'Skipped', kind: 'integer' },
    { key: 'exceptions', header: 'Exceptions', kind: 'integer' },
    { key: 'consumption', header: 'Consumption', kind: 'decimal' },
  ],
  async daily(hq, input) {
    // The branch report's rule: regular and removal reads in any review state, except reads sent
    // back for re-reading; install reads are not a reading round.
    let q = hq.db
      .selectFrom('meter_readings')
      .select([
        'branch_id',
        'read_date',
        sql<number>`count(*)`.as('readings'),
        sql<number>`sum(case when read_type <> 'estimated' then 1 else 0 end)`.as('actual'),
        sql<number>`sum(case when read_type = 'estimated' then 1 else 0 end)`.as('estimated'),
        sql<number>`sum(case when skip_code is not null then 1 else 0 end)`.as('skipped'),
        sql<number>`sum(case when status = 'exception' then 1 else 0 end)`.as('exceptions'),
        sql<number>`sum(consumption)`.as('consumption'),
      ])
      .where('read_date', '>=', input.from)
      .where('read_date', '<=', input.to)
      .where('status', '<>', 'reread')
      .where('purpose', '<>', 'install')
      .groupBy(['branch_id', 'read_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return byDay(meterReadings.figures, await q.execute(), 'read_date');
  },
};

const journalActivity: HqReportDefinition = {
  key: 'journal.activity',
  title: 'Journal activity by branch',
  figures: [
    { key: 'events', header: 'Events', kind: 'integer' },
    { key: 'approved', header: 'Under approval', kind: 'integer' },
    { key: 'signIns', header: 'Sign-ins', kind: 'integer' },
  ],
  async daily(hq, input) {
    let q = hq.db
      .selectFrom('events')
      .select([
        'branch_id',
        'local_date',
        sql<number>`count(*)`.as('events'),
        sql<number>`sum(case when approval_id is not null then 1 else 0 end)`.as('approved'),
        sql<number>`sum(case when entity = 'session' and action = 'signed in' then 1 else 0 end)`.as('signIns'),
      ])
      .where('local_date', '>=', input.from)
      .where('local_date', '<=', input.to)
      .groupBy(['branch_id', 'local_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return byDay(journalActivity.figures, await q.execute(), 'local_date');
  },
};

/*
 * The money- and workload-bearing functions. Each query is the branch report's own (named with
 * it), over the typed table HQ materialises from the journal, grouped by branch and day; the
 * common code buckets the days into periods in each branch's week start, like the branch.
 */

/** energy.counter.collections.report (src-main/modules/energy/counter/reports.ts), by the local day of each transaction. */
const collections: HqReportDefinition = {
  key: 'energy.counter.collections',
  title: 'Counter collections by branch',
  figures: [
    { key: 'transactions', header: 'Transactions', kind: 'integer' },
    { key: 'taken', header: 'Taken', kind: 'money' },
    { key: 'refunded', header: 'Refunded', kind: 'money' },
    { key: 'net', header: 'Net', kind: 'money' },
    { key: 'payments', header: 'Payments', kind: 'integer' },
    { key: 'vends', header: 'Vends', kind: 'integer' },
    { key: 'reversals', header: 'Reversals', kind: 'integer' },
  ],
  async daily(hq, input) {
    // Every counter transaction counts, reversals too (as a transaction of their own, on the day
    // they were made, with the money paid out as refunded), exactly as the branch counts them.
    let q = hq.db
      .selectFrom('counter_transactions')
      .select([
        'branch_id',
        'local_date',
        sql<number>`count(*)`.as('transactions'),
        sql<number>`coalesce(sum(case when amount_minor > 0 then amount_minor end), 0)`.as('taken'),
        sql<number>`coalesce(-sum(case when amount_minor < 0 then amount_minor end), 0)`.as('refunded'),
        sql<number>`coalesce(sum(amount_minor), 0)`.as('net'),
        sql<number>`count(case when type = 'payment' then 1 end)`.as('payments'),
        sql<number>`count(case when type in ('vend', 'emergency_credit') then 1 end)`.as('vends'),
        sql<number>`count(case when type like '%reversal' then 1 end)`.as('reversals'),
      ])
      .where('local_date', '>=', input.from)
      .where('local_date', '<=', input.to)
      .groupBy(['branch_id', 'local_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return byDay(collections.figures, await q.execute(), 'local_date');
  },
};

/** energy.billing.report (src-main/modules/energy/billing/reports.ts), by bill date. */
const billing: HqReportDefinition = {
  key: 'energy.billing',
  title: 'Utility billing by branch',
  figures: [
    { key: 'bills', header: 'Bills', kind: 'integer' },
    { key: 'consumption', header: 'Consumption', kind: 'decimal' },
    { key: 'amount', header: 'Amount billed', kind: 'money' },
    { key: 'tax', header: 'Tax', kind: 'money' },
    { key: 'estimated', header: 'Estimated', kind: 'integer' },
    { key: 'exceptions', header: 'With exceptions', kind: 'integer' },
    { key: 'creditNotes', header: 'Credit notes', kind: 'integer' },
    { key: 'credited', header: 'Credited', kind: 'money' },
  ],
  async daily(hq, input) {
    // Cancelled originals still count as billed (they were); their credit notes are counted apart.
    let q = hq.db
      .selectFrom('bills')
      .select([
        'branch_id',
        'issue_date',
        sql<number>`count(case when kind = 'bill' then 1 end)`.as('bills'),
        sql<number>`coalesce(sum(case when kind = 'bill' then consumption end), 0)`.as('consumption'),
        sql<number>`coalesce(sum(case when kind = 'bill' then total_minor end), 0)`.as('amount'),
        sql<number>`coalesce(sum(case when kind = 'bill' then tax_minor end), 0)`.as('tax'),
        sql<number>`count(case when kind = 'bill' and estimated = 1 then 1 end)`.as('estimated'),
        sql<number>`count(case when kind = 'bill' and with_exceptions = 1 then 1 end)`.as('exceptions'),
        sql<number>`count(case when kind = 'credit_note' then 1 end)`.as('creditNotes'),
        sql<number>`coalesce(-sum(case when kind = 'credit_note' then total_minor end), 0)`.as('credited'),
      ])
      .where('issue_date', '>=', input.from)
      .where('issue_date', '<=', input.to)
      .where('status', 'in', ['posted', 'cancelled'])
      .groupBy(['branch_id', 'issue_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return byDay(billing.figures, await q.execute(), 'issue_date');
  },
};

/** homeServices.scheduling.report (src-main/modules/home-services/scheduling/reports.ts), by the local date of the appointment. */
const appointmentsReport: HqReportDefinition = {
  key: 'homeServices.scheduling',
  title: 'Appointments by branch',
  figures: [
    { key: 'bookings', header: 'Bookings', kind: 'integer' },
    { key: 'bookedMinutes', header: 'Booked minutes', kind: 'integer' },
    { key: 'completed', header: 'Completed', kind: 'integer' },
    { key: 'open', header: 'Open', kind: 'integer' },
    { key: 'cancelled', header: 'Cancelled', kind: 'integer' },
    { key: 'lateCancellations', header: 'Late cancellations', kind: 'integer' },
    { key: 'noShows', header: 'No-shows', kind: 'integer' },
    { key: 'completedValueMinor', header: 'Completed value', kind: 'money' },
  ],
  async daily(hq, input) {
    let q = hq.db
      .selectFrom('appointments')
      .select([
        'branch_id',
        'local_date',
        sql<number>`count(*)`.as('bookings'),
        sql<number>`coalesce(sum(case when status not in ('cancelled', 'no_show') then duration_minutes end), 0)`.as('bookedMinutes'),
        sql<number>`count(case when status = 'completed' then 1 end)`.as('completed'),
        sql<number>`count(case when status in ('requested', 'confirmed', 'rescheduled') then 1 end)`.as('open'),
        sql<number>`count(case when status = 'cancelled' then 1 end)`.as('cancelled'),
        sql<number>`count(case when status = 'cancelled' and late_cancel = 1 then 1 end)`.as('lateCancellations'),
        sql<number>`count(case when status = 'no_show' then 1 end)`.as('noShows'),
        sql<number>`coalesce(sum(case when status = 'completed' then price_minor end), 0)`.as('completedValueMinor'),
      ])
      .where('local_date', '>=', input.from)
      .where('local_date', '<=', input.to)
      .groupBy(['branch_id', 'local_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return byDay(appointmentsReport.figures, await q.execute(), 'local_date');
  },
};

/** homeServices.visits.report (src-main/modules/home-services/visits/reports.ts), by the local date of the visit. */
const visitsReport: HqReportDefinition = {
  key: 'homeServices.visits',
  title: 'Home visits by branch',
  figures: [
    { key: 'visits', header: 'Visits', kind: 'integer' },
    { key: 'completed', header: 'Completed', kind: 'integer' },
    { key: 'verified', header: 'Verified', kind: 'integer' },
    { key: 'warnings', header: 'Warnings', kind: 'integer' },
    { key: 'exceptions', header: 'Exceptions', kind: 'integer' },
    { key: 'missed', header: 'Missed', kind: 'integer' },
    { key: 'corrected', header: 'Corrected', kind: 'integer' },
    { key: 'firstTimeRight', header: 'First time right', kind: 'integer' },
    { key: 'minutesOnSite', header: 'Minutes on site', kind: 'integer' },
  ],
  async daily(hq, input) {
    // Verification levels count only for visits that took place.
    let q = hq.db
      .selectFrom('visits')
      .select([
        'branch_id',
        'local_date',
        sql<number>`count(*)`.as('visits'),
        sql<number>`count(case when status = 'completed' then 1 end)`.as('completed'),
        sql<number>`count(case when status <> 'missed' and verification = 'verified' then 1 end)`.as('verified'),
        sql<number>`count(case when status <> 'missed' and verification = 'warning' then 1 end)`.as('warnings'),
        sql<number>`count(case when status <> 'missed' and verification = 'exception' then 1 end)`.as('exceptions'),
        sql<number>`count(case when status = 'missed' then 1 end)`.as('missed'),
        sql<number>`count(case when corrected = 1 then 1 end)`.as('corrected'),
        sql<number>`count(case when status = 'completed' and outcome = 'completed' then 1 end)`.as('firstTimeRight'),
        sql<number>`coalesce(sum(minutes_on_site), 0)`.as('minutesOnSite'),
      ])
      .where('local_date', '>=', input.from)
      .where('local_date', '<=', input.to)
      .groupBy(['branch_id', 'local_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return byDay(visitsReport.figures, await q.execute(), 'local_date');
  },
};

/**
 * The branch's subscription invoice report (issued, invoiced, credited by issue date) and its
 * subscription payments report (payments and amount by the local day taken), side by side.
 */
const subscriptionBilling: HqReportDefinition = {
  key: 'homeServices.subscriptions.billing',
  title: 'Subscription billing by branch',
  figures: [
    { key: 'issued', header: 'Invoices issued', kind: 'integer' },
    { key: 'invoiced', header: 'Invoiced', kind: 'money' },
    { key: 'credited', header: 'Credited', kind: 'money' },
    { key: 'payments', header: 'Payments', kind: 'integer' },
    { key: 'received', header: 'Payments received', kind: 'money' },
  ],
  async daily(hq, input) {
    let invoices = hq.db
      .selectFrom('subscription_invoices')
      .select([
        'branch_id',
        'issue_date',
        sql<number>`count(case when total_minor >= 0 then 1 end)`.as('issued'),
        sql<number>`coalesce(sum(case when total_minor > 0 then total_minor else 0 end), 0)`.as('invoiced'),
        sql<number>`coalesce(sum(case when total_minor < 0 then -total_minor else 0 end), 0)`.as('credited'),
      ])
      .where('issue_date', '>=', input.from)
      .where('issue_date', '<=', input.to)
      .groupBy(['branch_id', 'issue_date']);
    let payments = hq.db
      .selectFrom('counter_transactions')
      .select(['branch_id', 'local_date', sql<number>`count(*)`.as('payments'), sql<number>`coalesce(sum(amount_minor), 0)`.as('received')])
      .where('type', '=', 'subscription_payment')
      .where('local_date', '>=', input.from)
      .where('local_date', '<=', input.to)
      .groupBy(['branch_id', 'local_date']);
    if (input.branchId) {
      invoices = invoices.where('branch_id', '=', input.branchId);
      payments = payments.where('branch_id', '=', input.branchId);
    }
    return [
      ...byDay(subscriptionBilling.figures, await invoices.execute(), 'issue_date'),
      ...byDay(subscriptionBilling.figures, await payments.execute(), 'local_date'),
    ];
  },
};

export const HQ_REPORTS: readonly HqReportDefinition[] = [meterReadings, collections, billing, appointmentsReport, visitsReport, subscriptionBilling, journalActivity];

export interface HqReportRow {
  branchId: string;
  branchName: string;
  /** The bucket's first date, or `total` on a branch's total row. */
  key: string;
  label: string;
  values: Record<string, number>;
}

export interface HqReport {
  key: string;
  title: string;
  input: z.output<typeof hqReportInput>;
  figures: readonly Figure[];
  /** One row per branch and period, empty periods included so a quiet branch shows as zero. */
  rows: HqReportRow[];
  byBranch: HqReportRow[];
  totals: Record<string, number>;
}

function findReport(key: string): HqReportDefinition {
  const def = HQ_REPORTS.find((r) => r.key === key);
  if (!def) throw new AppError('NOT_FOUND', `There is no HQ report ${key}; there are ${HQ_REPORTS.map((r) => r.key).join(', ')}`);
  return def;
}

export async function runReport(hq: Hq, key: string, rawInput: HqReportInput): Promise<HqReport> {
  const def = findReport(key);
  const input = parseOrThrow(hqReportInput, rawInput);
  if (input.from > input.to) throw new AppError('VALIDATION', 'to: The end date is before the start date');

  let branchQuery = hq.db.selectFrom('branches').select(['id', 'name', 'week_start']).orderBy('name');
  if (input.branchId) branchQuery = branchQuery.where('id', '=', input.branchId);
  const branches = await branchQuery.execute();
  if (input.branchId && branches.length === 0) throw new AppError('NOT_FOUND', `Branch ${input.branchId} is not registered`);

  const zero = () => Object.fromEntries(def.figures.map((f) => [f.key, 0])) as Record<string, number>;
  const addInto = (into: Record<string, number>, values: Record<string, number>) => {
    for (const f of def.figures) into[f.key] = (into[f.key] ?? 0) + (values[f.key] ?? 0);
  };
  const round = (values: Record<string, number>) => {
    for (const f of def.figures) if (f.kind === 'decimal') values[f.key] = roundTotal(values[f.key] ?? 0);
  };

  const cells = new Map<string, HqReportRow>();
  const rows: HqReportRow[] = [];
  for (const b of branches) {
    for (const bucket of bucketsBetween(input.from, input.to, input.period, b.week_start)) {
      const row = { branchId: b.id, branchName: b.name, key: bucket.key, label: bucket.label, values: zero() };
      cells.set(`${b.id}|${bucket.key}`, row);
      rows.push(row);
    }
  }
  const weekStartOf = new Map(branches.map((b) => [b.id, b.week_start]));
  for (const d of await def.daily(hq, input)) {
    const weekStart = weekStartOf.get(d.branchId);
    if (weekStart === undefined) continue;
    const bucket: Bucket = bucketOfDate(d.day, input.period, weekStart);
    addInto(cells.get(`${d.branchId}|${bucket.key}`)!.values, d.values);
  }
  rows.forEach((r) => round(r.values));

  // Totals add up the rows as shown, so a printed report always adds up.
  const byBranch = branches.map((b) => {
    const values = zero();
    for (const r of rows) if (r.branchId === b.id) addInto(values, r.values);
    round(values);
    return { branchId: b.id, branchName: b.name, key: 'total', label: 'Total', values };
  });
  const totals = zero();
  for (const b of byBranch) addInto(totals, b.values);
  round(totals);
  return { key: def.key, title: def.title, input, figures: def.figures, rows, byBranch, totals };
}

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;

/** The report as an Excel workbook: branch totals first, then every branch × period. */
export async function exportReportXlsx(hq: Hq, key: string, rawInput: HqReportInput, printedBy: string): Promise<{ file: string; name: string }> {
  const report = await runReport(hq, key, rawInput);
  const figureColumns = report.figures.map<Column<HqReportRow>>((f) =>
    // Money is held in minor units; a workbook shows currency units with two decimals, as the branch exports do.
    f.kind === 'money'
      ? { header: f.header, value: (r) => (r.values[f.key] ?? 0) / 100, kind: 'decimal', numFmt: '#,##0.00', width: 14 }
      : { header: f.header, value: (r) => r.values[f.key] ?? 0, kind: f.kind, width: 14 },
  );
  const totalsRow: HqReportRow = { branchId: '', branchName: 'All branches', key: 'total', label: 'Total', values: report.totals };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-hq-report-'));
  const name = `${report.key}-${report.input.from}-${report.input.to}.xlsx`;
  const file = path.join(dir, name);
  await writeXlsx(
    file,
    {
      title: `${PERIOD_LABEL[report.input.period]} ${report.title.toLowerCase()}`,
      filters: [
        ['From', report.input.from],
        ['To', report.input.to],
        ['Branch', report.input.branchId ? (report.byBranch[0]?.branchName ?? report.input.branchId) : 'All branches'],
      ],
      printedBy,
      printedAt: hq.clock(),
      timeZone: 'UTC',
    },
    [
      sheet<HqReportRow>({
        name: 'By branch',
        columns: [{ header: 'Branch', value: (r) => r.branchName, width: 28 }, ...figureColumns],
        rows: report.byBranch,
        totals: totalsRow,
      }),
      sheet<HqReportRow>({
        name: 'By branch and period',
        columns: [
          { header: 'Branch', value: (r) => r.branchName, width: 28 },
          { header: 'Period', value: (r) => r.label, width: 22 },
          { header: 'Period start', value: (r) => (r.key === 'total' ? '' : r.key), kind: 'date', width: 12 },
          ...figureColumns,
        ],
        rows: report.rows,
        totals: totalsRow,
      }),
    ],
  );
  return { file, name };
}
