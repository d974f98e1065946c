import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { Kysely, Migrator, PostgresDialect, SqliteDialect } from 'kysely';
import pgDriver from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hqMigrations } from '../../migrations/hq';
import { HQ_SQLITE_FILE } from '../../src-hq/db/connect';
import type { HqDatabase } from '../../src-hq/db/schema';
import { openHq } from '../../src-hq/hq';
import { runReport } from '../../src-hq/reports';
import { tempDir, type TestApp } from '../support/app';
import { connect, syncOnce } from './support/branch';
import { ADMIN_TOKEN, startTestHq, type Backend, type TestHq } from './support/hq';
import { openCopy, seedMoneyBranch, type SeededBranch } from './support/money-branch';
import { startPostgres, type PgCluster } from './support/postgres';

/**
 * HQ's consolidated money and workload reports: counter collections, utility billing,
 * appointments and subscription billing, materialised from the journal and reported by branch
 * with the branch app's own definitions. For each, HQ's figures for a branch equal that branch's
 * own report over the same range, period by period; reversals count as the branch counts them.
 * One branch is in New York, where the counter's evening is already the next day in UTC.
 */
const NOW = new Date('2026-03-16T02:30:00Z');
const WIDE = { from: '2025-09-01', to: '2026-06-30' };
const MARCH = { from: '2026-03-01', to: '2026-03-31' };

interface HqRow {
  branchId: string;
  branchName: string;
  key: string;
  values: Record<string, number>;
}
interface HqReport {
  figures: { key: string; header: string; kind: string }[];
  rows: HqRow[];
  byBranch: HqRow[];
  totals: Record<string, number>;
}
type BranchRow = Record<string, number | string>;

let pg: PgCluster;
const seeded: SeededBranch[] = [];
beforeAll(async () => {
  pg = await startPostgres();
  seeded.push(await seedMoneyBranch({ timeZone: 'Africa/Johannesburg', today: '2026-03-16', now: NOW, seed: 11 }));
  seeded.push(await seedMoneyBranch({ timeZone: 'America/New_York', today: '2026-03-15', now: NOW, seed: 12 }));
}, 240_000);
afterAll(async () => {
  await pg?.stop();
});

/** The branch row's figures named in `keys` (the branch rows also carry key and label). */
const pick = (row: BranchRow, keys: readonly string[]) => Object.fromEntries(keys.map((k) => [k, row[k]]));

describe.each<Backend>(['sqlite', 'postgres'])('money and workload reports at HQ on %s', (backend) => {
  let hq: TestHq;
  const branches: TestApp[] = [];
  beforeAll(async () => {
    hq = await startTestHq(backend, pg);
    for (const s of seeded) {
      const t = openCopy(s, NOW);
      branches.push(t);
      connect(t, hq.url, await hq.register(t));
      expect((await syncOnce(t, { timeoutMs: 30_000 })).outcome).toBe('succeeded');
    }
  }, 120_000);
  afterAll(async () => {
    for (const t of branches) await t.close();
    await hq?.close();
  });

  const report = (key: string, range: { from: string; to: string }, period: string) =>
    hq.admin<HqReport>('GET', `/admin/reports/${key}?from=${range.from}&to=${range.to}&period=${period}`);

  /** HQ's rows for one branch must equal the branch's own, period by period and in total. */
  function expectSame(atHq: HqReport, t: TestApp, own: { rows: BranchRow[]; totals: BranchRow }, keys: readonly string[]) {
    const branchId = t.kernel.branch().id;
    expect(atHq.byBranch.find((b) => b.branchId === branchId)!.values).toEqual(pick(own.totals, keys));
    const rows = atHq.rows.filter((r) => r.branchId === branchId);
    expect(rows.map((r) => r.key)).toEqual(own.rows.map((r) => r.key));
    expect(rows.map((r) => r.values)).toEqual(own.rows.map((r) => pick(r, keys)));
  }

  it('lists the new reports with money figures, so they are reachable and exportable', async () => {
    const list = await hq.admin<{ key: string; figures: { key: string; kind: string }[] }[]>('GET', '/admin/reports');
    expect(list.map((r) => r.key)).toEqual(
      expect.arrayContaining(['energy.counter.collections', 'energy.billing', 'homeServices.scheduling', 'homeServices.visits', 'homeServices.subscriptions.billing']),
    );
    const collections = list.find((r) => r.key === 'energy.counter.collections')!;
    expect(collections.figures.filter((f) => f.kind === 'money').map((f) => f.key)).toEqual(['taken', 'refunded', 'net']);
  });

  it('counter collections: each branch’s figures are its collections report’s, reversals included, day by day', async () => {
    const keys = ['transactions', 'taken', 'refunded', 'net', 'payments', 'vends', 'reversals'];
    for (const [range, period] of [
      [WIDE, 'month'],
      [MARCH, 'day'],
    ] as const) {
      const atHq = await report('energy.counter.collections', range, period);
      for (const t of branches) {
        const own = t.ok<{ rows: BranchRow[]; totals: BranchRow }>('supervisor', 'energy.counter.report', { ...range, period });
        expect(own.totals.payments).toBeGreaterThan(1);
        // The payment and the vend reversed in the last shift.
        expect(own.totals.reversals).toBe(2);
        expect(own.totals.refunded).toBeGreaterThan(0);
        expectSame(atHq, t, own, keys);
      }
    }
  });

  it('counts the New York counter’s evening on its local day, not the UTC one', async () => {
    const ny = branches[1]!;
    const atHq = await report('energy.counter.collections', MARCH, 'day');
    const days = atHq.rows.filter((r) => r.branchId === ny.kernel.branch().id && r.values.transactions! > 0).map((r) => r.key);
    // The shift ran at 22:30 on the 15th in New York (02:30 UTC on the 16th).
    expect(days).toContain('2026-03-15');
    expect(days).not.toContain('2026-03-16');
  });

  it('utility billing: bills and amounts billed, credit notes apart, as the branch billing report', async () => {
    const keys = ['bills', 'consumption', 'amount', 'tax', 'estimated', 'exceptions', 'creditNotes', 'credited'];
    const atHq = await report('energy.billing', WIDE, 'month');
    for (const t of branches) {
      const own = t.ok<{ rows: BranchRow[]; totals: BranchRow }>('supervisor', 'energy.billing.report', { ...WIDE, period: 'month' });
      expect(own.totals.bills).toBeGreaterThan(0);
      // The bill cancelled and rebilled.
      expect(own.totals.creditNotes).toBe(1);
      expect(own.totals.credited).toBeGreaterThan(0);
      // Tax and the bills that raised an exception travel in the posted bill's journal image.
      expect(own.totals.tax).toBeGreaterThan(0);
      expect(own.totals.exceptions).toBeGreaterThan(0);
      expectSame(atHq, t, own, keys);
    }
    expect(atHq.totals.amount).toBe(atHq.byBranch.reduce((sum, b) => sum + b.values.amount!, 0));
  });

  it('appointments: booked, completed, cancelled and no-shows as the branch scheduling report, day by day', async () => {
    const keys = ['bookings', 'bookedMinutes', 'completed', 'open', 'cancelled', 'lateCancellations', 'noShows', 'completedValueMinor'];
    const atHq = await report('homeServices.scheduling', MARCH, 'day');
    for (const t of branches) {
      const own = t.ok<{ rows: BranchRow[]; totals: BranchRow }>('supervisor', 'homeServices.scheduling.report', { ...MARCH, period: 'day' });
      expect(own.totals.completed).toBeGreaterThan(0);
      expect(Number(own.totals.cancelled) + Number(own.totals.noShows)).toBeGreaterThan(0);
      expectSame(atHq, t, own, keys);
    }
  });

  it('home visits: completed, verified, missed, corrected and minutes on site as the branch visits report, day by day', async () => {
    const keys = ['visits', 'completed', 'verified', 'warnings', 'exceptions', 'missed', 'corrected', 'firstTimeRight', 'minutesOnSite'];
    const atHq = await report('homeServices.visits', MARCH, 'day');
    for (const t of branches) {
      const own = t.ok<{ rows: BranchRow[]; totals: BranchRow }>('supervisor', 'homeServices.visits.report', { ...MARCH, period: 'day' });
      expect(own.totals.completed).toBeGreaterThan(0);
      expect(own.totals.minutesOnSite).toBeGreaterThan(0);
      expectSame(atHq, t, own, keys);
    }
  });

  it('subscription billing: invoices issued, amount invoiced and payments received as the branch reports', async () => {
    const atHq = await report('homeServices.subscriptions.billing', WIDE, 'month');
    for (const t of branches) {
      const run = (key: string) =>
        t.ok<{ rows: { key: string; values: Record<string, number | null> }[]; totals: Record<string, number | null> }>('supervisor', 'reports.run', {
          report: key,
          ...WIDE,
          period: 'month',
        });
      const invoices = run('homeServices.subscriptions.invoices');
      const payments = run('homeServices.subscriptions.payments');
      expect(invoices.totals.issued).toBeGreaterThan(0);
      expect(payments.totals.payments).toBeGreaterThan(0);
      const branchId = t.kernel.branch().id;
      expect(atHq.byBranch.find((b) => b.branchId === branchId)!.values).toEqual({
        issued: invoices.totals.issued,
        invoiced: invoices.totals.invoiced,
        credited: invoices.totals.credited,
        payments: payments.totals.payments,
        received: payments.totals.amount,
      });
      const months = atHq.rows.filter((r) => r.branchId === branchId);
      expect(months.map((m) => m.values.invoiced)).toEqual(invoices.rows.map((r) => r.values.invoiced ?? 0));
      expect(months.map((m) => m.values.received)).toEqual(payments.rows.map((r) => r.values.amount ?? 0));
    }
  });

  it('exports collections to Excel with money in currency units and a money format', async () => {
    const res = await fetch(`${hq.url}/admin/reports/energy.counter.collections.xlsx?from=${WIDE.from}&to=${WIDE.to}&period=month`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(res.status).toBe(200);
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plug1-xlsx-')), 'collections.xlsx');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    const sheet = workbook.getWorksheet('By branch')!;
    const values = sheet.getSheetValues().filter(Boolean).map((r) => (r as unknown[]).slice(1));
    const header = values.findIndex((r) => r[0] === 'Branch');
    expect(values[header]).toEqual(['Branch', 'Transactions', 'Taken', 'Refunded', 'Net', 'Payments', 'Vends', 'Reversals']);
    const json = await report('energy.counter.collections', WIDE, 'month');
    const t = json.totals;
    expect(values.at(-1)).toEqual(['All branches', t.transactions, t.taken! / 100, t.refunded! / 100, t.net! / 100, t.payments, t.vends, t.reversals]);
    const totalsRow = sheet.getRow(sheet.actualRowCount);
    expect(totalsRow.getCell(3).numFmt).toBe('#,##0.00');
    expect(totalsRow.getCell(2).numFmt).toBe('#,##0');
  });
  it('an HQ upgraded after branches synced reports their past: the new tables are filled from the events it holds', async () => {
    // An HQ at 0001 holding the same branches and events, as one that synced before this release.
    let target: { databaseUrl?: string; dataDir?: string };
    let old: Kysely<HqDatabase>;
    if (backend === 'postgres') {
      target = { databaseUrl: await pg.createDatabase(`hq_upgrade_${process.pid}`) };
      old = new Kysely<HqDatabase>({ dialect: new PostgresDialect({ pool: new pgDriver.Pool({ connectionString: target.databaseUrl }) }) });
    } else {
      target = { dataDir: tempDir('plug1-hq-upgrade-') };
      old = new Kysely<HqDatabase>({ dialect: new SqliteDialect({ database: new Database(path.join(target.dataDir!, HQ_SQLITE_FILE)) }) });
    }
    try {
      const first = hqMigrations[0]!;
      const { error } = await new Migrator({ db: old, provider: { getMigrations: async () => ({ [first.name]: { up: first.up } }) } }).migrateToLatest();
      expect(error).toBeUndefined();
      const source = hq.running.hq.db;
      await old.insertInto('branches').values(await source.selectFrom('branches').selectAll().execute()).execute();
      const events = await source.selectFrom('events').selectAll().orderBy('branch_id').orderBy('seq').execute();
      expect(events.length).toBeGreaterThan(1000);
      for (let i = 0; i < events.length; i += 500) await old.insertInto('events').values(events.slice(i, i + 500)).execute();
    } finally {
      await old.destroy();
    }

    const upgraded = await openHq({ ...target, log: { info: () => {}, error: () => {} } });
    try {
      for (const [key, range, period] of [
        ['energy.counter.collections', MARCH, 'day'],
        ['energy.billing', WIDE, 'month'],
        ['homeServices.scheduling', MARCH, 'day'],
        ['homeServices.visits', MARCH, 'day'],
        ['homeServices.subscriptions.billing', WIDE, 'month'],
      ] as const) {
        const live = await runReport(hq.running.hq, key, { ...range, period });
        const filled = await runReport(upgraded, key, { ...range, period });
        expect(filled.byBranch.map((b) => b.values)).toEqual(live.byBranch.map((b) => b.values));
        expect(filled.rows).toEqual(live.rows);
      }
    } finally {
      await upgraded.close();
    }
  }, 60_000);
});
