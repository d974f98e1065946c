/**
 * Kysely table types for the branch store (snake_case, as stored). Each module declares its own
 * tables next to its code and they are joined here, so a query can reach any table by name.
 */
import type { MeterReadingTables } from '../../modules/energy/meter-readings/tables';
import type { InstallationTables } from '../../modules/energy/installations/tables';
import type { MaintenanceTables } from '../../modules/energy/maintenance/tables';
import type { BillingCounterPrepaidTables } from '../../modules/energy/billing/tables';
import type { HomeServicesFieldTables } from '../../modules/home-services/tables';
import type { PackagesSubscriptionsTables } from '../../modules/home-services/subscriptions/tables';
import type { ReportingTables } from '../../reporting/tables';
import type { SyncTables } from '../../sync/tables';

export interface BranchTable {
  id: string;
  name: string;
  time_zone: string;
  week_start: number;
  demo: number;
  created_at: string;
}

export interface RolesTable {
  id: string;
  branch_id: string;
  key: string;
  name: string;
  description: string;
  version: number;
  created_at: string;
}

export interface RolePermissionsTable {
  role_id: string;
  permission: string;
}

export interface UsersTable {
  id: string;
  branch_id: string;
  username: string;
  display_name: string;
  role_id: string;
  password_hash: string;
  active: number;
  failed_attempts: number;
  locked_until: string | null;
  last_login_at: string | null;
  demo_credential: number;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  user_id: string;
  created_at: string;
  expires_at: string;
  last_seen_at: string;
  ended_at: string | null;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  branch_id: string;
  at: string;
  actor_id: string | null;
  actor_name: string | null;
  session_id: string | null;
  shift_id: string | null;
  procedure: string;
  entity: string;
  entity_id: string;
  action: string;
  before_json: string | null;
  after_json: string | null;
  reason: string | null;
  approval_id: string | null;
  prev_hash: string;
  hash: string;
}

export interface ApprovalRequestsTable {
  id: string;
  branch_id: string;
  procedure: string;
  function_key: string;
  summary: string;
  payload_json: string;
  payload_hash: string;
  entity: string | null;
  entity_id: string | null;
  status: 'pending' | 'approved' | 'rejected' | 'executed' | 'failed' | 'cancelled';
  requested_by: string;
  requested_at: string;
  request_reason: string | null;
  decided_by: string | null;
  decided_at: string | null;
  decision_reason: string | null;
  execution_error: string | null;
  version: number;
}

export interface IdempotencyKeysTable {
  key: string;
  procedure: string;
  user_id: string | null;
  payload_hash: string;
  result_json: string;
  created_at: string;
}

export interface JobsTable {
  id: string;
  branch_id: string;
  kind: string;
  title: string;
  state: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  progress: number;
  message: string | null;
  input_json: string;
  result_json: string | null;
  error: string | null;
  created_by: string;
  created_at: string;
  finished_at: string | null;
}

export interface SettingsTable {
  key: string;
  value_json: string;
  version: number;
  updated_at: string;
  updated_by: string | null;
}

export interface KernelTables {
  branch: BranchTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  users: UsersTable;
  sessions: SessionsTable;
  audit_events: AuditEventsTable;
  approval_requests: ApprovalRequestsTable;
  idempotency_keys: IdempotencyKeysTable;
  jobs: JobsTable;
  settings: SettingsTable;
}

export interface DB extends KernelTables, MeterReadingTables, InstallationTables, MaintenanceTables, BillingCounterPrepaidTables, HomeServicesFieldTables, PackagesSubscriptionsTables, SyncTables, ReportingTables {}
