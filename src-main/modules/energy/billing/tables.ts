/** Kysely types of the tables migration 0003 creates for billing (snake_case, as stored). */
import type { CounterTables } from '../counter/tables';
import type { PrepaidTables } from '../prepaid/tables';

export interface DocumentSequencesTable {
  branch_id: string;
  series: string;
  next_value: number;
}

export interface TariffsTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  kind: 'postpaid' | 'prepaid';
  category: string;
  effective_from: string;
  fixed_charge_minor: number;
  pricing_mode: 'graduated' | 'volume';
  /** JSON array of `{ upTo, rate }`. */
  tiers_json: string;
  minimum_charge_minor: number;
  tax_rate_bp: number;
  unit: string;
  created_by: string;
  version: number;
  created_at: string;
}

export interface BillingCyclesTable {
  id: string;
  branch_id: string;
  code: string;
  name: string;
  close_day: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BillingAccountsTable {
  account_id: string;
  branch_id: string;
  cycle_id: string;
  billing_start: string;
  billing_end: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface BillingRunsTable {
  id: string;
  branch_id: string;
  cycle_id: string;
  period_start: string;
  period_end: string;
  status: 'trial_running' | 'trial' | 'posting' | 'posted' | 'cancelled';
  job_id: string | null;
  accounts_count: number;
  bills_count: number;
  held_count: number;
  exceptions_count: number;
  total_minor: number;
  consumption: number;
  first_bill_no: string | null;
  last_bill_no: string | null;
  cancel_reason: string | null;
  created_by: string;
  created_at: string;
  posted_by: string | null;
  posted_at: string | null;
  version: number;
  updated_at: string;
}

export interface BillsTable {
  id: string;
  branch_id: string;
  kind: 'bill' | 'credit_note';
  run_id: string | null;
  account_id: string;
  account_no: string;
  status: 'draft' | 'held' | 'posted' | 'cancelled';
  bill_no: string | null;
  period_start: string;
  period_end: string;
  billed_from: string;
  billed_to: string;
  issue_date: string | null;
  due_date: string | null;
  category: string;
  previous_read_date: string | null;
  previous_read_value: number | null;
  current_read_date: string | null;
  current_read_value: number | null;
  consumption: number;
  estimated: number;
  subtotal_minor: number;
  tax_minor: number;
  total_minor: number;
  open_minor: number;
  lines_json: string;
  exceptions_json: string;
  cancels_bill_id: string | null;
  replaces_bill_id: string | null;
  replaced_by_bill_id: string | null;
  credit_note_id: string | null;
  reason: string | null;
  version: number;
  created_at: string;
  posted_at: string | null;
  updated_at: string;
}

export interface BillingTables {
  document_sequences: DocumentSequencesTable;
  tariffs: TariffsTable;
  billing_cycles: BillingCyclesTable;
  billing_accounts: BillingAccountsTable;
  billing_runs: BillingRunsTable;
  bills: BillsTable;
}

/** Everything migration 0003 creates: billing, the counter and prepaid share one migration. */
export interface BillingCounterPrepaidTables extends BillingTables, CounterTables, PrepaidTables {}
