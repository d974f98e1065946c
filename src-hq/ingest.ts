import type { Transaction } from 'kysely';
import { AppError } from '../src-shared/errors';
import type {
  ChainHead,
  EventResult,
  JournalRow,
  TamperFinding,
  UploadRequest,
  UploadResponse,
} from '../src-shared/contracts/sync';
import { eventDigest } from '../src-main/core/audit/journal';
import type { HqDatabase, EventsTable } from './db/schema';
import type { Hq } from './hq';
import { recordException } from './exceptions';
import { consolidate } from './consolidate';
import { localDateIn } from './local-date';

/**
 * The upload endpoint's rules. A batch is judged event by event under a lock on the branch row, so
 * two copies of the same batch (a retry racing the original) are applied once and answered twice:
 *
 * - idempotent on (branch, event id): an event HQ already holds, unchanged, is a `duplicate`;
 * - contiguous: only `seq = last + 1` applies; a later one is a `conflict` (send the gap first);
 * - linked: its `prev_hash` must be the hash HQ anchored for `seq - 1`, and its own hash must
 *   recompute, or it is `rejected` — and after a rejection nothing further applies, because the
 *   chain cannot continue past an event HQ refused.
 *
 * Before the events, the branch's proof of HQ's anchor is checked: a journal rewritten or
 * shortened after HQ saw it is found here and reported back, whatever events the batch holds.
 */
const INSERT_CHUNK = 500;
const LOOKUP_CHUNK = 500;

const BLOCKING: ReadonlySet<TamperFinding['kind']> = new Set(['journal.rewritten', 'journal.truncated']);

function digestOf(row: JournalRow): string {
  const { hash: _hash, ...body } = row;
  return eventDigest(body);
}

/** Hashes computed before the branch lock is taken, so the next batch's hashing overlaps this one's writes. */
function digests(request: UploadRequest): (row: JournalRow) => string {
  const known = new Map<JournalRow, string>();
  for (const row of request.events) known.set(row, digestOf(row));
  if (request.anchorProof) known.set(request.anchorProof, digestOf(request.anchorProof));
  return (row) => known.get(row) ?? digestOf(row);
}

/**
 * What the branch's head and its copy of an event HQ holds say about its journal as a whole.
 * `heldHash` is HQ's hash of event `continuesFrom` — usually the anchor itself, but a retry racing
 * its original may continue from an event HQ has since moved past.
 */
export function checkJournal(request: UploadRequest, anchor: ChainHead, heldHash: string | null, digest: (row: JournalRow) => string = digestOf): TamperFinding[] {
  const findings: TamperFinding[] = [];
  const { localCheck, head, anchorProof, continuesFrom } = request;
  if (!localCheck.ok) {
    findings.push({
      kind: 'journal.edited',
      seq: localCheck.firstBadSeq,
      message: `The branch journal fails its own check at event ${localCheck.firstBadSeq ?? '?'}: ${localCheck.problem ?? 'altered'}`,
    });
  }
  if (anchor.seq === 0) return findings;
  if (head.seq < anchor.seq) {
    findings.push({
      kind: 'journal.truncated',
      seq: head.seq + 1,
      message: `HQ holds events 1–${anchor.seq} of this branch, but its journal now ends at ${head.seq}: events were removed after HQ received them`,
    });
  } else if (continuesFrom === 0 || continuesFrom > anchor.seq || heldHash === null) {
    // Nothing HQ holds to compare with (HQ has less than the branch thought): the events decide.
  } else if (!anchorProof || anchorProof.seq !== continuesFrom) {
    findings.push({
      kind: 'journal.truncated',
      seq: continuesFrom,
      message: `The branch could not produce event ${continuesFrom}, which HQ holds: it was removed after HQ received it`,
    });
  } else if (anchorProof.hash !== heldHash) {
    findings.push({
      kind: 'journal.rewritten',
      seq: continuesFrom,
      message: `Event ${continuesFrom} at the branch is not the one HQ anchored: the journal was rewritten after it was synced`,
    });
  } else if (digest(anchorProof) !== anchorProof.hash) {
    findings.push({
      kind: 'journal.edited',
      seq: continuesFrom,
      message: `Event ${continuesFrom} was edited at the branch after HQ anchored it: its hash no longer recomputes`,
    });
  }
  return findings;
}

interface Held {
  seq: number;
  id: string;
  hash: string;
}

async function heldEvents(trx: Transaction<HqDatabase>, branchId: string, events: JournalRow[], headSeq: number) {
  const byId = new Map<string, Held>();
  const bySeq = new Map<number, Held>();
  const ids = events.map((e) => e.id);
  const seqs = events.filter((e) => e.seq <= headSeq).map((e) => e.seq);
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom('events')
      .select(['seq', 'id', 'hash'])
      .where('branch_id', '=', branchId)
      .where('id', 'in', ids.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const r of rows) byId.set(r.id, r);
  }
  for (let i = 0; i < seqs.length; i += LOOKUP_CHUNK) {
    const rows = await trx
      .selectFrom('events')
      .select(['seq', 'id', 'hash'])
      .where('branch_id', '=', branchId)
      .where('seq', 'in', seqs.slice(i, i + LOOKUP_CHUNK))
      .execute();
    for (const r of rows) bySeq.set(r.seq, r);
  }
  return { byId, bySeq };
}

export async function ingestUpload(hq: Hq, branchId: string, request: UploadRequest): Promise<UploadResponse> {
  if (request.branchId !== branchId) {
    throw new AppError('FORBIDDEN', `This token belongs to branch ${branchId}, not ${request.branchId}`);
  }
  const digest = digests(request);
  const now = hq.clock();
  const nowIso = now.toISOString();
  return hq.db.transaction().execute(async (trx) => {
    let lock = trx.selectFrom('branches').selectAll().where('id', '=', branchId);
    // SQLite has one writer at a time already; PostgreSQL needs the row lock to serialise a branch.
    if (hq.dialect === 'postgres') lock = lock.forUpdate();
    const branch = await lock.executeTakeFirstOrThrow();
    const anchor: ChainHead = { seq: branch.head_seq, hash: branch.head_hash };
    const from = request.continuesFrom;
    const heldHash =
      from === anchor.seq
        ? anchor.hash
        : from > 0 && from < anchor.seq
          ? ((await trx.selectFrom('events').select('hash').where('branch_id', '=', branchId).where('seq', '=', from).executeTakeFirst())?.hash ?? null)
          : null;
    const findings = checkJournal(request, anchor, heldHash, digest);
    const blockedBy = findings.find((f) => BLOCKING.has(f.kind)) ?? null;

    const events = [...request.events].sort((a, b) => a.seq - b.seq);
    const { byId, bySeq } = await heldEvents(trx, branchId, events, anchor.seq);
    const results: EventResult[] = [];
    const applied: JournalRow[] = [];
    const rejected: { event: JournalRow; reason: string }[] = [];
    let head = anchor;
    let refusedSeq: number | null = null;

    for (const e of events) {
      const answer = (outcome: EventResult['outcome'], reason: string | null = null) => results.push({ seq: e.seq, id: e.id, outcome, reason });
      const reject = (reason: string, ownException = true) => {
        answer('rejected', reason);
        if (ownException) rejected.push({ event: e, reason });
        refusedSeq = e.seq;
      };
      const known = byId.get(e.id);
      if (known) {
        if (known.seq === e.seq && known.hash === e.hash) answer('duplicate');
        else reject(`HQ already holds event ${e.id} as event ${known.seq}, with other content: the journal was rewritten`);
        continue;
      }
      const atSeq = bySeq.get(e.seq);
      if (atSeq) {
        reject(`HQ already holds a different event as event ${e.seq}: the journal was rewritten after it was synced`);
        continue;
      }
      if (refusedSeq !== null) answer('conflict', `Waits for event ${refusedSeq}, which HQ refused`);
      else if (blockedBy) reject(blockedBy.message, false);
      else if (e.branch_id !== branchId) reject(`The event belongs to branch ${e.branch_id}, not to ${branchId}`);
      else if (e.seq !== head.seq + 1) answer('conflict', `HQ holds events up to ${head.seq}; send from ${head.seq + 1}`);
      else if (e.prev_hash !== head.hash) reject(`It does not link to event ${head.seq} as HQ anchored it`);
      else if (digest(e) !== e.hash) reject('Its hash does not recompute: it was altered after it was written');
      else {
        applied.push(e);
        byId.set(e.id, { seq: e.seq, id: e.id, hash: e.hash });
        head = { seq: e.seq, hash: e.hash };
        answer('applied');
      }
    }

    if (applied.length > 0) {
      const localDate = localDateIn(branch.time_zone);
      const rows: EventsTable[] = applied.map((e) => ({ ...e, local_date: localDate(e.at), received_at: nowIso }));
      for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
        await trx.insertInto('events').values(rows.slice(i, i + INSERT_CHUNK)).execute();
      }
      await consolidate(trx, { branchId, localDate }, applied);
    }
    const sentAt = Date.parse(request.sentAt);
    await trx
      .updateTable('branches')
      .set({
        head_seq: head.seq,
        head_hash: head.hash,
        ...(applied.length > 0 ? { head_at: nowIso } : {}),
        last_contact_at: nowIso,
        clock_offset_ms: Number.isFinite(sentAt) ? now.getTime() - sentAt : null,
      })
      .where('id', '=', branchId)
      .execute();

    for (const f of findings) {
      await recordException(trx, {
        branchId,
        kind: f.kind,
        dedupeKey: `${f.kind}:${f.seq ?? ''}`,
        seq: f.seq,
        eventId: null,
        message: f.message,
        details: { anchor, branchHead: request.head },
        at: nowIso,
      });
    }
    for (const { event, reason } of rejected) {
      await recordException(trx, {
        branchId,
        kind: 'event.rejected',
        dedupeKey: `${event.seq}:${event.id}`,
        seq: event.seq,
        eventId: event.id,
        message: reason,
        details: { procedure: event.procedure, entity: event.entity, entityId: event.entity_id, action: event.action },
        at: nowIso,
      });
    }

    return { results, highestContiguousSeq: head.seq, anchor: head, findings, serverTime: hq.clock().toISOString() };
  });
}
