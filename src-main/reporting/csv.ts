import fs from 'node:fs';
import { once } from 'node:events';
import type { CellValue, Column } from './columns';
import type { WriteOptions } from './excel';

/**
 * CSV as RFC 4180 says (comma, CRLF, quotes doubled) with a UTF-8 byte-order mark so Excel reads
 * accented names correctly.
 */
export function csvField(value: CellValue): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  // A text cell starting with = + - @ would run as a formula when the file is opened in a
  // spreadsheet (CSV injection); a leading apostrophe keeps it text. Numbers are left alone.
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvLine = (values: readonly CellValue[]): string => `${values.map(csvField).join(',')}\r\n`;

/** Streams rows to `filePath`, waiting whenever the disk is slower than the rows come. */
export async function writeCsv<Row>(
  filePath: string,
  columns: readonly Column<Row>[],
  rows: Iterable<Row>,
  options: WriteOptions = {},
): Promise<void> {
  const out = fs.createWriteStream(filePath, { encoding: 'utf8' });
  const every = options.every ?? 500;
  let written = 0;
  try {
    out.write(`\uFEFF${csvLine(columns.map((c) => c.header))}`);
    for (const row of rows) {
      const ok = out.write(csvLine(columns.map((c) => c.value(row))));
      written += 1;
      if (written % every === 0) options.onRows?.(written);
      if (!ok) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    options.onRows?.(written);
  } catch (err) {
    out.destroy();
    throw err;
  }
}
