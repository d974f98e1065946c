import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { hashPassword } from '../../src-main/core/auth/passwords';
import { assertBranchOwned } from '../../src-main/sync/ownership';
import { sqlAll, sqlRun } from '../../src-main/core/db/store';
import type { SyncException, SyncStatus } from '../../src-shared/contracts/sync';
import type { TestApp } from '../support/app';
import { connect, openBranch, syncOnce } from './support/branch';
import { startTestHq, type Backend, type TestHq } from './support/hq';
import { startPostgres, type PgCluster } from './support/postgres';

/**
 * Master data owned by HQ: published as versioned changes, applied at the branch in one
 * transaction per batch, then read-only there. Thresholds (settings), roles and users are the
 * kernel's master data; modules register theirs the same way.
 */
let pg: PgCluster;
beforeAll(async () => {
  pg = await startPostgres();
});
afterAll(async () => {
  await pg?.stop();
});

type Setting = { key: string; value: unknown; version: number };
const setting = (t: TestApp, key: string) => t.ok<Setting[]>('admin', 'admin.settings.list', {}).find((s) => s.key === key)!;
const login = (t: TestApp, username: string, password: string) => dispatch(t.kernel, 'auth.login', { username, password });

describe.each<Backend>(['sqlite', 'postgres'])('master data from HQ on %s', (backend) => {
  let t: TestApp;
  let hq: TestHq;
  beforeAll(async () => {
    t = openBranch();
    hq = await startTestHq(backend, pg);
    connect(t, hq.url, await hq.register(t));
  });
  afterAll(async () => {
    await hq?.close();
    await t?.close();
  });

  it('applies a threshold HQ changed, and the branch works by it', async () => {
    await hq.publish({ changes: [{ entity: 'setting', entityId: 'auth.maxFailedLogins', data: { value: 3 } }] });
    const result = await syncOnce(t);
    expect([result.outcome, result.masterApplied]).toEqual(['succeeded', 1]);
    expect(setting(t, 'auth.maxFailedLogins').value).toBe(3);

    // Three failed sign-ins now lock the account (the default would allow five).
    for (let i = 0; i < 3; i += 1) expect(login(t, 'billing', 'wrong-password').ok).toBe(false);
    const locked = login(t, 'billing', 'demo1234');
    expect(locked.ok ? null : locked.error.message).toMatch(/locked until/);
  });

  it('refuses to edit what HQ owns, and lets the branch edit it again once HQ releases it', async () => {
    const s = setting(t, 'auth.maxFailedLogins');
    const refused = t.call('admin', 'admin.settings.update', { key: s.key, version: s.version, value: 7 });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/owned by HQ/) });
    expect(t.ok<{ entity: string; entityId: string }[]>('cashier', 'sync.ownership', { entity: 'setting' })).toEqual([
      expect.objectContaining({ entity: 'setting', entityId: 'auth.maxFailedLogins' }),
    ]);

    await hq.publish({ changes: [{ entity: 'setting', entityId: 'auth.maxFailedLogins', op: 'release' }] });
    await syncOnce(t);
    t.ok('admin', 'admin.settings.update', { key: s.key, version: setting(t, s.key).version, value: 7 });
    expect(setting(t, s.key).value).toBe(7);
  });

  it('changes a role’s permissions at the branch, and its users get them at once', async () => {
    expect(t.call('cashier', 'audit.list', {}).ok).toBe(false);
    const { roles } = t.ok<{ roles: { key: string; name: string; permissions: string[]; id: string; version: number }[] }>('admin', 'admin.roles.list', {});
    const cashier = roles.find((r) => r.key === 'cashier')!;
    await hq.publish({
      changes: [{ entity: 'role', entityId: 'cashier', data: { name: 'Cashier', description: 'Counter work (HQ)', permissions: [...cashier.permissions, 'audit:view', 'future.function:view'] } }],
    });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(t.call('cashier', 'audit.list', {}).ok).toBe(true);

    const latest = t.ok<{ roles: { key: string; id: string; version: number; permissions: string[] }[] }>('admin', 'admin.roles.list', {}).roles.find((r) => r.key === 'cashier')!;
    // Permissions of functions this version does not have are left out, not refused.
    expect(latest.permissions).not.toContain('future.function:view');
    const refused = t.call('admin', 'admin.roles.updatePermissions', { id: latest.id, version: latest.version, permissions: [] });
    expect(refused.ok ? null : refused.error.code).toBe('FORBIDDEN');
  });

  it('creates an HQ user who signs in with HQ’s password, is locked by sign-in failures, and cannot be edited here', async () => {
    const hqUserId = '01HQUSER000000000000000001';
    await hq.publish({
      changes: [{ entity: 'user', entityId: hqUserId, data: { username: 'zola', displayName: 'Zola (HQ)', roleKey: 'cashier', passwordHash: hashPassword('hq-password-2026') } }],
    });
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    expect(login(t, 'zola', 'demo1234').ok).toBe(false);
    const signedIn = login(t, 'zola', 'hq-password-2026');
    expect(signedIn.ok).toBe(true);

    const zola = t.ok<{ id: string; version: number; username: string }[]>('admin', 'admin.users.list', {}).find((u) => u.username === 'zola')!;
    expect(zola.id).toBe(hqUserId);
    const rename = t.call('admin', 'admin.users.update', { id: zola.id, version: zola.version, displayName: 'Someone else' });
    expect(rename.ok ? null : rename.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringMatching(/user is owned by HQ/) });
    const reset = t.call('admin', 'admin.users.resetPassword', { id: zola.id, password: 'branch-password-1' });
    expect(reset.ok ? null : reset.error.code).toBe('FORBIDDEN');

    // Day-to-day operation on an HQ user goes on: failures count, and the lock applies.
    const threshold = setting(t, 'auth.maxFailedLogins').value as number;
    for (let i = 0; i < threshold; i += 1) expect(login(t, 'zola', 'wrong').ok).toBe(false);
    const locked = login(t, 'zola', 'hq-password-2026');
    expect(locked.ok ? null : locked.error.message).toMatch(/locked until/);

    await hq.publish({ changes: [{ entity: 'user', entityId: hqUserId, op: 'delete' }] });
    await syncOnce(t);
    const gone = t.ok<{ username: string; active: boolean }[]>('admin', 'admin.users.list', {}).find((u) => u.username === 'zola')!;
    expect(gone.active).toBe(false);
  });

  it('holds back a change this version cannot apply, with everything after it, until someone decides', async () => {
    const before = t.ok<SyncStatus>('admin', 'sync.status', {}).masterCursor;
    const [unknown, next] = await hq.publish({
      changes: [
        { entity: 'tariffFromTheFuture', entityId: 'T1', data: { rate: 1 } },
        { entity: 'setting', entityId: 'sync.intervalMinutes', data: { value: 15 } },
      ],
    });
    const held = await syncOnce(t);
    expect(held.outcome).toBe('blocked');
    expect(held.message).toMatch(new RegExp(`change ${unknown} from HQ could not be applied`));
    const status = t.ok<SyncStatus>('admin', 'sync.status', {});
    expect([status.state, status.masterCursor]).toEqual(['blocked', before]);
    expect(status.intervalMinutes).toBe(5);
    const exception = t.ok<{ rows: SyncException[] }>('admin', 'sync.exceptions', {}).rows.find((e) => e.kind === 'masterData.unapplied')!;
    expect(exception.message).toMatch(/tariffFromTheFuture.*does not know: update the app/);

    // Trying again does not get past it by itself.
    expect((await syncOnce(t)).outcome).toBe('blocked');

    const skipped = t.ok<SyncException>('admin', 'sync.resolveException', { id: exception.id, version: t.ok<{ rows: SyncException[] }>('admin', 'sync.exceptions', {}).rows.find((e) => e.id === exception.id)!.version, note: 'Not used at this branch', skipChange: true });
    expect(skipped.status).toBe('resolved');
    expect((await syncOnce(t)).outcome).toBe('succeeded');
    const after = t.ok<SyncStatus>('admin', 'sync.status', {});
    expect([after.masterCursor, after.intervalMinutes]).toEqual([next, 15]);
  });

  it('sends what it applied back to HQ in the journal, so HQ sees each branch take each change', async () => {
    const events = await hq.events(t.kernel.branch().id);
    const applied = events.filter((e) => e.procedure === 'sync.applyMasterData').map((e) => `${e.entity} ${e.action}`);
    expect(applied).toEqual(expect.arrayContaining(['setting set by HQ', 'role updated by HQ', 'user created by HQ', 'user deactivated by HQ', 'masterData held back']));
    const branchEvents = sqlAll<{ seq: number }>(t.kernel.db, 'SELECT seq FROM audit_events');
    expect(events.length).toBe(branchEvents.length);
  });
});

describe('who may apply master data', () => {
  it('is the sync engine alone: a caller that reached the pipeline without its seal is refused', async () => {
    const t = openBranch();
    try {
      const forged = { seal: 'guess', after: 0, changes: [{ version: 1, entity: 'role', entityId: 'cashier', op: 'upsert', data: { name: 'Cashier', permissions: ['admin.users:admin'] } }] };
      const answer = t.call(null, 'sync.applyMasterData', forged);
      expect(answer.ok ? null : answer.error.code).toBe('FORBIDDEN');
      const cashier = t.ok<{ roles: { key: string; permissions: string[] }[] }>('admin', 'admin.roles.list', {}).roles.find((r) => r.key === 'cashier')!;
      expect(cashier.permissions).not.toContain('admin.users:admin');
    } finally {
      await t.close();
    }
  });
});

describe('ownership of a whole type', () => {
  it('refuses records of the type the branch never had, once HQ owns the type', async () => {
    const t = openBranch();
    try {
      const ctx = { db: t.kernel.db, procedure: 'energy.tariffs.create' };
      expect(() => assertBranchOwned(ctx, 'tariff', 'new-one')).not.toThrow();
      sqlRun(t.kernel.db, `INSERT INTO hq_owned (entity, entity_id, branch_id, hq_id, master_version, since) VALUES ('tariff', '*', ?, '*', 1, ?)`, t.kernel.branch().id, new Date().toISOString());
      expect(() => assertBranchOwned(ctx, 'tariff', 'new-one')).toThrow(/owned by HQ/);
      expect(() => assertBranchOwned({ ...ctx, procedure: 'sync.applyMasterData' }, 'tariff', 'new-one')).not.toThrow();
    } finally {
      await t.close();
    }
  });
});
