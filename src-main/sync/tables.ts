/** Kysely table types of the sync tables (migration 0008). */
export interface SyncStateTable {
  id: number;
  branch_id: string;
  hq_url: string | null;
  token: string | null;
  enabled: number;
  version: number;
  confirmed_seq: number;
  confirmed_hash: string;
  confirmed_at: string | null;
  master_cursor: number;
  last_attempt_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  consecutive_failures: number;
  next_attempt_at: string | null;
  clock_offset_ms: number | null;
  run_owner: string | null;
  run_lease_until: string | null;
  updated_at: string;
}

export interface SyncExceptionsTable {
  id: string;
  branch_id: string;
  source: 'hq' | 'branch';
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
  resolved_by: string | null;
  resolved_at: string | null;
  resolution_note: string | null;
  version: number;
}

export interface HqOwnedTable {
  entity: string;
  entity_id: string;
  branch_id: string;
  hq_id: string;
  master_version: number;
  since: string;
}

export interface SyncTables {
  sync_state: SyncStateTable;
  sync_exceptions: SyncExceptionsTable;
  hq_owned: HqOwnedTable;
}
