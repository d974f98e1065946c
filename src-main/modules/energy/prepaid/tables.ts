/** Kysely types of the prepaid tables (migration 0003; snake_case, as stored). */

export interface PrepaidAccountsTable {
  account_id: string;
  branch_id: string;
  meter_id: string;
  sts_meter_no: string;
  tariff_code: string;
  status: 'active' | 'suspended';
  debt_minor: number;
  debt_recovery_bp: number;
  credit_minor: number;
  emergency_minor: number;
  emergency_units: number;
  daily_limit_minor: number | null;
  service_paid_month: string | null;
  last_token_id: number;
  enrolled_on: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface VendsTable {
  id: string;
  branch_id: string;
  receipt_no: string;
  kind: 'sale' | 'emergency';
  shift_id: string;
  account_id: string;
  meter_id: string;
  tariff_id: string;
  tender: 'cash' | 'card' | 'cheque' | 'transfer' | 'none';
  amount_minor: number;
  tendered_minor: number;
  change_minor: number;
  credit_used_minor: number;
  debt_minor: number;
  service_charge_minor: number;
  service_month: string | null;
  emergency_recovered_minor: number;
  tax_minor: number;
  value_minor: number;
  units: number;
  token: string;
  token_id: number;
  status: 'completed' | 'reversed';
  reprints: number;
  cashier_id: string;
  reversed_at: string | null;
  /** JSON `{ tokenLoaded, settlement, reason, debtAdded, creditAdded, refunded }`. */
  reversal_json: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface PrepaidTables {
  prepaid_accounts: PrepaidAccountsTable;
  vends: VendsTable;
}
