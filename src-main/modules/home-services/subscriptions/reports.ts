import { SUBSCRIPTION_REPORTS } from '../../../../src-shared/contracts/home-services/subscriptions';
import { sqlAll, sqlGet, type SqliteDb } from '../../../core/db/store';
import { Settings } from '../../../core/settings/settings';
import { defineFunctionReporting, type OpenException, type ReportClock } from '../../../reporting/definitions';
import { nextDunningStep, type DunningStage } from './rules';
import { dunningLadder } from './settings';

/**
 * Subscription billing in the report engine: subscriptions by the day they started (with who is
 * active, paused, suspended or churned now, and their MRR), the movement ledger by the day each
 * change took effect (new, expansion, contraction, churn and pauses of MRR), invoices by issue
 * date with what was collected, counter payments by the day they were taken, and the dunning
 * steps by the day they were taken. Who is due for a dunning step is the dashboard's exception.
 */
const BASE = '/home-services/subscriptions';
const subscriptionLink = (id: string) => `${BASE}/${encodeURIComponent(id)}`;
const TODAY = "date('now')";
const PLAN_LABEL = "p.code || ' ' || p.name";
const DELTA = '(e.mrr_after - e.mrr_before)';
const EVENT_LABEL =
  "CASE e.kind WHEN 'started' THEN 'Started' WHEN 'renewed' THEN 'Renewed' WHEN 'upgraded' THEN 'Upgraded' WHEN 'downgraded' THEN 'Downgraded' WHEN 'paused' THEN 'Paused' WHEN 'resumed' THEN 'Resumed' WHEN 'suspended' THEN 'Suspended' WHEN 'restored' THEN 'Restored' ELSE 'Cancelled' END";
const STEP_LABEL =
  "CASE d.step WHEN 'reminder' THEN 'Reminder' WHEN 'warning' THEN 'Warning' WHEN 'suspended' THEN 'Suspended' WHEN 'cancelled' THEN 'Cancelled' ELSE 'Restored by payment' END";
const INVOICE_KIND_LABEL =
  "CASE i.kind WHEN 'period' THEN 'Period in advance' WHEN 'plan_change' THEN 'Plan change' WHEN 'overage' THEN 'Beyond the allowance' ELSE 'Credit for cancellation' END";
const DUNNING_LABEL = "CASE s.dunning_stage WHEN 'none' THEN 'In good standing' ELSE upper(substr(s.dunning_stage, 1, 1)) || substr(s.dunning_stage, 2) END";
/** A stored code as a word (active → Active), for records and their Excel sheet. */
const capitalized = (column: string) => `upper(substr(${column}, 1, 1)) || substr(${column}, 2)`;
const PAID_BY_PAYMENTS = "(SELECT coalesce(sum(st.amount_minor), 0) FROM hs_subscription_settlements st WHERE st.invoice_id = i.id AND st.source_kind = 'payment')";

/** Subscriptions due for their next dunning step by `today` (the queue the dunning screen shows). */
export function dueForDunning(db: SqliteDb, today: string): { id: string; subscriptionNo: string; customer: string; step: string; dueOn: string; overdue: number }[] {
  const offsets = dunningLadder(new Settings(db));
  const rows = sqlAll<{ id: string; subscription_no: string; dunning_stage: DunningStage; customer: string; due_date: string; overdue: number }>(
    db,
    `SELECT s.id, s.subscription_no, s.dunning_stage, c.customer_no || ' ' || c.name AS customer, min(i.due_date) AS due_date, sum(i.open_minor) AS overdue
     FROM hs_subscriptions s JOIN hs_customers c ON c.id = s.customer_id JOIN hs_subscription_invoices i ON i.subscription_id = s.id
     WHERE s.status <> 'cancelled' AND i.open_minor > 0 AND i.due_date < ? GROUP BY s.id ORDER BY min(i.due_date), s.subscription_no`,
    today,
  );
  return rows.flatMap((r) => {
    const next = nextDunningStep(r.dunning_stage, r.due_date, offsets);
    return next && next.dueOn <= today ? [{ id: r.id, subscriptionNo: r.subscription_no, customer: r.customer, step: next.step, dueOn: next.dueOn, overdue: r.overdue }] : [];
  });
}

const money = (minor: number) => (minor / 100).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export const subscriptionsReporting = defineFunctionReporting({
  functionKey: 'homeServices.subscriptions',
  reports: [
    {
      key: SUBSCRIPTION_REPORTS.subscriptions,
      label: 'Subscriptions',
      description: 'Subscriptions by the day they started: new ones, and of those who is active, paused, suspended or churned now, with their monthly recurring revenue.',
      recordLabel: 'subscription',
      from: 'hs_subscriptions s',
      joins: [
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = s.customer_id' },
        { alias: 'p', sql: 'JOIN hs_plans p ON p.id = s.plan_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = s.created_by' },
        { alias: 'sh', sql: 'LEFT JOIN cashier_shifts sh ON sh.id = s.shift_id' },
      ],
      time: { column: 's.started_on', kind: 'date', label: 'Started' },
      id: 's.id',
      branch: 's.branch_id',
      dimensions: [
        { key: 'user', label: 'Signed up by', value: 's.created_by', display: 'u.display_name' },
        { key: 'shift', label: 'Shift', value: "coalesce(s.shift_id, '')", display: "coalesce('#' || sh.shift_no || ' ' || u.display_name, 'No shift')" },
        { key: 'category', label: 'Plan', value: 's.plan_id', display: PLAN_LABEL },
        { key: 'status', label: 'Status', value: 's.status', display: "upper(substr(s.status, 1, 1)) || substr(s.status, 2)" },
        { key: 'billingPeriod', label: 'Billing period', value: 's.billing_period', display: "upper(substr(s.billing_period, 1, 1)) || substr(s.billing_period, 2)" },
        { key: 'dunning', label: 'Dunning stage', value: 's.dunning_stage', display: DUNNING_LABEL },
      ],
      measures: [
        { key: 'new', label: 'New subscriptions', unit: 'count', aggregate: 'count(*)' },
        { key: 'active', label: 'Active now', unit: 'count', aggregate: "sum(s.status = 'active')" },
        { key: 'paused', label: 'Paused now', unit: 'count', aggregate: "sum(s.status = 'paused')" },
        { key: 'suspended', label: 'Suspended now', unit: 'count', aggregate: "sum(s.status = 'suspended')" },
        { key: 'churned', label: 'Churned', unit: 'count', aggregate: "sum(s.status = 'cancelled')" },
        { key: 'mrr', label: 'MRR now', unit: 'money', aggregate: "sum(CASE WHEN s.status IN ('active', 'suspended') THEN s.mrr_minor ELSE 0 END)", description: 'Monthly recurring revenue: each period price spread over its months.' },
        { key: 'churnRate', label: 'Churned share', unit: 'percent', ratio: { numerator: 'churned', denominator: 'new', scale: 100 } },
      ],
      defaultMeasure: 'new',
      records: {
        columns: [
          { key: 'subscriptionNo', header: 'Subscription', sql: 's.subscription_no', kind: 'text', width: 12 },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'plan', header: 'Plan', sql: 'p.name', kind: 'text', width: 20 },
          { key: 'period', header: 'Billing', sql: capitalized('s.billing_period'), kind: 'text' },
          { key: 'price', header: 'Price', sql: 's.price_minor', kind: 'money' },
          { key: 'mrr', header: 'MRR', sql: 's.mrr_minor', kind: 'money' },
          { key: 'status', header: 'Status', sql: capitalized('s.status'), kind: 'text' },
          { key: 'startedOn', header: 'Started', sql: 's.started_on', kind: 'date' },
          { key: 'periodEnd', header: 'Period ends', sql: 's.period_end', kind: 'date' },
          { key: 'dunning', header: 'Dunning', sql: DUNNING_LABEL, kind: 'text', width: 16 },
        ],
        link: subscriptionLink,
      },
      listLink: ({ filters }) => {
        const params = new URLSearchParams();
        if (filters.category) params.set('planId', filters.category);
        if (filters.status) params.set('status', filters.status);
        if (filters.dunning) params.set('dunningStage', filters.dunning);
        const query = params.toString();
        return query ? `${BASE}?${query}` : BASE;
      },
    },
    {
      key: SUBSCRIPTION_REPORTS.movements,
      label: 'MRR movement',
      description: 'Every change of recurring revenue by the day it took effect: new, expansion, contraction, pauses and churn, and the net movement.',
      recordLabel: 'movement',
      from: 'hs_subscription_events e',
      joins: [
        { alias: 's', sql: 'JOIN hs_subscriptions s ON s.id = e.subscription_id' },
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = s.customer_id' },
        { alias: 'p', sql: 'JOIN hs_plans p ON p.id = e.plan_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = e.actor_id' },
      ],
      time: { column: 'e.effective_on', kind: 'date', label: 'Effective' },
      id: 'e.id',
      branch: 'e.branch_id',
      dimensions: [
        { key: 'user', label: 'By', value: "coalesce(e.actor_id, '')", display: "coalesce(u.display_name, 'Billing job')" },
        { key: 'category', label: 'Plan', value: 'e.plan_id', display: PLAN_LABEL },
        { key: 'kind', label: 'Movement', value: 'e.kind', display: EVENT_LABEL },
      ],
      measures: [
        { key: 'started', label: 'New', unit: 'count', aggregate: "sum(e.kind = 'started')" },
        { key: 'churned', label: 'Churned', unit: 'count', aggregate: "sum(e.kind = 'cancelled')" },
        { key: 'paused', label: 'Paused', unit: 'count', aggregate: "sum(e.kind = 'paused')" },
        { key: 'resumed', label: 'Resumed', unit: 'count', aggregate: "sum(e.kind = 'resumed')" },
        { key: 'upgrades', label: 'Upgrades', unit: 'count', aggregate: "sum(e.kind = 'upgraded')" },
        { key: 'downgrades', label: 'Downgrades', unit: 'count', aggregate: "sum(e.kind = 'downgraded')" },
        { key: 'newMrr', label: 'New MRR', unit: 'money', aggregate: `sum(CASE WHEN e.kind = 'started' THEN ${DELTA} ELSE 0 END)` },
        {
          key: 'expansionMrr',
          label: 'Expansion MRR',
          unit: 'money',
          aggregate: `sum(CASE WHEN e.kind IN ('upgraded', 'downgraded', 'renewed') AND ${DELTA} > 0 THEN ${DELTA} ELSE 0 END)`,
          description: 'Upgrades and price rises at renewal.',
        },
        { key: 'contractionMrr', label: 'Contraction MRR', unit: 'money', aggregate: `sum(CASE WHEN e.kind IN ('upgraded', 'downgraded', 'renewed') AND ${DELTA} < 0 THEN ${DELTA} ELSE 0 END)` },
        { key: 'pausedMrr', label: 'Paused and resumed MRR', unit: 'money', aggregate: `sum(CASE WHEN e.kind IN ('paused', 'resumed') THEN ${DELTA} ELSE 0 END)` },
        { key: 'churnedMrr', label: 'Churned MRR', unit: 'money', aggregate: `sum(CASE WHEN e.kind = 'cancelled' THEN ${DELTA} ELSE 0 END)` },
        { key: 'netMrr', label: 'Net MRR movement', unit: 'money', aggregate: `sum(${DELTA})` },
      ],
      defaultMeasure: 'netMrr',
      records: {
        columns: [
          { key: 'effectiveOn', header: 'Effective', sql: 'e.effective_on', kind: 'date' },
          { key: 'kind', header: 'Movement', sql: EVENT_LABEL, kind: 'text' },
          { key: 'subscriptionNo', header: 'Subscription', sql: 's.subscription_no', kind: 'text', width: 12 },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'plan', header: 'Plan', sql: 'p.name', kind: 'text', width: 20 },
          { key: 'mrrBefore', header: 'MRR before', sql: 'e.mrr_before', kind: 'money' },
          { key: 'mrrAfter', header: 'MRR after', sql: 'e.mrr_after', kind: 'money' },
          { key: 'detail', header: 'Detail', sql: 'e.detail', kind: 'text', width: 30 },
        ],
        link: () => null,
      },
    },
    {
      key: SUBSCRIPTION_REPORTS.invoices,
      label: 'Subscription invoices',
      description: 'Invoices and credit notes by issue date: invoiced, credited, collected at the counter, still open and overdue now.',
      recordLabel: 'invoice',
      from: 'hs_subscription_invoices i',
      joins: [
        { alias: 's', sql: 'JOIN hs_subscriptions s ON s.id = i.subscription_id' },
        { alias: 'p', sql: 'JOIN hs_plans p ON p.id = s.plan_id' },
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = i.customer_id' },
      ],
      time: { column: 'i.issue_date', kind: 'date', label: 'Issued' },
      id: 'i.id',
      branch: 'i.branch_id',
      dimensions: [
        { key: 'category', label: 'Plan', value: 's.plan_id', display: PLAN_LABEL },
        {
          key: 'kind',
          label: 'Kind',
          value: 'i.kind',
          display: INVOICE_KIND_LABEL,
        },
        { key: 'customer', label: 'Customer', value: 'i.customer_id', display: "c.customer_no || ' ' || c.name" },
      ],
      measures: [
        { key: 'issued', label: 'Invoices issued', unit: 'count', aggregate: 'sum(i.total_minor >= 0)' },
        { key: 'invoiced', label: 'Invoiced', unit: 'money', aggregate: 'sum(CASE WHEN i.total_minor > 0 THEN i.total_minor ELSE 0 END)' },
        { key: 'credited', label: 'Credited', unit: 'money', aggregate: 'sum(CASE WHEN i.total_minor < 0 THEN -i.total_minor ELSE 0 END)' },
        { key: 'collected', label: 'Collected', unit: 'money', aggregate: `sum(${PAID_BY_PAYMENTS})`, description: 'Paid at the counter (credit notes are counted as credited, not collected).' },
        { key: 'open', label: 'Open now', unit: 'money', aggregate: 'sum(CASE WHEN i.open_minor > 0 THEN i.open_minor ELSE 0 END)' },
        { key: 'overdue', label: 'Overdue now', unit: 'money', aggregate: `sum(CASE WHEN i.open_minor > 0 AND i.due_date < ${TODAY} THEN i.open_minor ELSE 0 END)` },
        { key: 'collectionRate', label: 'Collected share', unit: 'percent', ratio: { numerator: 'collected', denominator: 'invoiced', scale: 100 } },
      ],
      defaultMeasure: 'invoiced',
      records: {
        columns: [
          { key: 'invoiceNo', header: 'Invoice', sql: 'i.invoice_no', kind: 'text', width: 12 },
          { key: 'kind', header: 'Kind', sql: INVOICE_KIND_LABEL, kind: 'text', width: 22 },
          { key: 'subscriptionNo', header: 'Subscription', sql: 's.subscription_no', kind: 'text', width: 12 },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'periodStart', header: 'From', sql: 'i.period_start', kind: 'date' },
          { key: 'issueDate', header: 'Issued', sql: 'i.issue_date', kind: 'date' },
          { key: 'dueDate', header: 'Due', sql: 'i.due_date', kind: 'date' },
          { key: 'total', header: 'Total', sql: 'i.total_minor', kind: 'money' },
          { key: 'open', header: 'Open', sql: 'i.open_minor', kind: 'money' },
        ],
        link: (id) => `${BASE}/invoices/${encodeURIComponent(id)}`,
      },
      listLink: () => `${BASE}/invoices`,
    },
    {
      key: SUBSCRIPTION_REPORTS.payments,
      label: 'Subscription payments',
      description: 'Money taken at the counter for subscription invoices, by the day it was taken, per cashier, shift and tender.',
      recordLabel: 'payment',
      from: 'hs_subscription_payments pay',
      joins: [
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = pay.customer_id' },
        { alias: 'u', sql: 'JOIN users u ON u.id = pay.cashier_id' },
        { alias: 'sh', sql: 'JOIN cashier_shifts sh ON sh.id = pay.shift_id' },
      ],
      time: { column: 'pay.created_at', kind: 'instant', label: 'Paid' },
      id: 'pay.id',
      branch: 'pay.branch_id',
      dimensions: [
        { key: 'user', label: 'Cashier', value: 'pay.cashier_id', display: 'u.display_name' },
        { key: 'shift', label: 'Shift', value: 'pay.shift_id', display: "'#' || sh.shift_no || ' ' || u.display_name" },
        { key: 'tender', label: 'Tender', value: 'pay.tender', display: 'upper(substr(pay.tender, 1, 1)) || substr(pay.tender, 2)' },
      ],
      measures: [
        { key: 'payments', label: 'Payments', unit: 'count', aggregate: 'count(*)' },
        { key: 'amount', label: 'Collected', unit: 'money', aggregate: 'sum(pay.amount_minor)' },
        { key: 'unapplied', label: 'Kept as credit', unit: 'money', aggregate: 'sum(pay.unapplied_minor)' },
      ],
      defaultMeasure: 'amount',
      records: {
        columns: [
          { key: 'receiptNo', header: 'Receipt', sql: 'pay.receipt_no', kind: 'text', width: 12 },
          { key: 'at', header: 'Paid', sql: 'pay.created_at', kind: 'datetime' },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'tender', header: 'Tender', sql: capitalized('pay.tender'), kind: 'text' },
          { key: 'amount', header: 'Amount', sql: 'pay.amount_minor', kind: 'money' },
          { key: 'cashier', header: 'Cashier', sql: 'u.display_name', kind: 'text', width: 18 },
        ],
        link: () => null,
      },
    },
    {
      key: SUBSCRIPTION_REPORTS.dunning,
      label: 'Dunning',
      description: 'Dunning steps by the day they were taken: reminders, warnings, suspensions, cancellations, and subscriptions restored by a payment.',
      recordLabel: 'dunning step',
      from: 'hs_dunning_steps d',
      joins: [
        { alias: 's', sql: 'JOIN hs_subscriptions s ON s.id = d.subscription_id' },
        { alias: 'p', sql: 'JOIN hs_plans p ON p.id = s.plan_id' },
        { alias: 'c', sql: 'JOIN hs_customers c ON c.id = s.customer_id' },
        { alias: 'i', sql: 'JOIN hs_subscription_invoices i ON i.id = d.invoice_id' },
        { alias: 'u', sql: 'LEFT JOIN users u ON u.id = d.taken_by' },
      ],
      time: { column: 'd.taken_at', kind: 'instant', label: 'Taken' },
      id: 'd.id',
      branch: 'd.branch_id',
      dimensions: [
        { key: 'user', label: 'Taken by', value: "coalesce(d.taken_by, '')", display: "coalesce(u.display_name, 'Billing job')" },
        { key: 'category', label: 'Plan', value: 's.plan_id', display: PLAN_LABEL },
        { key: 'step', label: 'Step', value: 'd.step', display: STEP_LABEL },
      ],
      measures: [
        { key: 'reminders', label: 'Reminders', unit: 'count', aggregate: "sum(d.step = 'reminder')" },
        { key: 'warnings', label: 'Warnings', unit: 'count', aggregate: "sum(d.step = 'warning')" },
        { key: 'suspensions', label: 'Suspensions', unit: 'count', aggregate: "sum(d.step = 'suspended')" },
        { key: 'cancellations', label: 'Cancellations', unit: 'count', aggregate: "sum(d.step = 'cancelled')" },
        { key: 'restored', label: 'Restored by payment', unit: 'count', aggregate: "sum(d.step = 'restored')" },
        { key: 'overdue', label: 'Overdue at the step', unit: 'money', aggregate: "sum(CASE WHEN d.step <> 'restored' THEN d.overdue_minor ELSE 0 END)" },
      ],
      defaultMeasure: 'reminders',
      records: {
        columns: [
          { key: 'takenAt', header: 'Taken', sql: 'd.taken_at', kind: 'datetime' },
          { key: 'step', header: 'Step', sql: STEP_LABEL, kind: 'text', width: 18 },
          { key: 'subscriptionNo', header: 'Subscription', sql: 's.subscription_no', kind: 'text', width: 12 },
          { key: 'customer', header: 'Customer', sql: "c.customer_no || ' ' || c.name", kind: 'text', width: 26 },
          { key: 'invoiceNo', header: 'Invoice', sql: 'i.invoice_no', kind: 'text', width: 12 },
          { key: 'dueOn', header: 'Step due', sql: 'd.due_on', kind: 'date' },
          { key: 'overdue', header: 'Overdue', sql: 'd.overdue_minor', kind: 'money' },
        ],
        link: () => null,
      },
      listLink: () => `${BASE}/dunning`,
    },
  ],
  kpis: [
    { key: 'homeServices.subscriptions.new', label: 'New subscriptions', description: 'Subscriptions started.', report: SUBSCRIPTION_REPORTS.movements, measure: 'started', goodDirection: 'up' },
    { key: 'homeServices.subscriptions.churned', label: 'Churned subscriptions', description: 'Subscriptions cancelled.', report: SUBSCRIPTION_REPORTS.movements, measure: 'churned', goodDirection: 'down' },
    {
      key: 'homeServices.subscriptions.netMrr',
      label: 'Net MRR movement',
      description: 'New and expansion MRR less contraction, pauses and churn.',
      report: SUBSCRIPTION_REPORTS.movements,
      measure: 'netMrr',
      goodDirection: 'up',
    },
    {
      key: 'homeServices.subscriptions.collected',
      label: 'Subscription payments',
      description: 'Money collected at the counter for subscription invoices.',
      report: SUBSCRIPTION_REPORTS.payments,
      measure: 'amount',
      goodDirection: 'up',
    },
    {
      key: 'homeServices.subscriptions.suspensions',
      label: 'Suspensions for non-payment',
      description: 'Subscriptions suspended by the dunning ladder.',
      report: SUBSCRIPTION_REPORTS.dunning,
      measure: 'suspensions',
      goodDirection: 'down',
    },
  ],
  exceptions: [
    {
      kind: 'dunningDue',
      label: 'Due for a dunning step',
      severity: 'warning',
      criticalAfterHours: 72,
      link: `${BASE}/dunning?dueOnly=1`,
      open(db, limit, clock: ReportClock) {
        const due = dueForDunning(db, clock.today);
        const items: OpenException[] = due.slice(0, limit).map((d) => ({
          id: d.id,
          title: `${d.subscriptionNo} ${d.customer}`,
          detail: `${d.step} due ${d.dueOn} · ${money(d.overdue)} overdue`,
          since: `${d.dueOn}T00:00:00.000Z`,
          link: subscriptionLink(d.id),
        }));
        return { total: due.length, oldestAt: due.reduce<string | null>((a, d) => (a === null || d.dueOn < a ? d.dueOn : a), null)?.concat('T00:00:00.000Z') ?? null, items };
      },
      occurrences: { from: 'hs_dunning_steps d JOIN hs_subscriptions s ON s.id = d.subscription_id', where: "d.step <> 'restored'", at: 'd.taken_at', category: 'd.step', branch: 'd.branch_id' },
    },
    {
      kind: 'suspended',
      label: 'Suspended for non-payment',
      severity: 'critical',
      link: `${BASE}?status=suspended`,
      open(db, limit) {
        const total = sqlGet<{ n: number }>(db, `SELECT count(*) AS n FROM hs_subscriptions WHERE status = 'suspended'`)!.n;
        const items = sqlAll<{ id: string; subscription_no: string; customer: string; phone: string | null; since: string }>(
          db,
          `SELECT s.id, s.subscription_no, c.customer_no || ' ' || c.name AS customer, c.phone,
             coalesce((SELECT max(d.taken_at) FROM hs_dunning_steps d WHERE d.subscription_id = s.id AND d.step = 'suspended'), s.updated_at) AS since
           FROM hs_subscriptions s JOIN hs_customers c ON c.id = s.customer_id WHERE s.status = 'suspended' ORDER BY since, s.subscription_no LIMIT ?`,
          limit,
        );
        return {
          total,
          oldestAt: items[0]?.since ?? null,
          items: items.map((s) => ({ id: s.id, title: `${s.subscription_no} ${s.customer}`, detail: s.phone ? `Call ${s.phone}` : null, since: s.since, link: subscriptionLink(s.id) })),
        };
      },
      occurrences: { from: 'hs_dunning_steps d', where: "d.step = 'suspended'", at: 'd.taken_at', category: 'd.step', branch: 'd.branch_id' },
    },
  ],
  entityLinks: {
    subscription: subscriptionLink,
    subscriptionPlan: (id) => `${BASE}/plans/${encodeURIComponent(id)}`,
    subscriptionInvoice: (id) => `${BASE}/invoices/${encodeURIComponent(id)}`,
  },
});

