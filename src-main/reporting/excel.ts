import fs from 'node:fs';
import ExcelJS from 'exceljs';
import dayjs from 'dayjs';
import utc from 'dayjs/plugin/utc';
import timezone from 'dayjs/plugin/timezone';
import { NUMBER_FORMATS, type CellValue, type Column } from './columns';

dayjs.extend(utc);
dayjs.extend(timezone);

/** What every exported workbook says above its tables: what it is, which filters, who printed it when. */
export interface TitleBlock {
  title: string;
  /** Filter name → value as the user chose it, e.g. ['Route', 'R01 Riverside North']. */
  filters: readonly (readonly [string, string])[];
  printedBy: string;
  printedAt: Date;
  timeZone: string;
}

export interface SheetSpec<Row> {
  name: string;
  columns: readonly Column<Row>[];
  rows: Iterable<Row>;
  /** A closing row in bold (report totals). */
  totals?: Row;
}

/** Lets sheets of different row types sit in one workbook list. */
export const sheet = <Row>(spec: SheetSpec<Row>): SheetSpec<unknown> => spec as unknown as SheetSpec<unknown>;

export interface WriteOptions {
  /** Called every `every` rows with the count written so far: progress, and a place to stop. */
  onRows?: (written: number) => void;
  every?: number;
}

const LOCAL_DATE_TIME = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/;

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE9ECEF' } };

function toCell(value: CellValue, kind: Column<unknown>['kind']): ExcelJS.CellValue {
  if (value === null || value === undefined || value === '') return null;
  // Dates are written as true Excel dates (UTC midnight is the serial day itself), so filters and
  // date arithmetic work in Excel; a local date must not be shifted by the printing machine's zone.
  if (kind === 'date' && typeof value === 'string') return new Date(`${value}T00:00:00Z`);
  // Local wall-clock date-times, pinned to UTC the same way, so Excel shows the branch's time.
  if (kind === 'datetime' && typeof value === 'string' && LOCAL_DATE_TIME.test(value)) return new Date(`${value.replace(' ', 'T')}Z`);
  return value;
}

/**
 * Writes a workbook with the streaming writer: each row is committed as it is written and the
 * event loop gets a turn every few hundred rows so the zip stream drains, keeping memory flat for
 * 100k-row detail sheets. Every sheet: title block, bold frozen header, autofilter, number formats.
 */
export async function writeXlsx(filePath: string, title: TitleBlock, sheets: readonly SheetSpec<unknown>[], options: WriteOptions = {}): Promise<void> {
  const out = fs.createWriteStream(filePath);
  try {
    await writeSheets(out, title, sheets, options);
  } catch (err) {
    // A cancelled or failed export must not keep the half-written file open.
    out.destroy();
    throw err;
  }
}

async function writeSheets(out: fs.WriteStream, title: TitleBlock, sheets: readonly SheetSpec<unknown>[], options: WriteOptions): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Plug1 Operations';
  workbook.created = title.printedAt;
  const every = options.every ?? 500;
  let written = 0;

  const titleLines = [
    `Filters: ${title.filters.length ? title.filters.map(([k, v]) => `${k} ${v}`).join(' · ') : 'none'}`,
    `Printed by ${title.printedBy} on ${dayjs(title.printedAt).tz(title.timeZone).format('YYYY-MM-DD HH:mm')} (${title.timeZone})`,
  ];
  const headerRowNumber = 2 + titleLines.length;

  for (const spec of sheets) {
    const ws = workbook.addWorksheet(spec.name, {
      views: [{ state: 'frozen', ySplit: headerRowNumber, xSplit: 0 }],
    });
    // One style object per column, shared by all its cells: exceljs caches styles by object
    // identity, and a fresh object per cell is rendered to XML and looked up again every time,
    // which was most of the cost of a 100k-row sheet.
    const styles = spec.columns.map((c): Partial<ExcelJS.Style> => {
      const numFmt = c.numFmt ?? NUMBER_FORMATS[c.kind ?? 'text'];
      return numFmt ? { numFmt } : {};
    });
    const boldStyles = styles.map((style): Partial<ExcelJS.Style> => ({ ...style, font: { bold: true } }));
    ws.columns = spec.columns.map((c, i) => ({ width: c.width ?? Math.max(10, c.header.length + 2), style: styles[i] }));

    const titleRow = ws.addRow([title.title]);
    titleRow.font = { bold: true, size: 14 };
    titleRow.commit();
    for (const line of titleLines) ws.addRow([line]).commit();

    const header = ws.addRow(spec.columns.map((c) => c.header));
    header.eachCell((cell) => {
      cell.font = { bold: true };
      cell.fill = HEADER_FILL;
      cell.border = { bottom: { style: 'thin' } };
      cell.numFmt = '@';
    });
    header.commit();

    let rowNumber = headerRowNumber;
    const addRow = (row: unknown, bold: boolean) => {
      const added = ws.addRow(spec.columns.map((c) => toCell(c.value(row), c.kind)));
      const rowStyles = bold ? boldStyles : styles;
      for (let i = 0; i < rowStyles.length; i += 1) added.getCell(i + 1).style = rowStyles[i]!;
      added.commit();
      rowNumber += 1;
    };
    for (const row of spec.rows) {
      addRow(row, false);
      written += 1;
      if (written % every === 0) {
        options.onRows?.(written);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
    // The filter covers the data rows only, so sorting never moves the totals row into them.
    ws.autoFilter = { from: { row: headerRowNumber, column: 1 }, to: { row: rowNumber, column: spec.columns.length } };
    if (spec.totals !== undefined) addRow(spec.totals, true);
    ws.commit();
  }
  await workbook.commit();
  options.onRows?.(written);
}
