import { afterEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src-main/app';
import { openTestApp, type TestApp } from '../support/app';

/**
 * The branch profile: an administrator sets the name, time zone and first day of the reporting
 * week; reports follow it at once, in this process and in any other connection to the store.
 */
let t: TestApp;
afterEach(async () => {
  await t?.close();
});

const profile = (app: TestApp) => app.ok<{ id: string; name: string; timeZone: string; weekStart: number }>('supervisor', 'admin.branch.get', {});

describe('branch profile', () => {
  it('moves weekly report buckets to the new first day of the week, audited with the reason', () => {
    t = openTestApp({ timeZone: 'UTC' });
    const report = () => t.ok<{ rows: { key: string }[] }>('supervisor', 'energy.meterReadings.report', { period: 'week', from: '2026-11-02', to: '2026-11-15' });
    expect(profile(t).weekStart).toBe(1);
    // Monday weeks: 2026-11-02 is a Monday, so the fortnight is exactly two weeks.
    expect(report().rows.map((r) => r.key)).toEqual(['2026-11-02', '2026-11-09']);

    const changed = t.ok<{ id: string; weekStart: number; name: string }>('admin', 'admin.branch.update', { name: 'Riverside', timeZone: 'UTC', weekStart: 0, reason: 'Head office counts weeks from Sunday' });
    expect(changed).toMatchObject({ weekStart: 0, name: 'Riverside' });
    expect(report().rows.map((r) => r.key)).toEqual(['2026-11-01', '2026-11-08', '2026-11-15']);

    const trail = t.ok<{ action: string; reason: string | null; before: unknown; after: unknown }[]>('auditor', 'audit.trail', { entity: 'branch', entityId: changed.id });
    expect(trail.at(-1)).toMatchObject({ action: 'updated', reason: 'Head office counts weeks from Sunday', before: { weekStart: 1 }, after: { weekStart: 0 } });
  });

  it('refuses an unknown time zone naming the field, and roles without settings rights', () => {
    t = openTestApp({ timeZone: 'UTC' });
    const bad = t.call('admin', 'admin.branch.update', { name: 'Riverside', timeZone: 'Mars/Olympus_Mons', weekStart: 1, reason: 'Moving' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.error.code).toBe('VALIDATION');
      expect(bad.error.details?.issues?.[0]?.path).toBe('timeZone');
    }
    const cashier = t.call('cashier', 'admin.branch.update', { name: 'Riverside', timeZone: 'UTC', weekStart: 0, reason: 'Moving' });
    expect(cashier.ok ? null : cashier.error.code).toBe('FORBIDDEN');
    expect(profile(t)).toMatchObject({ timeZone: 'UTC', weekStart: 1 });
  });

  it('reaches another connection to the same store (a job worker) without a restart', async () => {
    t = openTestApp({ timeZone: 'UTC' });
    const other = createApp({ dataDir: t.dataDir, supervisesJobs: false, log: { info: () => {}, error: () => {} } });
    try {
      expect(other.kernel.branch().timeZone).toBe('UTC');
      t.ok('admin', 'admin.branch.update', { name: profile(t).name, timeZone: 'Africa/Johannesburg', weekStart: 1, reason: 'Branch moved to Johannesburg' });
      expect(other.kernel.branch().timeZone).toBe('Africa/Johannesburg');
      expect(t.kernel.branch().timeZone).toBe('Africa/Johannesburg');
    } finally {
      await other.close();
    }
  });
});
