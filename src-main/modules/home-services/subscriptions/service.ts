import type { z } from 'zod';
import * as C from '../../../../src-shared/contracts/home-services/subscriptions';
import type { PaymentReceipt } from '../../../../src-shared/contracts/home-services/subscriptions';
import { conflict, notFound, ruleViolation } from '../../../../src-shared/errors';
import type { ProcedureContract } from '../../../../src-shared/rpc';
import type { SqliteDb } from '../../../core/db/store';
import type { JobRunners } from '../../../core/jobs/types';
import type { Ctx } from '../../../core/rpc/context';
import type { Registry } from '../../../core/rpc/registry';
import { assertBranchOwned } from '../../../sync/ownership';
import { newId } from '../../../core/util/ids';
import { nextNumber } from '../../energy/billing/numbering';
import { sqlAll, sqlGet, sqlRun } from '../../energy/billing/sql';
import { recordCounterTransaction, requireOpenShift } from '../../energy/counter/shifts';
import { decodeCursor, encodeCursor } from '../../energy/meter-readings/queries';
import { daysBetween } from '../time';
import { allowanceFor } from './allowance';
import {
  PAYMENT_ENTITY,
  PLAN_ENTITY,
  SUBSCRIPTION_ENTITY,
  cancelNow,
  dueForRenewal,
  issueInvoice,
  lastDay,
  oldestOverdue,
  onTheLadder,
  recordEvent,
  renewSubscription,
  restoreSettled,
  resumeAt,
  settleFrom,
  takeDunningSteps,
  today,
} from './billing';
import { BILLING_JOB, runBillingJob } from './jobs';
import { nextDocumentNo } from './numbering';
import {
  INVOICE_SELECT,
  SUBSCRIPTION_SELECT,
  customerCredit,
  findInvoice,
  findPlan,
  findPlanRow,
  findSubscription,
  findSubscriptionRow,
  findVersionRow,
  invoicesOfSubscription,
  openInvoiceRows,
  settlementsOf,
  subscriptionsOfCustomer,
  toInvoices,
  toPlan,
  toSubscriptions,
  versionOn,
  type InvoiceRow,
  type SubscriptionRow,
} from './queries';
import { blocksPlanChanges, cancellationCredit, firstPeriod, firstPeriodCharge, monthlyValue, nextDunningStep, quotePlanChange } from './rules';
import { dunningLadder } from './settings';
import type { HsPlansTable, HsSubscriptionPaymentsTable, HsSubscriptionsTable } from './tables';

type Input<T extends ProcedureContract> = z.output<T['input']>;

const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
const fieldIssue = (rule: string, path: string, message: string) => ruleViolation(rule, message, { issues: [{ path, message }] });

/* ---------------- plans ---------------- */

function requireServices(ctx: Ctx, serviceIds: readonly string[]): void {
  serviceIds.forEach((serviceId, i) => {
    const service = sqlGet<{ active: number; name: string }>(ctx.db, 'SELECT active, name FROM hs_services WHERE id = ?', serviceId);
    if (!service) throw fieldIssue('plan.unknownService', `serviceIds.${i}`, 'Not a service of the catalogue');
    if (service.active !== 1) throw fieldIssue('plan.inactiveService', `serviceIds.${i}`, `${service.name} is no longer offered`);
  });
}

/** Adds a version to a plan (versions are never edited); `createdBy` names its author (HQ's stand-in for HQ's versions). */
export function insertVersion(ctx: Ctx, planId: string, v: Omit<Input<typeof C.plansAddVersion>, 'id' | 'version'>, createdBy = ctx.user().userId): void {
  const versionId = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_plan_versions (id, branch_id, plan_id, effective_from, billing_period, price_minor, included_visits, over_allowance, overage_price_minor, created_by, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    versionId,
    ctx.branch.id,
    planId,
    v.effectiveFrom,
    v.billingPeriod,
    v.priceMinor,
    v.includedVisits,
    v.overAllowance,
    v.overagePriceMinor ?? null,
    createdBy,
    ctx.nowIso,
  );
  for (const serviceId of v.serviceIds) {
    sqlRun(ctx.db, 'INSERT INTO hs_plan_version_services (plan_version_id, service_id, branch_id) VALUES (?, ?, ?)', versionId, serviceId, ctx.branch.id);
  }
}

function createPlan(ctx: Ctx, input: Input<typeof C.plansCreate>) {
  // Refused before any other check: once HQ owns the plans, none is made here.
  assertBranchOwned(ctx, PLAN_ENTITY, '*');
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_plans WHERE code = ?', input.code)) throw fieldIssue('plan.duplicateCode', 'code', `A plan with code ${input.code} exists already`);
  requireServices(ctx, input.serviceIds);
  const id = newId();
  sqlRun(
    ctx.db,
    `INSERT INTO hs_plans (id, branch_id, code, name, description, status, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'active', 0, ?, ?)`,
    id,
    ctx.branch.id,
    input.code,
    input.name,
    input.description || null,
    ctx.nowIso,
    ctx.nowIso,
  );
  insertVersion(ctx, id, input);
  const after = findPlan(ctx.db, id, today(ctx))!;
  ctx.audit({ entity: PLAN_ENTITY, entityId: id, action: 'created', after });
  return after;
}

function requirePlan(ctx: Ctx, id: string, version?: number): HsPlansTable {
  const row = findPlanRow(ctx.db, id);
  if (!row) throw notFound('Plan', id);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this plan meanwhile; reload it');
  return row;
}

function addVersion(ctx: Ctx, input: Input<typeof C.plansAddVersion>) {
  assertBranchOwned(ctx, PLAN_ENTITY, input.id);
  const plan = requirePlan(ctx, input.id, input.version);
  // The past is billed: a version may start today at the earliest.
  if (input.effectiveFrom < today(ctx)) throw fieldIssue('plan.versionInPast', 'effectiveFrom', 'A new version can start today at the earliest; periods already billed keep their price');
  if (sqlGet(ctx.db, 'SELECT 1 FROM hs_plan_versions WHERE plan_id = ? AND effective_from = ?', plan.id, input.effectiveFrom)) {
    throw fieldIssue('plan.versionExists', 'effectiveFrom', 'A version starting that day exists already');
  }
  requireServices(ctx, input.serviceIds);
  const before = findPlan(ctx.db, plan.id, today(ctx));
  insertVersion(ctx, plan.id, input);
  sqlRun(ctx.db, 'UPDATE hs_plans SET version = version + 1, updated_at = ? WHERE id = ?', ctx.nowIso, plan.id);
  const after = findPlan(ctx.db, plan.id, today(ctx))!;
  ctx.audit({ entity: PLAN_ENTITY, entityId: plan.id, action: `new version from ${input.effectiveFrom}`, before, after });
  return after;
}

function setPlanStatus(ctx: Ctx, input: Input<typeof C.plansSetStatus>) {
  assertBranchOwned(ctx, PLAN_ENTITY, input.id);
  const plan = requirePlan(ctx, input.id, input.version);
  const before = findPlan(ctx.db, plan.id, today(ctx));
  sqlRun(ctx.db, 'UPDATE hs_plans SET status = ?, version = version + 1, updated_at = ? WHERE id = ?', input.status, ctx.nowIso, plan.id);
  const after = findPlan(ctx.db, plan.id, today(ctx))!;
  ctx.audit({ entity: PLAN_ENTITY, entityId: plan.id, action: input.status === 'retired' ? 'retired' : 'reinstated', before, after });
  return after;
}

/* ---------------- subscriptions ---------------- */

function requireSubscription(ctx: Ctx, id: string, version?: number): HsSubscriptionsTable {
  const row = findSubscriptionRow(ctx.db, id);
  if (!row) throw notFound('Subscription', id);
  if (version !== undefined && row.version !== version) throw conflict('Someone changed this subscription meanwhile; reload it');
  return row;
}

const subscriptionDto = (ctx: Ctx, id: string) => findSubscription(ctx.db, id, today(ctx))!;

function requireCustomer(ctx: Ctx, customerId: string) {
  const customer = sqlGet<{ id: string; customer_no: string; name: string; active: number }>(ctx.db, 'SELECT id, customer_no, name, active FROM hs_customers WHERE id = ?', customerId);
  if (!customer) throw notFound('Customer', customerId);
  return customer;
}

function receiptOf(db: SqliteDb, branchName: string, paymentId: string, restored: PaymentReceipt['restored'] = []): PaymentReceipt | undefined {
  const p = sqlGet<HsSubscriptionPaymentsTable & { customer_no: string; customer_name: string; cashier_name: string; shift_no: number }>(
    db,
    `SELECT p.*, c.customer_no, c.name AS customer_name, u.display_name AS cashier_name, sh.shift_no FROM hs_subscription_payments p
     JOIN hs_customers c ON c.id = p.customer_id JOIN users u ON u.id = p.cashier_id JOIN cashier_shifts sh ON sh.id = p.shift_id WHERE p.id = ?`,
    paymentId,
  );
  if (!p) return undefined;
  const settled = sqlAll<{ invoice_id: string; invoice_no: string; amount_minor: number; open_minor: number }>(
    db,
    `SELECT st.invoice_id, i.invoice_no, st.amount_minor, i.open_minor FROM hs_subscription_settlements st JOIN hs_subscription_invoices i ON i.id = st.invoice_id
     WHERE st.source_id = ? AND st.source_kind = 'payment' ORDER BY st.created_at, i.invoice_no`,
    p.id,
  );
  const owed = sqlGet<{ n: number | null }>(db, 'SELECT sum(open_minor) AS n FROM hs_subscription_invoices WHERE customer_id = ? AND open_minor > 0', p.customer_id)!.n ?? 0;
  return {
    paymentId: p.id,
    receiptNo: p.receipt_no,
    branchName,
    at: p.created_at,
    customerId: p.customer_id,
    customerNo: p.customer_no,
    customerName: p.customer_name,
    tender: p.tender,
    reference: p.reference,
    amount: p.amount_minor,
    tendered: p.tendered_minor,
    change: p.change_minor,
    settled: settled.map((s) => ({ invoiceId: s.invoice_id, invoiceNo: s.invoice_no, amount: s.amount_minor, openAfter: s.open_minor })),
    unapplied: p.unapplied_minor,
    restored,
    owedAfter: owed,
    cashierName: p.cashier_name,
    shiftNo: p.shift_no,
  };
}

/**
 * Money taken at the counter for a customer's subscription invoices: settles them oldest first,
 * keeps the rest as credit, and restores every subscription it brings back into good standing.
 */
function takePayment(ctx: Ctx, customerId: string, amount: number, tender: { tender: C.PaymentReceipt['tender']; tendered?: number; reference?: string }): PaymentReceipt {
  const shift = requireOpenShift(ctx);
  if (tender.tendered !== undefined && tender.tendered < amount) throw fieldIssue('payment.tenderedShort', 'tendered', `Less than the ${money(amount)} to pay`);
  const tendered = tender.tender === 'cash' ? (tender.tendered ?? amount) : amount;
  const id = newId();
  const receiptNo = nextNumber(ctx.db, ctx.branch.id, 'receipt');
  sqlRun(
    ctx.db,
    `INSERT INTO hs_subscription_payments (id, branch_id, receipt_no, shift_id, customer_id, tender, amount_minor, tendered_minor, change_minor, reference,
       unapplied_minor, cashier_id, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    receiptNo,
    shift.id,
    customerId,
    tender.tender,
    amount,
    tendered,
    tendered - amount,
    tender.reference || null,
    ctx.user().userId,
    ctx.nowIso,
  );
  const { left } = settleFrom(ctx, customerId, { kind: 'payment', id }, amount);
  if (left > 0) sqlRun(ctx.db, 'UPDATE hs_subscription_payments SET unapplied_minor = ? WHERE id = ?', left, id);
  recordCounterTransaction(ctx, shift, { type: 'subscription_payment', tender: tender.tender, amount, documentId: id, receiptNo });
  const restored = restoreSettled(ctx, customerId, today(ctx));
  const receipt = receiptOf(ctx.db, ctx.branch.name, id, restored)!;
  ctx.audit({ entity: PAYMENT_ENTITY, entityId: id, action: 'received', after: receipt });
  return receipt;
}

function createSubscription(ctx: Ctx, input: Input<typeof C.subscriptionsCreate>) {
  const shift = requireOpenShift(ctx);
  const customer = requireCustomer(ctx, input.customerId);
  if (customer.active !== 1) throw ruleViolation('subscription.customerInactive', `${customer.name} is marked inactive`);
  const plan = requirePlan(ctx, input.planId);
  if (plan.status !== 'active') throw fieldIssue('plan.retired', 'planId', `${plan.name} is retired: no new subscriptions`);
  const start = input.startOn ?? today(ctx);
  if (start < today(ctx)) throw fieldIssue('subscription.startInPast', 'startOn', 'A subscription starts today or later');
  const version = versionOn(ctx.db, plan.id, start);
  if (!version) throw fieldIssue('plan.notYetEffective', 'startOn', `${plan.name} has no price in effect on ${start} yet`);
  const duplicate = sqlGet<{ subscription_no: string }>(
    ctx.db,
    `SELECT subscription_no FROM hs_subscriptions WHERE customer_id = ? AND plan_id = ? AND status <> 'cancelled'`,
    customer.id,
    plan.id,
  );
  if (duplicate) throw ruleViolation('subscription.duplicate', `${customer.name} already subscribes to ${plan.name} (${duplicate.subscription_no})`);
  const billCycleDay = input.billCycleDay ?? Number(start.slice(8, 10));
  const first = firstPeriod(start, version.billing_period, billCycleDay);
  const mrr = monthlyValue(version.price_minor, version.billing_period);
  const id = newId();
  const subscriptionNo = nextDocumentNo(ctx.db, ctx.branch.id, 'hs_subscription');
  sqlRun(
    ctx.db,
    `INSERT INTO hs_subscriptions (id, branch_id, subscription_no, customer_id, plan_id, plan_version_id, billing_period, price_minor, mrr_minor, status,
       started_on, bill_cycle_day, period_start, period_end, cancel_at_period_end, dunning_stage, shift_id, created_by, version, created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?, 0, 'none', ?, ?, 0, ?, ?)`,
    id,
    ctx.branch.id,
    subscriptionNo,
    customer.id,
    plan.id,
    version.id,
    version.billing_period,
    version.price_minor,
    mrr,
    start,
    billCycleDay,
    first.start,
    first.end,
    shift.id,
    ctx.user().userId,
    ctx.nowIso,
    ctx.nowIso,
  );
  const sub = findSubscriptionRow(ctx.db, id)!;
  const charge = firstPeriodCharge(version.price_minor, first);
  const invoice = issueInvoice(ctx, sub, 'period', first, [
    first.partial
      ? {
          description: `${plan.name}, ${first.start} to ${lastDay(first)}: ${first.days} of ${first.fullDays} days of the period ${first.full.start} to ${lastDay(first.full)}`,
          days: first.days,
          periodDays: first.fullDays,
          amountMinor: charge,
        }
      : { description: `${plan.name}, ${first.start} to ${lastDay(first)}`, amountMinor: charge },
  ]);
  recordEvent(ctx, sub, 'started', start, { before: 0, after: mrr });
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: id, action: 'started', after: subscriptionDto(ctx, id) });
  const owed = sqlGet<{ open_minor: number }>(ctx.db, 'SELECT open_minor FROM hs_subscription_invoices WHERE id = ?', invoice.id)!.open_minor;
  const receipt = input.payment && owed > 0 ? takePayment(ctx, customer.id, owed, input.payment) : null;
  return { subscription: subscriptionDto(ctx, id), invoice: findInvoice(ctx.db, invoice.id, today(ctx))!, receipt };
}

function requireChangeable(ctx: Ctx, sub: HsSubscriptionsTable): void {
  if (blocksPlanChanges(sub.dunning_stage)) {
    throw ruleViolation(
      'subscription.changesBlocked',
      `${sub.subscription_no} has overdue invoices (dunning: ${C.DUNNING_STAGES[sub.dunning_stage].toLowerCase()}): plan changes are blocked until they are paid at the counter`,
    );
  }
  if (sub.status !== 'active') throw ruleViolation('subscription.notActive', `${sub.subscription_no} is ${C.SUBSCRIPTION_STATUSES[sub.status].toLowerCase()}: only an active subscription changes plan`);
}

function quoteFor(ctx: Ctx, sub: HsSubscriptionsTable, planId: string) {
  const plan = requirePlan(ctx, planId);
  if (plan.status !== 'active') throw fieldIssue('plan.retired', 'planId', `${plan.name} is retired`);
  if (plan.id === sub.plan_id) throw fieldIssue('subscription.samePlan', 'planId', 'That is the current plan');
  const on = today(ctx);
  const version = versionOn(ctx.db, plan.id, on);
  if (!version) throw fieldIssue('plan.notYetEffective', 'planId', `${plan.name} has no price in effect today yet`);
  const current = findVersionRow(ctx.db, sub.plan_version_id)!;
  const oldPlan = findPlanRow(ctx.db, sub.plan_id)!;
  const newMonthly = monthlyValue(version.price_minor, version.billing_period);
  const quote = quotePlanChange({
    current: { start: sub.period_start, end: sub.period_end },
    on,
    oldPriceMinor: sub.price_minor,
    oldMonthlyMinor: sub.mrr_minor,
    newPriceMinor: version.price_minor,
    newMonthlyMinor: newMonthly,
    oldName: oldPlan.name,
    newName: plan.name,
  });
  // A different billing period cannot share the current period's days: it starts with the next period.
  const atPeriodEnd = quote.effective === 'period_end' || version.billing_period !== current.billing_period;
  const result = atPeriodEnd ? { ...quote, effective: 'period_end' as const, lines: [], netMinor: 0 } : quote;
  return { plan, version, newMonthly, quote: { ...result, effectiveOn: atPeriodEnd ? sub.period_end : on } };
}

function changePlan(ctx: Ctx, input: Input<typeof C.subscriptionsChangePlan>) {
  const sub = requireSubscription(ctx, input.id, input.version);
  requireChangeable(ctx, sub);
  const { plan, version, newMonthly, quote } = quoteFor(ctx, sub, input.planId);
  const before = subscriptionDto(ctx, sub.id);
  if (quote.effective === 'period_end') {
    sqlRun(ctx.db, 'UPDATE hs_subscriptions SET pending_plan_id = ?, cancel_at_period_end = 0, version = version + 1, updated_at = ? WHERE id = ?', plan.id, ctx.nowIso, sub.id);
    ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: `changes to ${plan.name} on ${quote.effectiveOn}`, before, after: subscriptionDto(ctx, sub.id) });
    return { subscription: subscriptionDto(ctx, sub.id), quote, invoice: null };
  }
  const invoice = issueInvoice(ctx, sub, 'plan_change', { start: today(ctx), end: sub.period_end }, quote.lines);
  sqlRun(
    ctx.db,
    `UPDATE hs_subscriptions SET plan_id = ?, plan_version_id = ?, price_minor = ?, mrr_minor = ?, pending_plan_id = NULL, version = version + 1, updated_at = ? WHERE id = ?`,
    plan.id,
    version.id,
    version.price_minor,
    newMonthly,
    ctx.nowIso,
    sub.id,
  );
  recordEvent(ctx, { id: sub.id, plan_id: plan.id }, newMonthly >= sub.mrr_minor ? 'upgraded' : 'downgraded', today(ctx), { before: sub.mrr_minor, after: newMonthly });
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: `changed plan to ${plan.name}`, before, after: subscriptionDto(ctx, sub.id) });
  return { subscription: subscriptionDto(ctx, sub.id), quote, invoice: findInvoice(ctx.db, invoice.id, today(ctx))! };
}

function pause(ctx: Ctx, input: Input<typeof C.subscriptionsPause>) {
  const sub = requireSubscription(ctx, input.id, input.version);
  if (sub.status !== 'active') throw ruleViolation('subscription.notActive', `${sub.subscription_no} is ${C.SUBSCRIPTION_STATUSES[sub.status].toLowerCase()}: only an active subscription can be paused`);
  const on = today(ctx);
  if (input.resumeOn !== undefined && input.resumeOn <= on) throw fieldIssue('subscription.resumeInPast', 'resumeOn', 'Resume on a later day (or resume it by hand)');
  const before = subscriptionDto(ctx, sub.id);
  sqlRun(ctx.db, `UPDATE hs_subscriptions SET status = 'paused', paused_on = ?, resume_on = ?, version = version + 1, updated_at = ? WHERE id = ?`, on, input.resumeOn ?? null, ctx.nowIso, sub.id);
  recordEvent(ctx, sub, 'paused', on, { before: sub.mrr_minor, after: 0 }, input.reason ?? null);
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: 'paused', before, after: subscriptionDto(ctx, sub.id), reason: input.reason ?? null });
  return subscriptionDto(ctx, sub.id);
}

function resume(ctx: Ctx, input: Input<typeof C.subscriptionsResume>) {
  const sub = requireSubscription(ctx, input.id, input.version);
  if (sub.status !== 'paused') throw ruleViolation('subscription.notPaused', `${sub.subscription_no} is not paused`);
  resumeAt(ctx, sub, today(ctx));
  return subscriptionDto(ctx, sub.id);
}

function cancel(ctx: Ctx, input: Input<typeof C.subscriptionsCancel>) {
  const sub = requireSubscription(ctx, input.id, input.version);
  if (sub.status === 'cancelled') throw ruleViolation('subscription.cancelled', `${sub.subscription_no} is already cancelled`);
  if (input.when === 'now') {
    const note = cancelNow(ctx, sub, today(ctx), input.reason);
    return { subscription: subscriptionDto(ctx, sub.id), credit: note ? findInvoice(ctx.db, note.id, today(ctx))! : null };
  }
  const before = subscriptionDto(ctx, sub.id);
  sqlRun(ctx.db, 'UPDATE hs_subscriptions SET cancel_at_period_end = 1, cancel_reason = ?, pending_plan_id = NULL, version = version + 1, updated_at = ? WHERE id = ?', input.reason, ctx.nowIso, sub.id);
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: `cancels on ${sub.period_end}`, before, after: subscriptionDto(ctx, sub.id), reason: input.reason });
  return { subscription: subscriptionDto(ctx, sub.id), credit: null };
}

function keep(ctx: Ctx, input: Input<typeof C.subscriptionsUndoCancel>) {
  const sub = requireSubscription(ctx, input.id, input.version);
  if (sub.cancel_at_period_end !== 1 && sub.pending_plan_id === null) throw ruleViolation('subscription.nothingPending', `${sub.subscription_no} has no change waiting for the period end`);
  const before = subscriptionDto(ctx, sub.id);
  sqlRun(ctx.db, 'UPDATE hs_subscriptions SET cancel_at_period_end = 0, cancel_reason = NULL, pending_plan_id = NULL, version = version + 1, updated_at = ? WHERE id = ?', ctx.nowIso, sub.id);
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: 'kept as it is', before, after: subscriptionDto(ctx, sub.id) });
  return subscriptionDto(ctx, sub.id);
}

function listSubscriptions(ctx: Ctx, input: Input<typeof C.subscriptionsList>) {
  const like = input.search ? `%${input.search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : null;
  const where = `WHERE (?1 IS NULL OR s.status = ?1) AND (?2 IS NULL OR s.plan_id = ?2) AND (?3 IS NULL OR s.customer_id = ?3) AND (?4 IS NULL OR s.dunning_stage = ?4)
    AND (?5 IS NULL OR s.subscription_no LIKE ?5 ESCAPE '\\' OR c.name LIKE ?5 ESCAPE '\\' OR c.customer_no LIKE ?5 ESCAPE '\\')`;
  const args = [input.status ?? null, input.planId ?? null, input.customerId ?? null, input.dunningStage ?? null, like];
  const agg = sqlGet<{ n: number; mrr: number | null }>(
    ctx.db,
    `SELECT count(*) AS n, sum(CASE WHEN s.status IN ('active', 'suspended') THEN s.mrr_minor END) AS mrr FROM hs_subscriptions s JOIN hs_customers c ON c.id = s.customer_id ${where}`,
    ...args,
  )!;
  const [at, id] = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as string[]) : [null, null];
  const rows = sqlAll<SubscriptionRow>(ctx.db, `${SUBSCRIPTION_SELECT} ${where} AND (?6 IS NULL OR (s.created_at, s.id) < (?6, ?7)) ORDER BY s.created_at DESC, s.id DESC LIMIT ?8`, ...args, at, id, input.limit + 1);
  const pageRows = toSubscriptions(ctx.db, rows.slice(0, input.limit), today(ctx));
  const last = rows.slice(0, input.limit).at(-1);
  const overdue = sqlGet<{ n: number | null }>(
    ctx.db,
    `SELECT sum(i.open_minor) AS n FROM hs_subscription_invoices i JOIN hs_subscriptions s ON s.id = i.subscription_id JOIN hs_customers c ON c.id = s.customer_id
     ${where} AND i.open_minor > 0 AND i.due_date < ?6`,
    ...args,
    today(ctx),
  )!.n;
  return {
    rows: pageRows,
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.created_at, last.id]) : null,
    total: agg.n,
    totals: { mrrMinor: agg.mrr ?? 0, overdueMinor: overdue ?? 0 },
  };
}

function getSubscription(ctx: Ctx, id: string) {
  const sub = requireSubscription(ctx, id);
  const asOf = today(ctx);
  const events = sqlAll<{ id: string; kind: C.EventKind; at: string; effective_on: string; plan_name: string; mrr_before: number; mrr_after: number; detail: string | null; actor_name: string | null }>(
    ctx.db,
    `SELECT e.id, e.kind, e.at, e.effective_on, p.name AS plan_name, e.mrr_before, e.mrr_after, e.detail, u.display_name AS actor_name
     FROM hs_subscription_events e JOIN hs_plans p ON p.id = e.plan_id LEFT JOIN users u ON u.id = e.actor_id WHERE e.subscription_id = ? ORDER BY e.at DESC, e.id DESC`,
    id,
  );
  const dunning = sqlAll<{ id: string; step: C.DunningStepKey | 'restored'; invoice_no: string; due_on: string; taken_at: string; taken_by_name: string | null; overdue_minor: number }>(
    ctx.db,
    `SELECT d.id, d.step, i.invoice_no, d.due_on, d.taken_at, u.display_name AS taken_by_name, d.overdue_minor FROM hs_dunning_steps d
     JOIN hs_subscription_invoices i ON i.id = d.invoice_id LEFT JOIN users u ON u.id = d.taken_by WHERE d.subscription_id = ? ORDER BY d.taken_at DESC, d.id DESC`,
    id,
  );
  const visits = sqlAll<{ appointment_id: string; number: number; service_name: string; period_start: string; outcome: 'included' | 'charged'; invoice_no: string | null; at: string }>(
    ctx.db,
    `SELECT v.appointment_id, a.number, s.name AS service_name, v.period_start, v.outcome, i.invoice_no, v.at FROM hs_subscription_visits v
     JOIN hs_appointments a ON a.id = v.appointment_id JOIN hs_services s ON s.id = v.service_id LEFT JOIN hs_subscription_invoices i ON i.id = v.invoice_id
     WHERE v.subscription_id = ? ORDER BY v.at DESC`,
    id,
  );
  const from = sub.status === 'paused' && sub.paused_on ? sub.paused_on : asOf;
  return {
    subscription: subscriptionDto(ctx, id),
    invoices: invoicesOfSubscription(ctx.db, id, asOf),
    events: events.map((e) => ({ id: e.id, kind: e.kind, at: e.at, effectiveOn: e.effective_on, planName: e.plan_name, mrrBefore: e.mrr_before, mrrAfter: e.mrr_after, detail: e.detail, actorName: e.actor_name })),
    dunning: dunning.map((d) => ({ id: d.id, step: d.step, invoiceNo: d.invoice_no, dueOn: d.due_on, takenAt: d.taken_at, takenByName: d.taken_by_name, overdueMinor: d.overdue_minor })),
    visits: visits.map((v) => ({
      appointmentId: v.appointment_id,
      appointmentNumber: `BK-${String(v.number).padStart(6, '0')}`,
      serviceName: v.service_name,
      periodStart: v.period_start,
      outcome: v.outcome,
      invoiceNo: v.invoice_no,
      at: v.at,
    })),
    cancelNowCreditMinor: sub.status === 'cancelled' ? 0 : cancellationCredit({ start: sub.period_start, end: sub.period_end }, from, sub.price_minor).creditMinor,
  };
}

/* ---------------- invoices, payments, counter ---------------- */

function listInvoices(ctx: Ctx, input: Input<typeof C.invoicesList>) {
  const asOf = today(ctx);
  const status = input.status === 'paid' ? 'paid' : input.status === 'overdue' ? 'overdue' : input.status === 'open' ? 'open' : null;
  const where = `WHERE (?1 IS NULL OR i.customer_id = ?1) AND (?2 IS NULL OR i.subscription_id = ?2) AND (?3 IS NULL OR i.issue_date >= ?3) AND (?4 IS NULL OR i.issue_date <= ?4)
    AND (?5 IS NULL OR (?5 = 'paid' AND i.open_minor = 0 AND i.total_minor >= 0) OR (?5 = 'open' AND i.open_minor > 0) OR (?5 = 'overdue' AND i.open_minor > 0 AND i.due_date < ?6))`;
  const args = [input.customerId ?? null, input.subscriptionId ?? null, input.from ?? null, input.to ?? null, status, asOf];
  const agg = sqlGet<{ n: number; total: number | null; open: number | null }>(
    ctx.db,
    `SELECT count(*) AS n, sum(i.total_minor) AS total, sum(CASE WHEN i.open_minor > 0 THEN i.open_minor ELSE 0 END) AS open FROM hs_subscription_invoices i ${where}`,
    ...args,
  )!;
  const [issuedAt, id] = input.cursor ? (decodeCursor(input.cursor, ['string', 'string']) as string[]) : [null, null];
  const rows = sqlAll<InvoiceRow>(
    ctx.db,
    `${INVOICE_SELECT} ${where} AND (?7 IS NULL OR (i.issued_at, i.id) < (?7, ?8)) ORDER BY i.issued_at DESC, i.id DESC LIMIT ?9`,
    ...args,
    issuedAt,
    id,
    input.limit + 1,
  );
  const pageRows = rows.slice(0, input.limit);
  const last = pageRows.at(-1);
  return {
    rows: toInvoices(ctx.db, pageRows, asOf),
    nextCursor: rows.length > input.limit && last ? encodeCursor([last.issued_at, last.id]) : null,
    total: agg.n,
    totals: { totalMinor: agg.total ?? 0, openMinor: agg.open ?? 0 },
  };
}

function customerAccount(ctx: Ctx, customerId: string) {
  const customer = sqlGet<{ id: string; customer_no: string; name: string; phone: string | null; address: string }>(
    ctx.db,
    'SELECT id, customer_no, name, phone, address FROM hs_customers WHERE id = ?',
    customerId,
  );
  if (!customer) throw notFound('Customer', customerId);
  const asOf = today(ctx);
  const open = toInvoices(ctx.db, openInvoiceRows(ctx.db, customerId), asOf);
  return {
    customer: { id: customer.id, customerNo: customer.customer_no, name: customer.name, phone: customer.phone, address: customer.address },
    subscriptions: subscriptionsOfCustomer(ctx.db, customerId, asOf),
    openInvoices: open,
    owedMinor: open.reduce((s, i) => s + i.openMinor, 0),
    overdueMinor: open.filter((i) => i.status === 'overdue').reduce((s, i) => s + i.openMinor, 0),
    creditMinor: customerCredit(ctx.db, customerId),
    recentPayments: sqlAll<{ id: string; receipt_no: string; created_at: string; amount_minor: number; tender: C.PaymentReceipt['tender'] }>(
      ctx.db,
      'SELECT id, receipt_no, created_at, amount_minor, tender FROM hs_subscription_payments WHERE customer_id = ? ORDER BY created_at DESC, receipt_no DESC LIMIT 5',
      customerId,
    ).map((p) => ({ paymentId: p.id, receiptNo: p.receipt_no, at: p.created_at, amount: p.amount_minor, tender: p.tender })),
  };
}

function createPayment(ctx: Ctx, input: Input<typeof C.paymentsCreate>) {
  requireCustomer(ctx, input.customerId);
  return takePayment(ctx, input.customerId, input.amount, input);
}

/* ---------------- billing job and dunning ---------------- */

function requireAsOf(ctx: Ctx, asOf: string | undefined): string {
  const now = today(ctx);
  if (asOf !== undefined && asOf > now) throw fieldIssue('billing.future', 'asOf', 'Bill up to today at the latest: periods are billed when they start');
  return asOf ?? now;
}

function startBilling(ctx: Ctx, input: Input<typeof C.billingRun>) {
  const asOf = requireAsOf(ctx, input.asOf);
  const jobId = ctx.jobs.start(BILLING_JOB, `Subscription billing up to ${asOf}`, { asOf });
  ctx.audit({ entity: 'subscriptionBilling', entityId: jobId, action: 'billing run started', after: { asOf } });
  return { jobId };
}

function renewDue(ctx: Ctx, input: Input<typeof C.billingRenewDue>) {
  const asOf = requireAsOf(ctx, input.asOf);
  const ids = dueForRenewal(ctx, asOf, input.limit);
  const result = { renewed: 0, invoices: [] as string[], resumed: 0, cancelled: 0, done: ids.length < input.limit };
  for (const id of ids) {
    const outcome = renewSubscription(ctx, id, asOf);
    if (outcome.invoices.length > 0) result.renewed += 1;
    result.invoices.push(...outcome.invoices);
    if (outcome.resumed) result.resumed += 1;
    if (outcome.cancelled) result.cancelled += 1;
  }
  // The journal says the run happened even when nothing was due: a second run is visible too.
  ctx.audit({ entity: 'subscriptionBilling', entityId: asOf, action: 'renewals issued', after: result });
  return result;
}

function advanceDunning(ctx: Ctx, input: Input<typeof C.dunningAdvance>) {
  const asOf = requireAsOf(ctx, input.asOf);
  const steps: { subscriptionNo: string; step: C.DunningStepKey }[] = [];
  for (const sub of onTheLadder(ctx, asOf)) {
    for (const step of takeDunningSteps(ctx, sub, asOf)) steps.push({ subscriptionNo: sub.subscription_no, step });
  }
  // Paid by a credit note meanwhile (or by a payment taken elsewhere): back to good standing.
  const customers = new Set(sqlAll<{ customer_id: string }>(ctx.db, `SELECT DISTINCT customer_id FROM hs_subscriptions WHERE dunning_stage IN ('reminder', 'warning', 'suspended')`).map((r) => r.customer_id));
  for (const customerId of customers) restoreSettled(ctx, customerId, asOf);
  ctx.audit({ entity: 'subscriptionBilling', entityId: asOf, action: 'dunning steps taken', after: { steps } });
  return { steps };
}

function dunningQueue(ctx: Ctx, input: Input<typeof C.dunningQueue>) {
  const asOf = today(ctx);
  const offsets = dunningLadder(ctx.settings);
  const rows = onTheLadder(ctx, asOf).flatMap((sub) => {
    const overdue = oldestOverdue(ctx, sub.id, asOf);
    if (!overdue) return [];
    const next = nextDunningStep(sub.dunning_stage, overdue.due_date, offsets);
    const info = sqlGet<{ customer_no: string; name: string; phone: string | null; plan_name: string }>(
      ctx.db,
      'SELECT c.customer_no, c.name, c.phone, p.name AS plan_name FROM hs_customers c, hs_plans p WHERE c.id = ? AND p.id = ?',
      sub.customer_id,
      sub.plan_id,
    )!;
    return [
      {
        subscriptionId: sub.id,
        subscriptionNo: sub.subscription_no,
        customerId: sub.customer_id,
        customerNo: info.customer_no,
        customerName: info.name,
        phone: info.phone,
        planName: info.plan_name,
        stage: sub.dunning_stage,
        nextStep: next?.step ?? null,
        nextDueOn: next?.dueOn ?? null,
        dueNow: next !== null && next.dueOn <= asOf,
        oldestInvoiceNo: overdue.invoice_no,
        oldestDueDate: overdue.due_date,
        daysOverdue: daysBetween(overdue.due_date, asOf),
        overdueMinor: overdue.overdue,
        version: sub.version,
      },
    ];
  });
  const counts = { reminder: 0, warning: 0, suspended: 0, cancelled: 0 };
  for (const r of rows) if (r.nextStep && r.dueNow) counts[r.nextStep] += 1;
  const filtered = rows
    .filter((r) => (input.step ? r.nextStep === input.step : true) && (input.dueOnly ? r.dueNow : true))
    .sort((a, b) => (a.nextDueOn ?? '9999').localeCompare(b.nextDueOn ?? '9999') || a.subscriptionNo.localeCompare(b.subscriptionNo));
  return { rows: filtered, counts, offsets };
}

function takeStep(ctx: Ctx, input: Input<typeof C.dunningTakeStep>) {
  const sub = requireSubscription(ctx, input.id, input.version);
  const steps = takeDunningSteps(ctx, sub, today(ctx), 'next');
  if (steps.length === 0) {
    const overdue = oldestOverdue(ctx, sub.id, today(ctx));
    const next = overdue ? nextDunningStep(sub.dunning_stage, overdue.due_date, dunningLadder(ctx.settings)) : null;
    throw ruleViolation(
      'dunning.notDue',
      !overdue ? `${sub.subscription_no} has nothing overdue` : next ? `The ${next.step} step for ${sub.subscription_no} is due on ${next.dueOn}` : `${sub.subscription_no} has no further step`,
    );
  }
  return subscriptionDto(ctx, sub.id);
}

/* ---------------- registration ---------------- */

export function registerSubscriptions(registry: Registry, jobs: JobRunners): void {
  registry
    .add(C.plansList, (ctx, input) =>
      sqlAll<HsPlansTable>(ctx.db, `SELECT * FROM hs_plans WHERE (? OR status = 'active') ORDER BY status, name`, input.includeRetired).map((p) => toPlan(ctx.db, p, today(ctx))),
    )
    .add(C.plansGet, (ctx, input) => {
      const plan = findPlan(ctx.db, input.id, today(ctx));
      if (!plan) throw notFound('Plan', input.id);
      return plan;
    })
    .add(C.plansCreate, createPlan)
    .add(C.plansAddVersion, addVersion)
    .add(C.plansSetStatus, setPlanStatus)
    .add(C.subscriptionsList, listSubscriptions)
    .add(C.subscriptionsGet, (ctx, input) => getSubscription(ctx, input.id))
    .add(C.subscriptionsCreate, createSubscription)
    .add(C.subscriptionsQuoteChange, (ctx, input) => quoteFor(ctx, requireSubscription(ctx, input.id), input.planId).quote)
    .add(C.subscriptionsChangePlan, changePlan)
    .add(C.subscriptionsPause, pause)
    .add(C.subscriptionsResume, resume)
    .add(C.subscriptionsCancel, cancel)
    .add(C.subscriptionsUndoCancel, keep)
    .add(C.allowance, (ctx, input) => allowanceFor(ctx.db, input.customerId, input.serviceId, input.date))
    .add(C.invoicesList, listInvoices)
    .add(C.invoicesGet, (ctx, input) => {
      const invoice = findInvoice(ctx.db, input.id, today(ctx));
      if (!invoice) throw notFound('Invoice', input.id);
      return { ...invoice, settledBy: settlementsOf(ctx.db, 'invoice', invoice.id), appliedTo: settlementsOf(ctx.db, 'source', invoice.id) };
    })
    .add(C.customerAccount, (ctx, input) => customerAccount(ctx, input.customerId))
    .add(C.paymentsCreate, createPayment)
    .add(C.paymentsGet, (ctx, input) => {
      const receipt = receiptOf(ctx.db, ctx.branch.name, input.id);
      if (!receipt) throw notFound('Payment', input.id);
      return receipt;
    })
    .add(C.billingRun, startBilling)
    .add(C.billingRenewDue, renewDue)
    .add(C.dunningAdvance, advanceDunning)
    .add(C.dunningQueue, dunningQueue)
    .add(C.dunningTakeStep, takeStep);
  jobs.set(BILLING_JOB, runBillingJob);
}
