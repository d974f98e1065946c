/**
 * Service package billing and subscription-based service billing (issue 6): package types and the
 * packages customers hold, their per-service (or pooled) balances and every redemption or refused
 * redemption; plans with versions by effective date, subscriptions, their invoices (gap-free
 * numbers per branch through document_sequences), counter payments and settlements, the movement
 * ledger MRR is read from, included-visit usage and the dunning ladder's steps.
 * Frozen once released: change the schema with a new numbered migration.
 *
 * Dates of the business calendar (purchase, expiry, periods, due dates) are branch-local
 * YYYY-MM-DD; instants are ISO-8601 UTC from Date.toISOString().
 */
export default {
  version: 6,
  name: 'packages_subscriptions',
  sql: `
/* ---------------- packages ---------------- */

CREATE TABLE hs_package_types (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  description TEXT,
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  pool_kind TEXT NOT NULL CHECK (pool_kind IN ('per_service', 'shared_pool')),
  pool_sessions INTEGER CHECK (pool_sessions IS NULL OR pool_sessions > 0),
  validity_kind TEXT NOT NULL CHECK (validity_kind IN ('days_from_purchase', 'days_from_first_use', 'fixed_date')),
  validity_days INTEGER CHECK (validity_days IS NULL OR validity_days > 0),
  valid_until TEXT,
  purchase_limit INTEGER CHECK (purchase_limit IS NULL OR purchase_limit > 0),
  late_cancel_consumes INTEGER NOT NULL DEFAULT 0 CHECK (late_cancel_consumes IN (0, 1)),
  no_show_consumes INTEGER NOT NULL DEFAULT 0 CHECK (no_show_consumes IN (0, 1)),
  status TEXT NOT NULL CHECK (status IN ('on_sale', 'withdrawn')),
  -- Set by the first sale; from then on the terms above are frozen (see the triggers below).
  first_sold_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK ((pool_kind = 'shared_pool') = (pool_sessions IS NOT NULL)),
  CHECK ((validity_kind = 'fixed_date') = (valid_until IS NOT NULL)),
  CHECK ((validity_kind = 'fixed_date') = (validity_days IS NULL))
) STRICT;

-- The services a package covers: sessions per service, or (shared pool) just which services.
CREATE TABLE hs_package_type_services (
  package_type_id TEXT NOT NULL REFERENCES hs_package_types(id),
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  sessions INTEGER CHECK (sessions IS NULL OR sessions > 0),
  branch_id TEXT NOT NULL,
  PRIMARY KEY (package_type_id, service_id)
) STRICT;

-- Last line of defence behind the handlers: sold terms never change, whatever code path writes.
CREATE TRIGGER hs_package_types_terms_frozen BEFORE UPDATE OF price_minor, pool_kind, pool_sessions, validity_kind, validity_days,
  valid_until, purchase_limit, late_cancel_consumes, no_show_consumes ON hs_package_types
WHEN OLD.first_sold_at IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'hs_package_types: terms are frozen once the package has been sold');
END;
CREATE TRIGGER hs_package_type_services_frozen_insert BEFORE INSERT ON hs_package_type_services
WHEN (SELECT first_sold_at FROM hs_package_types WHERE id = NEW.package_type_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'hs_package_types: terms are frozen once the package has been sold');
END;
CREATE TRIGGER hs_package_type_services_frozen_delete BEFORE DELETE ON hs_package_type_services
WHEN (SELECT first_sold_at FROM hs_package_types WHERE id = OLD.package_type_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'hs_package_types: terms are frozen once the package has been sold');
END;
CREATE TRIGGER hs_package_type_services_frozen_update BEFORE UPDATE ON hs_package_type_services
WHEN (SELECT first_sold_at FROM hs_package_types WHERE id = OLD.package_type_id) IS NOT NULL
BEGIN
  SELECT RAISE(ABORT, 'hs_package_types: terms are frozen once the package has been sold');
END;

-- A package a customer holds: sold at the counter (or received by transfer), with the terms it
-- was sold on copied, so even a withdrawn package type reads the same on every old receipt.
CREATE TABLE hs_package_holdings (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  holding_no TEXT NOT NULL UNIQUE,
  package_type_id TEXT NOT NULL REFERENCES hs_package_types(id),
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  name TEXT NOT NULL,
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  sessions_total INTEGER NOT NULL CHECK (sessions_total > 0),
  sessions_used INTEGER NOT NULL DEFAULT 0 CHECK (sessions_used >= 0),
  value_used_minor INTEGER NOT NULL DEFAULT 0,
  validity_kind TEXT NOT NULL,
  validity_days INTEGER,
  late_cancel_consumes INTEGER NOT NULL,
  no_show_consumes INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'expired', 'used_up', 'refunded', 'transferred')),
  purchased_at TEXT NOT NULL,
  purchased_on TEXT NOT NULL,
  first_used_on TEXT,
  expires_on TEXT,
  frozen_from TEXT,
  frozen_until TEXT,
  source TEXT NOT NULL CHECK (source IN ('sale', 'transfer')),
  transferred_from_id TEXT REFERENCES hs_package_holdings(id),
  transferred_to_id TEXT REFERENCES hs_package_holdings(id),
  -- The sale at the counter (null for a transfer).
  receipt_no TEXT UNIQUE,
  shift_id TEXT REFERENCES cashier_shifts(id),
  tender TEXT CHECK (tender IS NULL OR tender IN ('cash', 'card', 'cheque', 'transfer')),
  tendered_minor INTEGER,
  change_minor INTEGER,
  reference TEXT,
  cashier_id TEXT REFERENCES users(id),
  -- How it ended: a refund (paid out at the counter) or expiry with unused sessions (breakage).
  closed_at TEXT,
  refund_minor INTEGER,
  refund_receipt_no TEXT UNIQUE,
  refund_shift_id TEXT REFERENCES cashier_shifts(id),
  breakage_sessions INTEGER,
  breakage_minor INTEGER,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (sessions_used <= sessions_total),
  CHECK ((frozen_from IS NULL) = (frozen_until IS NULL))
) STRICT;
CREATE INDEX hs_package_holdings_customer ON hs_package_holdings (customer_id, status, expires_on);
CREATE INDEX hs_package_holdings_type ON hs_package_holdings (package_type_id, customer_id);
CREATE INDEX hs_package_holdings_list ON hs_package_holdings (purchased_at, id);
CREATE INDEX hs_package_holdings_expiry ON hs_package_holdings (expires_on) WHERE status = 'active';
CREATE INDEX hs_package_holdings_status ON hs_package_holdings (status, purchased_at, id);

-- Sessions per service of a holding; service_id NULL is a shared pool.
CREATE TABLE hs_package_balances (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  holding_id TEXT NOT NULL REFERENCES hs_package_holdings(id),
  service_id TEXT REFERENCES hs_services(id),
  sessions_total INTEGER NOT NULL CHECK (sessions_total >= 0),
  sessions_used INTEGER NOT NULL DEFAULT 0 CHECK (sessions_used >= 0),
  CHECK (sessions_used <= sessions_total)
) STRICT;
CREATE UNIQUE INDEX hs_package_balances_line ON hs_package_balances (holding_id, coalesce(service_id, '*'));

-- Every redemption, and every redemption refused (expired, used up, frozen) with its reason.
CREATE TABLE hs_package_redemptions (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('redeemed', 'refused')),
  reason TEXT NOT NULL CHECK (reason IN ('visit', 'late_cancel', 'no_show')),
  holding_id TEXT REFERENCES hs_package_holdings(id),
  balance_id TEXT REFERENCES hs_package_balances(id),
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  appointment_id TEXT NOT NULL REFERENCES hs_appointments(id),
  visit_id TEXT REFERENCES hs_visits(id),
  sessions INTEGER NOT NULL,
  value_minor INTEGER NOT NULL,
  refusal_rule TEXT,
  message TEXT,
  at TEXT NOT NULL,
  local_date TEXT NOT NULL,
  CHECK ((outcome = 'redeemed') = (holding_id IS NOT NULL AND refusal_rule IS NULL))
) STRICT;
-- One session per appointment, however often an event is delivered.
CREATE UNIQUE INDEX hs_package_redemptions_once ON hs_package_redemptions (appointment_id) WHERE outcome = 'redeemed';
CREATE INDEX hs_package_redemptions_holding ON hs_package_redemptions (holding_id, at);
CREATE INDEX hs_package_redemptions_customer ON hs_package_redemptions (customer_id, at);
CREATE INDEX hs_package_redemptions_at ON hs_package_redemptions (at, id);

/* ---------------- subscriptions ---------------- */

CREATE TABLE hs_plans (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  description TEXT,
  status TEXT NOT NULL CHECK (status IN ('active', 'retired')),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- What a plan costs and includes from a date on. A change is a new version, never an edit; a
-- period is billed with the version in effect on its first day.
CREATE TABLE hs_plan_versions (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  plan_id TEXT NOT NULL REFERENCES hs_plans(id),
  effective_from TEXT NOT NULL,
  billing_period TEXT NOT NULL CHECK (billing_period IN ('monthly', 'quarterly', 'yearly')),
  price_minor INTEGER NOT NULL CHECK (price_minor >= 0),
  included_visits INTEGER NOT NULL CHECK (included_visits >= 0),
  over_allowance TEXT NOT NULL CHECK (over_allowance IN ('charge', 'refuse')),
  -- Price of a visit beyond the allowance; null charges the visit's booked price.
  overage_price_minor INTEGER CHECK (overage_price_minor IS NULL OR overage_price_minor >= 0),
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  UNIQUE (plan_id, effective_from)
) STRICT;

CREATE TABLE hs_plan_version_services (
  plan_version_id TEXT NOT NULL REFERENCES hs_plan_versions(id),
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  branch_id TEXT NOT NULL,
  PRIMARY KEY (plan_version_id, service_id)
) STRICT;

CREATE TABLE hs_subscriptions (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  subscription_no TEXT NOT NULL UNIQUE,
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  plan_id TEXT NOT NULL REFERENCES hs_plans(id),
  -- The version billed for the current period, and its terms as billed.
  plan_version_id TEXT NOT NULL REFERENCES hs_plan_versions(id),
  billing_period TEXT NOT NULL CHECK (billing_period IN ('monthly', 'quarterly', 'yearly')),
  price_minor INTEGER NOT NULL,
  mrr_minor INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active', 'paused', 'suspended', 'cancelled')),
  started_on TEXT NOT NULL,
  bill_cycle_day INTEGER NOT NULL CHECK (bill_cycle_day BETWEEN 1 AND 31),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  -- A downgrade (or a change of billing period) waiting for the period end.
  pending_plan_id TEXT REFERENCES hs_plans(id),
  cancel_at_period_end INTEGER NOT NULL DEFAULT 0 CHECK (cancel_at_period_end IN (0, 1)),
  cancel_reason TEXT,
  cancelled_on TEXT,
  paused_on TEXT,
  resume_on TEXT,
  dunning_stage TEXT NOT NULL DEFAULT 'none' CHECK (dunning_stage IN ('none', 'reminder', 'warning', 'suspended', 'cancelled')),
  shift_id TEXT REFERENCES cashier_shifts(id),
  created_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  CHECK (period_start < period_end),
  CHECK ((status = 'paused') = (paused_on IS NOT NULL))
) STRICT;
CREATE INDEX hs_subscriptions_customer ON hs_subscriptions (customer_id, status);
-- The billing job reads what is due to renew: by the end of the current period.
CREATE INDEX hs_subscriptions_renewal ON hs_subscriptions (period_end) WHERE status IN ('active', 'suspended');
CREATE INDEX hs_subscriptions_resume ON hs_subscriptions (resume_on) WHERE status = 'paused';
CREATE INDEX hs_subscriptions_list ON hs_subscriptions (status, created_at, id);
CREATE INDEX hs_subscriptions_plan ON hs_subscriptions (plan_id, status);
CREATE INDEX hs_subscriptions_started ON hs_subscriptions (started_on);

-- Invoices and credit notes (negative totals) in one gap-free series per branch.
CREATE TABLE hs_subscription_invoices (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  invoice_no TEXT NOT NULL UNIQUE,
  subscription_id TEXT NOT NULL REFERENCES hs_subscriptions(id),
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  kind TEXT NOT NULL CHECK (kind IN ('period', 'plan_change', 'overage', 'cancellation_credit')),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  issue_date TEXT NOT NULL,
  due_date TEXT NOT NULL,
  total_minor INTEGER NOT NULL,
  -- What is still owed (invoices, >= 0) or still to be used (credit notes, <= 0).
  open_minor INTEGER NOT NULL,
  issued_at TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL,
  CHECK ((total_minor >= 0 AND open_minor BETWEEN 0 AND total_minor) OR (total_minor < 0 AND open_minor BETWEEN total_minor AND 0))
) STRICT;
-- A period is invoiced once, however often the billing job runs.
CREATE UNIQUE INDEX hs_subscription_invoices_period ON hs_subscription_invoices (subscription_id, period_start) WHERE kind = 'period';
CREATE INDEX hs_subscription_invoices_subscription ON hs_subscription_invoices (subscription_id, issue_date);
CREATE INDEX hs_subscription_invoices_open ON hs_subscription_invoices (customer_id, due_date) WHERE open_minor <> 0;
CREATE INDEX hs_subscription_invoices_issued ON hs_subscription_invoices (issue_date, id);

CREATE TABLE hs_subscription_invoice_lines (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  invoice_id TEXT NOT NULL REFERENCES hs_subscription_invoices(id),
  line_no INTEGER NOT NULL,
  description TEXT NOT NULL,
  days INTEGER,
  period_days INTEGER,
  amount_minor INTEGER NOT NULL,
  UNIQUE (invoice_id, line_no)
) STRICT;

CREATE TABLE hs_subscription_payments (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  receipt_no TEXT NOT NULL UNIQUE,
  shift_id TEXT NOT NULL REFERENCES cashier_shifts(id),
  customer_id TEXT NOT NULL REFERENCES hs_customers(id),
  tender TEXT NOT NULL CHECK (tender IN ('cash', 'card', 'cheque', 'transfer')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  tendered_minor INTEGER NOT NULL,
  change_minor INTEGER NOT NULL DEFAULT 0,
  reference TEXT,
  -- Paid ahead of any invoice: settles the next ones as they are issued.
  unapplied_minor INTEGER NOT NULL DEFAULT 0 CHECK (unapplied_minor >= 0),
  cashier_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX hs_subscription_payments_customer ON hs_subscription_payments (customer_id, created_at);
CREATE INDEX hs_subscription_payments_unapplied ON hs_subscription_payments (customer_id) WHERE unapplied_minor > 0;

-- Which invoice a payment (or a credit note's credit) settled, and by how much.
CREATE TABLE hs_subscription_settlements (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  invoice_id TEXT NOT NULL REFERENCES hs_subscription_invoices(id),
  source_kind TEXT NOT NULL CHECK (source_kind IN ('payment', 'credit_note')),
  source_id TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX hs_subscription_settlements_invoice ON hs_subscription_settlements (invoice_id);
CREATE INDEX hs_subscription_settlements_source ON hs_subscription_settlements (source_id);

-- The movement ledger: every change of a subscription's recurring revenue, with before and after.
CREATE TABLE hs_subscription_events (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL REFERENCES hs_subscriptions(id),
  kind TEXT NOT NULL CHECK (kind IN ('started', 'renewed', 'upgraded', 'downgraded', 'paused', 'resumed', 'suspended', 'restored', 'cancelled')),
  at TEXT NOT NULL,
  effective_on TEXT NOT NULL,
  plan_id TEXT NOT NULL REFERENCES hs_plans(id),
  mrr_before INTEGER NOT NULL,
  mrr_after INTEGER NOT NULL,
  actor_id TEXT REFERENCES users(id),
  detail TEXT
) STRICT;
CREATE INDEX hs_subscription_events_subscription ON hs_subscription_events (subscription_id, at);
CREATE INDEX hs_subscription_events_at ON hs_subscription_events (at, id);

-- Visits counted against a subscription's included visits (or charged beyond them).
CREATE TABLE hs_subscription_visits (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL REFERENCES hs_subscriptions(id),
  period_start TEXT NOT NULL,
  appointment_id TEXT NOT NULL UNIQUE REFERENCES hs_appointments(id),
  visit_id TEXT REFERENCES hs_visits(id),
  service_id TEXT NOT NULL REFERENCES hs_services(id),
  outcome TEXT NOT NULL CHECK (outcome IN ('included', 'charged')),
  invoice_id TEXT REFERENCES hs_subscription_invoices(id),
  at TEXT NOT NULL
) STRICT;
CREATE INDEX hs_subscription_visits_period ON hs_subscription_visits (subscription_id, period_start);

-- The dunning ladder as it was walked: each step taken (and each restore by payment).
CREATE TABLE hs_dunning_steps (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  subscription_id TEXT NOT NULL REFERENCES hs_subscriptions(id),
  invoice_id TEXT NOT NULL REFERENCES hs_subscription_invoices(id),
  step TEXT NOT NULL CHECK (step IN ('reminder', 'warning', 'suspended', 'cancelled', 'restored')),
  due_on TEXT NOT NULL,
  taken_at TEXT NOT NULL,
  taken_by TEXT REFERENCES users(id),
  overdue_minor INTEGER NOT NULL
) STRICT;
CREATE INDEX hs_dunning_steps_subscription ON hs_dunning_steps (subscription_id, taken_at);
CREATE INDEX hs_dunning_steps_at ON hs_dunning_steps (taken_at, id);
`,
};
