import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Routine } from '../../src-shared/contracts/routines';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import { ROUTINES, type RoutineDefinition } from '../../src-main/core/routines/definitions';
import { routinesFor, startRoutineScheduler, type RoutineScheduler } from '../../src-main/core/routines/scheduler';
import { startBackgroundWork } from '../../src-main/core/routines/background';
import { schedulerFor } from '../../src-main/sync/scheduler';
import { startBrowserMode } from '../../scripts/serve';
import { openTestApp, tempDir, type TestApp } from '../support/app';

/**
 * Background routines: due work runs by itself through the pipeline as a real user, a restart
 * catches up once, failures and skips are recorded and the scheduler goes on.
 * Branch time zone: Africa/Johannesburg (UTC+2, no daylight saving).
 */
const routine = (name: string): RoutineDefinition => ROUTINES.find((r) => r.name === name)!;
const pm = routine('pmGeneration');

let now = new Date('2026-03-10T08:00:00Z'); // 10:00 in the branch
const clock = () => now;
const advance = (minutes: number) => {
  now = new Date(now.getTime() + minutes * 60_000);
};

const open: { t: TestApp; schedulers: RoutineScheduler[] }[] = [];
function openApp(dataDir?: string): TestApp {
  const t = openTestApp({ clock, dataDir });
  open.push({ t, schedulers: [] });
  return t;
}
function scheduler(t: TestApp, routines: readonly RoutineDefinition[]): RoutineScheduler {
  const s = startRoutineScheduler(t.kernel, { routines, timers: false });
  open.find((o) => o.t === t)!.schedulers.push(s);
  return s;
}
async function close(t: TestApp): Promise<void> {
  const entry = open.splice(open.findIndex((o) => o.t === t), 1)[0]!;
  for (const s of entry.schedulers) await s.stop();
  await t.kernel.jobs.idle();
  await t.close();
}
afterEach(async () => {
  while (open.length > 0) await close(open[0]!.t);
  now = new Date('2026-03-10T08:00:00Z');
});

const eventsOf = (t: TestApp, procedure: string) =>
  sqlAll<{ actor_name: string | null; actor_id: string | null }>(t.kernel.db, 'SELECT actor_name, actor_id FROM audit_events WHERE procedure = ? ORDER BY seq', procedure);
const listed = (t: TestApp, name: string) => t.ok<Routine[]>('admin', 'system.routines.list', {}).find((r) => r.name === name)!;

describe('a due routine', () => {
  it('runs through the pipeline as the earliest-created permitted user and is journaled under its procedure', async () => {
    const t = openApp();
    const s = scheduler(t, [pm]);
    const runs = await s.tick();
    expect(runs).toEqual([expect.objectContaining({ name: 'pmGeneration', outcome: 'ok', message: expect.stringMatching(/^Nothing new falls due up to \d{4}-\d{2}-\d{2}$/) })]);
    // The administrator was created first (at setup) and holds energy.maintenance:create.
    expect(eventsOf(t, 'energy.maintenance.generatePm')).toEqual([expect.objectContaining({ actor_name: 'Ada Admin' })]);
    const status = listed(t, 'pmGeneration');
    expect(status).toMatchObject({
      outcome: 'ok',
      lastRunAt: now.toISOString(),
      lastRunAsName: 'Ada Admin',
      runsAs: { displayName: 'Ada Admin' },
      permission: 'energy.maintenance:create',
      cadence: 'Daily at 01:00 (branch time)',
      enabled: true,
      enabledSetting: 'routines.pmGeneration.enabled',
      // Next: tomorrow 01:00 in Johannesburg.
      nextDueAt: '2026-03-10T23:00:00.000Z',
    });
  });

  it('does nothing until it is due again: a daily routine waits for the next local slot', async () => {
    const t = openApp();
    const s = scheduler(t, [pm]);
    await s.tick();
    advance(10);
    expect(await s.tick()).toEqual([]);
    now = new Date('2026-03-10T22:59:00Z'); // 00:59 local on the 11th
    expect(await s.tick()).toEqual([]);
    now = new Date('2026-03-10T23:00:00Z'); // 01:00 local
    expect(await s.tick()).toEqual([expect.objectContaining({ name: 'pmGeneration', outcome: 'ok' })]);
    expect(eventsOf(t, 'energy.maintenance.generatePm')).toHaveLength(2);
  });

  it('subscription billing runs shortly after local midnight, billing up to the branch’s date', async () => {
    const t = openApp();
    const s = scheduler(t, [routine('subscriptionBilling')]);
    await s.tick(); // catch-up on first start
    await t.kernel.jobs.idle();
    now = new Date('2026-03-10T22:14:00Z'); // 00:14 on the 11th in Johannesburg, still the 10th in UTC
    expect(await s.tick()).toEqual([]);
    now = new Date('2026-03-10T22:15:00Z');
    expect(await s.tick()).toEqual([expect.objectContaining({ name: 'subscriptionBilling', outcome: 'ok', message: 'Billing run started' })]);
    await t.kernel.jobs.idle();
    const started = sqlAll<{ after_json: string }>(t.kernel.db, `SELECT after_json FROM audit_events WHERE procedure = 'homeServices.subscriptions.billing.run' ORDER BY seq`);
    expect(started.map((e) => (JSON.parse(e.after_json) as { asOf: string }).asOf)).toEqual(['2026-03-10', '2026-03-11']);
    expect(listed(t, 'subscriptionBilling').job).toMatchObject({ state: 'succeeded' });
  });

  it('every-N-minutes routines run again once their interval has passed, and wait while their last job runs', async () => {
    const t = openApp();
    const s = scheduler(t, [routine('missedVisits')]);
    expect(await s.tick()).toEqual([expect.objectContaining({ name: 'missedVisits', outcome: 'ok' })]);
    const firstJob = listed(t, 'missedVisits').job!.id;
    await t.kernel.jobs.idle();
    advance(14);
    expect(await s.tick()).toEqual([]);
    // A job that is still running (here: held running by hand) holds the next run back.
    sqlRun(t.kernel.db, `UPDATE jobs SET state = 'running', finished_at = NULL WHERE id = ?`, firstJob);
    advance(1);
    expect(await s.tick()).toEqual([expect.objectContaining({ outcome: 'skipped', message: expect.stringContaining('still running') })]);
    sqlRun(t.kernel.db, `UPDATE jobs SET state = 'succeeded' WHERE id = ?`, firstJob);
    advance(15);
    expect(await s.tick()).toEqual([expect.objectContaining({ name: 'missedVisits', outcome: 'ok' })]);
    await t.kernel.jobs.idle();
    expect(eventsOf(t, 'homeServices.visits.detectMissed')).toHaveLength(2);
  });
});

describe('after a restart', () => {
  it('a daily run missed while the app was closed catches up once, not twice', async () => {
    const dataDir = tempDir();
    const first = openApp(dataDir);
    await scheduler(first, [pm]).tick();
    await close(first);

    now = new Date('2026-03-12T07:00:00Z'); // two days later, 09:00 local: the 11th's and 12th's 01:00 were missed
    const again = openApp(dataDir);
    const s = scheduler(again, [pm]);
    expect(await s.tick()).toHaveLength(1);
    expect(await s.tick()).toEqual([]);
    await close(again);

    // And a third start the same day runs nothing.
    advance(60);
    const third = openApp(dataDir);
    expect(await scheduler(third, [pm]).tick()).toEqual([]);
    expect(eventsOf(third, 'energy.maintenance.generatePm')).toHaveLength(2);
  });
});

describe('a failing routine', () => {
  it('is recorded and logged, and the scheduler goes on with the others and later runs', async () => {
    const t = openApp();
    const errors: string[] = [];
    t.kernel.log = { info: () => {}, error: (message: string) => errors.push(message) };
    const broken: RoutineDefinition = { ...pm, name: 'broken', enabled: true, cadence: { kind: 'every', minutes: 15 }, input: () => ({ horizonDays: 9999 }) };
    const s = scheduler(t, [broken, pm]);
    const runs = await s.tick();
    expect(runs).toEqual([
      expect.objectContaining({ name: 'broken', outcome: 'failed', message: expect.stringMatching(/^VALIDATION: horizonDays/) }),
      expect.objectContaining({ name: 'pmGeneration', outcome: 'ok' }),
    ]);
    expect(errors).toEqual([expect.stringContaining('routine broken (energy.maintenance.generatePm) failed: VALIDATION')]);
    expect(listed(t, 'broken')).toMatchObject({ outcome: 'failed', lastRunAt: now.toISOString() });
    // Only the good run reached the journal.
    expect(eventsOf(t, 'energy.maintenance.generatePm')).toHaveLength(1);

    advance(15);
    expect(await s.tick()).toEqual([expect.objectContaining({ name: 'broken', outcome: 'failed' })]);
  });
});

describe('when no active user may run it', () => {
  it('is skipped with the reason, retried later, and runs once a role holds the permission again', async () => {
    const t = openApp();
    sqlRun(t.kernel.db, `DELETE FROM role_permissions WHERE permission = 'energy.maintenance:create'`);
    const s = scheduler(t, [pm]);
    expect(await s.tick()).toEqual([
      expect.objectContaining({ name: 'pmGeneration', outcome: 'skipped', message: expect.stringContaining('No active user\'s role holds energy.maintenance:create') }),
    ]);
    expect(eventsOf(t, 'energy.maintenance.generatePm')).toEqual([]);
    expect(listed(t, 'pmGeneration')).toMatchObject({ outcome: 'skipped', runsAs: null, lastRunAt: null });

    // The administrator gives the planner the permission back, through the pipeline.
    const { roles } = t.ok<{ roles: { id: string; key: string; version: number; permissions: string[] }[] }>('admin', 'admin.roles.list', {});
    const planner = roles.find((r) => r.key === 'maintenance_planner')!;
    t.ok('admin', 'admin.roles.updatePermissions', { id: planner.id, version: planner.version, permissions: [...planner.permissions, 'energy.maintenance:create'] });
    advance(5);
    expect(await s.tick()).toEqual([]); // a skip waits 15 minutes before trying again
    advance(10);
    expect(await s.tick()).toEqual([expect.objectContaining({ outcome: 'ok' })]);
    expect(eventsOf(t, 'energy.maintenance.generatePm')).toEqual([expect.objectContaining({ actor_name: 'Pia Planner' })]);
  });
});

describe('administrators', () => {
  it('see every routine, switch one off in settings, and run it now as themselves', async () => {
    const t = openApp();
    const s = scheduler(t, ROUTINES);
    expect(t.ok<Routine[]>('supervisor', 'system.routines.list', {}).map((r) => [r.name, r.cadence, r.permission])).toEqual([
      ['pmGeneration', 'Daily at 01:00 (branch time)', 'energy.maintenance:create'],
      ['missedVisits', 'Every 15 minutes', 'homeServices.visits:edit'],
      ['subscriptionBilling', 'Daily at 00:15 (branch time)', 'homeServices.subscriptions:post'],
    ]);
    expect(t.call('cashier', 'system.routines.list', {})).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });

    const setting = t.ok<{ key: string; version: number }[]>('admin', 'admin.settings.list', {}).find((x) => x.key === 'routines.pmGeneration.enabled')!;
    t.ok('admin', 'admin.settings.update', { key: setting.key, version: setting.version, value: false });
    const runs = await s.tick();
    await t.kernel.jobs.idle();
    expect(runs.map((r) => r.name)).toEqual(['missedVisits', 'subscriptionBilling']);
    expect(listed(t, 'pmGeneration')).toMatchObject({ enabled: false, nextDueAt: null, lastRunAt: null });

    // Only administrators may ask; it runs as the one who asked, even while switched off.
    expect(t.call('supervisor', 'system.routines.runNow', { name: 'pmGeneration' })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(t.call('admin', 'system.routines.runNow', { name: 'nope' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    const requested = t.ok<Routine>('admin', 'system.routines.runNow', { name: 'pmGeneration' });
    expect(requested).toMatchObject({ requestedByName: 'Ada Admin', nextDueAt: now.toISOString() });
    expect(sqlGet(t.kernel.db, `SELECT action FROM audit_events WHERE procedure = 'system.routines.runNow'`)).toEqual({ action: 'run requested' });
    expect(await s.tick()).toEqual([expect.objectContaining({ name: 'pmGeneration', outcome: 'ok' })]);
    expect(listed(t, 'pmGeneration')).toMatchObject({ requestedAt: null, lastRunAsName: 'Ada Admin', outcome: 'ok' });
    expect(await s.tick()).toEqual([]);
  });
});

describe('startup', () => {
  it('the running app starts sync and the routines, which catch up by themselves, and stops both', async () => {
    now = new Date();
    const t = openApp();
    expect(schedulerFor(t.kernel.db)).toBeUndefined(); // a test store starts nothing implicitly
    expect(routinesFor(t.kernel.db)).toBeUndefined();
    const background = startBackgroundWork(t.app);
    expect(schedulerFor(t.kernel.db)).toBe(background.sync);
    expect(routinesFor(t.kernel.db)).toBe(background.routines);
    await vi.waitFor(() => expect(eventsOf(t, 'energy.maintenance.generatePm')).toHaveLength(1), { timeout: 10_000 });
    await vi.waitFor(() => expect(t.ok<Routine[]>('admin', 'system.routines.list', {}).every((r) => r.outcome === 'ok')).toBe(true), { timeout: 10_000 });
    await background.stop();
    expect(schedulerFor(t.kernel.db)).toBeUndefined();
    expect(routinesFor(t.kernel.db)).toBeUndefined();
  });

  it('browser mode (npm run serve) starts the background work with the server and stops it on shutdown', async () => {
    const served = await startBrowserMode({ dataDir: tempDir(), port: 0, log: { info: () => {}, error: () => {} } });
    try {
      expect(served.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+/);
      expect(schedulerFor(served.app.kernel.db)).toBe(served.background.sync);
      expect(routinesFor(served.app.kernel.db)).toBe(served.background.routines);
    } finally {
      await served.stop();
    }
    expect(schedulerFor(served.app.kernel.db)).toBeUndefined();
  });
});
