import type { Transaction } from 'kysely';
import { notFound } from '../src-shared/errors';
import { SYNC_EXCEPTION_KINDS, type SyncExceptionKind } from '../src-shared/contracts/sync';
import { newId } from '../src-main/core/util/ids';
import type { HqDatabase, SyncExceptionsTable } from './db/schema';
import type { Hq } from './hq';

export interface ExceptionInput {
  branchId: string;
  kind: SyncExceptionKind;
  /** Identifies the problem across retries: the event id, or the finding and its seq. */
  dedupeKey: string;
  seq: number | null;
  eventId: string | null;
  message: string;
  details?: unknown;
  at: string;
}

/**
 * Records a problem once; a retry that meets it again counts an occurrence (and reopens it if it
 * had been resolved), so the list shows each problem once with how often it recurred.
 */
export async function recordException(trx: Transaction<HqDatabase>, input: ExceptionInput): Promise<void> {
  await trx
    .insertInto('sync_exceptions')
    .values({
      id: newId(),
      branch_id: input.branchId,
      kind: input.kind,
      dedupe_key: input.dedupeKey,
      seq: input.seq,
      event_id: input.eventId,
      message: input.message,
      details_json: input.details === undefined ? null : JSON.stringify(input.details),
      first_seen_at: input.at,
      last_seen_at: input.at,
      occurrences: 1,
      status: 'open',
      resolved_at: null,
      resolved_by: null,
      resolution_note: null,
    })
    .onConflict((oc) =>
      oc.columns(['branch_id', 'kind', 'dedupe_key']).doUpdateSet((eb) => ({
        occurrences: eb('sync_exceptions.occurrences', '+', 1),
        last_seen_at: eb.ref('excluded.last_seen_at'),
        message: eb.ref('excluded.message'),
        details_json: eb.ref('excluded.details_json'),
        status: 'open',
      })),
    )
    .execute();
}

export interface HqException {
  id: string;
  branchId: string;
  kind: SyncExceptionKind;
  kindLabel: string;
  seq: number | null;
  eventId: string | null;
  message: string;
  details: unknown;
  firstSeenAt: string;
  lastSeenAt: string;
  occurrences: number;
  status: 'open' | 'resolved';
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolutionNote: string | null;
}

const toException = (r: SyncExceptionsTable): HqException => ({
  id: r.id,
  branchId: r.branch_id,
  kind: r.kind as SyncExceptionKind,
  kindLabel: SYNC_EXCEPTION_KINDS[r.kind as SyncExceptionKind] ?? r.kind,
  seq: r.seq,
  eventId: r.event_id,
  message: r.message,
  details: r.details_json === null ? null : (JSON.parse(r.details_json) as unknown),
  firstSeenAt: r.first_seen_at,
  lastSeenAt: r.last_seen_at,
  occurrences: r.occurrences,
  status: r.status,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  resolutionNote: r.resolution_note,
});

export async function listExceptions(hq: Hq, filter: { branchId?: string; status?: 'open' | 'resolved' | 'all' } = {}): Promise<HqException[]> {
  let q = hq.db.selectFrom('sync_exceptions').selectAll().orderBy('last_seen_at', 'desc').orderBy('id', 'desc').limit(500);
  if (filter.branchId) q = q.where('branch_id', '=', filter.branchId);
  const status = filter.status ?? 'open';
  if (status !== 'all') q = q.where('status', '=', status);
  return (await q.execute()).map(toException);
}

export async function resolveException(hq: Hq, id: string, input: { note: string; by: string }): Promise<HqException> {
  const now = hq.clock().toISOString();
  const result = await hq.db
    .updateTable('sync_exceptions')
    .set({ status: 'resolved', resolved_at: now, resolved_by: input.by, resolution_note: input.note })
    .where('id', '=', id)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) === 0) throw notFound('Sync exception', id);
  const row = await hq.db.selectFrom('sync_exceptions').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return toException(row);
}
