import type { z } from 'zod';
import * as C from '../../../../src-shared/contracts/home-services/packages';
import type { Holding, SaleReceipt } from '../../../../src-shared/contracts/home-services/packages';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import type { SqliteDb } from '../../../core/db/store';
import type { JobRunners } from '../../../core/jobs/types';
import type { Ctx } from '../../../core/rpc/context';
import type { GateRequest, Registry } from '../../../core/rpc/registry';
import { assertBranchOwned } from '../../../sync/ownership';
import { newId } from '../../../core/util/ids';
import { instantRange, localDateOf } from '../../../reporting/periods';
import { nextNumber } from '../../energy/billing/numbering';
import { sqlAll, sqlGet, sqlRun } from '../../energy/billing/sql';
import { recordCounterTransaction, requireOpenShift } from '../../energy/counter/shifts';
import { containsPattern, decodeCursor, encodeCursor } from '../../energy/meter-readings/queries';
import { nextDocumentNo } from '../subscriptions/numbering';
import { subscribeToFieldEvents } from './listeners';
import {
  HOLDING_SELECT,
  creditLines,
  findHolding,
  findHoldingRow,
  findPackageType,
  findTypeRow,
  listPackageTypes,
  listRedemptions,
  redemptionsOf,
  toHoldings,
  type HoldingRow,
} from './queries';
import { HOLDING_ENTITY } from './redemption';
import { chooseCredit, expiryOf, frozenExpiry, isFrozenOn, purchaseLimitReached, refundAmount } from './rules';
import { refundBasis } from './settings';
import type { HsPackageTypesTable } from './tables';
import { FIRST_SALE_ACTION, TYPE_ENTITY } from './names';

type Input<T extends ProcedureContract> = z.output<T['input']>;

export { TYPE_ENTITY };

const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });
const today = (ctx: Ctx) => localDateOf(ctx.now, ctx.branch.timeZone);

/* ---------------- package types ---------------- */

type TypeInput = Input<typeof C.typesCreate> | Input<typeof C.typesUpdate>;

function checkTypeTerms(ctx: Ctx, input: TypeInput): void {
  input.services.forEach((s, i) => {
    const service = sqlGet<{ active: number; name: string }>(ctx.db, 'SELECT active, name FROM hs_services WHERE id = ?', s.serviceId);
    if (!service) throw fieldIssue('package.unknownService', `services.${i}.serviceId`, 'Not a service of the catalogue');
    if (service.active !== 1) throw fieldIssue('package.inactiveService', `services.${i}.serviceId`, `${service.name} is no longer offered`);
  });
  if (input.validityKind === 'fixed_date' && input.validUntil! < today(ctx)) {
    throw fieldIssue('package.validUntilPast', 'validUntil', 'This date has passed: nobody could use the package');
  }
}

export function writeTypeServices(ctx: Ctx, typeId: string, input: TypeInput): void {
  sqlRun(ctx.db, 'DELETE FROM hs_package_type_services WHERE package_type_id = ?', typeId);
  for (const s of input.services) {
    sqlRun(
      ctx.db,
      'INSERT INTO hs_package_type_services (package_type_id, service_id, sessions, branch_id) VALUES (?, ?, ?, ?)',
      typeId,
      s.serviceId,
      input.poolKind === 'shared_pool' ? null : (s.sessions ?? null),
      ctx.branch.id,
    );
  }
}

/** Inserts a package type with its services; the caller has checked the terms and audits it. */
export function insertType(ctx: Ctx, input: Input<typeof C.typesCreate>, status: HsPackageTypesTable['status'] = 'on_sale'): string {
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_package_types (id, branch_id, code, name, description, price_minor, pool_kind, pool_sessions, validity_kind, validity_days, valid_until,
       purchase_limit, late_cancel_consumes, no_show_consumes, status, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    input.code,
    input.name,
    input.description || null,
    input.priceMinor,
    input.poolKind,
    input.poolKind === 'shared_pool' ? (input.poolSessions ?? null) : null,
    input.validityKind,
    input.validityDays ?? null,
    input.validUntil ?? null,
    input.purchaseLimit ?? null,
    input.lateCancelConsumes,
    input.noShowConsumes,
    status,
    ctx.nowIso,
    ctx.nowIso,
  );
  writeTypeServices(ctx, id, input);
  return id;
}

function createType(ctx: Ctx, input: Input<typeof C.typesCreate>) {
  // Refused before any other check: once HQ owns package types, none is made here.
  assertBranchOwned(ctx, TYPE_ENTITY, '*');
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_package_types WHERE code = ?', input.code)) throw fieldIssue('package.duplicateCode', 'code', `A package with code ${input.code} exists already`);
  checkTypeTerms(ctx, input);
  const id = insertType(ctx, input);
  const after = findPackageType(ctx.db, id)!;
  ctx.audit({ entity: TYPE_ENTITY, entityId: id, action: 'created', after });
  return after;
}

function requireType(ctx: Ctx, id: string, version?: number): HsPackageTypesTable {
  const row = findTypeRow(ctx.db, id);
  if (!row) throw notFound('Package', id);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this package meanwhile; reload it');
  return row;
}

/** Rewrites a package type's terms and services (not yet sold: the store refuses sold terms); the caller audits it. */
export function writeTypeTerms(ctx: Ctx, typeId: string, input: TypeInput): void {
  sqlRun(
    ctx.db,
    `UPDATE hs_package_types SET price_minor = ?, pool_kind = ?, pool_sessions = ?, validity_kind = ?, validity_days = ?, valid_until = ?,
       purchase_limit = ?, late_cancel_consumes = ?, no_show_consumes = ?, version = version + 1, updated_at = ? WHERE id = ?`,
    input.priceMinor,
    input.poolKind,
    input.poolKind === 'shared_pool' ? (input.poolSessions ?? null) : null,
    input.validityKind,
    input.validityDays ?? null,
    input.validUntil ?? null,
    input.purchaseLimit ?? null,
    input.lateCancelConsumes,
    input.noShowConsumes,
    ctx.nowIso,
    typeId,
  );
  writeTypeServices(ctx, typeId, input);
}

function updateType(ctx: Ctx, input: Input<typeof C.typesUpdate>) {
  assertBranchOwned(ctx, TYPE_ENTITY, input.id);
  const row = requireType(ctx, input.id, input.version);
  if (row.first_sold_at !== null) {
    throw ruleViolation(
      'package.termsFrozen',
      `${row.code} was first sold on ${localDateOf(row.first_sold_at, ctx.branch.timeZone)}: its terms are frozen, because customers bought them. Withdraw it and put a new package on sale instead.`,
    );
  }
  checkTypeTerms(ctx, input);
  const before = findPackageType(ctx.db, row.id);
  sqlRun(ctx.db, 'UPDATE hs_package_types SET name = ?, description = ? WHERE id = ?', input.name, input.description || null, row.id);
  writeTypeTerms(ctx, row.id, input);
  const after = findPackageType(ctx.db, row.id)!;
  ctx.audit({ entity: TYPE_ENTITY, entityId: row.id, action: 'terms changed', before, after });
  return after;
}

function setTypeStatus(ctx: Ctx, input: Input<typeof C.typesSetStatus>) {
  assertBranchOwned(ctx, TYPE_ENTITY, input.id);
  const row = requireType(ctx, input.id, input.version);
  const before = findPackageType(ctx.db, row.id);
  sqlRun(ctx.db, 'UPDATE hs_package_types SET status = ?, version = version + 1, updated_at = ? WHERE id = ?', input.status, ctx.nowIso, row.id);
  const after = findPackageType(ctx.db, row.id)!;
  ctx.audit({ entity: TYPE_ENTITY, entityId: row.id, action: input.status === 'withdrawn' ? 'withdrawn from sale' : 'put on sale', before, after });
  return after;
}

/* ---------------- customers at the counter ---------------- */

interface HitRow {
  id: string;
  customer_no: string;
  name: string;
  phone: string | null;
  address: string;
  active_packages: number;
  owed: number;
}

const HIT_SELECT = `SELECT c.id, c.customer_no, c.name, c.phone, c.address,
    (SELECT count(*) FROM hs_package_holdings h WHERE h.customer_id = c.id AND h.status = 'active') AS active_packages,
    (SELECT coalesce(sum(i.open_minor), 0) FROM hs_subscription_invoices i WHERE i.customer_id = c.id AND i.open_minor > 0) AS owed
  FROM hs_customers c`;

/** Exact customer number first (what a customer reads off a card), then number and phone prefixes, then names containing the words. */
function findCustomers(ctx: Ctx, input: Input<typeof C.customersFind>) {
  const q = input.query;
  const found = new Map<string, HitRow>();
  const addAll = (rows: HitRow[]) => rows.forEach((r) => found.size < input.limit && !found.has(r.id) && found.set(r.id, r));
  addAll(sqlAll<HitRow>(ctx.db, `${HIT_SELECT} WHERE c.customer_no = ?`, q));
  const prefix = `${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  if (found.size < input.limit) {
    addAll(sqlAll<HitRow>(ctx.db, `${HIT_SELECT} WHERE c.customer_no LIKE ?1 ESCAPE '\\' OR c.phone LIKE ?1 ESCAPE '\\' ORDER BY c.customer_no LIMIT ?2`, prefix, input.limit));
  }
  if (found.size < input.limit) {
    const words = q.split(/\s+/).filter(Boolean).slice(0, 4);
    addAll(sqlAll<HitRow>(ctx.db, `${HIT_SELECT} WHERE ${words.map(() => `c.name LIKE ? ESCAPE '\\'`).join(' AND ')} ORDER BY c.name LIMIT ?`, ...words.map(containsPattern), input.limit));
  }
  return [...found.values()].map((r) => ({
    customerId: r.id,
    customerNo: r.customer_no,
    name: r.name,
    phone: r.phone,
    address: r.address,
    activePackages: r.active_packages,
    owed: r.owed,
  }));
}

function customerPackages(ctx: Ctx, customerId: string) {
  const customer = sqlGet<{ id: string; customer_no: string; name: string; phone: string | null; address: string; email: string | null }>(
    ctx.db,
    'SELECT id, customer_no, name, phone, address, email FROM hs_customers WHERE id = ?',
    customerId,
  );
  if (!customer) throw notFound('Customer', customerId);
  const holdings = toHoldings(
    ctx.db,
    sqlAll<HoldingRow>(ctx.db, `${HOLDING_SELECT} WHERE h.customer_id = ? ORDER BY h.status = 'active' DESC, h.expires_on IS NULL, h.expires_on, h.purchased_at`, customerId),
    today(ctx),
  );
  return {
    customer: { id: customer.id, customerNo: customer.customer_no, name: customer.name, phone: customer.phone, address: customer.address, email: customer.email },
    holdings,
    redemptions: redemptionsOf(ctx.db, { customerId }),
    totals: {
      sessionsRemaining: holdings.reduce((s, h) => s + h.sessionsRemaining, 0),
      liabilityMinor: holdings.reduce((s, h) => s + h.liabilityMinor, 0),
    },
  };
}

/* ---------------- sale ---------------- */

function validityText(h: { validity_kind: string; validity_days: number | null; expires_on: string | null }): string {
  if (h.validity_kind === 'fixed_date') return `Valid until ${h.expires_on}`;
  if (h.validity_kind === 'days_from_purchase') return `Valid ${h.validity_days} days, until ${h.expires_on}`;
  return h.expires_on ? `Valid ${h.validity_days} days from first use, until ${h.expires_on}` : `Valid ${h.validity_days} days from the first session`;
}

export function saleReceiptOf(db: SqliteDb, branchName: string, holdingId: string): SaleReceipt | undefined {
  const h = sqlGet<HoldingRow & { cashier_name: string; shift_no: number }>(
    db,
    `SELECT h.*, c.customer_no, c.name AS customer_name, u.display_name AS cashier_name, s.shift_no FROM hs_package_holdings h
     JOIN hs_customers c ON c.id = h.customer_id JOIN users u ON u.id = h.cashier_id JOIN cashier_shifts s ON s.id = h.shift_id WHERE h.id = ? AND h.source = 'sale'`,
    holdingId,
  );
  if (!h) return undefined;
  const holding = toHoldings(db, [h], h.purchased_on)[0]!;
  return {
    holdingId: h.id,
    holdingNo: h.holding_no,
    receiptNo: h.receipt_no!,
    branchName,
    at: h.purchased_at,
    customerNo: h.customer_no,
    customerName: h.customer_name,
    packageName: h.name,
    lines: holding.balances.map((b) => ({ label: b.label, sessions: b.sessionsTotal })),
    expiresOn: h.expires_on,
    validity: validityText(h),
    tender: h.tender!,
    reference: h.reference,
    amount: h.price_minor,
    tendered: h.tendered_minor ?? h.price_minor,
    change: h.change_minor ?? 0,
    cashierName: h.cashier_name,
    shiftNo: h.shift_no,
  };
}

function insertBalances(ctx: Ctx, holdingId: string, lines: readonly { serviceId: string | null; sessions: number }[]): void {
  for (const line of lines) {
    sqlRun(
      ctx.db,
      'INSERT INTO hs_package_balances (id, branch_id, holding_id, service_id, sessions_total, sessions_used) VALUES (?, ?, ?, ?, ?, 0)',
      newId(),
      ctx.branch.id,
      holdingId,
      line.serviceId,
      line.sessions,
    );
  }
}

function sell(ctx: Ctx, input: Input<typeof C.sell>): SaleReceipt {
  const shift = requireOpenShift(ctx);
  const customer = sqlGet<{ id: string; name: string; active: number }>(ctx.db, 'SELECT id, name, active FROM hs_customers WHERE id = ?', input.customerId);
  if (!customer) throw notFound('Customer', input.customerId);
  if (customer.active !== 1) throw ruleViolation('package.customerInactive', `${customer.name} is marked inactive`);
  const type = requireType(ctx, input.packageTypeId);
  if (type.status !== 'on_sale') throw fieldIssue('package.withdrawn', 'packageTypeId', `${type.name} is no longer on sale`);
  const purchasedOn = today(ctx);
  if (type.validity_kind === 'fixed_date' && type.valid_until! < purchasedOn) throw fieldIssue('package.validUntilPast', 'packageTypeId', `${type.name} was valid until ${type.valid_until}`);
  const bought = sqlGet<{ n: number }>(ctx.db, `SELECT count(*) AS n FROM hs_package_holdings WHERE customer_id = ? AND package_type_id = ? AND source = 'sale'`, customer.id, type.id)!.n;
  if (purchaseLimitReached(type.purchase_limit, bought)) {
    throw ruleViolation('package.purchaseLimit', `${customer.name} has bought ${type.name} ${bought} time${bought === 1 ? '' : 's'}: the limit is ${type.purchase_limit} per customer`);
  }
  if (input.tendered !== undefined && input.tendered < type.price_minor) throw fieldIssue('package.tenderedShort', 'tendered', `Less than the price of ${money(type.price_minor)}`);
  const services = sqlAll<{ service_id: string; sessions: number | null }>(ctx.db, 'SELECT service_id, sessions FROM hs_package_type_services WHERE package_type_id = ?', type.id);
  const lines = type.pool_kind === 'shared_pool' ? [{ serviceId: null, sessions: type.pool_sessions! }] : services.map((s) => ({ serviceId: s.service_id, sessions: s.sessions! }));
  const total = lines.reduce((s, l) => s + l.sessions, 0);
  const tendered = input.tender === 'cash' ? (input.tendered ?? type.price_minor) : type.price_minor;
  const id = newId();
  const receiptNo = nextNumber(ctx.db, ctx.branch.id, 'receipt');
  const holdingNo = nextDocumentNo(ctx.db, ctx.branch.id, 'hs_package');
  sqlRun(
    ctx.db,
    `INSERT INTO hs_package_holdings (id, branch_id, holding_no, package_type_id, customer_id, name, price_minor, sessions_total, sessions_used, value_used_minor,
       validity_kind, validity_days, late_cancel_consumes, no_show_consumes, status, purchased_at, purchased_on, expires_on, source, receipt_no, shift_id,
       tender, tendered_minor, change_minor, reference, cashier_id, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 'active', ?, ?, ?, 'sale', ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    holdingNo,
    type.id,
    customer.id,
    type.name,
    type.price_minor,
    total,
    type.validity_kind,
    type.validity_days,
    type.late_cancel_consumes,
    type.no_show_consumes,
    ctx.nowIso,
    purchasedOn,
    expiryOf({ validityKind: type.validity_kind, validityDays: type.validity_days, validUntil: type.valid_until }, purchasedOn, null),
    receiptNo,
    shift.id,
    input.tender,
    tendered,
    tendered - type.price_minor,
    input.reference || null,
    ctx.user().userId,
    ctx.nowIso,
    ctx.nowIso,
  );
  insertBalances(ctx, id, lines);
  if (type.first_sold_at === null) {
    const before = findPackageType(ctx.db, type.id);
    sqlRun(ctx.db, 'UPDATE hs_package_types SET first_sold_at = ?, version = version + 1, updated_at = ? WHERE id = ?', ctx.nowIso, ctx.nowIso, type.id);
    ctx.audit({ entity: TYPE_ENTITY, entityId: type.id, action: FIRST_SALE_ACTION, before, after: findPackageType(ctx.db, type.id) });
  }
  recordCounterTransaction(ctx, shift, { type: 'package_sale', tender: input.tender, amount: type.price_minor, documentId: id, receiptNo });
  const receipt = saleReceiptOf(ctx.db, ctx.branch.name, id)!;
  ctx.audit({ entity: HOLDING_ENTITY, entityId: id, action: 'sold', after: { ...findHolding(ctx.db, id, purchasedOn), receipt } });
  return receipt;
}

/* ---------------- holdings: freeze, extend, refund, transfer ---------------- */

function requireHolding(ctx: Ctx, id: string, version?: number): HoldingRow {
  const row = findHoldingRow(ctx.db, id);
  if (!row) throw notFound('Package', id);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this package meanwhile; reload it');
  return row;
}

/** Only a package in use (not expired, used up, refunded or transferred) can be frozen, refunded or transferred. */
function requireInUse(ctx: Ctx, row: HoldingRow, action: string): Holding {
  const holding = findHolding(ctx.db, row.id, today(ctx))!;
  if (holding.status !== 'active') {
    throw ruleViolation(`package.${holding.status === 'expired' ? 'expired' : 'closed'}`, `${row.holding_no} is ${C.HOLDING_STATUSES[holding.status].toLowerCase()}${holding.status === 'expired' ? ` (last day ${row.expires_on})` : ''}: it cannot be ${action}`);
  }
  return holding;
}

const gateFor =
  (verb: string, describe: (row: HoldingRow, input: { reason: string }) => string) =>
  (ctx: Ctx, input: { id: string; reason: string }): GateRequest => {
    const row = findHoldingRow(ctx.db, input.id);
    return {
      summary: row ? `${verb} package ${row.holding_no} (${row.name}) of ${row.customer_name}: ${describe(row, input)}` : `${verb} a package`,
      entity: HOLDING_ENTITY,
      entityId: input.id,
      reason: input.reason,
    };
  };

function freeze(ctx: Ctx, input: Input<typeof C.holdingsFreeze>) {
  const row = requireHolding(ctx, input.id, input.version);
  const before = requireInUse(ctx, row, 'frozen');
  if (input.from < today(ctx)) throw fieldIssue('package.freezeInPast', 'from', 'A freeze starts today or later');
  if (row.frozen_until !== null && row.frozen_until >= today(ctx)) {
    throw ruleViolation('package.alreadyFrozen', `${row.holding_no} is already frozen from ${row.frozen_from} to ${row.frozen_until}`);
  }
  if (row.expires_on !== null && row.expires_on < input.from) throw fieldIssue('package.expiresBeforeFreeze', 'from', `${row.holding_no} ends on ${row.expires_on}, before the freeze would start`);
  const expires = frozenExpiry(row.expires_on, input.from, input.until);
  sqlRun(
    ctx.db,
    'UPDATE hs_package_holdings SET frozen_from = ?, frozen_until = ?, expires_on = ?, version = version + 1, updated_at = ? WHERE id = ?',
    input.from,
    input.until,
    expires,
    ctx.nowIso,
    row.id,
  );
  const after = findHolding(ctx.db, row.id, today(ctx))!;
  ctx.audit({ entity: HOLDING_ENTITY, entityId: row.id, action: `frozen ${input.from} to ${input.until}`, before, after, reason: input.reason });
  return after;
}

function extend(ctx: Ctx, input: Input<typeof C.holdingsExtend>) {
  const row = requireHolding(ctx, input.id, input.version);
  if (row.status !== 'active' && row.status !== 'expired') {
    throw ruleViolation('package.closed', `${row.holding_no} is ${C.HOLDING_STATUSES[row.status].toLowerCase()}: there is nothing left to extend`);
  }
  if (row.expires_on === null) throw ruleViolation('package.notStarted', `${row.holding_no} has not been used yet: its validity starts with the first session`);
  if (input.expiresOn <= row.expires_on) throw fieldIssue('package.notLater', 'expiresOn', `Choose a day after the current last day, ${row.expires_on}`);
  if (input.expiresOn < today(ctx)) throw fieldIssue('package.extendInPast', 'expiresOn', 'The new last day has passed already');
  const before = findHolding(ctx.db, row.id, today(ctx));
  // Extending an expired package takes back its breakage: the sessions are the customer's again.
  sqlRun(
    ctx.db,
    `UPDATE hs_package_holdings SET expires_on = ?, status = 'active', closed_at = NULL, breakage_sessions = NULL, breakage_minor = NULL,
       version = version + 1, updated_at = ? WHERE id = ?`,
    input.expiresOn,
    ctx.nowIso,
    row.id,
  );
  const after = findHolding(ctx.db, row.id, today(ctx))!;
  ctx.audit({ entity: HOLDING_ENTITY, entityId: row.id, action: `extended to ${input.expiresOn}`, before, after, reason: input.reason });
  return after;
}

/** What a refund would pay today, by the branch's refund basis. */
function quoteRefund(ctx: Ctx, row: HoldingRow): { amount: number; basis: 'package_rate' | 'list_price' } {
  const basis = ctx.settings.get(refundBasis);
  const usedListPrices = sqlAll<{ price_minor: number }>(
    ctx.db,
    `SELECT s.price_minor FROM hs_package_redemptions r JOIN hs_services s ON s.id = r.service_id WHERE r.holding_id = ? AND r.outcome = 'redeemed'`,
    row.id,
  ).map((r) => r.price_minor);
  return { amount: refundAmount({ priceMinor: row.price_minor, sessionsTotal: row.sessions_total, sessionsUsed: row.sessions_used, basis, usedListPrices }), basis };
}

function refund(ctx: Ctx, input: Input<typeof C.holdingsRefund>) {
  const row = requireHolding(ctx, input.id, input.version);
  const before = requireInUse(ctx, row, 'refunded');
  const shift = requireOpenShift(ctx);
  const { amount, basis } = quoteRefund(ctx, row);
  const receiptNo = nextNumber(ctx.db, ctx.branch.id, 'receipt');
  sqlRun(
    ctx.db,
    `UPDATE hs_package_holdings SET status = 'refunded', refund_minor = ?, refund_receipt_no = ?, refund_shift_id = ?, closed_at = ?, version = version + 1, updated_at = ?
     WHERE id = ?`,
    amount,
    receiptNo,
    shift.id,
    ctx.nowIso,
    ctx.nowIso,
    row.id,
  );
  recordCounterTransaction(ctx, shift, { type: 'package_refund', tender: input.tender, amount: -amount, documentId: row.id, receiptNo });
  const after = findHolding(ctx.db, row.id, today(ctx))!;
  ctx.audit({ entity: HOLDING_ENTITY, entityId: row.id, action: `refunded ${money(amount)}`, before, after: { ...after, basis, receiptNo }, reason: input.reason });
  return {
    holding: after,
    receiptNo,
    amount,
    sessionsUsed: row.sessions_used,
    basis,
    tender: input.tender,
    shiftNo: shift.shift_no,
    cashierName: ctx.user().displayName,
  };
}

function transfer(ctx: Ctx, input: Input<typeof C.holdingsTransfer>) {
  const row = requireHolding(ctx, input.id, input.version);
  const before = requireInUse(ctx, row, 'transferred');
  if (input.toCustomerId === row.customer_id) throw fieldIssue('package.sameCustomer', 'toCustomerId', 'The package is already this customer’s');
  const target = sqlGet<{ id: string; name: string; active: number }>(ctx.db, 'SELECT id, name, active FROM hs_customers WHERE id = ?', input.toCustomerId);
  if (!target) throw notFound('Customer', input.toCustomerId);
  if (target.active !== 1) throw fieldIssue('package.customerInactive', 'toCustomerId', `${target.name} is marked inactive`);
  const remaining = row.sessions_total - row.sessions_used;
  if (remaining <= 0) throw ruleViolation('package.usedUp', `${row.holding_no} has no sessions left to transfer`);
  const id = newId();
  const holdingNo = nextDocumentNo(ctx.db, ctx.branch.id, 'hs_package');
  // The new holder gets what is left at the same rate: its price is the remaining value.
  sqlRun(
    ctx.db,
    `INSERT INTO hs_package_holdings (id, branch_id, holding_no, package_type_id, customer_id, name, price_minor, sessions_total, sessions_used, value_used_minor,
       validity_kind, validity_days, late_cancel_consumes, no_show_consumes, status, purchased_at, purchased_on, first_used_on, expires_on, source,
       transferred_from_id, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, 'active', ?, ?, ?, ?, 'transfer', ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    holdingNo,
    row.package_type_id,
    target.id,
    row.name,
    row.price_minor - row.value_used_minor,
    remaining,
    row.validity_kind,
    row.validity_days,
    row.late_cancel_consumes,
    row.no_show_consumes,
    ctx.nowIso,
    row.purchased_on,
    row.first_used_on,
    row.expires_on,
    row.id,
    ctx.nowIso,
    ctx.nowIso,
  );
  const balances = sqlAll<{ service_id: string | null; left: number }>(
    ctx.db,
    'SELECT service_id, sessions_total - sessions_used AS left FROM hs_package_balances WHERE holding_id = ? AND sessions_total > sessions_used',
    row.id,
  );
  insertBalances(
    ctx,
    id,
    balances.map((b) => ({ serviceId: b.service_id, sessions: b.left })),
  );
  sqlRun(ctx.db, `UPDATE hs_package_holdings SET status = 'transferred', transferred_to_id = ?, closed_at = ?, version = version + 1, updated_at = ? WHERE id = ?`, id, ctx.nowIso, ctx.nowIso, row.id);
  const from = findHolding(ctx.db, row.id, today(ctx))!;
  const to = findHolding(ctx.db, id, today(ctx))!;
  ctx.audit({ entity: HOLDING_ENTITY, entityId: row.id, action: `transferred to ${target.name} as ${holdingNo}`, before, after: from, reason: input.reason });
  ctx.audit({ entity: HOLDING_ENTITY, entityId: id, action: `received by transfer from ${row.customer_name} (${row.holding_no})`, after: to, reason: input.reason });
  return { from, to };
}

/** Closes packages past their last day; what they still held is breakage. Safe to rerun: closed ones are not touched again. */
function expireDue(ctx: Ctx, input: Input<typeof C.expireDue>) {
  const asOf = input.asOf ?? today(ctx);
  if (asOf > today(ctx)) throw fieldIssue('package.expireFuture', 'asOf', 'Packages can expire up to today at the latest');
  const due = sqlAll<HoldingRow>(ctx.db, `${HOLDING_SELECT} WHERE h.status = 'active' AND h.expires_on < ? ORDER BY h.expires_on, h.id`, asOf);
  let breakageSessions = 0;
  let breakageMinor = 0;
  for (const row of due) {
    const before = findHolding(ctx.db, row.id, row.expires_on!);
    const sessions = row.sessions_total - row.sessions_used;
    const value = row.price_minor - row.value_used_minor;
    sqlRun(
      ctx.db,
      `UPDATE hs_package_holdings SET status = 'expired', breakage_sessions = ?, breakage_minor = ?, closed_at = ?, version = version + 1, updated_at = ? WHERE id = ?`,
      sessions,
      value,
      ctx.nowIso,
      ctx.nowIso,
      row.id,
    );
    breakageSessions += sessions;
    breakageMinor += value;
    ctx.audit({ entity: HOLDING_ENTITY, entityId: row.id, action: `expired with ${sessions} unused session${sessions === 1 ? '' : 's'}`, before, after: findHolding(ctx.db, row.id, asOf) });
  }
  if (due.length === 0) ctx.audit({ entity: 'packageExpiry', entityId: asOf, action: 'nothing expired', after: { asOf } });
  return { expired: due.length, breakageSessions, breakageMinor };
}

/* ---------------- lists ---------------- */

function listHoldings(ctx: Ctx, input: Input<typeof C.holdingsList>) {
  const asOf = today(ctx);
  const like = input.search ? `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  // "expired" also finds active packages whose last day passed before the sweep closed them.
  const where = `WHERE (?1 IS NULL OR h.customer_id = ?1) AND (?2 IS NULL OR h.package_type_id = ?2)
    AND (?3 IS NULL OR (?3 = 'active' AND h.status = 'active' AND (h.expires_on IS NULL OR h.expires_on >= ?6))
      OR (?3 = 'expired' AND (h.status = 'expired' OR (h.status = 'active' AND h.expires_on < ?6))) OR (?3 NOT IN ('active', 'expired') AND h.status = ?3))
    AND (?4 IS NULL OR (h.status = 'active' AND h.expires_on >= ?6 AND h.expires_on <= ?4))
    AND (?5 IS NULL OR h.holding_no LIKE ?5 ESCAPE '\\' OR c.name LIKE ?5 ESCAPE '\\' OR c.customer_no LIKE ?5 ESCAPE '\\' OR h.name LIKE ?5 ESCAPE '\\')`;
  const args = [input.customerId ?? null, input.packageTypeId ?? null, input.status ?? null, input.expiringBy ?? null, like, asOf];
  const agg = sqlGet<{ n: number; sessions: number | null; value: number | null }>(
    ctx.db,
    `SELECT count(*) AS n,
       sum(CASE WHEN h.status = 'active' AND (h.expires_on IS NULL OR h.expires_on >= ?6) THEN h.sessions_total - h.sessions_used END) AS sessions,
       sum(CASE WHEN h.status = 'active' AND (h.expires_on IS NULL OR h.expires_on >= ?6) THEN h.price_minor - h.value_used_minor END) AS value
     FROM hs_package_holdings h JOIN hs_customers c ON c.id = h.customer_id ${where}`,
    ...args,
  )!;
  const [at, id] = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as string[]) : [null, null];
  const rows = sqlAll<HoldingRow>(ctx.db, `${HOLDING_SELECT} ${where} AND (?7 IS NULL OR (h.purchased_at, h.id) < (?7, ?8)) ORDER BY h.purchased_at DESC, h.id DESC LIMIT ?9`, ...args, at, id, input.limit + 1);
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    rows: toHoldings(ctx.db, pageRows, asOf),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.purchased_at, last.id]) : null,
    total: agg.n,
    totals: { sessionsRemaining: agg.sessions ?? 0, liabilityMinor: agg.value ?? 0 },
  };
}

function listRedemptionsFor(ctx: Ctx, input: Input<typeof C.redemptionsList>) {
  const range = input.from || input.to ? instantRange(input.from ?? '2000-01-01', input.to ?? '2999-12-31', ctx.branch.timeZone) : null;
  const cursor = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as [string, string]) : undefined;
  const { rows, more, total } = listRedemptions(ctx.db, {
    customerId: input.customerId,
    holdingId: input.holdingId,
    outcome: input.outcome,
    fromInstant: range?.fromInstant,
    toInstant: range?.toInstant,
    cursor,
    limit: input.limit,
  });
  const last = rows.at(-1);
  return { rows, nextCursor: more && last ? encodeCursor([last.at, last.id]) : null, total };
}

function check(ctx: Ctx, input: Input<typeof C.redemptionCheck>) {
  const choice = chooseCredit(creditLines(ctx.db, input.customerId), input.serviceId, input.date, input.reason);
  if (choice.kind === 'none') return { outcome: 'none' as const, holdingId: null, holdingNo: null, rule: null, message: 'No package of this customer covers this service' };
  if (choice.kind === 'refuse') return { outcome: 'refuse' as const, holdingId: choice.line.holdingId, holdingNo: choice.line.holdingNo, rule: choice.rule, message: choice.message };
  const line = choice.line;
  const frozenSoon = line.frozenFrom && !isFrozenOn(line, input.date) && line.frozenFrom > input.date ? ` (frozen from ${line.frozenFrom})` : '';
  return {
    outcome: 'use' as const,
    holdingId: line.holdingId,
    holdingNo: line.holdingNo,
    rule: null,
    message: `${line.holdingNo} ${line.name}: ${line.remaining} session${line.remaining === 1 ? '' : 's'} left${line.expiresOn ? `, last day ${line.expiresOn}` : ''}${frozenSoon}`,
  };
}

/* ---------------- registration ---------------- */

export function registerPackages(registry: Registry, _jobs: JobRunners): void {
  subscribeToFieldEvents();
  registry
    .add(C.typesList, (ctx, input) => listPackageTypes(ctx.db, input))
    .add(C.typesGet, (ctx, input) => {
      const type = findPackageType(ctx.db, input.id);
      if (!type) throw notFound('Package', input.id);
      return type;
    })
    .add(C.typesCreate, createType)
    .add(C.typesUpdate, updateType)
    .add(C.typesSetStatus, setTypeStatus)
    .add(C.customersFind, findCustomers)
    .add(C.customerPackages, (ctx, input) => customerPackages(ctx, input.customerId))
    .add(C.sell, sell)
    .add(C.receiptGet, (ctx, input) => {
      const receipt = saleReceiptOf(ctx.db, ctx.branch.name, input.holdingId);
      if (!receipt) throw notFound('Package sale', input.holdingId);
      return receipt;
    })
    .add(C.holdingsList, listHoldings)
    .add(C.holdingsGet, (ctx, input) => {
      const row = requireHolding(ctx, input.id);
      const holding = findHolding(ctx.db, row.id, today(ctx))!;
      return { holding, redemptions: redemptionsOf(ctx.db, { holdingId: row.id }), refundQuote: holding.status === 'active' ? quoteRefund(ctx, row).amount : 0 };
    })
    .add(C.holdingsFreeze, freeze, { gate: gateFor('Freeze', (_row, input) => `from ${(input as { from?: string }).from} to ${(input as { until?: string }).until}`) })
    .add(C.holdingsExtend, extend, { gate: gateFor('Extend', (row, input) => `last day ${row.expires_on ?? 'not set'} → ${(input as { expiresOn?: string }).expiresOn}`) })
    .add(C.holdingsRefund, refund, {
      gate: (ctx, input) => {
        const row = findHoldingRow(ctx.db, input.id);
        const amount = row && row.status === 'active' ? quoteRefund(ctx, row).amount : null;
        return gateFor('Refund', (r) => `${r.sessions_used} of ${r.sessions_total} sessions used${amount !== null ? `, refund ${money(amount)} (${input.tender})` : ''}`)(ctx, input);
      },
    })
    .add(C.holdingsTransfer, transfer, {
      gate: (ctx, input) => {
        const to = sqlGet<{ name: string; customer_no: string }>(ctx.db, 'SELECT name, customer_no FROM hs_customers WHERE id = ?', input.toCustomerId);
        return gateFor('Transfer', (r) => `${r.sessions_total - r.sessions_used} sessions to ${to ? `${to.customer_no} ${to.name}` : 'another customer'}`)(ctx, input);
      },
    })
    .add(C.expireDue, expireDue)
    .add(C.redemptionsList, listRedemptionsFor)
    .add(C.redemptionCheck, check);
}
