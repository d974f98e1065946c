import type { SqliteDb } from '../db/store';
import type { AuditInput } from '../audit/journal';
import type { Settings } from '../settings/settings';
import type { JobStarter } from '../jobs/types';

/** The signed-in principal, as the pipeline resolved it for this call. */
export interface Principal {
  userId: string;
  username: string;
  displayName: string;
  roleKey: string;
  permissions: ReadonlySet<string>;
  sessionId: string | null;
}

export interface BranchInfo {
  id: string;
  name: string;
  timeZone: string;
  weekStart: number;
  demo: boolean;
}

/**
 * What every handler receives. Handlers are synchronous and run inside the call's transaction:
 * everything they write, and every `audit()` they append, commits or rolls back together.
 */
export interface Ctx {
  db: SqliteDb;
  branch: BranchInfo;
  /** One clock reading per call, so every row a call writes carries the same instant. */
  now: Date;
  nowIso: string;
  principal: Principal | null;
  procedure: string;
  approvalId: string | null;
  /** The open cashier shift the call belongs to, when it is a counter call. */
  shiftId: string | null;
  settings: Settings;
  jobs: JobStarter;
  audit(event: AuditInput): void;
  /** Returns the principal or answers UNAUTHENTICATED: for handlers of signed-in procedures. */
  user(): Principal;
}
