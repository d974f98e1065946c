import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventDigest } from '../../src-main/core/audit/journal';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import type { AuditEventsTable } from '../../src-main/core/db/schema';
import type { SyncException, SyncStatus } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { connect, makeEvents, openBranch, syncOnce } from './support/branch';
import { startTestHq, type Backend, type TestHq } from './support/hq';
import { startPostgres, type PgCluster } from './support/postgres';

/**
 * Tamper evidence: a branch journal edited, rewritten or shortened after HQ received it is found
 * at the next upload, and the branch is told (in the answer, in its exceptions list, on its status).
 */
let pg: PgCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

/** What someone with the database file and a SQLite shell could do; the app's triggers only stop accidents. */
function unlock(t: TestApp): void {
  sqlRun(t.kernel.db, 'DROP TRIGGER IF EXISTS audit_events_no_update');
  sqlRun(t.kernel.db, 'DROP TRIGGER IF EXISTS audit_events_no_delete');
}

/** Edits one event and recomputes every later hash, so the journal verifies on its own again. */
function rewriteFrom(t: TestApp, seq: number): void {
  unlock(t);
  sqlRun(t.kernel.db, `UPDATE audit_events SET reason = 'rewritten' WHERE seq = ?`, seq);
  let prev = sqlGet<{ hash: string }>(t.kernel.db, 'SELECT hash FROM audit_events WHERE seq = ?', seq - 1)!.hash;
  for (const row of sqlAll<AuditEventsTable>(t.kernel.db, 'SELECT * FROM audit_events WHERE seq >= ? ORDER BY seq', seq)) {
    const { hash: _old, ...body } = { ...row, prev_hash: prev };
    const hash = eventDigest(body);
    sqlRun(t.kernel.db, 'UPDATE audit_events SET prev_hash = ?, hash = ? WHERE seq = ?', prev, hash, row.seq);
    prev = hash;
  }
}

describe.each<Backend>(['sqlite', 'postgres'])('tamper evidence with HQ on %s', (backend) => {
  let hq: TestHq;
  const branches: TestApp[] = [];
  beforeAll(async () => {
    hq = await startTestHq(backend, pg);
  });
  afterAll(async () => {
    for (const t of branches) await t.close();
    await hq?.close();
  });

  async function syncedBranch(): Promise<TestApp> {
    const t = openBranch();
    branches.push(t);
    connect(t, hq.url, await hq.register(t));
    makeEvents(t, 20);
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    return t;
  }

  const hqExceptions = (t: TestApp) => hq.admin<{ kind: string; seq: number; message: string }[]>('GET', `/admin/exceptions?branchId=${t.kernel.branch().id}`);
  const branchExceptions = (t: TestApp) => t.ok<{ rows: SyncException[] }>('auditor', 'sync.exceptions', {}).rows;
  const status = (t: TestApp) => t.ok<SyncStatus>('auditor', 'sync.status', {});

  it('finds an old event edited in place after it was synced', async () => {
    const t = await syncedBranch();
    unlock(t);
    sqlRun(t.kernel.db, `UPDATE audit_events SET after_json = '{"value":999}' WHERE seq = 5`);
    makeEvents(t, 3);

    const result = await syncOnce(t);
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'journal.edited', seq: 5 })]);
    expect(await hqExceptions(t)).toEqual([expect.objectContaining({ kind: 'journal.edited', seq: 5 })]);
    expect(branchExceptions(t)).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'journal.edited', seq: 5 })]));
    // The links still hold, so the new events are taken: the evidence is recorded, not the branch stopped.
    expect(result.outcome).toBe('succeeded');
    expect(status(t).pendingEvents).toBe(0);
  });

  it('finds a journal rewritten after it was synced, even though it verifies on its own', async () => {
    const t = await syncedBranch();
    const anchored = status(t).anchor.seq;
    rewriteFrom(t, 10);
    expect(t.ok<{ ok: boolean }>('auditor', 'audit.verify', {}).ok).toBe(true);
    makeEvents(t, 2);

    const result = await syncOnce(t);
    expect(result.outcome).toBe('blocked');
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'journal.rewritten', seq: anchored })]);
    expect(result.message).toMatch(/not the one HQ anchored/);
    expect(await hqExceptions(t)).toEqual([expect.objectContaining({ kind: 'journal.rewritten' })]);
    expect(branchExceptions(t)).toEqual([expect.objectContaining({ kind: 'journal.rewritten', source: 'hq' })]);
    expect(status(t).state).toBe('blocked');
    // HQ kept what it had: nothing of the rewritten journal replaced it.
    expect((await hq.events(t.kernel.branch().id)).length).toBe(anchored);
  });

  it('finds a journal shortened after it was synced', async () => {
    const t = await syncedBranch();
    const anchored = status(t).anchor.seq;
    unlock(t);
    sqlRun(t.kernel.db, 'DELETE FROM audit_events WHERE seq > ?', anchored - 4);

    const result = await syncOnce(t);
    expect(result.outcome).toBe('blocked');
    expect(result.findings).toEqual([expect.objectContaining({ kind: 'journal.truncated', seq: anchored - 3 })]);
    expect(result.findings[0]!.message).toMatch(new RegExp(`holds events 1–${anchored}.*ends at ${anchored - 4}`));
    expect(branchExceptions(t)).toEqual([expect.objectContaining({ kind: 'journal.truncated' })]);
    expect(await hqExceptions(t)).toEqual([expect.objectContaining({ kind: 'journal.truncated' })]);
  });

  it('finds a journal shortened and then written past its old end', async () => {
    const t = await syncedBranch();
    const anchored = status(t).anchor.seq;
    unlock(t);
    sqlRun(t.kernel.db, 'DELETE FROM audit_events WHERE seq > ?', anchored - 4);
    makeEvents(t, 8);
    expect(t.ok<{ ok: boolean }>('auditor', 'audit.verify', {}).ok).toBe(true);

    const result = await syncOnce(t);
    expect(result.outcome).toBe('blocked');
    expect(result.findings.map((f) => f.kind)).toEqual(['journal.rewritten']);
    expect((await hq.events(t.kernel.branch().id)).length).toBe(anchored);
  });
});
