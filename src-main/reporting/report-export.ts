import { reportsExport, type ReportResult, type ReportRow } from '../../src-shared/contracts/reports';
import type { JobContext } from '../core/jobs/types';
import type { Column } from './columns';
import { sheet, writeXlsx, type TitleBlock } from './excel';
import { writeCsv } from './csv';
import { exportJob, type ExportFormat } from './export-job';
import { requirePermission, type ReportEntry, type ReportingCatalogue } from './catalogue';
import { countRecords, iterateRecords, runReport, type RecordRow } from './engine';
import type { RecordColumnDef } from './definitions';
import { localWallClock } from './local-time';

export const REPORT_EXPORT_JOB = 'reports.export';

const PERIOD_LABEL = { day: 'Daily', week: 'Weekly', month: 'Monthly' } as const;
const MONEY_FORMAT = '#,##0.00';

/** Excel number format of a figure with `decimals` places. */
const decimalFormat = (decimals: number) => (decimals <= 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`);

/** Money is stored in minor units; sheets show major units so sums in Excel read as amounts. */
const major = (minor: number | null | undefined) => (minor === null || minor === undefined ? null : minor / 100);

function summaryColumns(result: ReportResult): Column<ReportRow>[] {
  return [
    { header: result.groupLabel, value: (r) => r.label, width: 30 },
    ...result.measures.map<Column<ReportRow>>((m) =>
      m.unit === 'money'
        ? { header: `${m.label}`, value: (r) => major(r.values[m.key]), kind: 'decimal', numFmt: MONEY_FORMAT, width: 16 }
        : { header: m.unit === 'percent' ? `${m.label} (%)` : m.label, value: (r) => r.values[m.key], kind: 'decimal', numFmt: decimalFormat(m.decimals), width: 14 },
    ),
  ];
}

/** Record columns for a format: Excel gets typed cells, CSV plain local text. */
function recordColumns(entry: ReportEntry, format: ExportFormat, timeZone: string): Column<RecordRow>[] {
  const wallClock = localWallClock(timeZone);
  return entry.def.records.columns.filter((c) => !c.hidden).map((c: RecordColumnDef): Column<RecordRow> => {
    const raw = (r: RecordRow) => r.values[c.key];
    switch (c.kind) {
      case 'money':
        return { header: c.header, value: (r) => major(raw(r) as number | null), kind: 'decimal', numFmt: MONEY_FORMAT, width: c.width ?? 14 };
      case 'datetime':
        return {
          header: c.header,
          value: (r) => {
            const v = raw(r);
            // Excel gets seconds (it stores a date); CSV reads better to the minute.
            return typeof v === 'string' ? (format === 'xlsx' ? wallClock(v) : wallClock(v).slice(0, 16)) : v;
          },
          kind: 'datetime',
          width: c.width ?? 17,
        };
      case 'decimal':
        return { header: c.header, value: raw, kind: 'decimal', width: c.width };
      default:
        return { header: c.header, value: raw, kind: c.kind, width: c.width };
    }
  });
}

/**
 * The export job. Excel: a summary sheet (the report as run, with its totals row) and a detail
 * sheet of every record it counts, both with the title block (filters, who printed it, when).
 * CSV: one table, the records or the summary.
 */
export async function runReportExport(job: JobContext, raw: unknown, catalogue: ReportingCatalogue) {
  const input = reportsExport.input.parse(raw);
  const entry = catalogue.report(input.report);
  // Rights are checked again: a role may have lost export between the request and the run.
  requirePermission(job.principal, entry.fn.functionKey, 'export');
  const db = job.kernel.db;
  const branch = job.kernel.branch();
  const result = runReport(db, branch, entry, input);
  const scope = { from: input.from, to: input.to, filters: input.filters };
  const title = `${entry.def.label} ${input.from} to ${input.to}`;
  const by = input.groupBy === 'period' ? PERIOD_LABEL[input.period].toLowerCase() : `by ${result.groupLabel.toLowerCase()}`;
  return exportJob(job, {
    title,
    format: input.format,
    write: async (filePath, tick) => {
      const total = countRecords(db, branch, entry, scope);
      if (input.format === 'csv') {
        if (input.csvContent === 'summary') {
          await writeCsv(filePath, summaryColumns(result), [...result.rows, { key: 'total', label: 'Total', from: null, to: null, values: result.totals }]);
        } else {
          await writeCsv(filePath, recordColumns(entry, 'csv', branch.timeZone), iterateRecords(db, branch, entry, scope), {
            onRows: (n) => tick(n, total),
          });
        }
        return;
      }
      const block: TitleBlock = {
        title: `${title} — ${branch.name}`,
        filters: [
          ['Report', `${entry.def.label}, ${by}`],
          ['From', input.from],
          ['To', input.to],
          ...result.filterLabels.map((f) => [f.label, f.value] as const),
        ],
        printedBy: job.principal.displayName,
        printedAt: job.kernel.clock(),
        timeZone: branch.timeZone,
      };
      await writeXlsx(
        filePath,
        block,
        [
          sheet({
            name: 'Summary',
            columns: summaryColumns(result),
            rows: result.rows,
            totals: { key: 'total', label: 'Total', from: null, to: null, values: result.totals },
          }),
          sheet({ name: capitalise(`${entry.def.recordLabel}s`), columns: recordColumns(entry, 'xlsx', branch.timeZone), rows: iterateRecords(db, branch, entry, scope) }),
        ],
        { onRows: (n) => tick(n, total + result.rows.length), every: 1000 },
      );
    },
  });
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
