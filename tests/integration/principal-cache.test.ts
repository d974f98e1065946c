import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/app';
import { dispatch } from '../../src-main/core/rpc/pipeline';
import { openTestApp, type TestApp } from '../support/app';

/**
 * Signed-in users' permissions are cached between calls; these tests hold the cache to what a
 * user relies on: a granted or revoked permission and a deactivation count from the very next call,
 * whichever process made the change.
 */
let t: TestApp;
afterEach(async () => {
  await t?.close();
});

type Role = { id: string; key: string; version: number; permissions: string[] };
const role = (key: string) => t.ok<{ roles: Role[] }>('admin', 'admin.roles.list', {}).roles.find((r) => r.key === key)!;
const setPermissions = (key: string, change: (p: string[]) => string[]) => {
  const r = role(key);
  t.ok('admin', 'admin.roles.updatePermissions', { id: r.id, version: r.version, permissions: change(r.permissions) });
};
const codeOf = (answer: { ok: boolean; error?: { code: string } }) => (answer.ok ? 'ok' : answer.error!.code);

describe('permissions of a signed-in user', () => {
  it('follow a grant, a revoke and a deactivation from the next call', () => {
    t = openTestApp({ timeZone: 'UTC' });
    const listRoutes = () => codeOf(t.call('technician', 'energy.routes.list', {}));
    expect(listRoutes()).toBe('FORBIDDEN');
    expect(listRoutes()).toBe('FORBIDDEN');

    setPermissions('technician', (p) => [...p, 'energy.meterReadings:view']);
    expect(listRoutes()).toBe('ok');

    setPermissions('technician', (p) => p.filter((x) => x !== 'energy.meterReadings:view'));
    expect(listRoutes()).toBe('FORBIDDEN');

    const users = t.ok<{ id: string; username: string; version: number }[]>('admin', 'admin.users.list', {});
    const technician = users.find((u) => u.username === 'technician')!;
    t.login('technician');
    t.ok('admin', 'admin.users.update', { id: technician.id, version: technician.version, active: false });
    expect(codeOf(t.call('technician', 'auth.me', {}))).toBe('UNAUTHENTICATED');
  });

  it('follow a change made by another process on the same store', async () => {
    t = openTestApp({ timeZone: 'UTC' });
    const token = t.login('technician');
    const other = createApp({ dataDir: t.dataDir, supervisesJobs: false, log: { info: () => {}, error: () => {} } });
    try {
      const call = () => codeOf(dispatch(other.kernel, 'energy.routes.list', {}, { token }));
      expect(call()).toBe('FORBIDDEN');
      // The grant is written by the first process; the second serves the next call.
      setPermissions('technician', (p) => [...p, 'energy.meterReadings:view']);
      expect(call()).toBe('ok');
    } finally {
      await other.close();
    }
  });
});
