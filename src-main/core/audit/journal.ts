import { createHash } from 'node:crypto';
import { canonicalJson } from '../util/canonical-json';
import { newId } from '../util/ids';
import { sqlAll, sqlGet, sqlRun, type SqliteDb } from '../db/store';
import type { AuditEventsTable } from '../db/schema';

/** The chain starts from a fixed all-zero hash so the first event is verifiable too. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  entity: string;
  entityId: string;
  /** Verb in past tense as users read it: created, updated, submitted, approved, ... */
  action: string;
  before?: unknown;
  after?: unknown;
  reason?: string | null;
}

export interface AuditStamp {
  branchId: string;
  at: string;
  actorId: string | null;
  actorName: string | null;
  sessionId: string | null;
  shiftId: string | null;
  procedure: string;
  approvalId: string | null;
}

/** What is hashed: every column except `hash` itself, canonicalised. */
export function eventDigest(row: Omit<AuditEventsTable, 'hash'>): string {
  const { prev_hash, ...body } = row;
  return createHash('sha256')
    .update(prev_hash)
    .update(canonicalJson(body))
    .digest('hex');
}

const toJson = (v: unknown): string | null => (v === undefined || v === null ? null : canonicalJson(v));

/**
 * Appends one event. Must run inside the caller's write transaction: the head is read and the new
 * link written under the same write lock, so two connections can never fork the chain.
 */
export function appendEvent(db: SqliteDb, stamp: AuditStamp, input: AuditInput): AuditEventsTable {
  const head = sqlGet<{ seq: number; hash: string }>(db, 'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1');
  const body: Omit<AuditEventsTable, 'hash'> = {
    seq: (head?.seq ?? 0) + 1,
    id: newId(),
    branch_id: stamp.branchId,
    at: stamp.at,
    actor_id: stamp.actorId,
    actor_name: stamp.actorName,
    session_id: stamp.sessionId,
    shift_id: stamp.shiftId,
    procedure: stamp.procedure,
    entity: input.entity,
    entity_id: input.entityId,
    action: input.action,
    before_json: toJson(input.before),
    after_json: toJson(input.after),
    reason: input.reason ?? null,
    approval_id: stamp.approvalId,
    prev_hash: head?.hash ?? GENESIS_HASH,
  };
  const row: AuditEventsTable = { ...body, hash: eventDigest(body) };
  sqlRun(
    db,
    `INSERT INTO audit_events (seq, id, branch_id, at, actor_id, actor_name, session_id, shift_id, procedure,
       entity, entity_id, action, before_json, after_json, reason, approval_id, prev_hash, hash)
     VALUES (@seq, @id, @branch_id, @at, @actor_id, @actor_name, @session_id, @shift_id, @procedure,
       @entity, @entity_id, @action, @before_json, @after_json, @reason, @approval_id, @prev_hash, @hash)`,
    row,
  );
  return row;
}

export interface VerifyResult {
  ok: boolean;
  checked: number;
  headSeq: number | null;
  headHash: string | null;
  firstBadSeq: number | null;
  problem: string | null;
}

/**
 * Walks the whole chain in sequence order, in pages so memory stays flat on large journals.
 * Reports the first link whose hash does not recompute, whose prev_hash does not match the
 * previous link, or whose sequence number skips.
 */
export function verifyChain(db: SqliteDb): VerifyResult {
  let prevHash = GENESIS_HASH;
  let expectedSeq = 1;
  let checked = 0;
  let lastSeq = 0;
  const pageSize = 5000;
  for (;;) {
    const rows = sqlAll<AuditEventsTable>(
      db,
      'SELECT * FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?',
      lastSeq,
      pageSize,
    );
    if (rows.length === 0) break;
    for (const row of rows) {
      const bad = (problem: string): VerifyResult => ({
        ok: false,
        checked,
        headSeq: null,
        headHash: null,
        firstBadSeq: row.seq,
        problem,
      });
      if (row.seq !== expectedSeq) return { ...bad(`sequence jumps from ${expectedSeq - 1} to ${row.seq}: events are missing`), firstBadSeq: expectedSeq };
      if (row.prev_hash !== prevHash) return bad(`event ${row.seq} does not link to event ${row.seq - 1}`);
      const { hash, ...body } = row;
      if (eventDigest(body) !== hash) return bad(`event ${row.seq} was altered after it was written`);
      prevHash = hash;
      expectedSeq += 1;
      checked += 1;
    }
    lastSeq = rows[rows.length - 1]!.seq;
  }
  return {
    ok: true,
    checked,
    headSeq: checked === 0 ? null : expectedSeq - 1,
    headHash: checked === 0 ? null : prevHash,
    firstBadSeq: null,
    problem: null,
  };
}
