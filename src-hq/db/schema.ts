/** Kysely table types of the HQ database (snake_case, as stored; the same on SQLite and PostgreSQL). */
import type { JournalRow } from '../../src-shared/contracts/sync';

export interface BranchesTable {
  id: string;
  name: string;
  time_zone: string;
  /** 0 = Sunday … 6 = Saturday, as the branch's settings say; weekly buckets start here. */
  week_start: number;
  active: number;
  token_hash: string;
  token_issued_at: string;
  previous_token_hash: string | null;
  previous_token_expires_at: string | null;
  head_seq: number;
  head_hash: string;
  head_at: string | null;
  last_contact_at: string | null;
  clock_offset_ms: number | null;
  created_at: string;
}

export interface EventsTable extends JournalRow {
  local_date: string;
  received_at: string;
}

export interface SyncExceptionsTable {
  id: string;
  branch_id: string;
  kind: string;
  dedupe_key: string;
  seq: number | null;
  event_id: string | null;
  message: string;
  details_json: string | null;
  first_seen_at: string;
  last_seen_at: string;
  occurrences: number;
  status: 'open' | 'resolved';
  resolved_at: string | null;
  resolved_by: string | null;
  resolution_note: string | null;
}

export interface MasterChangesTable {
  version: number;
  entity: string;
  entity_id: string;
  op: 'upsert' | 'delete' | 'release';
  data_json: string | null;
  branch_id: string | null;
  published_at: string;
  published_by: string;
  note: string | null;
}

export interface MasterHeadTable {
  id: number;
  version: number;
}

export interface RecordsTable {
  branch_id: string;
  entity: string;
  entity_id: string;
  data_json: string | null;
  deleted: number;
  last_seq: number;
  last_action: string;
  last_at: string;
}

export interface MeterReadingsTable {
  branch_id: string;
  id: string;
  read_date: string;
  read_type: string;
  purpose: string;
  status: string;
  skip_code: string | null;
  consumption: number;
  account_id: string | null;
  route_id: string | null;
  reader_id: string | null;
  last_seq: number;
}

/** A money movement at a branch counter, derived from the journal event that made it. */
export interface CounterTransactionsTable {
  branch_id: string;
  /** The journal event's id. */
  id: string;
  document_id: string;
  /** payment, payment_reversal, vend, vend_reversal, emergency_credit, package_sale, package_refund, subscription_payment */
  type: string;
  tender: string;
  /** Minor units; negative for money paid out. */
  amount_minor: number;
  at: string;
  local_date: string;
  seq: number;
}

export interface BillsTable {
  branch_id: string;
  id: string;
  kind: string;
  status: string;
  issue_date: string;
  total_minor: number;
  tax_minor: number;
  consumption: number;
  estimated: number;
  with_exceptions: number;
  last_seq: number;
}

export interface AppointmentsTable {
  branch_id: string;
  id: string;
  local_date: string;
  status: string;
  duration_minutes: number;
  price_minor: number;
  late_cancel: number;
  last_seq: number;
}

export interface VisitsTable {
  branch_id: string;
  id: string;
  local_date: string;
  status: string;
  verification: string;
  outcome: string | null;
  corrected: number;
  minutes_on_site: number | null;
  last_seq: number;
}

export interface SubscriptionInvoicesTable {
  branch_id: string;
  id: string;
  kind: string;
  issue_date: string;
  total_minor: number;
  last_seq: number;
}

export interface AdminTokensTable {
  id: string;
  label: string;
  token_hash: string;
  created_at: string;
  revoked_at: string | null;
}

export interface HqDatabase {
  branches: BranchesTable;
  events: EventsTable;
  sync_exceptions: SyncExceptionsTable;
  master_changes: MasterChangesTable;
  master_head: MasterHeadTable;
  records: RecordsTable;
  meter_readings: MeterReadingsTable;
  counter_transactions: CounterTransactionsTable;
  bills: BillsTable;
  appointments: AppointmentsTable;
  visits: VisitsTable;
  subscription_invoices: SubscriptionInvoicesTable;
  admin_tokens: AdminTokensTable;
}
