import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import { hqClient, SyncFailure } from '../../src-main/sync/client';
import type { JournalRow, UploadRequest } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { connect, makeEvents, openBranch, syncOnce } from './support/branch';
import { startTestHq, type Backend, type TestHq } from './support/hq';
import { expectHqMirrorsBranch } from './support/mirror';
import { startPostgres, type PgCluster } from './support/postgres';

/** The upload endpoint's contract, against HQ on SQLite and on a real PostgreSQL. */
let pg: PgCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const journal = (t: TestApp, from: number, to: number) =>
  sqlAll<JournalRow>(t.kernel.db, 'SELECT * FROM audit_events WHERE seq BETWEEN ? AND ? ORDER BY seq', from, to);

function request(t: TestApp, anchorSeq: number, events: JournalRow[]): UploadRequest {
  const head = sqlGet<{ seq: number; hash: string }>(t.kernel.db, 'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1')!;
  return {
    branchId: t.kernel.branch().id,
    sentAt: new Date().toISOString(),
    head,
    continuesFrom: anchorSeq,
    anchorProof: anchorSeq === 0 ? null : journal(t, anchorSeq, anchorSeq)[0]!,
    localCheck: { ok: true, checked: head.seq, firstBadSeq: null, problem: null },
    events,
  };
}

describe.each<Backend>(['sqlite', 'postgres'])('upload to HQ on %s', (backend) => {
  let t: TestApp;
  let hq: TestHq;
  let token: string;
  let now = Date.now();
  beforeAll(async () => {
    t = openBranch();
    hq = await startTestHq(backend, pg, { clock: () => new Date(now) });
    token = await hq.register(t);
  });
  afterAll(async () => {
    await hq?.close();
    await t?.close();
  });

  it('takes the whole journal in order, each event once, and can recompute its chain alone', async () => {
    connect(t, hq.url, token);
    makeEvents(t, 40);
    const result = await syncOnce(t, { batchSize: 7 });
    expect(result.outcome).toBe('succeeded');
    await expectHqMirrorsBranch(hq, t);
    const status = t.ok<{ state: string; pendingEvents: number; anchor: { seq: number; hash: string }; localHead: { seq: number; hash: string } }>('supervisor', 'sync.status', {});
    expect(status.state).toBe('idle');
    expect(status.pendingEvents).toBe(0);
    expect(status.anchor.seq).toBe(status.localHead.seq);
    expect(status.anchor.hash).toBe(status.localHead.hash);
    // A second run has nothing to send and changes nothing.
    const again = await syncOnce(t);
    expect([again.outcome, again.uploaded]).toEqual(['succeeded', 0]);
    await expectHqMirrorsBranch(hq, t);
  });

  it('applies a batch sent twice at the same moment once, and answers the copy as duplicates', async () => {
    const client = hqClient({ hqUrl: hq.url, token, timeoutMs: 10_000 });
    const anchor = (await client.hello()).anchor.seq;
    makeEvents(t, 12);
    const events = journal(t, anchor + 1, anchor + 12);
    const [a, b] = await Promise.all([client.upload(request(t, anchor, events)), client.upload(request(t, anchor, events))]);
    const outcomes = [...a.results, ...b.results].map((r) => r.outcome).sort();
    expect(outcomes.filter((o) => o === 'applied')).toHaveLength(12);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(12);
    expect(a.highestContiguousSeq).toBe(anchor + 12);
    expect(b.highestContiguousSeq).toBe(anchor + 12);
    // The copy that lost the race continued from an anchor HQ has since moved past: not tampering.
    expect([...a.findings, ...b.findings]).toEqual([]);
    expect(await hq.admin('GET', `/admin/exceptions?branchId=${t.kernel.branch().id}&status=all`)).toEqual([]);
    // Sent again much later: still duplicates, nothing stored twice.
    const late = await client.upload(request(t, anchor + 12, events));
    expect(late.results.every((r) => r.outcome === 'duplicate')).toBe(true);
    await expectHqMirrorsBranch(hq, t);
  });

  it('holds back a batch that arrives before the one it follows, then takes both in order', async () => {
    const client = hqClient({ hqUrl: hq.url, token, timeoutMs: 10_000 });
    const anchor = (await client.hello()).anchor.seq;
    makeEvents(t, 10);
    const first = journal(t, anchor + 1, anchor + 5);
    const second = journal(t, anchor + 6, anchor + 10);
    const early = await client.upload(request(t, anchor, second));
    expect(early.results.map((r) => r.outcome)).toEqual(Array(5).fill('conflict'));
    expect(early.results[0]!.reason).toContain(`send from ${anchor + 1}`);
    expect(early.highestContiguousSeq).toBe(anchor);
    expect((await client.upload(request(t, anchor, first))).results.map((r) => r.outcome)).toEqual(Array(5).fill('applied'));
    const late = await client.upload(request(t, anchor + 5, second));
    expect(late.results.map((r) => r.outcome)).toEqual(Array(5).fill('applied'));
    expect(late.highestContiguousSeq).toBe(anchor + 10);
    await expectHqMirrorsBranch(hq, t);
  });

  it('refuses a branch token that is wrong, rotated out, or used for another branch', async () => {
    const wrong = hqClient({ hqUrl: hq.url, token: 'hqb_not-a-token-at-all', timeoutMs: 10_000 });
    await expect(wrong.hello()).rejects.toThrow(/refused this branch's token/);

    const rotated = await hq.admin<{ token: string; previousValidUntil: string }>('POST', `/admin/branches/${t.kernel.branch().id}/rotate-token`, { graceHours: 1 });
    const old = hqClient({ hqUrl: hq.url, token, timeoutMs: 10_000 });
    expect((await old.hello()).branchId).toBe(t.kernel.branch().id);
    now += 2 * 3_600_000;
    await expect(old.hello()).rejects.toThrow(SyncFailure);
    token = rotated.token;
    expect((await hqClient({ hqUrl: hq.url, token, timeoutMs: 10_000 }).hello()).branchId).toBe(t.kernel.branch().id);

    const other = openBranch();
    try {
      const otherToken = await hq.register(other);
      const impostor = hqClient({ hqUrl: hq.url, token: otherToken, timeoutMs: 10_000 });
      await expect(impostor.upload(request(t, 0, journal(t, 1, 3)))).rejects.toThrow(/403.*belongs to branch/);
    } finally {
      await other.close();
    }
  });

  it('rejects an event altered before upload, lists it at both ends, and takes nothing after it', async () => {
    connect(t, hq.url, token);
    await syncOnce(t);
    const client = hqClient({ hqUrl: hq.url, token, timeoutMs: 10_000 });
    const anchor = (await client.hello()).anchor.seq;
    makeEvents(t, 6);
    const altered = anchor + 3;
    sqlRun(t.kernel.db, 'DROP TRIGGER audit_events_no_update');
    sqlRun(t.kernel.db, `UPDATE audit_events SET reason = 'edited behind the app' WHERE seq = ?`, altered);

    const result = await syncOnce(t);
    expect(result.outcome).toBe('blocked');
    expect(result.confirmedSeq).toBe(altered - 1);
    const held = await hq.events(t.kernel.branch().id);
    expect(held.at(-1)!.seq).toBe(altered - 1);

    const atHq = await hq.admin<{ kind: string; seq: number; message: string }[]>('GET', `/admin/exceptions?branchId=${t.kernel.branch().id}`);
    expect(atHq.find((e) => e.kind === 'event.rejected')).toMatchObject({ seq: altered, message: expect.stringMatching(/does not recompute/) });
    const atBranch = t.ok<{ rows: { kind: string; seq: number; source: string }[] }>('auditor', 'sync.exceptions', {}).rows;
    expect(atBranch).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'event.rejected', seq: altered, source: 'hq' })]));
    expect(t.ok<{ state: string }>('supervisor', 'sync.status', {}).state).toBe('blocked');

    // Retrying does not multiply the problem: one exception, counted again.
    await syncOnce(t);
    const again = await hq.admin<{ kind: string; occurrences: number }[]>('GET', `/admin/exceptions?branchId=${t.kernel.branch().id}`);
    expect(again.filter((e) => e.kind === 'event.rejected')).toEqual([expect.objectContaining({ occurrences: 2 })]);
  });
});
