import { SYNC_EXCEPTION_KINDS, type SyncException, type SyncExceptionKind } from '../../src-shared/contracts/sync';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../core/db/store';
import { newId } from '../core/util/ids';
import type { SyncExceptionsTable } from './tables';

export interface BranchExceptionInput {
  branchId: string;
  source: 'hq' | 'branch';
  kind: SyncExceptionKind;
  dedupeKey: string;
  seq: number | null;
  eventId: string | null;
  message: string;
  details?: unknown;
  at: string;
}

/**
 * Records a problem in the branch's sync exceptions queue; meeting it again on a retry counts an
 * occurrence (and reopens it), so one problem is one row however often the engine retries.
 */
export function recordSyncException(db: SqliteDb, input: BranchExceptionInput): void {
  sqlRun(
    db,
    `INSERT INTO sync_exceptions (id, branch_id, source, kind, dedupe_key, seq, event_id, message, details_json, first_seen_at, last_seen_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (kind, dedupe_key) DO UPDATE SET
       occurrences = occurrences + 1, last_seen_at = excluded.last_seen_at, message = excluded.message,
       details_json = excluded.details_json, source = excluded.source,
       status = 'open', version = version + 1`,
    newId(),
    input.branchId,
    input.source,
    input.kind,
    input.dedupeKey,
    input.seq,
    input.eventId,
    input.message,
    input.details === undefined ? null : JSON.stringify(input.details),
    input.at,
    input.at,
  );
}

export function toSyncException(row: SyncExceptionsTable & { resolved_by_name?: string | null }): SyncException {
  const kind = row.kind as SyncExceptionKind;
  return {
    id: row.id,
    kind,
    kindLabel: SYNC_EXCEPTION_KINDS[kind] ?? row.kind,
    source: row.source,
    seq: row.seq,
    eventId: row.event_id,
    message: row.message,
    details: row.details_json === null ? null : (JSON.parse(row.details_json) as unknown),
    firstSeenAt: row.first_seen_at,
    lastSeenAt: row.last_seen_at,
    occurrences: row.occurrences,
    status: row.status,
    resolvedBy: row.resolved_by_name ?? row.resolved_by,
    resolvedAt: row.resolved_at,
    resolutionNote: row.resolution_note,
    version: row.version,
  };
}

const SELECT = `SELECT e.*, u.display_name AS resolved_by_name FROM sync_exceptions e LEFT JOIN users u ON u.id = e.resolved_by`;

export function findSyncException(db: SqliteDb, id: string): SyncException | undefined {
  const row = sqlGet<SyncExceptionsTable & { resolved_by_name: string | null }>(db, `${SELECT} WHERE e.id = ?`, id);
  return row ? toSyncException(row) : undefined;
}

/** Newest first, by key (last_seen_at, id) so a page never repeats or skips a row. */
export function listSyncExceptions(db: SqliteDb, status: 'open' | 'resolved' | 'all', limit: number, cursor: string | undefined) {
  let after: [string, string] | null = null;
  if (cursor) {
    try {
      const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
      if (Array.isArray(parsed) && parsed.length === 2 && parsed.every((p) => typeof p === 'string')) after = parsed as [string, string];
    } catch {
      after = null;
    }
  }
  const statusFilter = status === 'all' ? null : status;
  const rows = sqlAll<SyncExceptionsTable & { resolved_by_name: string | null }>(
    db,
    `${SELECT} WHERE (? IS NULL OR e.status = ?)
       AND (? IS NULL OR e.last_seen_at < ? OR (e.last_seen_at = ? AND e.id < ?))
     ORDER BY e.last_seen_at DESC, e.id DESC LIMIT ?`,
    statusFilter,
    statusFilter,
    after?.[0] ?? null,
    after?.[0] ?? null,
    after?.[0] ?? null,
    after?.[1] ?? null,
    limit + 1,
  );
  const total = sqlGet<{ n: number }>(db, 'SELECT count(*) AS n FROM sync_exceptions WHERE (? IS NULL OR status = ?)', statusFilter, statusFilter)!.n;
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map(toSyncException),
    nextCursor: more && last ? Buffer.from(JSON.stringify([last.last_seen_at, last.id])).toString('base64url') : null,
    total,
  };
}

export const openSyncExceptions = (db: SqliteDb): number =>
  sqlGet<{ n: number }>(db, "SELECT count(*) AS n FROM sync_exceptions WHERE status = 'open'")!.n;
