/** Kysely types of the counter's tables (migration 0003; snake_case, as stored). */

export interface CashierShiftsTable {
  id: string;
  branch_id: string;
  shift_no: number;
  cashier_id: string;
  status: 'open' | 'closed';
  opened_at: string;
  opening_float_minor: number;
  closed_at: string | null;
  /** JSON `{ cash, card, cheque, transfer }` in minor units. */
  expected_json: string | null;
  counted_json: string | null;
  variance_minor: number | null;
  close_note: string | null;
  version: number;
  updated_at: string;
}

export interface CounterTransactionsTable {
  id: string;
  branch_id: string;
  shift_id: string;
  type: string;
  tender: 'cash' | 'card' | 'cheque' | 'transfer' | 'none';
  amount_minor: number;
  document_id: string;
  receipt_no: string | null;
  account_id: string | null;
  cashier_id: string;
  created_at: string;
}

export interface PaymentsTable {
  id: string;
  branch_id: string;
  receipt_no: string;
  shift_id: string;
  account_id: string;
  tender: 'cash' | 'card' | 'cheque' | 'transfer';
  amount_minor: number;
  tendered_minor: number;
  change_minor: number;
  reference: string | null;
  unapplied_minor: number;
  status: 'completed' | 'reversed';
  cashier_id: string;
  reversed_at: string | null;
  reversal_reason: string | null;
  reversal_shift_id: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SettlementsTable {
  id: string;
  branch_id: string;
  bill_id: string;
  source_kind: 'payment' | 'credit_note';
  source_id: string;
  amount_minor: number;
  reversed: number;
  created_at: string;
}

export interface CounterTables {
  cashier_shifts: CashierShiftsTable;
  counter_transactions: CounterTransactionsTable;
  payments: PaymentsTable;
  settlements: SettlementsTable;
}
