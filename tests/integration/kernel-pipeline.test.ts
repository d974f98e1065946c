import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { allow, mutation } from '../../src-shared/rpc';
import { STORE_FILE, sqlGet } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';

let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const countEvents = (app: TestApp) => sqlGet<{ n: number }>(app.kernel.db, 'SELECT count(*) AS n FROM audit_events')!.n;

/** A gated test procedure: moves a counter by an amount; above 100 it needs a supervisor. */
const adjust = mutation({
  name: 'test.counter.adjust',
  description: 'test only',
  access: allow('energy.meterReadings', 'submit'),
  input: z.strictObject({ amount: z.number().int(), note: z.string().optional() }),
  output: z.object({ total: z.number() }),
});

function withGatedProcedure(app: TestApp) {
  let total = 0;
  app.kernel.registry.add(
    adjust,
    (ctx, input) => {
      total += input.amount;
      ctx.audit({ entity: 'counter', entityId: 'c1', action: 'adjusted', after: { total } });
      return { total };
    },
    { gate: (_ctx, input) => (input.amount > 100 ? { summary: `Adjust counter by ${input.amount}`, entity: 'counter', entityId: 'c1' } : null) },
  );
  return () => total;
}

describe('the pipeline', () => {
  it('answers UNAUTHENTICATED without a session and FORBIDDEN for a role without the permission', () => {
    t = openTestApp();
    expect(t.call(null, 'admin.users.list', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    const r = t.call('cashier', 'admin.users.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', details: { permission: 'admin.users:view' } } });
    expect(t.call('admin', 'admin.users.list', {}).ok).toBe(true);
  });

  it('names every invalid field, rejects unknown fields, and writes nothing', () => {
    t = openTestApp();
    t.login('admin');
    const before = countEvents(t);
    const r = t.call('admin', 'admin.users.create', { username: 'x', displayName: 'A', roleKey: 'cashier', password: 'short', extra: 1 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('VALIDATION');
    const paths = r.error.details!.issues!.map((i) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['username', 'displayName', 'password', '']));
    expect(r.error.details!.issues!.find((i) => i.path === '')!.message).toContain('extra');
    expect(countEvents(t)).toBe(before);
  });

  it('locks an account after repeated failures, keeps the failures although the call fails, and unlocks after the lockout', () => {
    let now = new Date('2026-03-01T08:00:00Z');
    t = openTestApp({ clock: () => now });
    for (let i = 0; i < 4; i += 1) {
      expect(t.call(null, 'auth.login', { username: 'cashier', password: 'wrong' })).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED', message: 'Wrong username or password' } });
    }
    const locked = t.call(null, 'auth.login', { username: 'cashier', password: 'wrong' });
    expect(locked).toMatchObject({ ok: false, error: { message: expect.stringContaining('locked until') } });
    // Even the right password is refused while locked.
    expect(t.call(null, 'auth.login', { username: 'cashier', password: 'demo1234' }).ok).toBe(false);
    now = new Date('2026-03-01T08:16:00Z');
    expect(t.call(null, 'auth.login', { username: 'cashier', password: 'demo1234' }).ok).toBe(true);
    const trail = t.ok<{ action: string }[]>('admin', 'audit.trail', { entity: 'user', entityId: t.ok<{ id: string; username: string }[]>('admin', 'admin.users.list', {}).find((u) => u.username === 'cashier')!.id });
    expect(trail.map((e) => e.action)).toEqual(expect.arrayContaining(['sign-in failed', 'locked']));
  });

  it('ends a session after its idle limit and refuses a deactivated user at once', () => {
    let now = new Date('2026-03-01T08:00:00Z');
    t = openTestApp({ clock: () => now });
    const token = t.login('reader');
    now = new Date('2026-03-01T11:00:00Z');
    expect(t.call('reader', 'auth.me', {}).ok).toBe(true);
    now = new Date('2026-03-01T15:30:00Z'); // 4.5 h idle > 240 min
    expect(t.call('reader', 'auth.me', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(token).toBeTruthy();

    // A limit the administrator changed is the one applied.
    t.ok('admin', 'admin.settings.update', { key: 'auth.idleMinutes', value: 600, version: 0 });
    t.login('dispatcher');
    now = new Date('2026-03-01T23:30:00Z'); // 8 h idle < 600 min
    expect(t.call('dispatcher', 'auth.me', {}).ok).toBe(true);

    const users = t.ok<{ id: string; username: string; version: number }[]>('admin', 'admin.users.list', {});
    const billing = users.find((u) => u.username === 'billing')!;
    expect(t.call('billing', 'auth.me', {}).ok).toBe(true);
    t.ok('admin', 'admin.users.update', { id: billing.id, version: billing.version, active: false });
    expect(t.call('billing', 'auth.me', {})).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
  });

  it('checks a save against the users and sessions in force when it commits, not when it started waiting', async () => {
    t = openTestApp({ timeZone: 'UTC' });
    const route = t.ok<{ id: string }>('admin', 'energy.routes.create', { code: 'W1', name: 'Waiting route' });
    const account = t.ok<{ id: string }>('admin', 'energy.accounts.create', { accountNo: 'W100', name: 'Waiting', address: '1 Lock Lane', routeId: route.id, sequence: 1 });
    const meter = t.ok<{ id: string }>('admin', 'energy.meters.create', { serial: 'WM100', dials: 6, accountId: account.id, installedOn: '2026-01-01', initialRead: 1000 });
    t.login('reader');
    // Another process (an administrator's window) holds the write lock while it deactivates the
    // reader, and commits a moment later; the reader's save waits for the lock meanwhile.
    const signal = new Int32Array(new SharedArrayBuffer(4));
    const admin = new Worker(
      `const Database = require('better-sqlite3');
       const { workerData } = require('node:worker_threads');
       const db = new Database(workerData.file);
       db.exec('BEGIN IMMEDIATE');
       db.prepare("UPDATE users SET active = 0 WHERE username = 'reader'").run();
       Atomics.store(workerData.signal, 0, 1);
       Atomics.notify(workerData.signal, 0);
       Atomics.wait(workerData.signal, 0, 1, 300);
       db.exec('COMMIT');
       db.close();`,
      { eval: true, workerData: { file: path.join(t.dataDir, STORE_FILE), signal } },
    );
    const finished = new Promise((resolve, reject) => admin.once('exit', resolve).once('error', reject));
    expect(Atomics.wait(signal, 0, 0, 10_000)).not.toBe('timed-out');

    const save = t.call('reader', 'energy.meterReadings.create', { meterId: meter.id, readDate: '2026-02-01', value: 1030 });
    await finished;
    expect(save).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } });
    expect(t.ok<{ total: number }>('admin', 'energy.meterReadings.list', { meterId: meter.id, from: '2026-02-01' }).total).toBe(0);
  });

  it('accepts the demo password only in a demo store', async () => {
    t = openTestApp();
    expect(t.call(null, 'auth.login', { username: 'admin', password: 'demo1234' }).ok).toBe(true);
    t.kernel.db.prepare('UPDATE branch SET demo = 0').run();
    const { dataDir } = t;
    await t.close();
    t = openTestApp({ dataDir });
    expect(t.call(null, 'auth.login', { username: 'admin', password: 'demo1234' })).toMatchObject({
      ok: false,
      error: { message: 'Demo credentials only work in a demo store' },
    });
  });
});

describe('approval gates (maker-checker)', () => {
  it('holds a gated action until a different user with approve rights approves it, then runs exactly the approved payload', () => {
    t = openTestApp();
    const total = withGatedProcedure(t);
    const asked = t.call('reader', 'test.counter.adjust', { amount: 500 });
    expect(asked).toMatchObject({ ok: false, error: { code: 'APPROVAL_REQUIRED' } });
    if (asked.ok) return;
    const approvalId = asked.error.details!.approvalId!;
    expect(total()).toBe(0);
    // Asking twice does not file a second request.
    const again = t.call('reader', 'test.counter.adjust', { amount: 500 });
    expect(!again.ok && again.error.details!.approvalId).toBe(approvalId);

    const pending = t.ok<{ id: string; version: number; canDecide: boolean }>('supervisor', 'approvals.get', { id: approvalId });
    expect(pending.canDecide).toBe(true);
    // A role without approve rights on the function cannot decide.
    expect(t.call('billing', 'approvals.decide', { id: approvalId, version: pending.version, decision: 'approve', reason: 'looks fine' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    const decided = t.ok<{ status: string }>('supervisor', 'approvals.decide', { id: approvalId, version: pending.version, decision: 'approve', reason: 'checked the meter' });
    expect(decided.status).toBe('executed');
    expect(total()).toBe(500);
    // The approval is used up: replaying it runs nothing.
    expect(t.call('reader', 'test.counter.adjust', { amount: 500 }, { approvalId })).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'approval.notApproved' } } });
    expect(total()).toBe(500);
  });

  it('refuses a changed payload after approval and never lets a requester approve their own request', () => {
    t = openTestApp();
    const total = withGatedProcedure(t);
    const asked = t.call('supervisor', 'test.counter.adjust', { amount: 200 });
    if (asked.ok) throw new Error('expected approval');
    const approvalId = asked.error.details!.approvalId!;
    const own = t.ok<{ version: number; canDecide: boolean }>('supervisor', 'approvals.get', { id: approvalId });
    expect(own.canDecide).toBe(false);
    expect(t.call('supervisor', 'approvals.decide', { id: approvalId, version: own.version, decision: 'approve', reason: 'my own' })).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    // Approve as admin but make execution fail by approving a request whose payload is then reused with a change.
    t.kernel.db.prepare(`UPDATE approval_requests SET status = 'approved' WHERE id = ?`).run(approvalId);
    const changed = t.call('supervisor', 'test.counter.adjust', { amount: 900 }, { approvalId });
    expect(changed).toMatchObject({ ok: false, error: { code: 'RULE_VIOLATION', details: { rule: 'approval.payloadMismatch' } } });
    expect(total()).toBe(0);
    expect(t.ok('supervisor', 'test.counter.adjust', { amount: 200 }, { approvalId })).toEqual({ total: 200 });
  });

  it('a rejected request never runs', () => {
    t = openTestApp();
    const total = withGatedProcedure(t);
    const asked = t.call('reader', 'test.counter.adjust', { amount: 101 });
    if (asked.ok) throw new Error('expected approval');
    const id = asked.error.details!.approvalId!;
    const a = t.ok<{ version: number }>('supervisor', 'approvals.get', { id });
    expect(t.ok<{ status: string }>('supervisor', 'approvals.decide', { id, version: a.version, decision: 'reject', reason: 'not justified' }).status).toBe('rejected');
    expect(t.call('reader', 'test.counter.adjust', { amount: 101 }, { approvalId: id }).ok).toBe(false);
    expect(total()).toBe(0);
  });
});

describe('idempotency keys', () => {
  it('returns the first answer for a retried call and refuses the key with another payload', () => {
    t = openTestApp();
    let runs = 0;
    const pay = mutation({
      name: 'test.counter.pay',
      description: 'test only',
      access: allow('energy.counter', 'create'),
      idempotent: true,
      input: z.strictObject({ amount: z.number().int() }),
      output: z.object({ receipt: z.number() }),
    });
    t.kernel.registry.add(pay, (ctx, input) => {
      runs += 1;
      ctx.audit({ entity: 'payment', entityId: String(runs), action: 'taken', after: input });
      return { receipt: runs };
    });
    expect(t.call('cashier', 'test.counter.pay', { amount: 10 })).toMatchObject({ ok: false, error: { code: 'VALIDATION', details: { issues: [{ path: 'idempotencyKey' }] } } });
    const first = t.ok('cashier', 'test.counter.pay', { amount: 10 }, { idempotencyKey: 'k-1' });
    const retry = t.ok('cashier', 'test.counter.pay', { amount: 10 }, { idempotencyKey: 'k-1' });
    expect(retry).toEqual(first);
    expect(runs).toBe(1);
    expect(t.call('cashier', 'test.counter.pay', { amount: 11 }, { idempotencyKey: 'k-1' })).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });
});
