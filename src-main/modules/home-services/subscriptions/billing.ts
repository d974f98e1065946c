import type { Ctx } from '../../../core/rpc/context';
import { newId } from '../../../core/util/ids';
import { localDateOf } from '../../../reporting/periods';
import { sqlAll, sqlGet, sqlRun } from '../../energy/billing/sql';
import { addDays, daysBetween } from '../time';
import { nextDocumentNo } from './numbering';
import { findInvoice, findSubscription, findSubscriptionRow, findVersionRow, versionOn } from './queries';
import {
  cancellationCredit,
  dunningStepsDue,
  monthlyValue,
  periodFrom,
  type DunningStep,
  type Period,
} from './rules';
import { dunningLadder, paymentTermsDays } from './settings';
import type { HsSubscriptionEventsTable, HsSubscriptionInvoicesTable, HsSubscriptionsTable } from './tables';

/**
 * The money side of subscriptions, used by the handlers and the billing job inside their
 * transactions: invoices (numbered gap-free when issued), settlement of invoices by payments and
 * credit notes, renewals in advance, cancellation credits, and the dunning ladder.
 */

export const SUBSCRIPTION_ENTITY = 'subscription';
export const INVOICE_ENTITY = 'subscriptionInvoice';
export const PAYMENT_ENTITY = 'subscriptionPayment';
export const PLAN_ENTITY = 'subscriptionPlan';

export const today = (ctx: Ctx): string => localDateOf(ctx.now, ctx.branch.timeZone);
/** The last day a half-open period covers, for people: 1–31 May rather than 1 May–1 June. */
export const lastDay = (p: Period): string => addDays(p.end, -1);

export interface IssuedInvoice {
  id: string;
  invoice_no: string;
  total_minor: number;
}

export interface InvoiceLine {
  description: string;
  days?: number | null;
  periodDays?: number | null;
  amountMinor: number;
}

/**
 * Issues an invoice (or, with a negative total, a credit note) with the next number of the
 * branch's series, then lets waiting credit settle what is open.
 */
export function issueInvoice(
  ctx: Ctx,
  sub: Pick<HsSubscriptionsTable, 'id' | 'customer_id'>,
  kind: HsSubscriptionInvoicesTable['kind'],
  period: Period,
  lines: readonly InvoiceLine[],
): IssuedInvoice {
  const issued = today(ctx);
  const total = lines.reduce((s, l) => s + l.amountMinor, 0);
  const id = newId();
  const invoiceNo = nextDocumentNo(ctx.db, ctx.branch.id, 'hs_invoice');
  const due = total > 0 ? addDays(issued, ctx.settings.get(paymentTermsDays)) : issued;
  sqlRun(
    ctx.db,
    `INSERT INTO hs_subscription_invoices (id, branch_id, invoice_no, subscription_id, customer_id, kind, period_start, period_end, issue_date, due_date,
       total_minor, open_minor, issued_at, version, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
    id,
    ctx.branch.id,
    invoiceNo,
    sub.id,
    sub.customer_id,
    kind,
    period.start,
    period.end,
    issued,
    due,
    total,
    total,
    ctx.nowIso,
    ctx.nowIso,
  );
  lines.forEach((l, i) =>
    sqlRun(
      ctx.db,
      `INSERT INTO hs_subscription_invoice_lines (id, branch_id, invoice_id, line_no, description, days, period_days, amount_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      newId(),
      ctx.branch.id,
      id,
      i + 1,
      l.description,
      l.days ?? null,
      l.periodDays ?? null,
      l.amountMinor,
    ),
  );
  ctx.audit({ entity: INVOICE_ENTITY, entityId: id, action: total < 0 ? 'credit note issued' : 'issued', after: findInvoice(ctx.db, id, issued) });
  applyCredits(ctx, sub.customer_id);
  return { id, invoice_no: invoiceNo, total_minor: total };
}

function recordSettlement(ctx: Ctx, invoiceId: string, source: { kind: 'payment' | 'credit_note'; id: string }, amount: number): void {
  sqlRun(
    ctx.db,
    `INSERT INTO hs_subscription_settlements (id, branch_id, invoice_id, source_kind, source_id, amount_minor, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    invoiceId,
    source.kind,
    source.id,
    amount,
    ctx.nowIso,
  );
  sqlRun(ctx.db, 'UPDATE hs_subscription_invoices SET open_minor = open_minor - ?, version = version + 1, updated_at = ? WHERE id = ?', amount, ctx.nowIso, invoiceId);
}

const openInvoices = (ctx: Ctx, customerId: string) =>
  sqlAll<{ id: string; open_minor: number }>(
    ctx.db,
    'SELECT id, open_minor FROM hs_subscription_invoices WHERE customer_id = ? AND open_minor > 0 ORDER BY due_date, issue_date, invoice_no',
    customerId,
  );

/** Settles a customer's open invoices, oldest due first, from `amount`; answers what each got and what is left. */
export function settleFrom(ctx: Ctx, customerId: string, source: { kind: 'payment' | 'credit_note'; id: string }, amount: number) {
  const settled: { invoiceId: string; amount: number }[] = [];
  let left = amount;
  for (const invoice of openInvoices(ctx, customerId)) {
    if (left <= 0) break;
    const take = Math.min(left, invoice.open_minor);
    recordSettlement(ctx, invoice.id, source, take);
    settled.push({ invoiceId: invoice.id, amount: take });
    left -= take;
  }
  return { settled, left };
}

/**
 * Credit waiting on the customer's account — credit notes first (oldest first), then money paid
 * ahead at the counter — settles open invoices. Runs after every invoice or credit note.
 */
export function applyCredits(ctx: Ctx, customerId: string): void {
  const notes = sqlAll<{ id: string; invoice_no: string; open_minor: number }>(
    ctx.db,
    'SELECT id, invoice_no, open_minor FROM hs_subscription_invoices WHERE customer_id = ? AND open_minor < 0 ORDER BY issued_at, invoice_no',
    customerId,
  );
  for (const note of notes) {
    const { settled } = settleFrom(ctx, customerId, { kind: 'credit_note', id: note.id }, -note.open_minor);
    const used = settled.reduce((s, x) => s + x.amount, 0);
    if (used > 0) {
      sqlRun(ctx.db, 'UPDATE hs_subscription_invoices SET open_minor = open_minor + ?, version = version + 1, updated_at = ? WHERE id = ?', used, ctx.nowIso, note.id);
      ctx.audit({ entity: INVOICE_ENTITY, entityId: note.id, action: 'credit applied', after: { invoiceNo: note.invoice_no, applied: settled } });
    }
  }
  const payments = sqlAll<{ id: string; receipt_no: string; unapplied_minor: number }>(
    ctx.db,
    'SELECT id, receipt_no, unapplied_minor FROM hs_subscription_payments WHERE customer_id = ? AND unapplied_minor > 0 ORDER BY created_at, receipt_no',
    customerId,
  );
  for (const payment of payments) {
    const { settled, left } = settleFrom(ctx, customerId, { kind: 'payment', id: payment.id }, payment.unapplied_minor);
    if (settled.length > 0) {
      sqlRun(ctx.db, 'UPDATE hs_subscription_payments SET unapplied_minor = ? WHERE id = ?', left, payment.id);
      ctx.audit({ entity: PAYMENT_ENTITY, entityId: payment.id, action: 'credit applied', after: { receiptNo: payment.receipt_no, applied: settled, unapplied: left } });
    }
  }
}

/** Appends a movement to the ledger MRR and churn are read from. */
export function recordEvent(
  ctx: Ctx,
  sub: Pick<HsSubscriptionsTable, 'id' | 'plan_id'>,
  kind: HsSubscriptionEventsTable['kind'],
  effectiveOn: string,
  mrr: { before: number; after: number },
  detail: string | null = null,
): void {
  sqlRun(
    ctx.db,
    `INSERT INTO hs_subscription_events (id, branch_id, subscription_id, kind, at, effective_on, plan_id, mrr_before, mrr_after, actor_id, detail)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    newId(),
    ctx.branch.id,
    sub.id,
    kind,
    ctx.nowIso,
    effectiveOn,
    sub.plan_id,
    mrr.before,
    mrr.after,
    ctx.principal?.userId ?? null,
    detail,
  );
}

/** Revenue a subscription contributes in its status: a paused or cancelled one none. */
export const contributes = (status: HsSubscriptionsTable['status']): boolean => status === 'active' || status === 'suspended';

/**
 * Cancels now: the days from `on` to the end of the period already billed are credited (for a
 * paused subscription, the days it still had when it was paused), and nothing renews.
 */
export function cancelNow(ctx: Ctx, sub: HsSubscriptionsTable, on: string, reason: string, action = 'cancelled'): IssuedInvoice | null {
  const before = findSubscription(ctx.db, sub.id, today(ctx));
  const period = { start: sub.period_start, end: sub.period_end };
  const from = sub.status === 'paused' && sub.paused_on ? sub.paused_on : on;
  const credit = cancellationCredit(period, from, sub.price_minor);
  const planName = sqlGet<{ name: string }>(ctx.db, 'SELECT name FROM hs_plans WHERE id = ?', sub.plan_id)!.name;
  const note =
    credit.creditMinor > 0
      ? issueInvoice(ctx, sub, 'cancellation_credit', { start: from, end: sub.period_end }, [
          {
            description: `Unused ${planName} from ${from} to ${lastDay(period)}: ${credit.days} of ${credit.periodDays} days`,
            days: credit.days,
            periodDays: credit.periodDays,
            amountMinor: -credit.creditMinor,
          },
        ])
      : null;
  sqlRun(
    ctx.db,
    `UPDATE hs_subscriptions SET status = 'cancelled', cancelled_on = ?, cancel_reason = ?, cancel_at_period_end = 0, pending_plan_id = NULL,
       paused_on = NULL, resume_on = NULL, version = version + 1, updated_at = ? WHERE id = ?`,
    on,
    reason,
    ctx.nowIso,
    sub.id,
  );
  recordEvent(ctx, sub, 'cancelled', on, { before: contributes(sub.status) ? sub.mrr_minor : 0, after: 0 }, reason);
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action, before, after: findSubscription(ctx.db, sub.id, today(ctx)), reason });
  return note;
}

/* ---------------- renewal ---------------- */

export interface RenewalOutcome {
  invoices: string[];
  resumed: boolean;
  cancelled: boolean;
}

/** Resumes a paused subscription as of `on`: its period ends later by the paused days. */
export function resumeAt(ctx: Ctx, sub: HsSubscriptionsTable, on: string, action = 'resumed'): void {
  const before = findSubscription(ctx.db, sub.id, today(ctx));
  const pausedDays = Math.max(0, daysBetween(sub.paused_on!, on));
  const end = addDays(sub.period_end, pausedDays);
  sqlRun(
    ctx.db,
    `UPDATE hs_subscriptions SET status = 'active', paused_on = NULL, resume_on = NULL, period_end = ?, bill_cycle_day = ?, version = version + 1, updated_at = ?
     WHERE id = ?`,
    end,
    Number(end.slice(8, 10)),
    ctx.nowIso,
    sub.id,
  );
  recordEvent(ctx, sub, 'resumed', on, { before: 0, after: sub.mrr_minor }, `Paused ${pausedDays} days; the period now ends ${addDays(end, -1)}`);
  ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action, before, after: findSubscription(ctx.db, sub.id, today(ctx)) });
}

/**
 * Brings one subscription up to `asOf`: an automatic resume that fell due, then each period that
 * ended is followed by the next one, invoiced in advance with the plan version in effect on its
 * first day (a downgrade waiting for the period end takes effect here); a cancellation at the
 * period end closes it instead. Running it again changes nothing: the period already moved on,
 * and a period can be invoiced only once (unique index).
 */
export function renewSubscription(ctx: Ctx, subscriptionId: string, asOf: string): RenewalOutcome {
  const outcome: RenewalOutcome = { invoices: [], resumed: false, cancelled: false };
  let sub = findSubscriptionRow(ctx.db, subscriptionId)!;
  if (sub.status === 'paused' && sub.resume_on !== null && sub.resume_on <= asOf) {
    resumeAt(ctx, sub, sub.resume_on, 'resumed as planned');
    outcome.resumed = true;
    sub = findSubscriptionRow(ctx.db, subscriptionId)!;
  }
  for (let guard = 0; guard < 400 && contributes(sub.status) && sub.period_end <= asOf; guard += 1) {
    const start = sub.period_end;
    if (sub.cancel_at_period_end === 1) {
      cancelNow(ctx, sub, start, sub.cancel_reason ?? 'Cancelled at the end of the period', 'cancelled at period end');
      outcome.cancelled = true;
      break;
    }
    const planId = sub.pending_plan_id ?? sub.plan_id;
    const version = versionOn(ctx.db, planId, start) ?? findVersionRow(ctx.db, sub.plan_version_id)!;
    const period = periodFrom(start, version.billing_period, sub.bill_cycle_day);
    const plan = sqlGet<{ name: string }>(ctx.db, 'SELECT name FROM hs_plans WHERE id = ?', planId)!;
    const before = findSubscription(ctx.db, sub.id, today(ctx));
    const exists = sqlGet<{ id: string }>(ctx.db, `SELECT id FROM hs_subscription_invoices WHERE subscription_id = ? AND kind = 'period' AND period_start = ?`, sub.id, start);
    if (!exists) {
      const invoice = issueInvoice(ctx, sub, 'period', period, [{ description: `${plan.name}, ${period.start} to ${lastDay(period)}`, amountMinor: version.price_minor }]);
      outcome.invoices.push(invoice.invoice_no);
    }
    const mrrAfter = monthlyValue(version.price_minor, version.billing_period);
    sqlRun(
      ctx.db,
      `UPDATE hs_subscriptions SET plan_id = ?, plan_version_id = ?, billing_period = ?, price_minor = ?, mrr_minor = ?, period_start = ?, period_end = ?,
         pending_plan_id = NULL, version = version + 1, updated_at = ? WHERE id = ?`,
      planId,
      version.id,
      version.billing_period,
      version.price_minor,
      mrrAfter,
      period.start,
      period.end,
      ctx.nowIso,
      sub.id,
    );
    const kind = sub.pending_plan_id ? (mrrAfter < sub.mrr_minor ? 'downgraded' : 'upgraded') : 'renewed';
    recordEvent(ctx, { id: sub.id, plan_id: planId }, kind, start, { before: sub.mrr_minor, after: mrrAfter }, `${period.start} to ${lastDay(period)}`);
    ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: kind === 'renewed' ? 'renewed' : `renewed on the new plan (${kind})`, before, after: findSubscription(ctx.db, sub.id, today(ctx)) });
    sub = findSubscriptionRow(ctx.db, subscriptionId)!;
  }
  return outcome;
}

/** Subscriptions the billing job has work for by `asOf`, in a stable order for chunking. */
export const dueForRenewal = (ctx: Ctx, asOf: string, limit: number): string[] =>
  sqlAll<{ id: string }>(
    ctx.db,
    `SELECT id FROM hs_subscriptions WHERE (status IN ('active', 'suspended') AND period_end <= ?1) OR (status = 'paused' AND resume_on <= ?1)
     ORDER BY period_end, id LIMIT ?2`,
    asOf,
    limit,
  ).map((r) => r.id);

/* ---------------- dunning ---------------- */

interface Overdue {
  invoice_id: string;
  invoice_no: string;
  due_date: string;
  overdue: number;
}

/** The oldest invoice of a subscription past its due date, and what is overdue in all. */
export function oldestOverdue(ctx: Ctx, subscriptionId: string, asOf: string): Overdue | null {
  const row = sqlGet<Overdue & { total: number }>(
    ctx.db,
    `SELECT id AS invoice_id, invoice_no, due_date, (SELECT sum(open_minor) FROM hs_subscription_invoices WHERE subscription_id = ?1 AND open_minor > 0 AND due_date < ?2) AS overdue
     FROM hs_subscription_invoices WHERE subscription_id = ?1 AND open_minor > 0 AND due_date < ?2 ORDER BY due_date, invoice_no LIMIT 1`,
    subscriptionId,
    asOf,
  );
  return row ?? null;
}

/**
 * Takes the dunning steps due for one subscription by `asOf`, in order (a late run takes the
 * skipped ones too): reminder and warning mark it (the warning blocks plan changes), suspended
 * stops its service, cancelled ends it with the unused days credited.
 */
export function takeDunningSteps(ctx: Ctx, sub: HsSubscriptionsTable, asOf: string, only?: 'next'): DunningStep[] {
  if (sub.status === 'cancelled') return [];
  const overdue = oldestOverdue(ctx, sub.id, asOf);
  if (!overdue) return [];
  const offsets = dunningLadder(ctx.settings);
  let steps = dunningStepsDue(sub.dunning_stage, daysBetween(overdue.due_date, asOf), offsets);
  if (only === 'next') steps = steps.slice(0, 1);
  for (const step of steps) {
    const current = findSubscriptionRow(ctx.db, sub.id)!;
    const before = findSubscription(ctx.db, sub.id, today(ctx));
    sqlRun(
      ctx.db,
      `INSERT INTO hs_dunning_steps (id, branch_id, subscription_id, invoice_id, step, due_on, taken_at, taken_by, overdue_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      newId(),
      ctx.branch.id,
      sub.id,
      overdue.invoice_id,
      step,
      addDays(overdue.due_date, offsets[step]),
      ctx.nowIso,
      ctx.principal?.userId ?? null,
      overdue.overdue,
    );
    const why = `${overdue.invoice_no} overdue since ${overdue.due_date}`;
    if (step === 'cancelled') {
      sqlRun(ctx.db, `UPDATE hs_subscriptions SET dunning_stage = 'cancelled' WHERE id = ?`, sub.id);
      cancelNow(ctx, { ...current, dunning_stage: 'cancelled' }, asOf, `Not paid: ${why}`, 'dunning: cancelled');
      continue;
    }
    const suspend = step === 'suspended' && current.status !== 'cancelled';
    sqlRun(
      ctx.db,
      `UPDATE hs_subscriptions SET dunning_stage = ?, status = CASE WHEN ? THEN 'suspended' ELSE status END,
         paused_on = CASE WHEN ? THEN NULL ELSE paused_on END, resume_on = CASE WHEN ? THEN NULL ELSE resume_on END,
         version = version + 1, updated_at = ? WHERE id = ?`,
      step,
      suspend,
      suspend,
      suspend,
      ctx.nowIso,
      sub.id,
    );
    if (suspend) recordEvent(ctx, current, 'suspended', asOf, { before: contributes(current.status) ? current.mrr_minor : 0, after: current.mrr_minor }, why);
    ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: `dunning: ${step}`, before, after: findSubscription(ctx.db, sub.id, today(ctx)), reason: why });
  }
  return steps;
}

/**
 * After money came in: every subscription of the customer on the ladder whose overdue invoices
 * are now all paid goes back to good standing — the ladder stops and a suspended service is
 * restored. A cancelled subscription stays cancelled (a new one must be sold).
 */
export function restoreSettled(ctx: Ctx, customerId: string, asOf: string): { subscriptionId: string; subscriptionNo: string; from: HsSubscriptionsTable['dunning_stage'] }[] {
  const restored: { subscriptionId: string; subscriptionNo: string; from: HsSubscriptionsTable['dunning_stage'] }[] = [];
  const candidates = sqlAll<HsSubscriptionsTable>(
    ctx.db,
    `SELECT * FROM hs_subscriptions WHERE customer_id = ? AND dunning_stage IN ('reminder', 'warning', 'suspended') AND status <> 'cancelled'`,
    customerId,
  );
  for (const sub of candidates) {
    if (oldestOverdue(ctx, sub.id, asOf)) continue;
    const before = findSubscription(ctx.db, sub.id, today(ctx));
    const lastStep = sqlGet<{ invoice_id: string }>(ctx.db, 'SELECT invoice_id FROM hs_dunning_steps WHERE subscription_id = ? ORDER BY taken_at DESC, id DESC LIMIT 1', sub.id);
    sqlRun(
      ctx.db,
      `INSERT INTO hs_dunning_steps (id, branch_id, subscription_id, invoice_id, step, due_on, taken_at, taken_by, overdue_minor) VALUES (?, ?, ?, ?, 'restored', ?, ?, ?, 0)`,
      newId(),
      ctx.branch.id,
      sub.id,
      lastStep?.invoice_id ?? sqlGet<{ id: string }>(ctx.db, 'SELECT id FROM hs_subscription_invoices WHERE subscription_id = ? ORDER BY issued_at DESC LIMIT 1', sub.id)!.id,
      asOf,
      ctx.nowIso,
      ctx.principal?.userId ?? null,
    );
    sqlRun(
      ctx.db,
      `UPDATE hs_subscriptions SET dunning_stage = 'none', status = CASE WHEN status = 'suspended' THEN 'active' ELSE status END, version = version + 1, updated_at = ? WHERE id = ?`,
      ctx.nowIso,
      sub.id,
    );
    if (sub.status === 'suspended') recordEvent(ctx, sub, 'restored', asOf, { before: sub.mrr_minor, after: sub.mrr_minor }, 'Overdue invoices paid');
    ctx.audit({ entity: SUBSCRIPTION_ENTITY, entityId: sub.id, action: 'restored: dunning stopped', before, after: findSubscription(ctx.db, sub.id, today(ctx)) });
    restored.push({ subscriptionId: sub.id, subscriptionNo: sub.subscription_no, from: sub.dunning_stage });
  }
  return restored;
}

/** Subscriptions with an overdue invoice (or still marked on the ladder), for the dunning run and queue. */
export const onTheLadder = (ctx: Ctx, asOf: string): HsSubscriptionsTable[] =>
  sqlAll<HsSubscriptionsTable>(
    ctx.db,
    `SELECT * FROM hs_subscriptions s WHERE s.status <> 'cancelled'
       AND (s.dunning_stage <> 'none' OR EXISTS (SELECT 1 FROM hs_subscription_invoices i WHERE i.subscription_id = s.id AND i.open_minor > 0 AND i.due_date < ?))
     ORDER BY s.subscription_no`,
    asOf,
  );

