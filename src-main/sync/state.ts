import type { SyncState, SyncStatus } from '../../src-shared/contracts/sync';
import { GENESIS_HASH } from '../core/audit/journal';
import { sqlGet, sqlRun, type SqliteDb } from '../core/db/store';
import type { Settings } from '../core/settings/settings';
import { driftWarning } from './drift';
import { openSyncExceptions } from './exceptions';
import { clockDriftWarningSeconds, syncIntervalMinutes } from './settings';
import type { SyncStateTable } from './tables';

/** Sync state before the branch was ever connected: nothing confirmed, nothing configured. */
function initialState(branchId: string, nowIso: string): SyncStateTable {
  return {
    id: 1,
    branch_id: branchId,
    hq_url: null,
    token: null,
    enabled: 0,
    version: 0,
    confirmed_seq: 0,
    confirmed_hash: GENESIS_HASH,
    confirmed_at: null,
    master_cursor: 0,
    last_attempt_at: null,
    last_success_at: null,
    last_error: null,
    consecutive_failures: 0,
    next_attempt_at: null,
    clock_offset_ms: null,
    run_owner: null,
    run_lease_until: null,
    updated_at: nowIso,
  };
}

/** Reads never write: before the first configure or run, the state is the initial one. */
export function readSyncState(db: SqliteDb, branchId: string, nowIso: string): SyncStateTable {
  return sqlGet<SyncStateTable>(db, 'SELECT * FROM sync_state WHERE id = 1') ?? initialState(branchId, nowIso);
}

export function ensureSyncState(db: SqliteDb, branchId: string, nowIso: string): SyncStateTable {
  sqlRun(db, 'INSERT INTO sync_state (id, branch_id, updated_at) VALUES (1, ?, ?) ON CONFLICT (id) DO NOTHING', branchId, nowIso);
  return sqlGet<SyncStateTable>(db, 'SELECT * FROM sync_state WHERE id = 1')!;
}

type Bookkeeping = Partial<Omit<SyncStateTable, 'id' | 'branch_id' | 'hq_url' | 'token' | 'enabled' | 'version'>>;

/** The engine's own bookkeeping (cursor, last success, backoff): operational, so not journaled. */
export function recordSyncState(db: SqliteDb, fields: Bookkeeping, nowIso: string): void {
  const entries = Object.entries({ ...fields, updated_at: nowIso });
  sqlRun(db, `UPDATE sync_state SET ${entries.map(([k]) => `${k} = ?`).join(', ')} WHERE id = 1`, ...entries.map(([, v]) => v));
}

export function localHead(db: SqliteDb): { seq: number; hash: string } {
  return sqlGet<{ seq: number; hash: string }>(db, 'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1') ?? { seq: 0, hash: GENESIS_HASH };
}

/** Exceptions that stop the stream until someone acts (an edited old event does not). */
const BLOCKING_KINDS = ['event.rejected', 'journal.rewritten', 'journal.truncated', 'masterData.unapplied'];

export function syncStatus(db: SqliteDb, settings: Settings, branchId: string, now: Date): SyncStatus {
  const nowIso = now.toISOString();
  const s = readSyncState(db, branchId, nowIso);
  const head = localHead(db);
  const pending = Math.max(0, head.seq - s.confirmed_seq);
  const blocking = sqlGet<{ n: number }>(
    db,
    `SELECT count(*) AS n FROM sync_exceptions WHERE status = 'open' AND kind IN (${BLOCKING_KINDS.map(() => '?').join(', ')})`,
    ...BLOCKING_KINDS,
  )!.n;
  let state: SyncState;
  if (!s.hq_url || !s.token) state = 'notConfigured';
  else if (s.enabled !== 1) state = 'disabled';
  else if (s.run_lease_until !== null && s.run_lease_until > nowIso) state = 'running';
  else if (blocking > 0) state = 'blocked';
  else if (s.consecutive_failures > 0) state = 'retrying';
  else if (pending > 0) state = 'pending';
  else state = 'idle';
  return {
    state,
    branchId,
    hqUrl: s.hq_url,
    enabled: s.enabled === 1,
    hasToken: s.token !== null,
    intervalMinutes: settings.get(syncIntervalMinutes),
    lastAttemptAt: s.last_attempt_at,
    lastSuccessAt: s.last_success_at,
    lastError: s.last_error,
    consecutiveFailures: s.consecutive_failures,
    nextAttemptAt: s.next_attempt_at,
    localHead: head,
    pendingEvents: pending,
    anchor: { seq: s.confirmed_seq, hash: s.confirmed_hash, confirmedAt: s.confirmed_at },
    masterCursor: s.master_cursor,
    clockOffsetMs: s.clock_offset_ms,
    driftWarning: driftWarning(s.clock_offset_ms, settings.get(clockDriftWarningSeconds)),
    openExceptions: openSyncExceptions(db),
    configVersion: s.version,
  };
}
