import type { z } from 'zod';
import type { Bill, BillExceptionCode, BillingRun, Cycle, Tariff, Tier, billFilters } from '../../../../src-shared/contracts/energy/billing';
import { BILL_EXCEPTIONS } from '../../../../src-shared/contracts/energy/billing';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet } from './sql';
import { containsPattern, decodeCursor, encodeCursor } from '../meter-readings/queries';
import type { BillingCyclesTable, BillingRunsTable, BillsTable, TariffsTable } from './tables';
import { lastClosedPeriod, type TariffVersion } from './rules';

/**
 * Reads of the billing function and the row → DTO mapping, shared by handlers, the run jobs
 * (their own connection) and reports.
 */

/* ---------------- tariffs ---------------- */

export const toTariffVersion = (r: TariffsTable): TariffVersion => ({
  id: r.id,
  code: r.code,
  effectiveFrom: r.effective_from,
  fixedCharge: r.fixed_charge_minor,
  pricingMode: r.pricing_mode,
  tiers: JSON.parse(r.tiers_json) as Tier[],
  minimumCharge: r.minimum_charge_minor,
  taxRateBp: r.tax_rate_bp,
});

export function listTariffs(db: SqliteDb, today: string, filter: { kind?: string; code?: string } = {}): Tariff[] {
  const rows = sqlAll<TariffsTable & { created_by_name: string }>(
    db,
    `SELECT t.*, u.display_name AS created_by_name FROM tariffs t JOIN users u ON u.id = t.created_by
     WHERE (?1 IS NULL OR t.kind = ?1) AND (?2 IS NULL OR t.code = ?2) ORDER BY t.code, t.effective_from DESC`,
    filter.kind ?? null,
    filter.code ?? null,
  );
  const currentOf = new Map<string, string>();
  for (const r of rows) if (r.effective_from <= today && !currentOf.has(r.code.toUpperCase())) currentOf.set(r.code.toUpperCase(), r.id);
  return rows.map((r) => ({
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    category: r.category,
    effectiveFrom: r.effective_from,
    current: currentOf.get(r.code.toUpperCase()) === r.id,
    fixedCharge: r.fixed_charge_minor,
    pricingMode: r.pricing_mode,
    tiers: JSON.parse(r.tiers_json) as Tier[],
    minimumCharge: r.minimum_charge_minor,
    taxRateBp: r.tax_rate_bp,
    unit: r.unit,
    createdByName: r.created_by_name,
    createdAt: r.created_at,
    version: r.version,
  }));
}

/** Every version of the postpaid tariff of a category (one tariff per category), oldest first. */
export function postpaidVersions(db: SqliteDb, category: string): TariffVersion[] {
  return sqlAll<TariffsTable>(db, `SELECT * FROM tariffs WHERE kind = 'postpaid' AND category = ? ORDER BY effective_from`, category).map(toTariffVersion);
}

/** The version of a tariff code in effect on a date. */
export function tariffInEffect(db: SqliteDb, code: string, date: string): TariffsTable | undefined {
  return sqlGet<TariffsTable>(db, 'SELECT * FROM tariffs WHERE code = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1', code, date);
}

/* ---------------- cycles ---------------- */

export const findCycle = (db: SqliteDb, id: string): BillingCyclesTable | undefined => sqlGet(db, 'SELECT * FROM billing_cycles WHERE id = ?', id);

export function liveRunFor(db: SqliteDb, cycleId: string, periodEnd: string): BillingRunsTable | undefined {
  return sqlGet<BillingRunsTable>(db, `SELECT * FROM billing_runs WHERE cycle_id = ? AND period_end = ? AND status <> 'cancelled'`, cycleId, periodEnd);
}

export function listCycles(db: SqliteDb, today: string, id?: string): Cycle[] {
  const rows = sqlAll<BillingCyclesTable & { account_count: number }>(
    db,
    `SELECT c.*, (SELECT count(*) FROM billing_accounts ba WHERE ba.cycle_id = c.id) AS account_count
     FROM billing_cycles c WHERE (?1 IS NULL OR c.id = ?1) ORDER BY c.code`,
    id ?? null,
  );
  return rows.map((c) => {
    const last = lastClosedPeriod(c.close_day, today);
    return {
      id: c.id,
      code: c.code,
      name: c.name,
      closeDay: c.close_day,
      accountCount: c.account_count,
      lastClosedPeriodEnd: last.periodEnd,
      lastClosedBilled: liveRunFor(db, c.id, last.periodEnd)?.status === 'posted',
      version: c.version,
    };
  });
}

/* ---------------- runs ---------------- */

type RunRow = BillingRunsTable & {
  cycle_code: string;
  cycle_name: string;
  created_by_name: string;
  posted_by_name: string | null;
  job_state: string | null;
};

const RUN_SELECT = `SELECT r.*, c.code AS cycle_code, c.name AS cycle_name, cu.display_name AS created_by_name,
    pu.display_name AS posted_by_name, j.state AS job_state
  FROM billing_runs r JOIN billing_cycles c ON c.id = r.cycle_id JOIN users cu ON cu.id = r.created_by
    LEFT JOIN users pu ON pu.id = r.posted_by LEFT JOIN jobs j ON j.id = r.job_id`;

const toRun = (r: RunRow): BillingRun => ({
  id: r.id,
  cycleId: r.cycle_id,
  cycleCode: r.cycle_code,
  cycleName: r.cycle_name,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  status: r.status,
  interrupted: (r.status === 'trial_running' || r.status === 'posting') && (r.job_state === null || ['failed', 'cancelled', 'succeeded'].includes(r.job_state)),
  jobId: r.job_id,
  accountsCount: r.accounts_count,
  billsCount: r.bills_count,
  heldCount: r.held_count,
  exceptionsCount: r.exceptions_count,
  total: r.total_minor,
  consumption: r.consumption,
  firstBillNo: r.first_bill_no,
  lastBillNo: r.last_bill_no,
  cancelReason: r.cancel_reason,
  createdByName: r.created_by_name,
  createdAt: r.created_at,
  postedByName: r.posted_by_name,
  postedAt: r.posted_at,
  version: r.version,
});

export function findRun(db: SqliteDb, id: string): BillingRun | undefined {
  const row = sqlGet<RunRow>(db, `${RUN_SELECT} WHERE r.id = ?`, id);
  return row && toRun(row);
}

export const findRunRow = (db: SqliteDb, id: string): BillingRunsTable | undefined => sqlGet(db, 'SELECT * FROM billing_runs WHERE id = ?', id);

export function listRuns(db: SqliteDb, input: { status?: string; cycleId?: string; cursor?: string; limit: number }) {
  const where = `WHERE (?1 IS NULL OR r.status = ?1) AND (?2 IS NULL OR r.cycle_id = ?2)`;
  const args = [input.status ?? null, input.cycleId ?? null];
  const total = sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM billing_runs r ${where}`, ...args)!.n;
  const [at, id] = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as string[]) : [null, null];
  const rows = sqlAll<RunRow>(
    db,
    `${RUN_SELECT} ${where} AND (?3 IS NULL OR (r.created_at, r.id) < (?3, ?4)) ORDER BY r.created_at DESC, r.id DESC LIMIT ?5`,
    ...args,
    at,
    id,
    input.limit + 1,
  );
  const more = rows.length > input.limit;
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return { rows: pageRows.map(toRun), nextCursor: more && last ? encodeCursor([last.created_at, last.id]) : null, total };
}

export function runExceptionCounts(db: SqliteDb, runId: string): { code: BillExceptionCode; count: number }[] {
  const rows = sqlAll<{ code: string; n: number }>(
    db,
    `SELECT json_extract(e.value, '$.code') AS code, count(*) AS n FROM bills b, json_each(b.exceptions_json) e
     WHERE b.run_id = ? GROUP BY code ORDER BY code`,
    runId,
  );
  return rows.filter((r) => r.code in BILL_EXCEPTIONS).map((r) => ({ code: r.code as BillExceptionCode, count: r.n }));
}

/* ---------------- bills ---------------- */

type BillRow = BillsTable & { account_name: string; address: string };
const BILL_SELECT = `SELECT b.*, a.name AS account_name, a.address FROM bills b JOIN accounts a ON a.id = b.account_id`;

export const toBill = (r: BillRow): Bill => ({
  id: r.id,
  kind: r.kind,
  runId: r.run_id,
  accountId: r.account_id,
  accountNo: r.account_no,
  accountName: r.account_name,
  address: r.address,
  status: r.status,
  billNo: r.bill_no,
  periodStart: r.period_start,
  periodEnd: r.period_end,
  billedFrom: r.billed_from,
  billedTo: r.billed_to,
  issueDate: r.issue_date,
  dueDate: r.due_date,
  category: r.category,
  previousReadDate: r.previous_read_date,
  previousReadValue: r.previous_read_value,
  currentReadDate: r.current_read_date,
  currentReadValue: r.current_read_value,
  consumption: r.consumption,
  estimated: r.estimated === 1,
  subtotal: r.subtotal_minor,
  tax: r.tax_minor,
  total: r.total_minor,
  open: r.open_minor,
  lines: JSON.parse(r.lines_json) as Bill['lines'],
  exceptions: JSON.parse(r.exceptions_json) as Bill['exceptions'],
  cancelsBillId: r.cancels_bill_id,
  replacesBillId: r.replaces_bill_id,
  replacedByBillId: r.replaced_by_bill_id,
  creditNoteId: r.credit_note_id,
  reason: r.reason,
  createdAt: r.created_at,
  postedAt: r.posted_at,
  version: r.version,
});

export const findBillRow = (db: SqliteDb, id: string): BillsTable | undefined => sqlGet(db, 'SELECT * FROM bills WHERE id = ?', id);

export function findBill(db: SqliteDb, id: string): Bill | undefined {
  const row = sqlGet<BillRow>(db, `${BILL_SELECT} WHERE b.id = ?`, id);
  return row && toBill(row);
}

export type BillFilters = { [K in keyof typeof billFilters]?: z.output<(typeof billFilters)[K]> };

function billWhere(f: BillFilters): { sql: string; args: unknown[] } {
  const parts: string[] = [];
  const args: unknown[] = [];
  if (f.runId) {
    parts.push('b.run_id = ?');
    args.push(f.runId);
  }
  if (f.accountId) {
    parts.push('b.account_id = ?');
    args.push(f.accountId);
  }
  if (f.status) {
    parts.push('b.status = ?');
    args.push(f.status);
  }
  if (f.kind) {
    parts.push('b.kind = ?');
    args.push(f.kind);
  }
  if (f.exception) {
    // Most bills have no exception: the plain comparison skips them before any JSON is parsed.
    parts.push(`b.exceptions_json <> '[]' AND EXISTS (SELECT 1 FROM json_each(b.exceptions_json) e WHERE json_extract(e.value, '$.code') = ?)`);
    args.push(f.exception);
  }
  if (f.search) {
    parts.push(`(b.account_no LIKE ? ESCAPE '\\' OR a.name LIKE ? ESCAPE '\\' OR b.bill_no LIKE ? ESCAPE '\\')`);
    const p = containsPattern(f.search);
    args.push(p, p, p);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', args };
}

/** Newest first by creation; a run's bills come in account order. */
export function listBills(db: SqliteDb, input: BillFilters & { cursor?: string; limit: number }) {
  const { sql, args } = billWhere(input);
  const agg = sqlGet<{ n: number; amount: number | null; consumption: number | null }>(
    db,
    // The account's name is only needed to search by it; joining it for every bill of a run costs a third of the count.
    `SELECT count(*) AS n, sum(b.total_minor) AS amount, sum(b.consumption) AS consumption FROM bills b ${input.search ? 'JOIN accounts a ON a.id = b.account_id' : ''} ${sql}`,
    ...args,
  )!;
  const byAccount = input.runId !== undefined;
  const order = byAccount ? 'b.account_no, b.id' : 'b.created_at DESC, b.id DESC';
  let keyset = '';
  const keyArgs: unknown[] = [];
  if (input.cursor) {
    const [k, id] = decodeCursor(input.cursor, ['string', 'string']) as string[];
    keyset = `${sql ? ' AND' : ' WHERE'} ${byAccount ? '(b.account_no, b.id) > (?, ?)' : '(b.created_at, b.id) < (?, ?)'}`;
    keyArgs.push(k, id);
  }
  const rows = sqlAll<BillRow>(db, `${BILL_SELECT} ${sql}${keyset} ORDER BY ${order} LIMIT ?`, ...args, ...keyArgs, input.limit + 1);
  const more = rows.length > input.limit;
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toBill),
    nextCursor: more && last ? encodeCursor([byAccount ? last.account_no : last.created_at, last.id]) : null,
    total: agg.n,
    totals: { amount: agg.amount ?? 0, consumption: Math.round((agg.consumption ?? 0) * 1000) / 1000 },
  };
}

/** Every bill of a filter, for the export's detail sheet, without holding them all in memory. */
export function* iterateBills(db: SqliteDb, filters: BillFilters & { postedFrom?: string; postedTo?: string }): Generator<Bill> {
  let cursor: string | undefined;
  for (;;) {
    const page = listBills(db, { ...filters, cursor, limit: 500 });
    for (const bill of page.rows) {
      if (filters.postedFrom && (!bill.postedAt || bill.postedAt < filters.postedFrom)) continue;
      if (filters.postedTo && (!bill.postedAt || bill.postedAt >= filters.postedTo)) continue;
      yield bill;
    }
    if (!page.nextCursor) return;
    cursor = page.nextCursor;
  }
}

export function billHistory(db: SqliteDb, accountId: string, upTo: string, limit = 13) {
  return sqlAll<{ bill_no: string | null; period_end: string; consumption: number; total_minor: number; estimated: number }>(
    db,
    `SELECT bill_no, period_end, consumption, total_minor, estimated FROM bills
     WHERE account_id = ? AND kind = 'bill' AND status = 'posted' AND period_end <= ? ORDER BY period_end DESC LIMIT ?`,
    accountId,
    upTo,
    limit,
  ).map((r) => ({ billNo: r.bill_no, periodEnd: r.period_end, consumption: r.consumption, total: r.total_minor, estimated: r.estimated === 1 }));
}

export const exceptionMessage = (code: BillExceptionCode) => ({ code, message: BILL_EXCEPTIONS[code] });
