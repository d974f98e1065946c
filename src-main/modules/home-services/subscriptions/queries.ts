import type { Invoice, Plan, PlanVersion, Settlement, Subscription } from '../../../../src-shared/contracts/home-services/subscriptions';
import type { SqliteDb } from '../../../core/db/store';
import { sqlAll, sqlGet } from '../../energy/billing/sql';
import { monthlyValue } from './rules';
import type { HsPlansTable, HsPlanVersionsTable, HsSubscriptionInvoicesTable, HsSubscriptionsTable } from './tables';

/** Reads of the subscription tables and their row → DTO mapping. */

/* ---------------- plans ---------------- */

export const findPlanRow = (db: SqliteDb, id: string): HsPlansTable | undefined => sqlGet(db, 'SELECT * FROM hs_plans WHERE id = ?', id);

/** The version of a plan in effect on `date` (the latest that started on or before it). */
export const versionOn = (db: SqliteDb, planId: string, date: string): HsPlanVersionsTable | undefined =>
  sqlGet(db, 'SELECT * FROM hs_plan_versions WHERE plan_id = ? AND effective_from <= ? ORDER BY effective_from DESC LIMIT 1', planId, date);

export const findVersionRow = (db: SqliteDb, id: string): HsPlanVersionsTable | undefined => sqlGet(db, 'SELECT * FROM hs_plan_versions WHERE id = ?', id);

export const versionServiceIds = (db: SqliteDb, versionId: string): string[] =>
  sqlAll<{ service_id: string }>(db, 'SELECT service_id FROM hs_plan_version_services WHERE plan_version_id = ?', versionId).map((r) => r.service_id);

function toVersion(db: SqliteDb, v: HsPlanVersionsTable): PlanVersion {
  return {
    id: v.id,
    effectiveFrom: v.effective_from,
    billingPeriod: v.billing_period,
    priceMinor: v.price_minor,
    monthlyMinor: monthlyValue(v.price_minor, v.billing_period),
    includedVisits: v.included_visits,
    overAllowance: v.over_allowance,
    overagePriceMinor: v.overage_price_minor,
    services: sqlAll<{ id: string; sku: string; name: string }>(
      db,
      'SELECT s.id, s.sku, s.name FROM hs_plan_version_services vs JOIN hs_services s ON s.id = vs.service_id WHERE vs.plan_version_id = ? ORDER BY s.name',
      v.id,
    ).map((s) => ({ serviceId: s.id, sku: s.sku, name: s.name })),
    createdAt: v.created_at,
  };
}

export function toPlan(db: SqliteDb, row: HsPlansTable, today: string): Plan {
  const versions = sqlAll<HsPlanVersionsTable>(db, 'SELECT * FROM hs_plan_versions WHERE plan_id = ? ORDER BY effective_from DESC', row.id).map((v) => toVersion(db, v));
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    description: row.description,
    status: row.status,
    current: versions.find((v) => v.effectiveFrom <= today) ?? null,
    versions,
    activeSubscriptions: sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM hs_subscriptions WHERE plan_id = ? AND status <> 'cancelled'`, row.id)!.n,
    version: row.version,
  };
}

export function findPlan(db: SqliteDb, id: string, today: string): Plan | undefined {
  const row = findPlanRow(db, id);
  return row && toPlan(db, row, today);
}

/* ---------------- subscriptions ---------------- */

export type SubscriptionRow = HsSubscriptionsTable & {
  customer_no: string;
  customer_name: string;
  plan_code: string;
  plan_name: string;
  pending_plan_name: string | null;
  included_visits: number;
  over_allowance: 'charge' | 'refuse';
};

export const SUBSCRIPTION_SELECT = `SELECT s.*, c.customer_no, c.name AS customer_name, p.code AS plan_code, p.name AS plan_name, pp.name AS pending_plan_name,
    v.included_visits, v.over_allowance
  FROM hs_subscriptions s JOIN hs_customers c ON c.id = s.customer_id JOIN hs_plans p ON p.id = s.plan_id
  LEFT JOIN hs_plans pp ON pp.id = s.pending_plan_id JOIN hs_plan_versions v ON v.id = s.plan_version_id`;

export const findSubscriptionRow = (db: SqliteDb, id: string): HsSubscriptionsTable | undefined => sqlGet(db, 'SELECT * FROM hs_subscriptions WHERE id = ?', id);

export function toSubscriptions(db: SqliteDb, rows: readonly SubscriptionRow[], today: string): Subscription[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const money = new Map(
    sqlAll<{ subscription_id: string; open: number; overdue: number }>(
      db,
      `SELECT subscription_id, sum(CASE WHEN open_minor > 0 THEN open_minor ELSE 0 END) AS open,
         sum(CASE WHEN open_minor > 0 AND due_date < ?1 THEN open_minor ELSE 0 END) AS overdue
       FROM hs_subscription_invoices WHERE subscription_id IN (SELECT value FROM json_each(?2)) GROUP BY subscription_id`,
      today,
      ids,
    ).map((r) => [r.subscription_id, r]),
  );
  const visits = new Map(
    sqlAll<{ subscription_id: string; n: number }>(
      db,
      `SELECT v.subscription_id, count(*) AS n FROM hs_subscription_visits v JOIN hs_subscriptions s ON s.id = v.subscription_id
       WHERE v.subscription_id IN (SELECT value FROM json_each(?)) AND v.period_start = s.period_start AND v.outcome = 'included' GROUP BY v.subscription_id`,
      ids,
    ).map((r) => [r.subscription_id, r.n]),
  );
  return rows.map((r) => ({
    id: r.id,
    subscriptionNo: r.subscription_no,
    customerId: r.customer_id,
    customerNo: r.customer_no,
    customerName: r.customer_name,
    planId: r.plan_id,
    planCode: r.plan_code,
    planName: r.plan_name,
    planVersionId: r.plan_version_id,
    billingPeriod: r.billing_period,
    priceMinor: r.price_minor,
    mrrMinor: r.mrr_minor,
    includedVisits: r.included_visits,
    overAllowance: r.over_allowance,
    status: r.status,
    startedOn: r.started_on,
    billCycleDay: r.bill_cycle_day,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    pendingPlanId: r.pending_plan_id,
    pendingPlanName: r.pending_plan_name,
    cancelAtPeriodEnd: r.cancel_at_period_end === 1,
    cancelledOn: r.cancelled_on,
    cancelReason: r.cancel_reason,
    pausedOn: r.paused_on,
    resumeOn: r.resume_on,
    dunningStage: r.dunning_stage,
    overdueMinor: money.get(r.id)?.overdue ?? 0,
    openMinor: money.get(r.id)?.open ?? 0,
    visitsUsed: visits.get(r.id) ?? 0,
    version: r.version,
  }));
}

export function findSubscription(db: SqliteDb, id: string, today: string): Subscription | undefined {
  const row = sqlGet<SubscriptionRow>(db, `${SUBSCRIPTION_SELECT} WHERE s.id = ?`, id);
  return row ? toSubscriptions(db, [row], today)[0] : undefined;
}

export function subscriptionsOfCustomer(db: SqliteDb, customerId: string, today: string): Subscription[] {
  return toSubscriptions(db, sqlAll<SubscriptionRow>(db, `${SUBSCRIPTION_SELECT} WHERE s.customer_id = ? ORDER BY s.status = 'cancelled', s.created_at`, customerId), today);
}

/* ---------------- invoices ---------------- */

export type InvoiceRow = HsSubscriptionInvoicesTable & { subscription_no: string; customer_no: string; customer_name: string };
export const INVOICE_SELECT = `SELECT i.*, s.subscription_no, c.customer_no, c.name AS customer_name
  FROM hs_subscription_invoices i JOIN hs_subscriptions s ON s.id = i.subscription_id JOIN hs_customers c ON c.id = i.customer_id`;

export function invoiceStatus(i: Pick<HsSubscriptionInvoicesTable, 'total_minor' | 'open_minor' | 'due_date'>, today: string): Invoice['status'] {
  if (i.total_minor < 0) return i.open_minor < 0 ? 'credit' : 'applied';
  if (i.open_minor === 0) return 'paid';
  return i.due_date < today ? 'overdue' : 'open';
}

export function toInvoices(db: SqliteDb, rows: readonly InvoiceRow[], today: string): Invoice[] {
  if (rows.length === 0) return [];
  const lines = new Map<string, Invoice['lines']>();
  for (const l of sqlAll<{ invoice_id: string; line_no: number; description: string; days: number | null; period_days: number | null; amount_minor: number }>(
    db,
    'SELECT invoice_id, line_no, description, days, period_days, amount_minor FROM hs_subscription_invoice_lines WHERE invoice_id IN (SELECT value FROM json_each(?)) ORDER BY line_no',
    JSON.stringify(rows.map((r) => r.id)),
  )) {
    lines.set(l.invoice_id, [...(lines.get(l.invoice_id) ?? []), { lineNo: l.line_no, description: l.description, days: l.days, periodDays: l.period_days, amountMinor: l.amount_minor }]);
  }
  return rows.map((r) => ({
    id: r.id,
    invoiceNo: r.invoice_no,
    subscriptionId: r.subscription_id,
    subscriptionNo: r.subscription_no,
    customerId: r.customer_id,
    customerNo: r.customer_no,
    customerName: r.customer_name,
    kind: r.kind,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    issueDate: r.issue_date,
    dueDate: r.due_date,
    totalMinor: r.total_minor,
    openMinor: r.open_minor,
    status: invoiceStatus(r, today),
    lines: lines.get(r.id) ?? [],
    version: r.version,
  }));
}

export function findInvoice(db: SqliteDb, id: string, today: string): Invoice | undefined {
  const row = sqlGet<InvoiceRow>(db, `${INVOICE_SELECT} WHERE i.id = ?`, id);
  return row ? toInvoices(db, [row], today)[0] : undefined;
}

/**
 * Settlements of an invoice (`invoice_id`) or made by a credit note (`source_id`), oldest first,
 * with the receipt or credit-note number a clerk quotes.
 */
export function settlementsOf(db: SqliteDb, side: 'invoice' | 'source', id: string): Settlement[] {
  return sqlAll<{ created_at: string; source_kind: 'payment' | 'credit_note'; source_id: string; source_no: string; invoice_id: string; invoice_no: string; amount_minor: number }>(
    db,
    `SELECT st.created_at, st.source_kind, st.source_id, coalesce(pay.receipt_no, note.invoice_no) AS source_no, st.invoice_id, i.invoice_no, st.amount_minor
     FROM hs_subscription_settlements st JOIN hs_subscription_invoices i ON i.id = st.invoice_id
     LEFT JOIN hs_subscription_payments pay ON st.source_kind = 'payment' AND pay.id = st.source_id
     LEFT JOIN hs_subscription_invoices note ON st.source_kind = 'credit_note' AND note.id = st.source_id
     WHERE ${side === 'invoice' ? 'st.invoice_id' : 'st.source_id'} = ? ORDER BY st.created_at, st.id`,
    id,
  ).map((r) => ({
    at: r.created_at,
    kind: r.source_kind,
    sourceId: r.source_id,
    sourceNo: r.source_no,
    invoiceId: r.invoice_id,
    invoiceNo: r.invoice_no,
    amountMinor: r.amount_minor,
  }));
}

export function invoicesOfSubscription(db: SqliteDb, subscriptionId: string, today: string): Invoice[] {
  return toInvoices(db, sqlAll<InvoiceRow>(db, `${INVOICE_SELECT} WHERE i.subscription_id = ? ORDER BY i.issued_at DESC, i.invoice_no DESC`, subscriptionId), today);
}

/** Open invoices of a customer, oldest due first: the order a payment settles them in. */
export const openInvoiceRows = (db: SqliteDb, customerId: string): InvoiceRow[] =>
  sqlAll<InvoiceRow>(db, `${INVOICE_SELECT} WHERE i.customer_id = ? AND i.open_minor > 0 ORDER BY i.due_date, i.issue_date, i.invoice_no`, customerId);

/** Credit waiting for the next invoice: unapplied payments and unused credit notes. */
export function customerCredit(db: SqliteDb, customerId: string): number {
  const payments = sqlGet<{ n: number | null }>(db, 'SELECT sum(unapplied_minor) AS n FROM hs_subscription_payments WHERE customer_id = ? AND unapplied_minor > 0', customerId)!.n ?? 0;
  const notes = sqlGet<{ n: number | null }>(db, 'SELECT sum(-open_minor) AS n FROM hs_subscription_invoices WHERE customer_id = ? AND open_minor < 0', customerId)!.n ?? 0;
  return payments + notes;
}
