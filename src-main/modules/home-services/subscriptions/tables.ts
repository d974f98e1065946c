import type { PackageTables } from '../packages/tables';
import type { BillingPeriod, DunningStage, OverAllowance } from './rules';

/** Kysely types of the subscription tables (migration 0006; snake_case, as stored). */

export interface HsPlansTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  description: string | null;
  status: 'active' | 'retired';
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsPlanVersionsTable {
  id: string;
  branch_id: string;
  plan_id: string;
  effective_from: string;
  billing_period: BillingPeriod;
  price_minor: number;
  included_visits: number;
  over_allowance: OverAllowance;
  overage_price_minor: number | null;
  created_by: string;
  created_at: string;
}

export interface HsPlanVersionServicesTable {
  plan_version_id: string;
  service_id: string;
  branch_id: string;
}

export interface HsSubscriptionsTable {
  id: string;
  branch_id: string;
  subscription_no: string;
  customer_id: string;
  plan_id: string;
  plan_version_id: string;
  billing_period: BillingPeriod;
  price_minor: number;
  mrr_minor: number;
  status: 'active' | 'paused' | 'suspended' | 'cancelled';
  started_on: string;
  bill_cycle_day: number;
  period_start: string;
  period_end: string;
  pending_plan_id: string | null;
  cancel_at_period_end: number;
  cancel_reason: string | null;
  cancelled_on: string | null;
  paused_on: string | null;
  resume_on: string | null;
  dunning_stage: DunningStage;
  shift_id: string | null;
  created_by: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface HsSubscriptionInvoicesTable {
  id: string;
  branch_id: string;
  invoice_no: string;
  subscription_id: string;
  customer_id: string;
  kind: 'period' | 'plan_change' | 'overage' | 'cancellation_credit';
  period_start: string;
  period_end: string;
  issue_date: string;
  due_date: string;
  total_minor: number;
  open_minor: number;
  issued_at: string;
  version: number;
  updated_at: string;
}

export interface HsSubscriptionInvoiceLinesTable {
  id: string;
  branch_id: string;
  invoice_id: string;
  line_no: number;
  description: string;
  days: number | null;
  period_days: number | null;
  amount_minor: number;
}

export interface HsSubscriptionPaymentsTable {
  id: string;
  branch_id: string;
  receipt_no: string;
  shift_id: string;
  customer_id: string;
  tender: 'cash' | 'card' | 'cheque' | 'transfer';
  amount_minor: number;
  tendered_minor: number;
  change_minor: number;
  reference: string | null;
  unapplied_minor: number;
  cashier_id: string;
  created_at: string;
}

export interface HsSubscriptionSettlementsTable {
  id: string;
  branch_id: string;
  invoice_id: string;
  source_kind: 'payment' | 'credit_note';
  source_id: string;
  amount_minor: number;
  created_at: string;
}

export interface HsSubscriptionEventsTable {
  id: string;
  branch_id: string;
  subscription_id: string;
  kind: 'started' | 'renewed' | 'upgraded' | 'downgraded' | 'paused' | 'resumed' | 'suspended' | 'restored' | 'cancelled';
  at: string;
  effective_on: string;
  plan_id: string;
  mrr_before: number;
  mrr_after: number;
  actor_id: string | null;
  detail: string | null;
}

export interface HsSubscriptionVisitsTable {
  id: string;
  branch_id: string;
  subscription_id: string;
  period_start: string;
  appointment_id: string;
  visit_id: string | null;
  service_id: string;
  outcome: 'included' | 'charged';
  invoice_id: string | null;
  at: string;
}

export interface HsDunningStepsTable {
  id: string;
  branch_id: string;
  subscription_id: string;
  invoice_id: string;
  step: 'reminder' | 'warning' | 'suspended' | 'cancelled' | 'restored';
  due_on: string;
  taken_at: string;
  taken_by: string | null;
  overdue_minor: number;
}

export interface SubscriptionTables {
  hs_plans: HsPlansTable;
  hs_plan_versions: HsPlanVersionsTable;
  hs_plan_version_services: HsPlanVersionServicesTable;
  hs_subscriptions: HsSubscriptionsTable;
  hs_subscription_invoices: HsSubscriptionInvoicesTable;
  hs_subscription_invoice_lines: HsSubscriptionInvoiceLinesTable;
  hs_subscription_payments: HsSubscriptionPaymentsTable;
  hs_subscription_settlements: HsSubscriptionSettlementsTable;
  hs_subscription_events: HsSubscriptionEventsTable;
  hs_subscription_visits: HsSubscriptionVisitsTable;
  hs_dunning_steps: HsDunningStepsTable;
}

/** Service package and subscription billing (migration 0006), for the store's DB type. */
export interface PackagesSubscriptionsTables extends PackageTables, SubscriptionTables {}
