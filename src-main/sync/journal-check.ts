import type { LocalCheck } from '../../src-shared/contracts/sync';
import { GENESIS_HASH, eventDigest } from '../core/audit/journal';
import { sqlAll, type SqliteDb } from '../core/db/store';
import type { AuditEventsTable } from '../core/db/schema';

/**
 * The branch's own check of the part of its chain HQ already holds: HQ recomputes every event it
 * is sent, but never sees an old event again, so one edited in place (its stored hash left alone)
 * is found here. The same walk as `audit.verify`, in pages with a turn of the event loop between
 * them, so a large journal never freezes the window while sync runs in the background.
 */
const PAGE = 2000;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

export async function checkJournal(db: SqliteDb, throughSeq: number): Promise<LocalCheck> {
  let prevHash = GENESIS_HASH;
  let expected = 1;
  for (;;) {
    const rows = sqlAll<AuditEventsTable>(db, 'SELECT * FROM audit_events WHERE seq >= ? AND seq <= ? ORDER BY seq LIMIT ?', expected, throughSeq, PAGE);
    if (rows.length === 0) break;
    for (const row of rows) {
      const bad = (problem: string, seq = row.seq): LocalCheck => ({ ok: false, checked: expected - 1, firstBadSeq: seq, problem });
      if (row.seq !== expected) return bad(`events ${expected}–${row.seq - 1} are missing`, expected);
      if (row.prev_hash !== prevHash) return bad(`event ${row.seq} does not link to event ${row.seq - 1}`);
      const { hash, ...body } = row;
      if (eventDigest(body) !== hash) return bad(`event ${row.seq} was altered after it was written`);
      prevHash = hash;
      expected += 1;
    }
    await nextTurn();
  }
  // Events HQ holds but the journal no longer has are HQ's finding (a shortened journal), not ours.
  return { ok: true, checked: expected - 1, firstBadSeq: null, problem: null };
}
