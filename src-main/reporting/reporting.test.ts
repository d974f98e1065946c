import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { bucketOfDate, bucketOfInstant, bucketsBetween, instantRange, localDateOf } from './periods';
import { csvField, csvLine, writeCsv } from './csv';
import { sheet, writeXlsx } from './excel';
import type { Column } from './columns';
import { urgentFirst } from './dashboard';

describe('period buckets', () => {
  it('puts UTC instants on the branch’s local day, also on the night clocks change', () => {
    // New York springs forward at 02:00 local on 10 March 2024 (07:00 UTC): UTC−5 before, UTC−4 after.
    expect(localDateOf('2024-03-10T04:59:00Z', 'America/New_York')).toBe('2024-03-09');
    expect(localDateOf('2024-03-10T05:00:00Z', 'America/New_York')).toBe('2024-03-10');
    expect(localDateOf('2024-03-11T03:59:00Z', 'America/New_York')).toBe('2024-03-10');
    expect(localDateOf('2024-03-11T04:00:00Z', 'America/New_York')).toBe('2024-03-11');
    // ...and falls back on 3 November: the local day is 25 hours long.
    expect(localDateOf('2024-11-04T04:59:00Z', 'America/New_York')).toBe('2024-11-03');
    expect(localDateOf('2024-11-04T05:00:00Z', 'America/New_York')).toBe('2024-11-04');
  });

  it('bounds a local day range by local midnights, 23 and 25 hours apart around the changes', () => {
    const spring = instantRange('2024-03-10', '2024-03-10', 'America/New_York');
    expect(spring).toEqual({ fromInstant: '2024-03-10T05:00:00.000Z', toInstant: '2024-03-11T04:00:00.000Z' });
    const autumn = instantRange('2024-11-03', '2024-11-03', 'America/New_York');
    expect(autumn).toEqual({ fromInstant: '2024-11-03T04:00:00.000Z', toInstant: '2024-11-04T05:00:00.000Z' });
  });

  it.each([
    // date, weekStart, bucket start, end
    ['2024-03-10', 1, '2024-03-04', '2024-03-10'], // Sunday in a Monday week
    ['2024-03-10', 0, '2024-03-10', '2024-03-16'], // Sunday starts a Sunday week
    ['2024-03-09', 6, '2024-03-09', '2024-03-15'], // Saturday weeks
    ['2024-01-01', 1, '2024-01-01', '2024-01-07'],
    ['2023-12-31', 1, '2023-12-25', '2023-12-31'], // weeks cross the year end
  ])('the week of %s with week start %i runs %s – %s', (date, weekStart, start, end) => {
    expect(bucketOfDate(date, 'week', weekStart)).toMatchObject({ key: start, start, end });
  });

  it('labels days, weeks and months as people read them', () => {
    expect(bucketOfDate('2024-03-10', 'day').label).toBe('Sun 10 Mar 2024');
    expect(bucketOfDate('2024-03-10', 'week').label).toBe('Week of 4 Mar 2024');
    expect(bucketOfDate('2024-02-10', 'month')).toEqual({ key: '2024-02-01', start: '2024-02-01', end: '2024-02-29', label: 'February 2024' });
  });

  it('buckets an instant by its local date', () => {
    expect(bucketOfInstant('2024-03-31T22:30:00Z', 'month', 'Africa/Johannesburg').key).toBe('2024-04-01');
    expect(bucketOfInstant('2024-03-31T22:30:00Z', 'month', 'UTC').key).toBe('2024-03-01');
  });

  it('lists every bucket touching a range, empty ones included', () => {
    expect(bucketsBetween('2024-02-28', '2024-03-02', 'day').map((b) => b.key)).toEqual(['2024-02-28', '2024-02-29', '2024-03-01', '2024-03-02']);
    expect(bucketsBetween('2024-01-15', '2024-04-02', 'month').map((b) => b.key)).toEqual(['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01']);
    expect(bucketsBetween('2024-03-02', '2024-03-18', 'week', 1).map((b) => b.key)).toEqual(['2024-02-26', '2024-03-04', '2024-03-11', '2024-03-18']);
    expect(bucketsBetween('2024-03-02', '2024-03-01', 'day')).toEqual([]);
  });
});

describe('CSV', () => {
  it('quotes what RFC 4180 needs quoted and nothing else', () => {
    expect(csvLine(['plain', 12, null, 'a,b', 'say "hi"', 'two\nlines'])).toBe('plain,12,,"a,b","say ""hi""","two\nlines"\r\n');
  });

  it('keeps text that looks like a formula from running in a spreadsheet, but not negative numbers', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('-1+2')).toBe("'-1+2");
    expect(csvField(-42)).toBe('-42');
  });

  it('streams rows behind a byte-order mark', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-csv-')), 'out.csv');
    const columns: Column<{ name: string; n: number }>[] = [
      { header: 'Name', value: (r) => r.name },
      { header: 'N', value: (r) => r.n, kind: 'integer' },
    ];
    const progress: number[] = [];
    await writeCsv(file, columns, [{ name: 'Zoë', n: 1 }, { name: 'Ann', n: 2 }, { name: 'Bo', n: 3 }], { every: 2, onRows: (n) => progress.push(n) });
    expect(fs.readFileSync(file, 'utf8')).toBe('\uFEFFName,N\r\nZoë,1\r\nAnn,2\r\nBo,3\r\n');
    expect(progress).toEqual([2, 3]);
  });
});

describe('Excel', () => {
  it('writes 100,000 detail rows through the streaming writer with a title block, styled header and formats', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-xlsx-')), 'big.xlsx');
    type Row = { date: string; name: string; units: number };
    function* rows(): Generator<Row> {
      for (let i = 0; i < 100_000; i += 1) yield { date: '2024-03-10', name: `Row ${i}`, units: i / 4 };
    }
    const columns: Column<Row>[] = [
      { header: 'Date', value: (r) => r.date, kind: 'date' },
      { header: 'Name', value: (r) => r.name },
      { header: 'Units', value: (r) => r.units, kind: 'decimal' },
    ];
    const heapBefore = process.memoryUsage().heapUsed;
    let peak = 0;
    await writeXlsx(
      file,
      { title: 'Big export', filters: [['Route', 'R01']], printedBy: 'Ada Admin', printedAt: new Date('2024-03-10T12:00:00Z'), timeZone: 'America/New_York' },
      [sheet({ name: 'Detail', columns, rows: rows(), totals: { date: '', name: 'Total', units: 1 } })],
      { every: 5000, onRows: () => (peak = Math.max(peak, process.memoryUsage().heapUsed - heapBefore)) },
    );
    // The rows never sit in memory together: far less than the ~100 MB a buffered workbook takes.
    expect(peak).toBeLessThan(60 * 1024 * 1024);

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const ws = workbook.getWorksheet('Detail')!;
    expect(ws.getCell('A1').value).toBe('Big export');
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.getCell('A2').value).toBe('Filters: Route R01');
    expect(ws.getCell('A3').value).toBe('Printed by Ada Admin on 2024-03-10 08:00 (America/New_York)');
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual(['Date', 'Name', 'Units']);
    expect(ws.getCell('B4').font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
    expect(ws.autoFilter).toBe('A4:C100004');
    expect(ws.getCell('A5').value).toEqual(new Date('2024-03-10T00:00:00Z'));
    expect(ws.getCell('A5').numFmt).toBe('yyyy-mm-dd');
    expect(ws.getCell('C7').value).toBe(0.5);
    expect(ws.getCell('C7').numFmt).toBe('#,##0.000');
    expect(ws.getCell('B100005').value).toBe('Total');
    expect(ws.getCell('B100005').font?.bold).toBe(true);
  }, 120_000);
});

describe('review queue order', () => {
  it('puts critical exceptions first, then the oldest, so old warnings do not crowd them out', () => {
    const items = [
      { id: 'old warning', severity: 'warning' as const, since: '2025-01-01T00:00:00Z' },
      { id: 'new critical', severity: 'critical' as const, since: '2025-03-01T00:00:00Z' },
      { id: 'info', severity: 'info' as const, since: '2024-01-01T00:00:00Z' },
      { id: 'old critical', severity: 'critical' as const, since: '2025-02-01T00:00:00Z' },
      { id: 'new warning', severity: 'warning' as const, since: '2025-02-15T00:00:00Z' },
    ];
    expect([...items].sort(urgentFirst).map((i) => i.id)).toEqual(['old critical', 'new critical', 'old warning', 'new warning', 'info']);
  });
});
