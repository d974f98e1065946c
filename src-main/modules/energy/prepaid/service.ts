import type { z } from 'zod';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import * as C from '../../../../src-shared/contracts/energy/prepaid';
import type { PrepaidAccount, VendReceipt, VendRow } from '../../../../src-shared/contracts/energy/prepaid';
import type { Tier } from '../../../../src-shared/contracts/energy/billing';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import { type SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet, sqlRun } from '../billing/sql';
import { newId } from '../../../core/util/ids';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import type { JobRunners } from '../../../core/jobs/types';
import { instantRange, localDateOf } from '../../../reporting/periods';
import { containsPattern, decodeCursor, encodeCursor } from '../meter-readings/queries';
import { nextNumber } from '../billing/numbering';
import { addDays } from '../billing/rules';
import { tariffInEffect } from '../billing/queries';
import type { TariffsTable } from '../billing/tables';
import { recordCounterTransaction, requireOpenShift } from '../counter/shifts';
import {
  DevelopmentTokenGenerator,
  creditEstimate,
  decodeToken,
  formatToken,
  remainingDailyLimit,
  splitVend,
  tokenIdDate,
  unitsForValue,
  type TokenGenerator,
} from './rules';
import type { PrepaidAccountsTable, VendsTable } from './tables';
import { dailyVendLimit, emergencyLimit, lowCreditDays, minimumVend } from './settings';
import { PREPAID_EXPORT_JOB, buildPrepaidReport, runPrepaidExport } from './reports';

export const ENTITY = { account: 'prepaidAccount', vend: 'vend' } as const;

/**
 * The token generator in use. Only the development generator ships: real STS tokens need a
 * licensed vending module behind this same interface (docs: data-model-and-workflows).
 */
let tokenGenerator: TokenGenerator = new DevelopmentTokenGenerator();
export const useTokenGenerator = (generator: TokenGenerator): void => {
  tokenGenerator = generator;
};

type Input<T extends ProcedureContract> = z.output<T['input']>;
const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const today = (ctx: Ctx) => localDateOf(ctx.now, ctx.branch.timeZone);
const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });

/* ---------------- reads ---------------- */

type AccountRow = PrepaidAccountsTable & { account_no: string; name: string; phone: string | null; address: string; serial: string };
const ACCOUNT_SELECT = `SELECT pa.*, a.account_no, a.name, a.phone, a.address, m.serial
  FROM prepaid_accounts pa JOIN accounts a ON a.id = pa.account_id JOIN meters m ON m.id = pa.meter_id`;

function vendedToday(db: SqliteDb, accountId: string, timeZone: string, now: Date): number {
  const day = localDateOf(now, timeZone);
  const { fromInstant, toInstant } = instantRange(day, day, timeZone);
  return (
    sqlGet<{ n: number | null }>(
      db,
      `SELECT sum(amount_minor) AS n FROM vends WHERE account_id = ? AND kind = 'sale' AND status = 'completed' AND created_at >= ? AND created_at < ?`,
      accountId,
      fromInstant,
      toInstant,
    )!.n ?? 0
  );
}

function estimateFor(db: SqliteDb, row: PrepaidAccountsTable, now: string) {
  const credited = sqlGet<{ n: number | null }>(db, `SELECT sum(units) AS n FROM vends WHERE account_id = ? AND status = 'completed'`, row.account_id)!.n ?? 0;
  // The first read after enrolment also measured days before it, when the meter was not yet on
  // credit: only its share of days since enrolment counts against what was bought.
  const measured = sqlGet<{ used: number | null; through: string | null }>(
    db,
    `SELECT sum(CASE WHEN previous_read_date < ?2
                     THEN consumption * (julianday(read_date) - julianday(?2)) / (julianday(read_date) - julianday(previous_read_date))
                     ELSE consumption END) AS used,
            max(read_date) AS through FROM meter_readings
     WHERE meter_id IN (SELECT id FROM meters WHERE account_id = ?1) AND account_id = ?1 AND status = 'posted' AND purpose IN ('regular','removal') AND read_date > ?2`,
    row.account_id,
    row.enrolled_on,
  )!;
  const windowStart = addDays(now, -90);
  const recentReads = sqlGet<{ used: number | null; first: string | null; last: string | null }>(
    db,
    `SELECT sum(consumption) AS used, min(previous_read_date) AS first, max(read_date) AS last FROM meter_readings
     WHERE meter_id IN (SELECT id FROM meters WHERE account_id = ?1) AND account_id = ?1 AND status = 'posted' AND purpose = 'regular' AND read_date > ?2 AND read_date > ?3`,
    row.account_id,
    windowStart,
    row.enrolled_on,
  )!;
  const readDays = recentReads.first && recentReads.last ? Math.round((Date.parse(recentReads.last) - Date.parse(recentReads.first)) / 86_400_000) : 0;
  const vendWindowStart = addDays(now, -60) > row.enrolled_on ? addDays(now, -60) : row.enrolled_on;
  const recentVends = sqlAll<{ at: string; units: number }>(
    db,
    `SELECT created_at AS at, units FROM vends WHERE account_id = ? AND status = 'completed' AND created_at >= ? ORDER BY created_at`,
    row.account_id,
    vendWindowStart,
  );
  return creditEstimate({
    unitsCredited: credited,
    unitsMeasured: measured.used ?? 0,
    measuredThrough: measured.through,
    enrolledOn: row.enrolled_on,
    // Fewer than two weeks of readings say little about a habit.
    readingsDailyUse: readDays >= 14 ? (recentReads.used ?? 0) / readDays : 0,
    recentVends,
    today: now,
  });
}

function toAccount(ctx: Ctx, r: AccountRow): PrepaidAccount {
  const lastVend = sqlGet<{ created_at: string }>(ctx.db, `SELECT created_at FROM vends WHERE account_id = ? ORDER BY created_at DESC LIMIT 1`, r.account_id);
  return {
    accountId: r.account_id,
    accountNo: r.account_no,
    name: r.name,
    phone: r.phone,
    address: r.address,
    meterId: r.meter_id,
    meterSerial: r.serial,
    stsMeterNo: r.sts_meter_no,
    tariffCode: r.tariff_code,
    status: r.status,
    debt: r.debt_minor,
    debtRecoveryBp: r.debt_recovery_bp,
    credit: r.credit_minor,
    emergencyOutstanding: r.emergency_minor,
    emergencyUnits: r.emergency_units,
    dailyLimit: r.daily_limit_minor ?? ctx.settings.get(dailyVendLimit),
    vendedToday: vendedToday(ctx.db, r.account_id, ctx.branch.timeZone, ctx.now),
    lastVendAt: lastVend?.created_at ?? null,
    estimate: estimateFor(ctx.db, r, today(ctx)),
    enrolledOn: r.enrolled_on,
    version: r.version,
  };
}

function findAccountRow(db: SqliteDb, accountId: string): AccountRow | undefined {
  return sqlGet<AccountRow>(db, `${ACCOUNT_SELECT} WHERE pa.account_id = ?`, accountId);
}

function requireAccount(ctx: Ctx, accountId: string): AccountRow {
  const row = findAccountRow(ctx.db, accountId);
  if (!row) throw ruleViolation('prepaid.notPrepaid', 'This account is not prepaid; enrol it first', { accountId });
  return row;
}

function listAccounts(ctx: Ctx, input: Input<typeof C.prepaidAccountsList>) {
  const where = input.search
    ? `WHERE a.account_no LIKE ?1 ESCAPE '\\' OR a.name LIKE ?1 ESCAPE '\\' OR a.phone LIKE ?1 ESCAPE '\\' OR m.serial LIKE ?1 ESCAPE '\\' OR pa.sts_meter_no LIKE ?1 ESCAPE '\\'`
    : 'WHERE ?1 IS NULL';
  const args = [input.search ? containsPattern(input.search) : null];
  if (input.lowCredit) {
    // Days to empty is computed, not stored: rank every active account, then page the list.
    const threshold = ctx.settings.get(lowCreditDays);
    const all = sqlAll<AccountRow>(ctx.db, `${ACCOUNT_SELECT} ${where} AND pa.status = 'active'`, ...args)
      .map((r) => toAccount(ctx, r))
      .filter((a) => a.estimate.daysToEmpty !== null && a.estimate.daysToEmpty <= threshold)
      .sort((a, b) => a.estimate.daysToEmpty! - b.estimate.daysToEmpty! || a.accountNo.localeCompare(b.accountNo));
    const offset = input.cursor ? (decodeCursor(input.cursor, ['number'])[0] as number) : 0;
    const rows = all.slice(offset, offset + input.limit);
    return { rows, nextCursor: offset + input.limit < all.length ? encodeCursor([offset + input.limit]) : null, total: all.length };
  }
  const total = sqlGet<{ n: number }>(ctx.db, `SELECT count(*) AS n FROM prepaid_accounts pa JOIN accounts a ON a.id = pa.account_id JOIN meters m ON m.id = pa.meter_id ${where}`, ...args)!.n;
  const after = input.cursor ? (decodeCursor(input.cursor, ['string'])[0] as string) : null;
  const rows = sqlAll<AccountRow>(ctx.db, `${ACCOUNT_SELECT} ${where} AND (?2 IS NULL OR a.account_no > ?2) ORDER BY a.account_no LIMIT ?3`, ...args, after, input.limit + 1);
  const pageRows = rows.slice(0, input.limit);
  return {
    rows: pageRows.map((r) => toAccount(ctx, r)),
    nextCursor: rows.length > input.limit ? encodeCursor([pageRows.at(-1)!.account_no]) : null,
    total,
  };
}

/* ---------------- vends as documents ---------------- */

type VendDbRow = VendsTable & { account_no: string; account_name: string; serial: string; sts_meter_no: string; cashier_name: string; shift_no: number; tariff_code: string; unit: string };
const VEND_SELECT = `SELECT v.*, a.account_no, a.name AS account_name, m.serial, pa.sts_meter_no, u.display_name AS cashier_name, s.shift_no,
    t.code AS tariff_code, t.unit
  FROM vends v JOIN accounts a ON a.id = v.account_id JOIN meters m ON m.id = v.meter_id JOIN prepaid_accounts pa ON pa.account_id = v.account_id
    JOIN users u ON u.id = v.cashier_id JOIN cashier_shifts s ON s.id = v.shift_id JOIN tariffs t ON t.id = v.tariff_id`;

function receiptOf(ctx: Ctx, vendId: string): VendReceipt | undefined {
  const v = sqlGet<VendDbRow>(ctx.db, `${VEND_SELECT} WHERE v.id = ?`, vendId);
  if (!v) return undefined;
  const debtAfter = sqlGet<{ debt_minor: number }>(ctx.db, 'SELECT debt_minor FROM prepaid_accounts WHERE account_id = ?', v.account_id)!.debt_minor;
  return {
    vendId: v.id,
    receiptNo: v.receipt_no,
    kind: v.kind,
    branchName: ctx.branch.name,
    at: v.created_at,
    accountId: v.account_id,
    accountNo: v.account_no,
    accountName: v.account_name,
    meterSerial: v.serial,
    stsMeterNo: v.sts_meter_no,
    token: formatToken(v.token),
    tokenId: v.token_id,
    developmentToken: tokenGenerator.development,
    tender: v.tender,
    tendered: v.tendered_minor,
    change: v.change_minor,
    split: {
      amount: v.amount_minor,
      creditUsed: v.credit_used_minor,
      debt: v.debt_minor,
      serviceCharge: v.service_charge_minor,
      serviceMonth: v.service_month,
      emergencyRecovered: v.emergency_recovered_minor,
      tax: v.tax_minor,
      value: v.value_minor,
      units: v.units,
      tariffCode: v.tariff_code,
      unit: v.unit,
    },
    debtAfter,
    cashierName: v.cashier_name,
    shiftNo: v.shift_no,
    reprints: v.reprints,
    status: v.status,
    version: v.version,
  };
}

const toVendRow = (v: VendDbRow): VendRow => ({
  id: v.id,
  receiptNo: v.receipt_no,
  kind: v.kind,
  accountId: v.account_id,
  accountNo: v.account_no,
  accountName: v.account_name,
  tender: v.tender,
  amount: v.amount_minor,
  debt: v.debt_minor,
  value: v.value_minor,
  units: v.units,
  tariffCode: v.tariff_code,
  token: formatToken(v.token),
  status: v.status,
  cashierName: v.cashier_name,
  shiftId: v.shift_id,
  reprints: v.reprints,
  createdAt: v.created_at,
  version: v.version,
});

/* ---------------- enrolment ---------------- */

function stsMeterNumber(db: SqliteDb, serial: string): string {
  const digits = serial.replace(/\D/g, '').slice(-11).padStart(11, '0');
  if (!sqlGet(db, 'SELECT 1 FROM prepaid_accounts WHERE sts_meter_no = ?', digits)) return digits;
  for (;;) {
    const candidate = `9${String(Math.floor(Math.random() * 1e10)).padStart(10, '0')}`;
    if (!sqlGet(db, 'SELECT 1 FROM prepaid_accounts WHERE sts_meter_no = ?', candidate)) return candidate;
  }
}

function requirePrepaidTariff(ctx: Ctx, code: string, path: string, date: string): TariffsTable {
  const tariff = tariffInEffect(ctx.db, code, date);
  if (!tariff || tariff.kind !== 'prepaid') throw fieldIssue('prepaid.unknownTariff', path, `${code} is not a prepaid tariff in effect on ${date}`);
  return tariff;
}

function enrol(ctx: Ctx, input: Input<typeof C.prepaidAccountsEnrol>) {
  const account = sqlGet<{ id: string; account_no: string }>(ctx.db, 'SELECT id, account_no FROM accounts WHERE id = ?', input.accountId);
  if (!account) throw notFound('Account', input.accountId);
  if (findAccountRow(ctx.db, input.accountId)) throw ruleViolation('prepaid.alreadyPrepaid', `Account ${account.account_no} is already prepaid`);
  const meter = sqlGet<{ id: string; serial: string }>(ctx.db, `SELECT id, serial FROM meters WHERE account_id = ? AND status = 'installed'`, input.accountId);
  if (!meter) throw ruleViolation('prepaid.noMeter', `Account ${account.account_no} has no installed meter`);
  const onCycle = sqlGet<{ billing_end: string | null }>(ctx.db, 'SELECT billing_end FROM billing_accounts WHERE account_id = ?', input.accountId);
  if (onCycle && (onCycle.billing_end === null || onCycle.billing_end >= input.enrolledOn)) {
    throw ruleViolation('prepaid.stillBilled', `Account ${account.account_no} is still on a billing cycle; end its billing the day before it turns prepaid`);
  }
  const tariff = requirePrepaidTariff(ctx, input.tariffCode, 'tariffCode', input.enrolledOn);
  sqlRun(
    ctx.db,
    `INSERT INTO prepaid_accounts (account_id, branch_id, meter_id, sts_meter_no, tariff_code, status, debt_minor, debt_recovery_bp,
       daily_limit_minor, enrolled_on, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, 0, ?, ?)`,
    input.accountId,
    ctx.branch.id,
    meter.id,
    stsMeterNumber(ctx.db, meter.serial),
    tariff.code,
    input.debt,
    input.debtRecoveryBp,
    input.dailyLimit ?? null,
    input.enrolledOn,
    ctx.nowIso,
    ctx.nowIso,
  );
  const after = toAccount(ctx, findAccountRow(ctx.db, input.accountId)!);
  ctx.audit({ entity: ENTITY.account, entityId: input.accountId, action: 'enrolled', after });
  return after;
}

function updateAccount(ctx: Ctx, input: Input<typeof C.prepaidAccountsUpdate>) {
  const row = requireAccount(ctx, input.accountId);
  if (row.version !== input.version) throw conflict('Someone changed this prepaid account meanwhile; reload and try again');
  if (input.tariffCode) requirePrepaidTariff(ctx, input.tariffCode, 'tariffCode', today(ctx));
  const before = toAccount(ctx, row);
  sqlRun(
    ctx.db,
    `UPDATE prepaid_accounts SET debt_recovery_bp = ?, daily_limit_minor = ?, tariff_code = ?, status = ?, version = version + 1, updated_at = ?
     WHERE account_id = ?`,
    input.debtRecoveryBp ?? row.debt_recovery_bp,
    input.dailyLimit === undefined ? row.daily_limit_minor : input.dailyLimit,
    input.tariffCode?.toUpperCase() ?? row.tariff_code,
    input.status ?? row.status,
    ctx.nowIso,
    input.accountId,
  );
  const after = toAccount(ctx, findAccountRow(ctx.db, input.accountId)!);
  ctx.audit({ entity: ENTITY.account, entityId: input.accountId, action: 'updated', before, after, reason: input.reason });
  return after;
}

/* ---------------- vending ---------------- */

interface Quote {
  account: AccountRow;
  tariff: TariffsTable;
  split: C.VendSplit;
  limit: number;
  soldToday: number;
}

const monthOf = (date: string) => date.slice(0, 7);

/** Everything a vend of `amount` would do, checked against the account's state and limits. */
function quote(ctx: Ctx, accountId: string, amount: number): Quote {
  const account = requireAccount(ctx, accountId);
  if (account.status !== 'active') throw ruleViolation('prepaid.suspended', `Account ${account.account_no} is suspended; no vends`);
  const day = today(ctx);
  const tariff = requirePrepaidTariff(ctx, account.tariff_code, 'accountId', day);
  const minimum = ctx.settings.get(minimumVend);
  if (amount < minimum) throw fieldIssue('vend.belowMinimum', 'amount', `The smallest vend is ${money(minimum)}`);
  const limit = account.daily_limit_minor ?? ctx.settings.get(dailyVendLimit);
  const soldToday = vendedToday(ctx.db, accountId, ctx.branch.timeZone, ctx.now);
  if (soldToday + amount > limit) {
    throw fieldIssue('vend.dailyLimit', 'amount', `Today’s limit is ${money(limit)}; ${money(remainingDailyLimit(limit, soldToday))} is left`);
  }
  const month = monthOf(day);
  const split = splitVend({
    amount,
    credit: account.credit_minor,
    debt: account.debt_minor,
    recoveryBp: account.debt_recovery_bp,
    serviceChargeDue: account.service_paid_month === month ? 0 : tariff.fixed_charge_minor,
    emergencyOutstanding: account.emergency_minor,
    taxRateBp: tariff.tax_rate_bp,
  });
  const { fromInstant } = instantRange(`${month}-01`, `${month}-01`, ctx.branch.timeZone);
  const boughtThisMonth =
    sqlGet<{ n: number | null }>(ctx.db, `SELECT sum(units) AS n FROM vends WHERE account_id = ? AND kind = 'sale' AND status = 'completed' AND created_at >= ?`, accountId, fromInstant)!.n ?? 0;
  const units = unitsForValue(split.value, JSON.parse(tariff.tiers_json) as Tier[], tariff.pricing_mode, boughtThisMonth);
  return {
    account,
    tariff,
    limit,
    soldToday,
    split: { amount, ...split, serviceMonth: split.serviceCharge > 0 ? month : null, units, tariffCode: tariff.code, unit: tariff.unit },
  };
}

const INSERT_VEND = `INSERT INTO vends (id, branch_id, receipt_no, kind, shift_id, account_id, meter_id, tariff_id, tender, amount_minor,
  tendered_minor, change_minor, credit_used_minor, debt_minor, service_charge_minor, service_month, emergency_recovered_minor, tax_minor,
  value_minor, units, token, token_id, status, reprints, cashier_id, reversed_at, reversal_json, version, created_at, updated_at)
  VALUES (@id, @branch_id, @receipt_no, @kind, @shift_id, @account_id, @meter_id, @tariff_id, @tender, @amount_minor, @tendered_minor,
  @change_minor, @credit_used_minor, @debt_minor, @service_charge_minor, @service_month, @emergency_recovered_minor, @tax_minor,
  @value_minor, @units, @token, @token_id, @status, @reprints, @cashier_id, @reversed_at, @reversal_json, @version, @created_at, @updated_at)`;

function issueToken(ctx: Ctx, account: AccountRow, units: number) {
  const issued = tokenGenerator.issue({ stsMeterNo: account.sts_meter_no, units, at: ctx.now, lastTokenId: account.last_token_id, subclass: 0 });
  sqlRun(ctx.db, 'UPDATE prepaid_accounts SET last_token_id = ? WHERE account_id = ?', issued.tokenId, account.account_id);
  return issued;
}

function sell(ctx: Ctx, input: Input<typeof C.vendsCreate>): VendReceipt {
  const shift = requireOpenShift(ctx);
  const { account, tariff, split } = quote(ctx, input.accountId, input.amount);
  if (split.units <= 0) {
    throw fieldIssue('vend.noUnits', 'amount', 'After arrears and charges this amount buys no units; take a larger amount');
  }
  const issued = issueToken(ctx, account, split.units);
  const tendered = input.tender === 'cash' ? (input.tendered ?? input.amount) : input.amount;
  const emergencyLeft = account.emergency_minor - split.emergencyRecovered;
  sqlRun(
    ctx.db,
    `UPDATE prepaid_accounts SET debt_minor = debt_minor - ?, credit_minor = 0, emergency_minor = ?, emergency_units = ?,
       service_paid_month = coalesce(?, service_paid_month), version = version + 1, updated_at = ? WHERE account_id = ?`,
    split.debt,
    emergencyLeft,
    emergencyLeft > 0 ? account.emergency_units : 0,
    split.serviceMonth,
    ctx.nowIso,
    account.account_id,
  );
  const row: VendsTable = {
    id: newId(),
    branch_id: ctx.branch.id,
    receipt_no: nextNumber(ctx.db, ctx.branch.id, 'receipt'),
    kind: 'sale',
    shift_id: shift.id,
    account_id: account.account_id,
    meter_id: account.meter_id,
    tariff_id: tariff.id,
    tender: input.tender,
    amount_minor: input.amount,
    tendered_minor: tendered,
    change_minor: tendered - input.amount,
    credit_used_minor: split.creditUsed,
    debt_minor: split.debt,
    service_charge_minor: split.serviceCharge,
    service_month: split.serviceMonth,
    emergency_recovered_minor: split.emergencyRecovered,
    tax_minor: split.tax,
    value_minor: split.value,
    units: issued.units,
    token: issued.token,
    token_id: issued.tokenId,
    status: 'completed',
    reprints: 0,
    cashier_id: ctx.user().userId,
    reversed_at: null,
    reversal_json: null,
    version: 0,
    created_at: ctx.nowIso,
    updated_at: ctx.nowIso,
  };
  sqlRun(ctx.db, INSERT_VEND, row);
  recordCounterTransaction(ctx, shift, { type: 'vend', tender: input.tender, amount: input.amount, documentId: row.id, receiptNo: row.receipt_no, accountId: account.account_id });
  const receipt = receiptOf(ctx, row.id)!;
  ctx.audit({ entity: ENTITY.vend, entityId: row.id, action: 'vended', after: receipt });
  return receipt;
}

function issueEmergency(ctx: Ctx, input: Input<typeof C.emergencyIssue>): VendReceipt {
  const shift = requireOpenShift(ctx);
  const account = requireAccount(ctx, input.accountId);
  if (account.status !== 'active') throw ruleViolation('prepaid.suspended', `Account ${account.account_no} is suspended`);
  if (account.emergency_minor > 0) {
    throw ruleViolation('emergency.outstanding', `Account ${account.account_no} still owes ${money(account.emergency_minor)} of emergency credit; it is recovered from the next vend`);
  }
  const limit = ctx.settings.get(emergencyLimit);
  const amount = input.amount ?? limit;
  if (amount > limit) throw fieldIssue('emergency.overLimit', 'amount', `Emergency credit is limited to ${money(limit)}`);
  const tariff = requirePrepaidTariff(ctx, account.tariff_code, 'accountId', today(ctx));
  const units = unitsForValue(amount, JSON.parse(tariff.tiers_json) as Tier[], tariff.pricing_mode);
  if (units <= 0) throw fieldIssue('emergency.noUnits', 'amount', 'This amount buys no units');
  const issued = issueToken(ctx, account, units);
  sqlRun(ctx.db, 'UPDATE prepaid_accounts SET emergency_minor = ?, emergency_units = ?, version = version + 1, updated_at = ? WHERE account_id = ?', amount, issued.units, ctx.nowIso, account.account_id);
  const row: VendsTable = {
    id: newId(),
    branch_id: ctx.branch.id,
    receipt_no: nextNumber(ctx.db, ctx.branch.id, 'receipt'),
    kind: 'emergency',
    shift_id: shift.id,
    account_id: account.account_id,
    meter_id: account.meter_id,
    tariff_id: tariff.id,
    tender: 'none',
    amount_minor: 0,
    tendered_minor: 0,
    change_minor: 0,
    credit_used_minor: 0,
    debt_minor: 0,
    service_charge_minor: 0,
    service_month: null,
    emergency_recovered_minor: 0,
    tax_minor: 0,
    value_minor: amount,
    units: issued.units,
    token: issued.token,
    token_id: issued.tokenId,
    status: 'completed',
    reprints: 0,
    cashier_id: ctx.user().userId,
    reversed_at: null,
    reversal_json: null,
    version: 0,
    created_at: ctx.nowIso,
    updated_at: ctx.nowIso,
  };
  sqlRun(ctx.db, INSERT_VEND, row);
  recordCounterTransaction(ctx, shift, { type: 'emergency_credit', tender: 'none', amount: 0, documentId: row.id, receiptNo: row.receipt_no, accountId: account.account_id });
  const receipt = receiptOf(ctx, row.id)!;
  ctx.audit({ entity: ENTITY.vend, entityId: row.id, action: 'emergency credit issued', after: receipt });
  return receipt;
}

function reprint(ctx: Ctx, input: Input<typeof C.vendsReprint>): VendReceipt {
  const vend = sqlGet<VendsTable>(ctx.db, 'SELECT * FROM vends WHERE id = ?', input.id);
  if (!vend) throw notFound('Vend', input.id);
  sqlRun(ctx.db, 'UPDATE vends SET reprints = reprints + 1, version = version + 1, updated_at = ? WHERE id = ?', ctx.nowIso, vend.id);
  const receipt = receiptOf(ctx, vend.id)!;
  ctx.audit({ entity: ENTITY.vend, entityId: vend.id, action: 'reprinted', before: { reprints: vend.reprints }, after: { reprints: receipt.reprints }, reason: input.reason ?? null });
  return receipt;
}

function reverseGate(ctx: Ctx, input: Input<typeof C.vendsReverse>): GateRequest {
  const vend = sqlGet<VendsTable>(ctx.db, 'SELECT * FROM vends WHERE id = ?', input.id);
  return {
    summary: vend
      ? `Reverse vend ${vend.receipt_no} of ${money(vend.amount_minor)} (${input.settlement === 'refund' ? 'refund' : 'keep as credit'}${input.tokenLoaded ? ', token loaded: value becomes debt' : ''})`
      : 'Reverse a vend',
    entity: ENTITY.vend,
    entityId: input.id,
    reason: input.reason,
  };
}

/**
 * A token cannot be revoked at the meter. Reversing undoes the money side: arrears it recovered
 * and emergency credit it settled are owed again; if the token was loaded, what it delivered
 * (value, service charge, tax) becomes debt; the money paid is refunded from the drawer or kept
 * as credit for the next vend.
 */
function reverseVend(ctx: Ctx, input: Input<typeof C.vendsReverse>): VendReceipt {
  const vend = sqlGet<VendsTable>(ctx.db, 'SELECT * FROM vends WHERE id = ?', input.id);
  if (!vend) throw notFound('Vend', input.id);
  if (vend.version !== input.version) throw conflict('This vend changed meanwhile; reload it');
  if (vend.status !== 'completed') throw ruleViolation('vend.alreadyReversed', `Vend ${vend.receipt_no} is already reversed`);
  if (vend.kind !== 'sale') throw ruleViolation('vend.notASale', 'Emergency credit is settled by the next vend, not reversed');
  const shift = requireOpenShift(ctx);
  const account = sqlGet<PrepaidAccountsTable>(ctx.db, 'SELECT * FROM prepaid_accounts WHERE account_id = ?', vend.account_id)!;
  const before = receiptOf(ctx, vend.id)!;
  const delivered = input.tokenLoaded ? vend.value_minor + vend.service_charge_minor + vend.tax_minor : 0;
  const debtAdded = vend.debt_minor + delivered;
  const creditAdded = vend.credit_used_minor + (input.settlement === 'credit' ? vend.amount_minor : 0);
  const refunded = input.settlement === 'refund' ? vend.amount_minor : 0;
  const serviceMonthBack = !input.tokenLoaded && vend.service_month !== null && account.service_paid_month === vend.service_month;
  sqlRun(
    ctx.db,
    `UPDATE prepaid_accounts SET debt_minor = debt_minor + ?, credit_minor = credit_minor + ?, emergency_minor = emergency_minor + ?,
       service_paid_month = CASE WHEN ? THEN NULL ELSE service_paid_month END, version = version + 1, updated_at = ? WHERE account_id = ?`,
    debtAdded,
    creditAdded,
    vend.emergency_recovered_minor,
    serviceMonthBack,
    ctx.nowIso,
    vend.account_id,
  );
  const reversal = { tokenLoaded: input.tokenLoaded, settlement: input.settlement, reason: input.reason, debtAdded, creditAdded, refunded };
  sqlRun(
    ctx.db,
    `UPDATE vends SET status = 'reversed', reversed_at = ?, reversal_json = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    ctx.nowIso,
    JSON.stringify(reversal),
    ctx.nowIso,
    vend.id,
  );
  recordCounterTransaction(ctx, shift, {
    type: 'vend_reversal',
    tender: refunded ? vend.tender : 'none',
    amount: -refunded,
    documentId: vend.id,
    receiptNo: vend.receipt_no,
    accountId: vend.account_id,
  });
  const after = receiptOf(ctx, vend.id)!;
  ctx.audit({ entity: ENTITY.vend, entityId: vend.id, action: 'reversed', before, after: { ...after, reversal }, reason: input.reason });
  return after;
}

function listVends(ctx: Ctx, input: Input<typeof C.vendsList>) {
  const range = input.from || input.to ? instantRange(input.from ?? '2000-01-01', input.to ?? '2999-12-31', ctx.branch.timeZone) : null;
  const where = `WHERE (?1 IS NULL OR v.account_id = ?1) AND (?2 IS NULL OR v.shift_id = ?2) AND (?3 IS NULL OR v.status = ?3)
    AND (?4 IS NULL OR v.created_at >= ?4) AND (?5 IS NULL OR v.created_at < ?5)`;
  const args = [input.accountId ?? null, input.shiftId ?? null, input.status ?? null, range?.fromInstant ?? null, range?.toInstant ?? null];
  const agg = sqlGet<{ n: number; amount: number | null; units: number | null }>(
    ctx.db,
    `SELECT count(*) AS n, sum(CASE WHEN v.status = 'completed' THEN v.amount_minor END) AS amount, sum(CASE WHEN v.status = 'completed' THEN v.units END) AS units FROM vends v ${where}`,
    ...args,
  )!;
  const [at, id] = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as string[]) : [null, null];
  const rows = sqlAll<VendDbRow>(ctx.db, `${VEND_SELECT} ${where} AND (?6 IS NULL OR (v.created_at, v.id) < (?6, ?7)) ORDER BY v.created_at DESC, v.id DESC LIMIT ?8`, ...args, at, id, input.limit + 1);
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    rows: pageRows.map(toVendRow),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.created_at, last.id]) : null,
    total: agg.n,
    totals: { amount: agg.amount ?? 0, units: Math.round((agg.units ?? 0) * 10) / 10 },
  };
}

function decode(_ctx: Ctx, input: Input<typeof C.tokensDecode>) {
  const t = decodeToken(input.token);
  if (!t) throw fieldIssue('token.format', 'token', 'A token is 20 digits');
  return { valid: t.crcValid, tokenClass: t.tokenClass, subclass: t.subclass, random: t.random, tokenId: t.tokenId, issuedAt: tokenIdDate(t.tokenId).toISOString(), units: t.units, crc: t.crc };
}

function requestExport(ctx: Ctx, input: Input<typeof C.prepaidExport>) {
  if (input.from > input.to) throw fieldIssue('report.range', 'to', 'The end date is before the start date');
  const jobId = ctx.jobs.start(PREPAID_EXPORT_JOB, `Prepaid ${input.from} to ${input.to}`, input);
  ctx.audit({ entity: 'export', entityId: jobId, action: 'requested', after: { report: 'prepaid', ...input } });
  return { jobId };
}

export function registerPrepaid(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.prepaidAccountsList, listAccounts)
    .add(C.prepaidAccountsGet, (ctx, input) => {
      const row = requireAccount(ctx, input.accountId);
      const vends = sqlAll<VendDbRow>(ctx.db, `${VEND_SELECT} WHERE v.account_id = ? ORDER BY v.created_at DESC LIMIT 20`, input.accountId);
      return { account: toAccount(ctx, row), vends: vends.map(toVendRow) };
    })
    .add(C.prepaidAccountsEnrol, enrol)
    .add(C.prepaidAccountsUpdate, updateAccount)
    .add(C.vendsPreview, (ctx, input) => {
      const q = quote(ctx, input.accountId, input.amount);
      return { split: q.split, debtAfter: q.account.debt_minor - q.split.debt, remainingToday: remainingDailyLimit(q.limit, q.soldToday + input.amount) };
    })
    .add(C.vendsCreate, sell)
    .add(C.emergencyIssue, issueEmergency)
    .add(C.vendsReprint, reprint)
    .add(C.vendsReverse, reverseVend, { gate: reverseGate })
    .add(C.vendsList, listVends)
    .add(C.vendsGet, (ctx, input) => {
      const receipt = receiptOf(ctx, input.id);
      if (!receipt) throw notFound('Vend', input.id);
      return receipt;
    })
    .add(C.tokensDecode, decode)
    .add(C.prepaidReport, (ctx, input) => buildPrepaidReport(ctx.db, ctx.branch, input))
    .add(C.prepaidExport, requestExport);
  jobs.set(PREPAID_EXPORT_JOB, runPrepaidExport);
}
