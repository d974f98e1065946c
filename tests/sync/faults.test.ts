import { spawn } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlGet } from '../../src-main/core/db/store';
import { FIRST_RETRY_MS } from '../../src-main/sync/backoff';
import { startSyncScheduler } from '../../src-main/sync/scheduler';
import type { SyncRunResult } from '../../src-main/sync/engine';
import type { SyncStatus } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { connect, makeEvents, openBranch, syncOnce } from './support/branch';
import { startTestHq, type Backend, type TestHq } from './support/hq';
import { expectHqMirrorsBranch } from './support/mirror';
import { startFaultyProxy, type FaultyProxy } from './support/proxy';
import { startPostgres, type PgCluster } from './support/postgres';

/**
 * Fault injection: whatever goes wrong between branch and HQ, once it stops going wrong HQ holds
 * every event exactly once and the branch's cursor says exactly what HQ holds.
 */
let pg: PgCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

const status = (t: TestApp) => t.ok<SyncStatus>('supervisor', 'sync.status', {});

async function expectRecovered(t: TestApp, hq: TestHq): Promise<void> {
  const s = status(t);
  expect([s.state, s.pendingEvents, s.consecutiveFailures]).toEqual(['idle', 0, 0]);
  expect(s.anchor.seq).toBe(s.localHead.seq);
  await expectHqMirrorsBranch(hq, t);
}

describe.each<Backend>(['sqlite', 'postgres'])('faults between branch and HQ on %s', (backend) => {
  let t: TestApp;
  let hq: TestHq;
  let proxy: FaultyProxy;
  beforeAll(async () => {
    t = openBranch();
    hq = await startTestHq(backend, pg);
    proxy = await startFaultyProxy(hq.url);
    connect(t, proxy.url, await hq.register(t));
  });
  afterAll(async () => {
    await proxy?.close();
    await hq?.close();
    await t?.close();
  });

  it('keeps events while HQ is down, backs off with jitter, and delivers them when HQ is back', async () => {
    makeEvents(t, 8);
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    await hq.stop();
    makeEvents(t, 8);

    const before = Date.now();
    const first = await syncOnce(t, { random: () => 0 });
    expect(first.outcome).toBe('failed');
    expect(first.message).toMatch(/HQ answered 502|cannot be reached/);
    let s = status(t);
    expect(s.state).toBe('retrying');
    expect(s.consecutiveFailures).toBe(1);
    expect(s.pendingEvents).toBe(8);
    const firstDelay = Date.parse(s.nextAttemptAt!) - before;
    expect(firstDelay).toBeGreaterThanOrEqual(FIRST_RETRY_MS / 2 - 100);
    expect(firstDelay).toBeLessThan(FIRST_RETRY_MS / 2 + 5_000);

    await syncOnce(t, { random: () => 1 });
    s = status(t);
    expect(s.consecutiveFailures).toBe(2);
    expect(Date.parse(s.nextAttemptAt!) - Date.now()).toBeGreaterThan(2 * FIRST_RETRY_MS - 5_000);

    await hq.start();
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    await expectRecovered(t, hq);
  });

  it('retries after HQ answers 500, without losing or doubling anything', async () => {
    makeEvents(t, 15);
    proxy.plan('/sync/upload', 'fail500');
    expect((await syncOnce(t, { batchSize: 4 })).message).toMatch(/HQ answered 500/);
    proxy.plan('/sync/upload', 'fail500');
    expect((await syncOnce(t, { batchSize: 4 })).outcome).toBe('failed');
    expect(status(t).consecutiveFailures).toBe(2);
    expect((await syncOnce(t, { batchSize: 4 })).outcome).toBe('succeeded');
    await expectRecovered(t, hq);
  });

  it('resumes from what HQ holds when HQ applied a batch but its answer never came', async () => {
    makeEvents(t, 12);
    const anchorBefore = status(t).anchor.seq;
    // In order, so the batch whose answer is lost reaches HQ after the first one has committed and
    // is applied: travelling beside it, it could be checked first and held back as out of order.
    proxy.forwardInOrder(true);
    try {
      proxy.plan('/sync/upload', 'pass', 'applyThenHang');
      // Long enough for the request to reach HQ through the proxy on a loaded machine (the proxy
      // shares this test's event loop): a branch that gives up before that tests nothing.
      const lost = await syncOnce(t, { batchSize: 5, timeoutMs: 4_000 });
      expect(lost.message).toMatch(/did not answer within/);
      // The branch's cursor lags behind HQ: it only moves on what HQ confirms. HQ holds all twelve:
      // the batch sent behind the lost one went on once the first answer came.
      expect(status(t).anchor.seq).toBe(anchorBefore + 5);
      expect((await hq.events(t.kernel.branch().id)).length).toBe(anchorBefore + 12);

      proxy.plan('/sync/upload', 'applyThenDrop');
      expect((await syncOnce(t, { batchSize: 5 })).outcome).toBe('failed');
      const recovered = await syncOnce(t, { batchSize: 5 });
      expect(recovered.outcome).toBe('succeeded');
      await expectRecovered(t, hq);
    } finally {
      proxy.forwardInOrder(false);
    }
  });

  it('takes every request twice (a retry racing the original) and still holds each event once', async () => {
    makeEvents(t, 9);
    proxy.plan('/sync/upload', 'duplicate', 'duplicate', 'duplicate', 'duplicate');
    const result = await syncOnce(t, { batchSize: 3 });
    expect(result.outcome).toBe('succeeded');
    await expectRecovered(t, hq);
  });

  it('recovers after the branch process is killed in the middle of an upload', async () => {
    makeEvents(t, 35);
    const anchorBefore = status(t).anchor.seq;
    // Two batches travel at once: the second and third reach HQ and are applied, their answers held.
    // In order: had the second overtaken the first, HQ would answer it with conflicts (seen on
    // PostgreSQL), and the branch would die holding no answer HQ had applied.
    proxy.forwardInOrder(true);
    proxy.plan('/sync/upload', 'pass', 'hold', 'hold');
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support', 'sync-child.ts'), t.dataDir], {
      cwd: path.resolve(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(signal ? null : code)));
    await Promise.race([proxy.held(2), exited.then(() => Promise.reject(new Error('the branch finished before it could be killed')))]);
    child.kill('SIGKILL');
    expect(await exited).toBeNull();
    proxy.release();
    proxy.forwardInOrder(false);
    expect((await hq.events(t.kernel.branch().id)).length).toBe(anchorBefore + 30);
    // The dead run's lease is still in the store; the restarted app clears it and syncs on its own.
    expect(sqlGet<{ owner: string | null }>(t.kernel.db, 'SELECT run_owner AS owner FROM sync_state')!.owner).not.toBeNull();

    const restarted = openBranch({ dataDir: t.dataDir });
    try {
      const ran = new Promise<SyncRunResult>((resolve) => {
        const scheduler = startSyncScheduler(restarted.kernel, { onRun: (r) => void scheduler.stop().then(() => resolve(r)) });
      });
      expect((await ran).outcome).toBe('succeeded');
      await expectRecovered(restarted, hq);
    } finally {
      await restarted.close();
    }
  });
});
