import type { Priority } from '../../../../src-shared/contracts/home-services/common';
import type { JobState } from '../../../../src-shared/contracts/home-services/dispatch';

/** Kysely types of the dispatch table migration 0005 creates (snake_case, as stored). */

export interface HsJobsTable {
  id: string;
  branch_id: string;
  appointment_id: string;
  technician_id: string | null;
  state: JobState;
  priority: Priority;
  sla_due_at: string;
  assigned_at: string | null;
  en_route_at: string | null;
  on_site_at: string | null;
  completed_at: string | null;
  cancelled_at: string | null;
  reassign_count: number;
  last_reason_code: string | null;
  last_reason: string | null;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface DispatchTables {
  hs_jobs: HsJobsTable;
}
