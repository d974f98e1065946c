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
  kind: 'integer' | 'decimal';
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
    return (await q.execute()).map((r) => ({
      branchId: r.branch_id,
      day: r.read_date,
      values: { readings: n(r.readings), actual: n(r.actual), estimated: n(r.estimated), skipped: n(r.skipped), exceptions: n(r.exceptions), consumption: n(r.consumption) },
    }));
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
        sql<number>`sum(case when entity = 'session' and action = 'signed in' then 1 else 0 end)`.as('sign_ins'),
      ])
      .where('local_date', '>=', input.from)
      .where('local_date', '<=', input.to)
      .groupBy(['branch_id', 'local_date']);
    if (input.branchId) q = q.where('branch_id', '=', input.branchId);
    return (await q.execute()).map((r) => ({
      branchId: r.branch_id,
      day: r.local_date,
      values: { events: n(r.events), approved: n(r.approved), signIns: n(r.sign_ins) },
    }));
  },
};

export const HQ_REPORTS: readonly HqReportDefinition[] = [meterReadings, journalActivity];

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
  const figureColumns = report.figures.map<Column<HqReportRow>>((f) => ({ header: f.header, value: (r) => r.values[f.key] ?? 0, kind: f.kind, width: 14 }));
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
