import { runSync, type SyncRunOptions, type SyncRunResult } from '../../../src-main/sync/engine';
import { openTestApp, type TestApp } from '../../support/app';

/**
 * A seeded branch store. The users the sync tests act as sign in up front: a sign-in is journaled,
 * and one in the middle of a test would be an event nobody expected to be pending.
 */
export function openBranch(options: Parameters<typeof openTestApp>[0] = {}): TestApp {
  const t = openTestApp(options);
  for (const user of ['admin', 'supervisor', 'auditor']) t.login(user);
  return t;
}

/** Connects the branch to HQ as its administrator would, through the pipeline. */
export function connect(t: TestApp, hqUrl: string, token: string, enabled = true): void {
  const { configVersion } = t.ok<{ configVersion: number }>('admin', 'sync.status', {});
  t.ok('admin', 'sync.configure', { hqUrl, token, enabled, version: configVersion });
}

export function syncOnce(t: TestApp, options: Partial<SyncRunOptions> = {}): Promise<SyncRunResult> {
  return runSync(t.kernel, { trigger: 'manual', timeoutMs: 5_000, ...options });
}

/** Some journal traffic: settings changed back and forth, each one event. */
export function makeEvents(t: TestApp, count: number): void {
  for (let i = 0; i < count; i += 1) {
    const s = t.ok<{ key: string; version: number; value: number }[]>('admin', 'admin.settings.list', {}).find((x) => x.key === 'auth.idleMinutes')!;
    t.ok('admin', 'admin.settings.update', { key: s.key, version: s.version, value: s.value === 240 ? 241 : 240 });
  }
}
