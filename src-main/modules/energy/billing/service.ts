import type { z } from 'zod';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import * as C from '../../../../src-shared/contracts/energy/billing';
import type { BillExceptionCode } from '../../../../src-shared/contracts/energy/billing';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { sqlAll, sqlGet, sqlRun } from './sql';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import type { JobRunners } from '../../../core/jobs/types';
import { localDateOf } from '../../../reporting/periods';
import { findAccount } from '../meter-readings/queries';
import { applyAvailableCredit, settle } from './ledger';
import { formatNumber, formatNumberSql, take } from './numbering';
import {
  billHistory,
  exceptionMessage,
  findBill,
  findBillRow,
  findCycle,
  findRun,
  findRunRow,
  listBills,
  listCycles,
  listRuns,
  listTariffs,
  liveRunFor,
  postpaidVersions,
  runExceptionCounts,
} from './queries';
import {
  HOLDING_EXCEPTIONS,
  addDays,
  billExceptions,
  computeBill,
  isCloseDate,
  maxDate,
  minDate,
  periodContaining,
  periodEndingOn,
  type TariffVersion,
} from './rules';
import { dueDays, highLowPercent, postApprovalAmount, postApprovalBills } from './settings';
import type { BillsTable, TariffsTable } from './tables';
import { POST_JOB, TRIAL_JOB, runPost, runTrial } from './jobs';
import { BILLING_EXPORT_JOB, buildBillingReport, runBillingExport } from './reports';
// Tariffs are master data HQ can own: the sync engine applies them, and the branch may not edit them then.
import './master-data';

/** Audit entity names; detail screens' audit tabs filter by these. */
export const ENTITY = { tariff: 'tariff', cycle: 'billingCycle', billingAccount: 'billingAccount', run: 'billingRun', bill: 'bill' } as const;

type Input<T extends ProcedureContract> = z.output<T['input']>;

const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });
const today = (ctx: Ctx) => localDateOf(ctx.now, ctx.branch.timeZone);
const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/* ---------------- tariffs ---------------- */

function insertTariff(ctx: Ctx, t: Omit<TariffsTable, 'id' | 'branch_id' | 'created_by' | 'version' | 'created_at'>): TariffsTable {
  const row: TariffsTable = { ...t, id: newId(), branch_id: ctx.branch.id, created_by: ctx.user().userId, version: 0, created_at: ctx.nowIso };
  sqlRun(
    ctx.db,
    `INSERT INTO tariffs (id, branch_id, code, name, kind, category, effective_from, fixed_charge_minor, pricing_mode, tiers_json,
       minimum_charge_minor, tax_rate_bp, unit, created_by, version, created_at)
     VALUES (@id, @branch_id, @code, @name, @kind, @category, @effective_from, @fixed_charge_minor, @pricing_mode, @tiers_json,
       @minimum_charge_minor, @tax_rate_bp, @unit, @created_by, @version, @created_at)`,
    row,
  );
  return row;
}

type Terms = Pick<Input<typeof C.tariffsCreate>, 'name' | 'effectiveFrom' | 'fixedCharge' | 'pricingMode' | 'tiers' | 'minimumCharge' | 'taxRateBp' | 'unit'>;

const termsColumns = (t: Terms) => ({
  name: t.name,
  effective_from: t.effectiveFrom,
  fixed_charge_minor: t.fixedCharge,
  pricing_mode: t.pricingMode,
  tiers_json: JSON.stringify(t.tiers),
  minimum_charge_minor: t.minimumCharge,
  tax_rate_bp: t.taxRateBp,
  unit: t.unit,
});

function requirePrepaidRates(kind: string, tiers: readonly C.Tier[]): void {
  // Units = value ÷ rate: a free tier would vend unlimited units.
  if (kind === 'prepaid' && tiers.some((t) => t.rate <= 0)) throw fieldIssue('tariff.prepaidFreeTier', 'tiers', 'Every tier of a prepaid tariff needs a rate above zero');
}

function createTariff(ctx: Ctx, input: Input<typeof C.tariffsCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM tariffs WHERE code = ?', input.code)) {
    throw fieldIssue('tariff.codeTaken', 'code', `Tariff ${input.code} exists; revise it to change its terms`);
  }
  const category = input.category.toLowerCase();
  if (input.kind === 'postpaid' && sqlGet(ctx.db, `SELECT 1 FROM tariffs WHERE kind = 'postpaid' AND category = ?`, category)) {
    throw fieldIssue('tariff.categoryTaken', 'category', `The ${category} category already has a postpaid tariff; revise it instead`);
  }
  requirePrepaidRates(input.kind, input.tiers);
  const row = insertTariff(ctx, { code: input.code.toUpperCase(), kind: input.kind, category, ...termsColumns(input) });
  const after = listTariffs(ctx.db, today(ctx)).find((t) => t.id === row.id)!;
  ctx.audit({ entity: ENTITY.tariff, entityId: row.id, action: 'created', after });
  return after;
}

function reviseTariff(ctx: Ctx, input: Input<typeof C.tariffsRevise>) {
  const latest = sqlGet<TariffsTable>(ctx.db, 'SELECT * FROM tariffs WHERE code = ? ORDER BY effective_from DESC LIMIT 1', input.code);
  if (!latest) throw notFound('Tariff', input.code);
  if (input.effectiveFrom <= latest.effective_from) {
    // Versions only move forward: a back-dated change would silently alter what posted bills were based on.
    throw fieldIssue('tariff.notLater', 'effectiveFrom', `A new version must start after the latest one (${latest.effective_from})`);
  }
  requirePrepaidRates(latest.kind, input.tiers);
  const row = insertTariff(ctx, { code: latest.code, kind: latest.kind, category: latest.category, ...termsColumns(input) });
  const after = listTariffs(ctx.db, today(ctx)).find((t) => t.id === row.id)!;
  ctx.audit({ entity: ENTITY.tariff, entityId: row.id, action: 'revised', before: { id: latest.id, effectiveFrom: latest.effective_from }, after });
  return after;
}

const tariffGate = (verb: string) => (_ctx: Ctx, input: { code: string; effectiveFrom: string }): GateRequest => ({
  summary: `${verb} tariff ${input.code.toUpperCase()} from ${input.effectiveFrom}`,
  entity: ENTITY.tariff,
  entityId: input.code.toUpperCase(),
});

function previewCharge(_ctx: Ctx, input: Input<typeof C.tariffsPreview>) {
  const periodStart = input.periodStart ?? '2000-01-01';
  const periodEnd = input.periodEnd ?? addDays(periodStart, 29);
  const billedFrom = input.billedFrom ?? periodStart;
  const billedTo = input.billedTo ?? periodEnd;
  if (periodEnd < periodStart || billedFrom < periodStart || billedTo > periodEnd || billedTo < billedFrom) {
    throw fieldIssue('tariff.previewDates', 'billedFrom', 'The billed days must lie inside the period');
  }
  const version: TariffVersion = { id: 'preview', code: 'PREVIEW', effectiveFrom: periodStart, ...input };
  const charge = computeBill({ periodStart, periodEnd, billedFrom, billedTo }, input.consumption, [version])!;
  return { lines: charge.lines, subtotal: charge.subtotal, tax: charge.tax, total: charge.total, exactTotal: charge.exactTotal };
}

/* ---------------- cycles and accounts ---------------- */

function createCycle(ctx: Ctx, input: Input<typeof C.cyclesCreate>) {
  if (sqlGet(ctx.db, 'SELECT 1 FROM billing_cycles WHERE code = ?', input.code)) throw fieldIssue('cycle.codeTaken', 'code', `There is already a cycle ${input.code}`);
  const id = newId();
  sqlRun(
    ctx.db,
    'INSERT INTO billing_cycles (id, branch_id, code, name, close_day, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 0, ?, ?)',
    id,
    ctx.branch.id,
    input.code,
    input.name,
    input.closeDay,
    ctx.nowIso,
    ctx.nowIso,
  );
  const after = listCycles(ctx.db, today(ctx), id)[0]!;
  ctx.audit({ entity: ENTITY.cycle, entityId: id, action: 'created', after });
  return after;
}

function cycleCalendar(ctx: Ctx, input: Input<typeof C.cyclesCalendar>) {
  const cycle = listCycles(ctx.db, today(ctx), input.id)[0];
  if (!cycle) throw notFound('Billing cycle', input.id);
  const now = today(ctx);
  let period = periodContaining(cycle.closeDay, input.around ?? now);
  for (let i = 0; i < 6; i += 1) period = periodEndingOn(cycle.closeDay, addDays(period.periodStart, -1));
  const periods = [];
  for (let i = 0; i < 9; i += 1) {
    const run = liveRunFor(ctx.db, cycle.id, period.periodEnd);
    periods.push({ ...period, closed: period.periodEnd < now, runId: run?.id ?? null, runStatus: run?.status ?? null });
    period = periodContaining(cycle.closeDay, addDays(period.periodEnd, 1));
  }
  return { cycle, periods };
}

function assignAccount(ctx: Ctx, input: Input<typeof C.billingAccountsAssign>) {
  const account = findAccount(ctx.db, input.accountId);
  if (!account) throw notFound('Account', input.accountId);
  if (!findCycle(ctx.db, input.cycleId)) throw fieldIssue('billingAccount.unknownCycle', 'cycleId', 'Pick an existing billing cycle');
  if (sqlGet(ctx.db, 'SELECT 1 FROM prepaid_accounts WHERE account_id = ?', input.accountId)) {
    throw ruleViolation('billingAccount.prepaid', `Account ${account.accountNo} is prepaid; it buys credit instead of being billed`);
  }
  const existing = sqlGet<{ version: number; cycle_id: string; billing_start: string; billing_end: string | null }>(
    ctx.db,
    'SELECT version, cycle_id, billing_start, billing_end FROM billing_accounts WHERE account_id = ?',
    input.accountId,
  );
  if (existing) {
    if (input.version !== existing.version) throw conflict('Someone changed this account’s billing meanwhile; reload and try again');
    sqlRun(
      ctx.db,
      'UPDATE billing_accounts SET cycle_id = ?, billing_start = ?, billing_end = ?, version = version + 1, updated_at = ? WHERE account_id = ?',
      input.cycleId,
      input.billingStart,
      input.billingEnd ?? null,
      ctx.nowIso,
      input.accountId,
    );
  } else {
    sqlRun(
      ctx.db,
      `INSERT INTO billing_accounts (account_id, branch_id, cycle_id, billing_start, billing_end, version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, 0, ?, ?)`,
      input.accountId,
      ctx.branch.id,
      input.cycleId,
      input.billingStart,
      input.billingEnd ?? null,
      ctx.nowIso,
      ctx.nowIso,
    );
  }
  const row = sqlGet<{ account_id: string; cycle_id: string; code: string; billing_start: string; billing_end: string | null; version: number }>(
    ctx.db,
    'SELECT ba.*, c.code FROM billing_accounts ba JOIN billing_cycles c ON c.id = ba.cycle_id WHERE ba.account_id = ?',
    input.accountId,
  )!;
  const after = { accountId: row.account_id, cycleId: row.cycle_id, cycleCode: row.code, billingStart: row.billing_start, billingEnd: row.billing_end, version: row.version };
  ctx.audit({ entity: ENTITY.billingAccount, entityId: input.accountId, action: existing ? 'updated' : 'assigned', before: existing ?? null, after });
  return after;
}

/* ---------------- drafting a bill ---------------- */

interface Window {
  fromExclusive: string;
  previousValue: number | null;
}

type Start = Window & { previousTotal: number | null };
type BillableAccount = { account_id: string; billing_start: string };

/**
 * Where the next bill's consumption starts: the last posted bill's closing read; for an account
 * never billed here, the latest posted read on or before its billing start (what was used before
 * is not this system's to bill: an account migrated from another system, or moved into billing
 * later), else the install read that commissioning recorded (a connection made after billing start).
 */
function consumptionStart(ctx: Ctx, account: BillableAccount): Start | null {
  const previous = sqlGet<{ current_read_date: string | null; current_read_value: number | null; total_minor: number }>(
    ctx.db,
    `SELECT current_read_date, current_read_value, total_minor FROM bills
     WHERE account_id = ? AND kind = 'bill' AND status = 'posted' ORDER BY period_end DESC LIMIT 1`,
    account.account_id,
  );
  if (previous?.current_read_date) return { fromExclusive: previous.current_read_date, previousValue: previous.current_read_value, previousTotal: previous.total_minor };
  const first = firstBillStarts(ctx, [account]).get(account.account_id);
  return first ? { ...first, previousTotal: previous?.total_minor ?? null } : null;
}

// The latest posted read on or before each account's billing start, through its meters (the index
// is by meter and date); ?1 is a JSON array of [account id, billing start] pairs.
const READ_AT_BILLING_START = `SELECT b.value ->> '$[0]' AS account_id, r.read_date, r.value FROM json_each(?1) b
  JOIN meter_readings r ON r.id = (
    SELECT p.id FROM meter_readings p
    WHERE p.meter_id IN (SELECT m.id FROM meters m WHERE m.account_id = b.value ->> '$[0]') AND p.account_id = b.value ->> '$[0]'
      AND p.status = 'posted' AND p.purpose IN ('install', 'regular', 'removal') AND p.read_date <= b.value ->> '$[1]'
    ORDER BY p.read_date DESC, p.id DESC LIMIT 1)`;

/** The first bill's starting read of each never-billed account (see consumptionStart). */
function firstBillStarts(ctx: Ctx, accounts: readonly BillableAccount[]): Map<string, Window> {
  const starts = new Map<string, Window>();
  if (accounts.length === 0) return starts;
  for (const r of sqlAll<{ account_id: string; read_date: string; value: number }>(
    ctx.db,
    READ_AT_BILLING_START,
    JSON.stringify(accounts.map((a) => [a.account_id, a.billing_start])),
  )) {
    starts.set(r.account_id, { fromExclusive: r.read_date, previousValue: r.value });
  }
  const connectedLater = accounts.filter((a) => !starts.has(a.account_id)).map((a) => a.account_id);
  if (connectedLater.length) {
    for (const r of sqlAll<{ account_id: string; read_date: string; value: number }>(
      ctx.db,
      `SELECT r.account_id, r.read_date, r.value FROM meter_readings r
       WHERE r.meter_id IN (SELECT m.id FROM meters m WHERE m.account_id IN (SELECT value FROM json_each(?1))) AND r.purpose = 'install'
       ORDER BY r.read_date DESC`,
      JSON.stringify(connectedLater),
    )) {
      // Oldest last, so the first install read of each account wins.
      starts.set(r.account_id, { fromExclusive: r.read_date, previousValue: r.value });
    }
  }
  return starts;
}

interface Measured {
  hasRead: boolean;
  consumption: number;
  estimated: boolean;
  lastDate: string | null;
  lastValue: number | null;
}

type ReadRow = { account_id: string; value: number; read_date: string; read_type: string; consumption: number };

/**
 * Consumption = the sum of the posted reads' own consumption in the window. Each read already
 * measured itself from its predecessor (rollover and meter exchange included), so the bill adds
 * them rather than subtracting register values across a rollover or two meters.
 */
function measured(reads: readonly ReadRow[]): Measured {
  const last = reads.at(-1);
  return {
    hasRead: reads.length > 0,
    consumption: Math.round(reads.reduce((sum, r) => sum + r.consumption, 0) * 1000) / 1000,
    estimated: reads.some((r) => r.read_type === 'estimated'),
    lastDate: last?.read_date ?? null,
    lastValue: last?.value ?? null,
  };
}

// Through the account's meters: readings are indexed by meter and date, not by account.
const READS_OF_ACCOUNTS = `SELECT r.account_id, r.value, r.read_date, r.read_type, r.consumption FROM meter_readings r
  WHERE r.meter_id IN (SELECT m.id FROM meters m WHERE m.account_id IN (SELECT value FROM json_each(?1)))
    AND r.read_date > ?2 AND r.read_date <= ?3 AND r.status = 'posted' AND r.purpose IN ('regular','removal')
  ORDER BY r.read_date, r.id`;

function measure(ctx: Ctx, accountId: string, fromExclusive: string, toInclusive: string): Measured {
  const reads = sqlAll<ReadRow>(ctx.db, READS_OF_ACCOUNTS, JSON.stringify([accountId]), fromExclusive, toInclusive);
  return measured(reads.filter((r) => r.account_id === accountId));
}

interface Prepared {
  start: Start | null;
  measured: Measured;
}

/**
 * What a chunk of accounts needs for drafting, in three set queries instead of a handful per
 * account: each account's last posted bill, the install read of those never billed, and every
 * posted read since the earliest of their starting points.
 */
function prepareChunk(ctx: Ctx, accounts: readonly BillableAccount[], periodEnd: string): Map<string, Prepared> {
  const accountIds = accounts.map((a) => a.account_id);
  const ids = JSON.stringify(accountIds);
  const starts = new Map<string, Prepared['start']>();
  for (const b of sqlAll<{ account_id: string; current_read_date: string | null; current_read_value: number | null; total_minor: number }>(
    ctx.db,
    `SELECT b.account_id, b.current_read_date, b.current_read_value, b.total_minor FROM bills b
     WHERE b.account_id IN (SELECT value FROM json_each(?1)) AND b.kind = 'bill' AND b.status = 'posted'
       AND b.period_end = (SELECT max(p.period_end) FROM bills p WHERE p.account_id = b.account_id AND p.kind = 'bill' AND p.status = 'posted')`,
    ids,
  )) {
    if (b.current_read_date) starts.set(b.account_id, { fromExclusive: b.current_read_date, previousValue: b.current_read_value, previousTotal: b.total_minor });
  }
  for (const [accountId, start] of firstBillStarts(ctx, accounts.filter((a) => !starts.has(a.account_id)))) {
    starts.set(accountId, { ...start, previousTotal: null });
  }
  const from = [...starts.values()].reduce((min, st) => (st && st.fromExclusive < min ? st.fromExclusive : min), periodEnd);
  const readsByAccount = new Map<string, ReadRow[]>();
  for (const r of sqlAll<ReadRow>(ctx.db, READS_OF_ACCOUNTS, ids, from, periodEnd)) {
    const start = starts.get(r.account_id);
    if (!start || r.read_date <= start.fromExclusive) continue;
    let list = readsByAccount.get(r.account_id);
    if (!list) readsByAccount.set(r.account_id, (list = []));
    list.push(r);
  }
  return new Map(accountIds.map((id) => [id, { start: starts.get(id) ?? null, measured: measured(readsByAccount.get(id) ?? []) }]));
}

interface DraftedBill {
  row: BillsTable;
  held: boolean;
}

function draftBill(
  ctx: Ctx,
  account: { account_id: string; account_no: string; category: string; billing_start: string; billing_end: string | null },
  period: { periodStart: string; periodEnd: string },
  versions: readonly TariffVersion[],
  options: { highLowPercent: number; consumptionOverride?: number; window?: Window; runId: string | null; prepared?: Prepared },
): DraftedBill {
  const start = options.prepared ? options.prepared.start : options.window ? { ...options.window, previousTotal: null } : consumptionStart(ctx, account);
  const measured: Measured = options.prepared
    ? options.prepared.measured
    : start
      ? measure(ctx, account.account_id, start.fromExclusive, period.periodEnd)
      : { hasRead: false, consumption: 0, estimated: false, lastDate: null, lastValue: null };
  const consumption = options.consumptionOverride ?? measured.consumption;
  const hasRead = options.consumptionOverride !== undefined || measured.hasRead;
  const billed = {
    periodStart: period.periodStart,
    periodEnd: period.periodEnd,
    billedFrom: maxDate(period.periodStart, account.billing_start),
    billedTo: account.billing_end ? minDate(period.periodEnd, account.billing_end) : period.periodEnd,
  };
  const charge = versions.length ? computeBill(billed, consumption, versions) : null;
  const codes: BillExceptionCode[] = charge
    ? billExceptions({
        hasRead,
        estimated: measured.estimated,
        consumption,
        total: charge.total,
        previousTotal: start?.previousTotal ?? null,
        highLowPercent: options.highLowPercent,
      })
    : ['NO_TARIFF'];
  const held = codes.some((c) => HOLDING_EXCEPTIONS.includes(c));
  const total = held ? 0 : charge!.total;
  const row: BillsTable = {
    id: newId(),
    branch_id: ctx.branch.id,
    kind: 'bill',
    run_id: options.runId,
    account_id: account.account_id,
    account_no: account.account_no,
    status: held ? 'held' : 'draft',
    bill_no: null,
    period_start: period.periodStart,
    period_end: period.periodEnd,
    billed_from: billed.billedFrom,
    billed_to: billed.billedTo,
    issue_date: null,
    due_date: null,
    category: account.category,
    previous_read_date: start?.fromExclusive ?? null,
    previous_read_value: start?.previousValue ?? null,
    current_read_date: measured.lastDate,
    current_read_value: measured.lastValue,
    consumption: hasRead ? consumption : 0,
    estimated: measured.estimated ? 1 : 0,
    subtotal_minor: held ? 0 : charge!.subtotal,
    tax_minor: held ? 0 : charge!.tax,
    total_minor: total,
    open_minor: 0,
    lines_json: JSON.stringify(held ? [] : charge!.lines),
    exceptions_json: codes.length === 0 ? '[]' : JSON.stringify(codes.map(exceptionMessage)),
    cancels_bill_id: null,
    replaces_bill_id: null,
    replaced_by_bill_id: null,
    credit_note_id: null,
    reason: null,
    version: 0,
    created_at: ctx.nowIso,
    posted_at: null,
    updated_at: ctx.nowIso,
  };
  return { row, held };
}

const INSERT_BILL = `INSERT INTO bills (id, branch_id, kind, run_id, account_id, account_no, status, bill_no, period_start, period_end,
  billed_from, billed_to, issue_date, due_date, category, previous_read_date, previous_read_value, current_read_date, current_read_value,
  consumption, estimated, subtotal_minor, tax_minor, total_minor, open_minor, lines_json, exceptions_json, cancels_bill_id,
  replaces_bill_id, replaced_by_bill_id, credit_note_id, reason, version, created_at, posted_at, updated_at)
  VALUES (@id, @branch_id, @kind, @run_id, @account_id, @account_no, @status, @bill_no, @period_start, @period_end, @billed_from,
  @billed_to, @issue_date, @due_date, @category, @previous_read_date, @previous_read_value, @current_read_date, @current_read_value,
  @consumption, @estimated, @subtotal_minor, @tax_minor, @total_minor, @open_minor, @lines_json, @exceptions_json, @cancels_bill_id,
  @replaces_bill_id, @replaced_by_bill_id, @credit_note_id, @reason, @version, @created_at, @posted_at, @updated_at)`;

const insertBill = (ctx: Ctx, row: BillsTable) => sqlRun(ctx.db, INSERT_BILL, row);

/* ---------------- runs ---------------- */

/** Accounts of a cycle billable for a period: on the cycle during it, and not billed for it yet. */
const BILLABLE = `FROM billing_accounts ba JOIN accounts a ON a.id = ba.account_id
  WHERE ba.cycle_id = ?1 AND ba.billing_start <= ?3 AND (ba.billing_end IS NULL OR ba.billing_end >= ?2)
    AND NOT EXISTS (SELECT 1 FROM bills b WHERE b.account_id = ba.account_id AND b.kind = 'bill' AND b.status = 'posted' AND b.period_end = ?3)`;

function requireRun(ctx: Ctx, id: string) {
  const run = findRunRow(ctx.db, id);
  if (!run) throw notFound('Billing run', id);
  return run;
}

const isInterrupted = (ctx: Ctx, runId: string) => findRun(ctx.db, runId)!.interrupted;

function createRun(ctx: Ctx, input: Input<typeof C.runsCreate>) {
  const cycle = findCycle(ctx.db, input.cycleId);
  if (!cycle) throw notFound('Billing cycle', input.cycleId);
  if (!isCloseDate(cycle.close_day, input.periodEnd)) {
    throw fieldIssue('run.notACloseDate', 'periodEnd', `Cycle ${cycle.code} closes on day ${cycle.close_day} of each month`);
  }
  if (input.periodEnd >= today(ctx)) throw fieldIssue('run.periodOpen', 'periodEnd', `The period ending ${input.periodEnd} has not closed yet`);
  const live = liveRunFor(ctx.db, cycle.id, input.periodEnd);
  if (live) {
    throw ruleViolation('run.exists', `Cycle ${cycle.code} already has a ${live.status.replace('_', ' ')} run for the period ending ${input.periodEnd}`, { runId: live.id });
  }
  const period = periodEndingOn(cycle.close_day, input.periodEnd);
  const accounts = sqlGet<{ n: number }>(ctx.db, `SELECT count(*) AS n ${BILLABLE}`, cycle.id, period.periodStart, period.periodEnd)!.n;
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO billing_runs (id, branch_id, cycle_id, period_start, period_end, status, accounts_count, created_by, created_at, version, updated_at)
     VALUES (?, ?, ?, ?, ?, 'trial_running', ?, ?, ?, 0, ?)`,
    id,
    ctx.branch.id,
    cycle.id,
    period.periodStart,
    period.periodEnd,
    accounts,
    ctx.user().userId,
    ctx.nowIso,
    ctx.nowIso,
  );
  const jobId = ctx.jobs.start(TRIAL_JOB, `Trial billing ${cycle.code} to ${period.periodEnd}`, { runId: id });
  sqlRun(ctx.db, 'UPDATE billing_runs SET job_id = ? WHERE id = ?', jobId, id);
  const after = findRun(ctx.db, id)!;
  ctx.audit({ entity: ENTITY.run, entityId: id, action: 'trial started', after });
  return after;
}

/** Drafts the next `limit` accounts (by account id, which the cycle index walks without sorting). */
function trialChunk(ctx: Ctx, input: Input<typeof C.runsTrialChunk>) {
  const run = requireRun(ctx, input.runId);
  if (run.status !== 'trial_running') throw ruleViolation('run.notDrafting', `Run is ${run.status}, not drafting`);
  const accounts = sqlAll<{ account_id: string; account_no: string; category: string; billing_start: string; billing_end: string | null }>(
    ctx.db,
    // `account_id > ?4` with '' for the first chunk (every id sorts after it), not `?4 IS NULL OR …`:
    // the OR hides the range from the index, and each chunk walked the cycle from its start again.
    `SELECT ba.account_id, a.account_no, a.category, ba.billing_start, ba.billing_end ${BILLABLE}
       AND ba.account_id > ?4
     ORDER BY ba.account_id LIMIT ?5`,
    run.cycle_id,
    run.period_start,
    run.period_end,
    input.after ?? '',
    input.limit,
  );
  const versionsByCategory = new Map<string, TariffVersion[]>();
  const threshold = ctx.settings.get(highLowPercent);
  const prepared = prepareChunk(ctx, accounts, run.period_end);
  let drafted = 0;
  let held = 0;
  let total = 0;
  for (const account of accounts) {
    let versions = versionsByCategory.get(account.category);
    if (!versions) {
      versions = postpaidVersions(ctx.db, account.category);
      versionsByCategory.set(account.category, versions);
    }
    const bill = draftBill(ctx, account, { periodStart: run.period_start, periodEnd: run.period_end }, versions, {
      highLowPercent: threshold,
      runId: run.id,
      prepared: prepared.get(account.account_id),
    });
    insertBill(ctx, bill.row);
    if (bill.held) held += 1;
    else drafted += 1;
    total += bill.row.total_minor;
  }
  const last = accounts.at(-1);
  // Drafts are working data, journaled per chunk; each bill is journaled on its own when it is posted.
  ctx.audit({
    entity: ENTITY.run,
    entityId: run.id,
    action: 'drafted',
    after: { accounts: accounts.length, drafted, held, total, fromAccount: accounts[0]?.account_id ?? null, toAccount: last?.account_id ?? null },
  });
  return { processed: accounts.length, lastAccountId: last?.account_id ?? null, done: accounts.length < input.limit };
}

function refreshRunTotals(ctx: Ctx, runId: string, status: string): void {
  // One pass over the run's bills (a run can hold 100,000 of them), not one per figure.
  sqlRun(
    ctx.db,
    `UPDATE billing_runs SET bills_count = t.bills, held_count = t.held, exceptions_count = t.exceptions, total_minor = t.total,
       consumption = t.consumption, status = ?2, version = version + 1, updated_at = ?3
     FROM (SELECT coalesce(sum(status IN ('draft','posted')), 0) AS bills, coalesce(sum(status = 'held'), 0) AS held,
             coalesce(sum(exceptions_json <> '[]'), 0) AS exceptions,
             coalesce(sum(CASE WHEN status IN ('draft','posted') THEN total_minor END), 0) AS total,
             coalesce(sum(CASE WHEN status IN ('draft','posted') THEN consumption END), 0) AS consumption
           FROM bills WHERE run_id = ?1) AS t
     WHERE billing_runs.id = ?1`,
    runId,
    status,
    ctx.nowIso,
  );
}

function trialFinish(ctx: Ctx, input: Input<typeof C.runsTrialFinish>) {
  const run = requireRun(ctx, input.runId);
  if (run.status !== 'trial_running') throw ruleViolation('run.notDrafting', `Run is ${run.status}, not drafting`);
  refreshRunTotals(ctx, run.id, 'trial');
  const after = findRun(ctx.db, run.id)!;
  ctx.audit({ entity: ENTITY.run, entityId: run.id, action: 'trial ready', before: { status: run.status }, after });
  return after;
}

function discardDrafts(ctx: Ctx, runId: string, reason: string): void {
  sqlRun(ctx.db, `DELETE FROM bills WHERE run_id = ? AND status IN ('draft','held')`, runId);
  sqlRun(ctx.db, `UPDATE billing_runs SET status = 'cancelled', cancel_reason = ?, version = version + 1, updated_at = ? WHERE id = ?`, reason, ctx.nowIso, runId);
}

function abortRun(ctx: Ctx, input: Input<typeof C.runsAbort>) {
  const run = requireRun(ctx, input.runId);
  if (run.status === 'trial_running') discardDrafts(ctx, run.id, input.reason);
  else if (run.status === 'posting') {
    // Posting is one transaction that either happened or did not: nothing to undo, back to review.
    sqlRun(ctx.db, `UPDATE billing_runs SET status = 'trial', version = version + 1, updated_at = ? WHERE id = ?`, ctx.nowIso, run.id);
  } else throw ruleViolation('run.notWorking', `Run is ${run.status}; there is nothing to stop`);
  const after = findRun(ctx.db, run.id)!;
  ctx.audit({ entity: ENTITY.run, entityId: run.id, action: 'stopped', before: { status: run.status }, after, reason: input.reason });
  return after;
}

function discardRun(ctx: Ctx, input: Input<typeof C.runsDiscard>) {
  const run = requireRun(ctx, input.id);
  if (run.version !== input.version) throw conflict('This run changed meanwhile; reload it');
  const discardable = run.status === 'trial' || ((run.status === 'trial_running' || run.status === 'posting') && isInterrupted(ctx, run.id));
  if (!discardable) throw ruleViolation('run.notDiscardable', `A ${run.status.replace('_', ' ')} run cannot be discarded`);
  discardDrafts(ctx, run.id, input.reason);
  const after = findRun(ctx.db, run.id)!;
  ctx.audit({ entity: ENTITY.run, entityId: run.id, action: 'discarded', before: { status: run.status }, after, reason: input.reason });
  return after;
}

function postGate(ctx: Ctx, input: Input<typeof C.runsPost>): GateRequest | null {
  const run = findRun(ctx.db, input.id);
  if (!run || run.version !== input.version) return null; // the handler answers NOT_FOUND / CONFLICT
  const overCount = run.billsCount > ctx.settings.get(postApprovalBills);
  const overAmount = run.total > ctx.settings.get(postApprovalAmount);
  if (!overCount && !overAmount) return null;
  return {
    summary: `Post billing run ${run.cycleCode} to ${run.periodEnd}: ${run.billsCount.toLocaleString('en-US')} bills, ${money(run.total)}`,
    entity: ENTITY.run,
    entityId: run.id,
  };
}

function postRun(ctx: Ctx, input: Input<typeof C.runsPost>) {
  const run = requireRun(ctx, input.id);
  if (run.version !== input.version) throw conflict('This run changed meanwhile; reload it');
  const retry = run.status === 'posting' && isInterrupted(ctx, run.id);
  if (run.status !== 'trial' && !retry) throw ruleViolation('run.notInTrial', `Only a reviewed trial can be posted; this run is ${run.status.replace('_', ' ')}`);
  const jobId = ctx.jobs.start(POST_JOB, `Post billing run to ${run.period_end}`, { runId: run.id });
  sqlRun(ctx.db, `UPDATE billing_runs SET status = 'posting', job_id = ?, version = version + 1, updated_at = ? WHERE id = ?`, jobId, ctx.nowIso, run.id);
  const after = findRun(ctx.db, run.id)!;
  ctx.audit({ entity: ENTITY.run, entityId: run.id, action: 'posting started', before: { status: run.status }, after });
  return after;
}

/**
 * Posting, in ONE transaction: take a block of numbers for the run's drafts, number them in
 * account order, freeze them, settle them from any credit the accounts hold, journal each bill.
 * A crash anywhere rolls all of it back, numbers included, so a run is never half-posted and the
 * series has no gap; a second run posting at the same moment waits for the write lock and takes
 * the numbers after these.
 */
function postCommit(ctx: Ctx, input: Input<typeof C.runsPostCommit>) {
  const run = requireRun(ctx, input.runId);
  if (run.status !== 'posting') throw ruleViolation('run.notPosting', `Run is ${run.status}, not posting`);
  const count = sqlGet<{ n: number }>(ctx.db, `SELECT count(*) AS n FROM bills WHERE run_id = ? AND status = 'draft'`, run.id)!.n;
  const first = take(ctx.db, ctx.branch.id, 'bill', count);
  const issueDate = today(ctx);
  const due = addDays(issueDate, ctx.settings.get(dueDays));
  sqlRun(
    ctx.db,
    `UPDATE bills SET status = 'posted', bill_no = ${formatNumberSql('bill', '?1 - 1 + o.rn')}, issue_date = ?2, due_date = ?3,
       open_minor = total_minor, posted_at = ?4, updated_at = ?4, version = version + 1
     FROM (SELECT id, row_number() OVER (ORDER BY account_no, id) AS rn FROM bills WHERE run_id = ?5 AND status = 'draft') AS o
     WHERE bills.id = o.id`,
    first,
    issueDate,
    due,
    ctx.nowIso,
    run.id,
  );
  // In number order: the numbers were just given in account order, which the run index walks without sorting.
  const posted = sqlAll<{
    id: string;
    bill_no: string;
    account_id: string;
    account_no: string;
    total_minor: number;
    tax_minor: number;
    consumption: number;
    estimated: number;
    exceptions_json: string;
    period_end: string;
  }>(
    ctx.db,
    `SELECT id, bill_no, account_id, account_no, total_minor, tax_minor, consumption, estimated, exceptions_json, period_end FROM bills
     WHERE run_id = ? AND status = 'posted' ORDER BY account_no, id`,
    run.id,
  );
  for (const bill of posted) {
    ctx.audit({
      entity: ENTITY.bill,
      entityId: bill.id,
      action: 'posted',
      // Keys in sorted order: the journal serialises them sorted, and a sorted list sorts fastest (100,000 a run).
      // What HQ's billing report needs travels here too: tax, estimated, and the exceptions raised.
      after: {
        accountNo: bill.account_no,
        billNo: bill.bill_no,
        consumption: bill.consumption,
        dueDate: due,
        estimated: bill.estimated === 1,
        exceptions: bill.exceptions_json === '[]' ? [] : (JSON.parse(bill.exceptions_json) as unknown[]),
        issueDate,
        periodEnd: bill.period_end,
        runId: run.id,
        tax: bill.tax_minor,
        total: bill.total_minor,
      },
    });
  }
  const withCredit = sqlAll<{ account_id: string }>(
    ctx.db,
    `SELECT DISTINCT b.account_id FROM bills b WHERE b.run_id = ?1 AND b.status = 'posted' AND (
       EXISTS (SELECT 1 FROM payments p WHERE p.account_id = b.account_id AND p.status = 'completed' AND p.unapplied_minor > 0)
       OR EXISTS (SELECT 1 FROM bills c WHERE c.account_id = b.account_id AND c.kind = 'credit_note' AND c.status = 'posted' AND c.open_minor < 0))`,
    run.id,
  );
  for (const { account_id } of withCredit) {
    for (const s of applyAvailableCredit(ctx, account_id)) {
      ctx.audit({ entity: ENTITY.bill, entityId: s.billId, action: 'settled from credit', after: s });
    }
  }
  sqlRun(
    ctx.db,
    `UPDATE billing_runs SET first_bill_no = ?, last_bill_no = ?, posted_by = ?, posted_at = ? WHERE id = ?`,
    count ? formatNumber('bill', first) : null,
    count ? formatNumber('bill', first + count - 1) : null,
    ctx.user().userId,
    ctx.nowIso,
    run.id,
  );
  refreshRunTotals(ctx, run.id, 'posted');
  const after = findRun(ctx.db, run.id)!;
  ctx.audit({ entity: ENTITY.run, entityId: run.id, action: 'posted', before: { status: run.status }, after });
  return after;
}

/* ---------------- cancel / rebill ---------------- */

function cancelRebill(ctx: Ctx, input: Input<typeof C.billsCancelRebill>) {
  const original = findBillRow(ctx.db, input.id);
  if (!original) throw notFound('Bill', input.id);
  if (original.version !== input.version) throw conflict('This bill changed meanwhile (a payment?); reload it');
  if (original.kind !== 'bill' || original.status !== 'posted') {
    throw ruleViolation('bill.notPosted', 'Only a posted bill can be cancelled and rebilled');
  }
  const account = sqlGet<{ account_id: string; account_no: string; category: string; billing_start: string; billing_end: string | null }>(
    ctx.db,
    `SELECT a.id AS account_id, a.account_no, a.category, coalesce(ba.billing_start, ?2) AS billing_start, ba.billing_end
     FROM accounts a LEFT JOIN billing_accounts ba ON ba.account_id = a.id WHERE a.id = ?1`,
    original.account_id,
    original.billed_from,
  )!;
  // The rebill bills the same days; only the consumption (corrected reads, or the given figure) and the tariff may differ.
  const rebill = draftBill(
    ctx,
    { ...account, billing_start: original.billed_from, billing_end: original.billed_to },
    { periodStart: original.period_start, periodEnd: original.period_end },
    postpaidVersions(ctx.db, original.category),
    {
      highLowPercent: ctx.settings.get(highLowPercent),
      consumptionOverride: input.consumption,
      window: original.previous_read_date ? { fromExclusive: original.previous_read_date, previousValue: original.previous_read_value } : undefined,
      runId: null,
    },
  );
  if (rebill.held) {
    throw ruleViolation('bill.rebillHeld', 'The rebill would be held (no billable reading or no tariff); give the consumption to bill');
  }
  const issueDate = today(ctx);
  const paid = original.total_minor - original.open_minor;

  // The credit note mirrors the original, negated; it settles what is open and holds what was paid as credit.
  const creditNote: BillsTable = {
    ...original,
    id: newId(),
    kind: 'credit_note',
    run_id: null,
    status: 'posted',
    bill_no: formatNumber('credit_note', take(ctx.db, ctx.branch.id, 'credit_note')),
    issue_date: issueDate,
    due_date: issueDate,
    consumption: -original.consumption,
    subtotal_minor: -original.subtotal_minor,
    tax_minor: -original.tax_minor,
    total_minor: -original.total_minor,
    open_minor: -paid,
    lines_json: JSON.stringify((JSON.parse(original.lines_json) as C.ChargeLine[]).map((l) => ({ ...l, amount: -l.amount, exact: -l.exact }))),
    exceptions_json: '[]',
    cancels_bill_id: original.id,
    replaces_bill_id: null,
    replaced_by_bill_id: null,
    credit_note_id: null,
    reason: input.reason,
    version: 0,
    created_at: ctx.nowIso,
    posted_at: ctx.nowIso,
    updated_at: ctx.nowIso,
  };
  insertBill(ctx, creditNote);
  if (original.open_minor > 0) settle(ctx, original.id, { kind: 'credit_note', id: creditNote.id }, original.open_minor);

  const replacement: BillsTable = {
    ...rebill.row,
    // A given consumption keeps the original's closing read, so the next bill starts where this one ends.
    current_read_date: rebill.row.current_read_date ?? original.current_read_date,
    current_read_value: rebill.row.current_read_date ? rebill.row.current_read_value : original.current_read_value,
    status: 'posted',
    bill_no: formatNumber('bill', take(ctx.db, ctx.branch.id, 'bill')),
    issue_date: issueDate,
    due_date: addDays(issueDate, ctx.settings.get(dueDays)),
    open_minor: rebill.row.total_minor,
    replaces_bill_id: original.id,
    reason: input.reason,
    posted_at: ctx.nowIso,
  };
  insertBill(ctx, replacement);
  const before = findBill(ctx.db, original.id)!;
  sqlRun(
    ctx.db,
    `UPDATE bills SET status = 'cancelled', credit_note_id = ?, replaced_by_bill_id = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    creditNote.id,
    replacement.id,
    ctx.nowIso,
    original.id,
  );
  applyAvailableCredit(ctx, original.account_id);

  const cancelled = findBill(ctx.db, original.id)!;
  const note = findBill(ctx.db, creditNote.id)!;
  const bill = findBill(ctx.db, replacement.id)!;
  ctx.audit({ entity: ENTITY.bill, entityId: note.id, action: 'credit note issued', after: note, reason: input.reason });
  ctx.audit({ entity: ENTITY.bill, entityId: original.id, action: 'cancelled', before, after: cancelled, reason: input.reason });
  ctx.audit({ entity: ENTITY.bill, entityId: bill.id, action: 'rebilled', after: bill, reason: input.reason });
  return { creditNote: note, bill };
}

function cancelRebillGate(ctx: Ctx, input: Input<typeof C.billsCancelRebill>): GateRequest {
  const bill = findBillRow(ctx.db, input.id);
  return {
    summary: `Cancel and rebill ${bill?.bill_no ?? 'a bill'} (${bill ? money(bill.total_minor) : '?'})${input.consumption !== undefined ? ` with ${input.consumption} units` : ''}`,
    entity: ENTITY.bill,
    entityId: input.id,
    reason: input.reason,
  };
}

function getBill(ctx: Ctx, id: string) {
  const bill = findBill(ctx.db, id);
  if (!bill) throw notFound('Bill', id);
  const relatedIds = [bill.cancelsBillId, bill.replacesBillId, bill.replacedByBillId, bill.creditNoteId].filter((x): x is string => x !== null);
  return {
    bill,
    related: relatedIds.map((rid) => findBill(ctx.db, rid)).filter((b): b is C.Bill => b !== undefined),
    history: billHistory(ctx.db, bill.accountId, bill.periodEnd),
    branchName: ctx.branch.name,
  };
}

function requestExport(ctx: Ctx, input: Input<typeof C.billingExport>) {
  if (input.from > input.to) throw fieldIssue('report.range', 'to', 'The end date is before the start date');
  const jobId = ctx.jobs.start(BILLING_EXPORT_JOB, `Billing report ${input.from} to ${input.to}`, input);
  ctx.audit({ entity: 'export', entityId: jobId, action: 'requested', after: { report: 'billing', ...input } });
  return { jobId };
}

export function registerBilling(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.tariffsList, (ctx, input) => listTariffs(ctx.db, today(ctx), input))
    .add(C.tariffsCreate, createTariff, { gate: tariffGate('Create') })
    .add(C.tariffsRevise, reviseTariff, { gate: tariffGate('Revise') })
    .add(C.tariffsPreview, previewCharge)
    .add(C.cyclesList, (ctx) => listCycles(ctx.db, today(ctx)))
    .add(C.cyclesCreate, createCycle)
    .add(C.cyclesCalendar, cycleCalendar)
    .add(C.billingAccountsAssign, assignAccount)
    .add(C.runsList, (ctx, input) => listRuns(ctx.db, input))
    .add(C.runsGet, (ctx, input) => {
      const run = findRun(ctx.db, input.id);
      if (!run) throw notFound('Billing run', input.id);
      return { run, exceptions: runExceptionCounts(ctx.db, run.id) };
    })
    .add(C.runsCreate, createRun)
    .add(C.runsPost, postRun, { gate: postGate })
    .add(C.runsDiscard, discardRun)
    .add(C.runsTrialChunk, trialChunk)
    .add(C.runsTrialFinish, trialFinish)
    .add(C.runsPostCommit, postCommit)
    .add(C.runsAbort, abortRun)
    .add(C.billsList, (ctx, input) => listBills(ctx.db, input))
    .add(C.billsGet, (ctx, input) => getBill(ctx, input.id))
    .add(C.billsCancelRebill, cancelRebill, { gate: cancelRebillGate })
    .add(C.billingReport, (ctx, input) => buildBillingReport(ctx.db, ctx.branch, input))
    .add(C.billingExport, requestExport);
  jobs.set(TRIAL_JOB, runTrial);
  jobs.set(POST_JOB, runPost);
  jobs.set(BILLING_EXPORT_JOB, runBillingExport);
}

