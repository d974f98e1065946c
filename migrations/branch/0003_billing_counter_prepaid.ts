/**
 * Utility billing cycles, the cashier counter and prepaid credit: tariffs, cycles and runs, bills
 * and credit notes, gap-free document numbers, cashier shifts, counter payments and their
 * settlements, prepaid accounts, vends and tokens.
 * Frozen once released: change the schema with a new numbered migration.
 */
export default {
  version: 3,
  name: 'billing_counter_prepaid',
  sql: `
-- Gap-free numbering per branch and series (bill, credit_note, receipt). A number is taken inside
-- the transaction that issues the document, so a rollback returns it and two writers never share one.
CREATE TABLE document_sequences (
  branch_id TEXT NOT NULL,
  series TEXT NOT NULL,
  next_value INTEGER NOT NULL CHECK (next_value >= 1),
  PRIMARY KEY (branch_id, series)
) STRICT, WITHOUT ROWID;

/* ---------------- billing ---------------- */

-- A tariff version: code + effective date. A change is a new version, never an edit.
CREATE TABLE tariffs (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL COLLATE NOCASE,
  name TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('postpaid','prepaid')),
  category TEXT NOT NULL,
  effective_from TEXT NOT NULL,
  fixed_charge_minor INTEGER NOT NULL CHECK (fixed_charge_minor >= 0),
  pricing_mode TEXT NOT NULL CHECK (pricing_mode IN ('graduated','volume')),
  tiers_json TEXT NOT NULL,
  minimum_charge_minor INTEGER NOT NULL DEFAULT 0 CHECK (minimum_charge_minor >= 0),
  tax_rate_bp INTEGER NOT NULL DEFAULT 0 CHECK (tax_rate_bp BETWEEN 0 AND 10000),
  unit TEXT NOT NULL DEFAULT 'kWh',
  created_by TEXT NOT NULL REFERENCES users(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX tariffs_code_version ON tariffs (code, effective_from);
CREATE INDEX tariffs_pick ON tariffs (kind, category, effective_from);

CREATE TABLE billing_cycles (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  code TEXT NOT NULL UNIQUE COLLATE NOCASE,
  name TEXT NOT NULL,
  -- Periods close on this day of every month (28 at most, so every month has it).
  close_day INTEGER NOT NULL CHECK (close_day BETWEEN 1 AND 28),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

-- Billing attributes of an account (side table: accounts belong to meter reading logging).
CREATE TABLE billing_accounts (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  branch_id TEXT NOT NULL,
  cycle_id TEXT NOT NULL REFERENCES billing_cycles(id),
  -- First and (once closed) last day billed: partial periods are prorated by days.
  billing_start TEXT NOT NULL,
  billing_end TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX billing_accounts_cycle ON billing_accounts (cycle_id, account_id);

CREATE TABLE billing_runs (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  cycle_id TEXT NOT NULL REFERENCES billing_cycles(id),
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('trial_running','trial','posting','posted','cancelled')),
  job_id TEXT,
  accounts_count INTEGER NOT NULL DEFAULT 0,
  bills_count INTEGER NOT NULL DEFAULT 0,
  held_count INTEGER NOT NULL DEFAULT 0,
  exceptions_count INTEGER NOT NULL DEFAULT 0,
  total_minor INTEGER NOT NULL DEFAULT 0,
  consumption REAL NOT NULL DEFAULT 0,
  first_bill_no TEXT,
  last_bill_no TEXT,
  cancel_reason TEXT,
  created_by TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL,
  posted_by TEXT REFERENCES users(id),
  posted_at TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
) STRICT;
-- One live run per cycle period: a second trial for the same period must discard the first.
CREATE UNIQUE INDEX billing_runs_one_live_per_period ON billing_runs (cycle_id, period_end) WHERE status <> 'cancelled';
CREATE INDEX billing_runs_created ON billing_runs (created_at, id);

-- Bills and credit notes. Drafts belong to a trial; posting freezes them and gives them a number.
CREATE TABLE bills (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('bill','credit_note')),
  run_id TEXT REFERENCES billing_runs(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  -- Sort key of the run's numbering order, copied so posting never joins back to accounts.
  account_no TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('draft','held','posted','cancelled')),
  bill_no TEXT,
  period_start TEXT NOT NULL,
  period_end TEXT NOT NULL,
  billed_from TEXT NOT NULL,
  billed_to TEXT NOT NULL,
  issue_date TEXT,
  due_date TEXT,
  category TEXT NOT NULL,
  previous_read_date TEXT,
  previous_read_value INTEGER,
  current_read_date TEXT,
  current_read_value INTEGER,
  consumption REAL NOT NULL DEFAULT 0,
  estimated INTEGER NOT NULL DEFAULT 0,
  subtotal_minor INTEGER NOT NULL,
  tax_minor INTEGER NOT NULL,
  total_minor INTEGER NOT NULL,
  -- What is still owed on a posted bill (or, negative, the credit a credit note still holds).
  open_minor INTEGER NOT NULL,
  lines_json TEXT NOT NULL,
  exceptions_json TEXT NOT NULL DEFAULT '[]',
  cancels_bill_id TEXT REFERENCES bills(id),
  replaces_bill_id TEXT REFERENCES bills(id),
  replaced_by_bill_id TEXT REFERENCES bills(id),
  credit_note_id TEXT REFERENCES bills(id),
  reason TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  posted_at TEXT,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX bills_number ON bills (bill_no) WHERE bill_no IS NOT NULL;
CREATE INDEX bills_run ON bills (run_id, status, account_no);
CREATE INDEX bills_account ON bills (account_id, kind, status, period_end);
CREATE INDEX bills_open ON bills (account_id, issue_date) WHERE status = 'posted' AND open_minor <> 0;
CREATE INDEX bills_list ON bills (status, period_end, id);
CREATE INDEX bills_posted ON bills (posted_at) WHERE posted_at IS NOT NULL;

/* ---------------- counter ---------------- */

CREATE TABLE cashier_shifts (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  shift_no INTEGER NOT NULL,
  cashier_id TEXT NOT NULL REFERENCES users(id),
  status TEXT NOT NULL CHECK (status IN ('open','closed')),
  opened_at TEXT NOT NULL,
  opening_float_minor INTEGER NOT NULL CHECK (opening_float_minor >= 0),
  closed_at TEXT,
  expected_json TEXT,
  counted_json TEXT,
  variance_minor INTEGER,
  close_note TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  updated_at TEXT NOT NULL
) STRICT;
CREATE UNIQUE INDEX cashier_shifts_one_open ON cashier_shifts (cashier_id) WHERE status = 'open';
CREATE INDEX cashier_shifts_opened ON cashier_shifts (opened_at, id);

-- Every money movement at the counter, stamped with its shift: the X/Z reports and the expected
-- cash at close are sums of this table. Money in is positive, money out (refunds) negative.
CREATE TABLE counter_transactions (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  shift_id TEXT NOT NULL REFERENCES cashier_shifts(id),
  type TEXT NOT NULL,
  tender TEXT NOT NULL CHECK (tender IN ('cash','card','cheque','transfer','none')),
  amount_minor INTEGER NOT NULL,
  document_id TEXT NOT NULL,
  receipt_no TEXT,
  account_id TEXT,
  cashier_id TEXT NOT NULL REFERENCES users(id),
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX counter_transactions_shift ON counter_transactions (shift_id, type, tender);
CREATE INDEX counter_transactions_at ON counter_transactions (created_at);

CREATE TABLE payments (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  receipt_no TEXT NOT NULL UNIQUE,
  shift_id TEXT NOT NULL REFERENCES cashier_shifts(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  tender TEXT NOT NULL CHECK (tender IN ('cash','card','cheque','transfer')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  tendered_minor INTEGER NOT NULL,
  change_minor INTEGER NOT NULL DEFAULT 0,
  reference TEXT,
  -- Paid in advance of any bill: settles the next bills as they post.
  unapplied_minor INTEGER NOT NULL DEFAULT 0,
  status TEXT NOT NULL CHECK (status IN ('completed','reversed')),
  cashier_id TEXT NOT NULL REFERENCES users(id),
  reversed_at TEXT,
  reversal_reason TEXT,
  reversal_shift_id TEXT REFERENCES cashier_shifts(id),
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX payments_account ON payments (account_id, created_at);
CREATE INDEX payments_shift ON payments (shift_id);
CREATE INDEX payments_created ON payments (created_at, id);
CREATE INDEX payments_unapplied ON payments (account_id) WHERE unapplied_minor > 0 AND status = 'completed';

-- Which bill a payment (or a credit note's credit) settled, and by how much.
CREATE TABLE settlements (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  bill_id TEXT NOT NULL REFERENCES bills(id),
  source_kind TEXT NOT NULL CHECK (source_kind IN ('payment','credit_note')),
  source_id TEXT NOT NULL,
  amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
  reversed INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL
) STRICT;
CREATE INDEX settlements_source ON settlements (source_id);
CREATE INDEX settlements_bill ON settlements (bill_id);

/* ---------------- prepaid ---------------- */

CREATE TABLE prepaid_accounts (
  account_id TEXT PRIMARY KEY REFERENCES accounts(id),
  branch_id TEXT NOT NULL,
  meter_id TEXT NOT NULL REFERENCES meters(id),
  -- The STS meter number printed on the token (11 digits).
  sts_meter_no TEXT NOT NULL UNIQUE,
  tariff_code TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('active','suspended')),
  debt_minor INTEGER NOT NULL DEFAULT 0 CHECK (debt_minor >= 0),
  debt_recovery_bp INTEGER NOT NULL DEFAULT 2500 CHECK (debt_recovery_bp BETWEEN 0 AND 10000),
  credit_minor INTEGER NOT NULL DEFAULT 0 CHECK (credit_minor >= 0),
  emergency_minor INTEGER NOT NULL DEFAULT 0 CHECK (emergency_minor >= 0),
  emergency_units REAL NOT NULL DEFAULT 0,
  daily_limit_minor INTEGER,
  -- YYYY-MM of the last month whose fixed service charge was collected.
  service_paid_month TEXT,
  last_token_id INTEGER NOT NULL DEFAULT 0,
  enrolled_on TEXT NOT NULL,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;

CREATE TABLE vends (
  id TEXT PRIMARY KEY,
  branch_id TEXT NOT NULL,
  receipt_no TEXT NOT NULL UNIQUE,
  kind TEXT NOT NULL CHECK (kind IN ('sale','emergency')),
  shift_id TEXT NOT NULL REFERENCES cashier_shifts(id),
  account_id TEXT NOT NULL REFERENCES accounts(id),
  meter_id TEXT NOT NULL REFERENCES meters(id),
  tariff_id TEXT NOT NULL REFERENCES tariffs(id),
  tender TEXT NOT NULL CHECK (tender IN ('cash','card','cheque','transfer','none')),
  amount_minor INTEGER NOT NULL CHECK (amount_minor >= 0),
  tendered_minor INTEGER NOT NULL DEFAULT 0,
  change_minor INTEGER NOT NULL DEFAULT 0,
  credit_used_minor INTEGER NOT NULL DEFAULT 0,
  debt_minor INTEGER NOT NULL DEFAULT 0,
  service_charge_minor INTEGER NOT NULL DEFAULT 0,
  service_month TEXT,
  emergency_recovered_minor INTEGER NOT NULL DEFAULT 0,
  tax_minor INTEGER NOT NULL DEFAULT 0,
  value_minor INTEGER NOT NULL DEFAULT 0,
  units REAL NOT NULL,
  token TEXT NOT NULL,
  token_id INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('completed','reversed')),
  reprints INTEGER NOT NULL DEFAULT 0,
  cashier_id TEXT NOT NULL REFERENCES users(id),
  reversed_at TEXT,
  reversal_json TEXT,
  version INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
) STRICT;
CREATE INDEX vends_account ON vends (account_id, created_at);
CREATE INDEX vends_created ON vends (created_at, id);
CREATE INDEX vends_shift ON vends (shift_id);
`,
};
