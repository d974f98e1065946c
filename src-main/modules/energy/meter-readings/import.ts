import ExcelJS from 'exceljs';
import { z } from 'zod';
import { AppError } from '../../../../src-shared/errors';
import type { ImportResult, Reading } from '../../../../src-shared/contracts/energy/meter-readings';
import type { RpcResult } from '../../../../src-shared/rpc';
import type { JobContext } from '../../../core/jobs/types';
import { writeTransaction } from '../../../core/db/store';
import { meterIdsBySerial } from './queries';

/**
 * Import of a handheld export. The mutation only checks the upload and starts this job; the job
 * saves every row through the same `energy.meterReadings.create` as the entry screen, so a row
 * gets exactly the VEE, permissions and audit a typed reading gets. One regular read per meter
 * and day makes a second run of the same file a no-op: its rows come back as duplicates.
 */
export const IMPORT_JOB = 'energy.meterReadings.import';

/** Rows saved per commit, and between progress reports and cancel checks. */
const CHUNK_ROWS = 250;

/* ---------------- the upload ---------------- */

const uploadIssue = (message: string) =>
  new AppError('VALIDATION', `contentBase64: ${message}`, { issues: [{ path: 'contentBase64', message }] });

/** Decodes and sanity-checks an upload before a job is started for it. */
export function decodeUpload(fileName: string, contentBase64: string): Buffer {
  const compact = contentBase64.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) throw uploadIssue('The file could not be read (it is not base64)');
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length === 0) throw uploadIssue('The file is empty');
  if (/\.xlsx$/i.test(fileName)) {
    // Every .xlsx is a zip archive; anything else renamed to .xlsx would fail later with a riddle.
    if (bytes.readUInt32LE(0) !== 0x04034b50) throw uploadIssue('This is not an Excel .xlsx workbook');
  } else if (bytes.includes(0)) {
    throw uploadIssue('This is not a text CSV file');
  }
  return bytes;
}

/* ---------------- reading the table ---------------- */

export type RawCell = string | number | Date | null;

/**
 * RFC 4180 CSV: quoted fields may hold delimiters, quotes (doubled) and line breaks; records end
 * in CRLF or LF. The delimiter is read from the header line, because spreadsheets in many
 * locales save with semicolons.
 */
export function parseCsv(text: string): string[][] {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const delimiter = detectDelimiter(source);
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = source.length;
  while (i < n) {
    const c = source[i]!;
    if (quoted) {
      if (c === '"') {
        if (source[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += c;
      }
      i += 1;
      continue;
    }
    if (c === '"' && field === '') {
      quoted = true;
    } else if (c === delimiter) {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (c === '\r' && source[i + 1] === '\n') i += 1;
    } else {
      field += c;
    }
    i += 1;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}

function detectDelimiter(text: string): string {
  const end = text.search(/\r|\n/);
  const header = (end === -1 ? text : text.slice(0, end)).replace(/"[^"]*"/g, '');
  const counts = [',', ';', '\t'].map((d) => ({ d, n: header.split(d).length - 1 }));
  counts.sort((a, b) => b.n - a.n);
  return counts[0]!.n > 0 ? counts[0]!.d : ',';
}

function plainCell(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number') return value;
  if (typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value;
  if ('richText' in value) return value.richText.map((part) => part.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return plainCell((value as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
  if ('hyperlink' in value) return String(value.text);
  return null;
}

/** The first sheet of a workbook as rows of plain values; index = row number − 1. */
export async function readXlsx(bytes: Buffer): Promise<RawCell[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  if (!sheet) throw new Error('The workbook has no sheets');
  const rows: RawCell[][] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    const values = row.values as ExcelJS.CellValue[];
    // row.values is 1-based: index 0 is always empty.
    rows[rowNumber - 1] = values.slice(1).map(plainCell);
  });
  for (let i = 0; i < rows.length; i += 1) rows[i] ??= [];
  return rows;
}

/* ---------------- rows → create calls ---------------- */

export const IMPORT_COLUMNS = ['meter_serial', 'read_date', 'value', 'read_type', 'skip_code', 'remark'] as const;
type ImportColumn = (typeof IMPORT_COLUMNS)[number];

/** Where each create field comes from in the file, so a refused field is named as the file names it. */
const COLUMN_OF_FIELD: Record<string, ImportColumn> = {
  meterId: 'meter_serial',
  readDate: 'read_date',
  value: 'value',
  readType: 'read_type',
  skipCode: 'skip_code',
  remark: 'remark',
};

const headerName = (cell: RawCell): string =>
  String(cell ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

/** Finds the header row (a title block may sit above it) and where each known column is. */
function locateColumns(rows: RawCell[][]): { headerRow: number; at: Partial<Record<ImportColumn, number>> } {
  const headerRow = rows.slice(0, 20).findIndex((cells) => cells.some((c) => headerName(c) === 'meter_serial'));
  if (headerRow === -1) throw new Error('The file has no header row with a meter_serial column (expected: meter_serial, read_date, value, read_type, skip_code, remark)');
  const at: Partial<Record<ImportColumn, number>> = {};
  rows[headerRow]!.forEach((cell, index) => {
    const name = headerName(cell) as ImportColumn;
    if ((IMPORT_COLUMNS as readonly string[]).includes(name) && at[name] === undefined) at[name] = index;
  });
  if (at.read_date === undefined) throw new Error('The file has no read_date column');
  if (at.value === undefined && at.skip_code === undefined) throw new Error('The file has neither a value nor a skip_code column');
  return { headerRow, at };
}

const text = (cell: RawCell | undefined): string | undefined => {
  if (cell === null || cell === undefined) return undefined;
  const s = (cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell)).trim();
  return s === '' ? undefined : s;
};

/** Excel stores dates as days since 1899-12-30; a date column typed as number arrives like that. */
const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);

function dateCell(cell: RawCell | undefined): string | undefined {
  if (cell instanceof Date) return cell.toISOString().slice(0, 10);
  if (typeof cell === 'number' && cell > 0 && cell < 2_958_466) return new Date(EXCEL_EPOCH_MS + Math.round(cell) * 86_400_000).toISOString().slice(0, 10);
  return text(cell);
}

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

function valueCell(cell: RawCell | undefined): Parsed<number | undefined> {
  if (typeof cell === 'number') return { ok: true, value: cell };
  const s = text(cell);
  if (s === undefined) return { ok: true, value: undefined };
  if (/^\d+$/.test(s)) return { ok: true, value: Number(s) };
  return { ok: false, reason: `value: "${s}" is not a whole register reading` };
}

const emptyRow = (cells: RawCell[]): boolean => cells.every((c) => text(c) === undefined);

function describeFailure(error: Extract<RpcResult<unknown>, { ok: false }>['error']): string {
  const issues = error.details?.issues;
  if (issues?.length) {
    return issues.map((i) => `${COLUMN_OF_FIELD[i.path.split('.')[0] ?? ''] ?? (i.path || 'row')}: ${i.message}`).join('; ');
  }
  return error.message;
}

const jobInput = z.object({ fileName: z.string(), contentBase64: z.string() });

export async function runImport(job: JobContext, raw: unknown): Promise<ImportResult> {
  const input = jobInput.parse(raw);
  const bytes = Buffer.from(input.contentBase64, 'base64');
  const rows: RawCell[][] = /\.xlsx$/i.test(input.fileName) ? await readXlsx(bytes) : parseCsv(bytes.toString('utf8'));
  const { headerRow, at } = locateColumns(rows);
  const meterIds = meterIdsBySerial(job.kernel.db);
  const result: ImportResult = { total: 0, saved: 0, exceptions: 0, duplicates: 0, failed: [] };

  const importRow = (index: number): void => {
    const rowNumber = index + 1; // as the spreadsheet numbers it
    const cells = rows[index]!;
    if (emptyRow(cells)) return;
    result.total += 1;
    const cell = (column: ImportColumn): RawCell | undefined => (at[column] === undefined ? undefined : cells[at[column]]);
    const fail = (reason: string): void => {
      result.failed.push({ row: rowNumber, reason });
    };

    const serial = text(cell('meter_serial'));
    if (!serial) return fail('meter_serial: missing');
    const meterId = meterIds.get(serial.toUpperCase());
    if (!meterId) return fail(`meter_serial: no meter with serial ${serial}`);
    const value = valueCell(cell('value'));
    if (!value.ok) return fail(value.reason);
    const entry: Record<string, unknown> = { meterId, readDate: dateCell(cell('read_date')) ?? '', source: 'import' };
    if (value.value !== undefined) entry.value = value.value;
    const readType = text(cell('read_type'))?.toLowerCase();
    if (readType) entry.readType = readType;
    const skipCode = text(cell('skip_code'))?.toLowerCase();
    if (skipCode) entry.skipCode = skipCode;
    const remark = text(cell('remark'));
    if (remark) entry.remark = remark;

    const answer = job.dispatch('energy.meterReadings.create', entry);
    if (answer.ok) {
      result.saved += 1;
      if ((answer.result as Reading).status === 'exception') result.exceptions += 1;
    } else if (answer.error.code === 'RULE_VIOLATION' && answer.error.details?.rule === 'reading.duplicate') {
      result.duplicates += 1;
    } else {
      fail(describeFailure(answer.error));
    }
  };

  for (let start = headerRow + 1; start < rows.length; start += CHUNK_ROWS) {
    if (job.cancelled()) break;
    job.progress(start / rows.length, `Row ${(start + 1).toLocaleString('en-US')} of ${rows.length.toLocaleString('en-US')}`);
    const end = Math.min(rows.length, start + CHUNK_ROWS);
    // Each row is still its own pipeline call: inside this transaction its transaction becomes a
    // savepoint, so a refused row rolls back alone, while the commit (the costly part of a small
    // write) is paid once per chunk. The write lock is held for one chunk only, so the window's
    // own saves wait a few dozen milliseconds at most.
    writeTransaction(job.kernel.db, () => {
      for (let index = start; index < end; index += 1) importRow(index);
    });
  }
  job.progress(1, `${result.saved.toLocaleString('en-US')} saved, ${result.failed.length.toLocaleString('en-US')} refused`);
  return result;
}
