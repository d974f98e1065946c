import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlGet, sqlRun } from '../../src-main/core/db/store';
import { recordSyncException } from '../../src-main/sync/exceptions';
import { startSyncScheduler } from '../../src-main/sync/scheduler';
import type { SyncRunResult } from '../../src-main/sync/engine';
import type { SyncException, SyncStatus } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { makeEvents, openBranch, syncOnce } from './support/branch';
import { startTestHq, type TestHq } from './support/hq';
import { expectHqMirrorsBranch } from './support/mirror';

/** The branch procedures behind the Sync status screen, through the pipeline as users call them. */
let t: TestApp;
let hq: TestHq;
let hqClockSkewMs = 0;
let token: string;
beforeAll(async () => {
  t = openBranch();
  t.login('cashier');
  hq = await startTestHq('sqlite', null, { clock: () => new Date(Date.now() + hqClockSkewMs) });
  token = await hq.register(t);
});
afterAll(async () => {
  await hq?.close();
  await t?.close();
});

const status = (as = 'supervisor') => t.ok<SyncStatus>(as, 'sync.status', {});

describe('connecting to HQ', () => {
  it('is the administrator’s: supervisors and auditors see the status, cashiers see nothing', () => {
    expect(status('auditor').state).toBe('notConfigured');
    expect(status('auditor').branchId).toBe(t.kernel.branch().id);
    expect(t.call('cashier', 'sync.status', {}).ok).toBe(false);
    const bySupervisor = t.call('supervisor', 'sync.configure', { hqUrl: hq.url, token, enabled: true, version: 0 });
    expect(bySupervisor.ok ? null : bySupervisor.error.code).toBe('FORBIDDEN');
  });

  it('needs the address and the token before sync can be turned on', () => {
    const incomplete = t.call('admin', 'sync.configure', { hqUrl: hq.url, enabled: true, version: 0 });
    expect(incomplete.ok ? null : incomplete.error).toMatchObject({ code: 'RULE_VIOLATION', details: { rule: 'sync.incomplete' } });
    const badUrl = t.call('admin', 'sync.configure', { hqUrl: 'ftp://hq', token, enabled: true, version: 0 });
    expect(badUrl.ok ? null : badUrl.error.code).toBe('VALIDATION');
    const now = t.call('supervisor', 'sync.now', {});
    expect(now.ok ? null : now.error).toMatchObject({ code: 'RULE_VIOLATION', details: { rule: 'sync.notConnected' } });
  });

  it('keeps the token out of every answer and out of the journal', () => {
    const after = t.ok<SyncStatus>('admin', 'sync.configure', { hqUrl: hq.url, token, enabled: false, version: 0 });
    expect([after.state, after.hasToken, after.hqUrl]).toEqual(['disabled', true, hq.url]);
    expect(JSON.stringify(after)).not.toContain(token);
    const leaked = sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM audit_events WHERE after_json LIKE ? OR before_json LIKE ?', `%${token}%`, `%${token}%`)!.n;
    expect(leaked).toBe(0);
    const trail = t.ok<{ action: string; after: { tokenChanged: boolean; enabled: boolean } }[]>('admin', 'audit.trail', { entity: 'syncConfig', entityId: t.kernel.branch().id });
    expect(trail.at(-1)).toMatchObject({ action: 'configured', after: { tokenChanged: true, enabled: false } });

    const stale = t.call('admin', 'sync.configure', { hqUrl: hq.url, enabled: true, version: 0 });
    expect(stale.ok ? null : stale.error.code).toBe('CONFLICT');
    const disabled = t.call('supervisor', 'sync.now', {});
    expect(disabled.ok ? null : disabled.error).toMatchObject({ details: { rule: 'sync.disabled' } });
  });
});

describe('syncing', () => {
  it('"Sync now" runs as a background job the supervisor can follow', async () => {
    t.ok('admin', 'sync.configure', { hqUrl: hq.url, enabled: true, version: status().configVersion });
    makeEvents(t, 5);
    const { jobId } = t.ok<{ jobId: string }>('supervisor', 'sync.now', {});
    const job = await t.kernel.jobs.settled(jobId);
    expect([job.state, job.error]).toEqual(['succeeded', null]);
    expect(job.message).toMatch(/Up to date/);
    const s = status();
    expect(s.lastSuccessAt).not.toBeNull();
    // The job starts after the request commits, so the request itself went up too.
    expect(s.pendingEvents).toBe(0);
    await expectHqMirrorsBranch(hq, t);
  });

  it('warns when this computer’s clock and HQ’s disagree, and syncs all the same', async () => {
    hqClockSkewMs = 10 * 60_000;
    try {
      makeEvents(t, 2);
      expect((await syncOnce(t)).outcome).toBe('succeeded');
      const s = status();
      expect(s.clockOffsetMs).toBeGreaterThan(9 * 60_000);
      expect(s.driftWarning).toMatch(/clock is (9|10) min \d+ s behind HQ/);
      expect(s.pendingEvents).toBe(0);
    } finally {
      hqClockSkewMs = 0;
    }
    await syncOnce(t);
    expect(status().driftWarning).toBeNull();
  });

  it('"Sync now" while another sync is going waits for it, then syncs itself; a scheduled run leaves it be', async () => {
    makeEvents(t, 2);
    // Another process (the scheduler in the window's main process) holds the run.
    sqlRun(t.kernel.db, `UPDATE sync_state SET run_owner = 'elsewhere', run_lease_until = ? WHERE id = 1`, new Date(Date.now() + 60_000).toISOString());
    expect(await syncOnce(t, { trigger: 'schedule' })).toMatchObject({ outcome: 'skipped', message: 'A sync is already running' });
    expect(status().pendingEvents).toBeGreaterThan(0);

    const messages: string[] = [];
    const manual = syncOnce(t, { onProgress: (_f, m) => messages.push(m) });
    await new Promise((r) => setTimeout(r, 600));
    expect(messages).toEqual(['Waiting for the sync already running to finish']);
    sqlRun(t.kernel.db, 'UPDATE sync_state SET run_owner = NULL, run_lease_until = NULL WHERE id = 1');
    const result = await manual;
    expect([result.outcome, result.message]).toEqual(['succeeded', expect.stringMatching(/^Up to date/)]);
    expect(status().pendingEvents).toBe(0);

    // One that is never let go is given up on, and says so instead of claiming success.
    sqlRun(t.kernel.db, `UPDATE sync_state SET run_owner = 'elsewhere', run_lease_until = ? WHERE id = 1`, new Date(Date.now() + 60_000).toISOString());
    try {
      expect(await syncOnce(t, { waitForRunningMs: 300 })).toMatchObject({ outcome: 'failed', message: expect.stringMatching(/still running/) });
    } finally {
      sqlRun(t.kernel.db, 'UPDATE sync_state SET run_owner = NULL, run_lease_until = NULL WHERE id = 1');
    }
  });

  it('"Sync now" that stops at an exception ends as a failed job that says why, not as a success', async () => {
    recordSyncException(t.kernel.db, {
      branchId: t.kernel.branch().id,
      source: 'branch',
      kind: 'masterData.unapplied',
      dedupeKey: 'master:999',
      seq: null,
      eventId: null,
      message: 'Master data version 999 (tariff X) could not be applied: test',
      at: new Date().toISOString(),
    });
    try {
      const { jobId } = t.ok<{ jobId: string }>('supervisor', 'sync.now', {});
      const job = await t.kernel.jobs.settled(jobId);
      expect([job.state, job.error]).toEqual(['failed', expect.stringMatching(/^Stopped: Master data version 999 .* could not be applied/)]);
      expect(status().state).toBe('blocked');
    } finally {
      sqlRun(t.kernel.db, `UPDATE sync_exceptions SET status = 'resolved' WHERE dedupe_key = 'master:999'`);
    }
  });

  it('wakes the scheduler when the connection changes, instead of waiting for the interval', async () => {
    t.ok('admin', 'sync.configure', { hqUrl: hq.url, enabled: false, version: status().configVersion });
    makeEvents(t, 3);
    const runs: SyncRunResult[] = [];
    const scheduler = startSyncScheduler(t.kernel, { onRun: (r) => runs.push(r) });
    try {
      await new Promise((r) => setTimeout(r, 300));
      expect(runs).toEqual([]);
      t.ok('admin', 'sync.configure', { hqUrl: hq.url, enabled: true, version: status().configVersion });
      for (let i = 0; i < 100 && runs.length === 0; i += 1) await new Promise((r) => setTimeout(r, 100));
      expect(runs.map((r) => r.outcome)).toEqual(['succeeded']);
      expect(Date.parse(status().nextAttemptAt!) - Date.now()).toBeGreaterThan(4 * 60_000);
    } finally {
      await scheduler.stop();
    }
  });
});

describe('sync exceptions', () => {
  it('are resolved by an administrator with a note, journaled, and reopen if the problem comes back', () => {
    const record = () =>
      recordSyncException(t.kernel.db, {
        branchId: t.kernel.branch().id,
        source: 'hq',
        kind: 'event.rejected',
        dedupeKey: '7:01TESTEVENT',
        seq: 7,
        eventId: '01TESTEVENT',
        message: 'HQ refused event 7: test',
        at: new Date().toISOString(),
      });
    record();
    const open = t.ok<{ rows: SyncException[]; total: number }>('auditor', 'sync.exceptions', {});
    const ex = open.rows.find((e) => e.eventId === '01TESTEVENT')!;
    expect(ex).toMatchObject({ status: 'open', occurrences: 1, kindLabel: 'HQ refused an event' });

    const bySupervisor = t.call('supervisor', 'sync.resolveException', { id: ex.id, version: ex.version, note: 'Looked at it' });
    expect(bySupervisor.ok ? null : bySupervisor.error.code).toBe('FORBIDDEN');
    const notMaster = t.call('admin', 'sync.resolveException', { id: ex.id, version: ex.version, note: 'Skip it', skipChange: true });
    expect(notMaster.ok ? null : notMaster.error.code).toBe('VALIDATION');

    const resolved = t.ok<SyncException>('admin', 'sync.resolveException', { id: ex.id, version: ex.version, note: 'HQ fixed its side' });
    expect(resolved).toMatchObject({ status: 'resolved', resolvedBy: 'Ada Admin', resolutionNote: 'HQ fixed its side' });
    expect(t.ok<{ rows: SyncException[] }>('auditor', 'sync.exceptions', {}).rows.some((e) => e.id === ex.id)).toBe(false);
    const again = t.call('admin', 'sync.resolveException', { id: ex.id, version: resolved.version, note: 'Twice' });
    expect(again.ok ? null : again.error.code).toBe('RULE_VIOLATION');
    const trail = t.ok<{ action: string; reason: string }[]>('auditor', 'audit.trail', { entity: 'syncException', entityId: ex.id });
    expect(trail).toEqual([expect.objectContaining({ action: 'resolved', reason: 'HQ fixed its side' })]);

    record();
    const reopened = t.ok<{ rows: SyncException[] }>('auditor', 'sync.exceptions', { status: 'all' }).rows.find((e) => e.id === ex.id)!;
    expect([reopened.status, reopened.occurrences]).toEqual(['open', 2]);
  });
});
