import type { CallMeta } from '../../src-shared/rpc';
import type { TestApp } from './app';
import { schedulingSamples } from './samples/scheduling';
import { dispatchSamples } from './samples/dispatch';
import { visitSamples } from './samples/visits';
import { packagesSubscriptionsExemptions, packagesSubscriptionsSamples } from './samples/packages-subscriptions';
import { billingCounterPrepaidExemptions, billingCounterPrepaidSamples } from './samples/billing-counter-prepaid';
import { installationExemptions, installationSamples } from './samples/installations';
import { maintenanceExemptions, maintenanceSamples } from './samples/maintenance';
import { reportingSamples } from './samples/reporting';
import { syncSamples } from './samples/sync';
import { meterReadingSamples } from './samples/meter-readings';
import { routineSamples } from './samples/routines';

/**
 * One valid call for every mutation, so catalogue-driven tests can prove what every write does.
 * A new mutation without a sample here fails `every mutation has a sample`: add one with it.
 */
export interface SampleCall {
  as: string | null;
  input: unknown;
  meta?: CallMeta;
}

export type Sample = (t: TestApp) => SampleCall;

const userId = (t: TestApp, username: string) =>
  t.ok<{ id: string; username: string; version: number }[]>('admin', 'admin.users.list', {}).find((u) => u.username === username)!;

export const samples: Record<string, Sample> = {
  'auth.login': () => ({ as: null, input: { username: 'cashier', password: 'demo1234' } }),
  'auth.logout': (t) => {
    // A throwaway session so the shared ones stay valid.
    t.login('planner');
    return { as: 'planner', input: {} };
  },
  'auth.changePassword': () => ({ as: 'technician', input: { currentPassword: 'demo1234', newPassword: 'a-much-longer-1' } }),
  'admin.users.create': () => ({ as: 'admin', input: { username: `u${Math.floor(Math.random() * 1e9)}`, displayName: 'New User', roleKey: 'cashier', password: 'longenough123' } }),
  'admin.users.update': (t) => {
    const u = userId(t, 'dispatcher');
    return { as: 'admin', input: { id: u.id, version: u.version, displayName: `Dee ${u.version}` } };
  },
  'admin.users.resetPassword': (t) => ({ as: 'admin', input: { id: userId(t, 'auditor').id, password: 'longenough123' } }),
  'admin.roles.updatePermissions': (t) => {
    const { roles } = t.ok<{ roles: { id: string; key: string; version: number; permissions: string[] }[] }>('admin', 'admin.roles.list', {});
    const role = roles.find((r) => r.key === 'technician')!;
    return { as: 'admin', input: { id: role.id, version: role.version, permissions: [...role.permissions, 'energy.meterReadings:view'] } };
  },
  'admin.settings.update': (t) => {
    const s = t.ok<{ key: string; version: number; value: unknown }[]>('admin', 'admin.settings.list', {}).find((x) => x.key === 'auth.lockoutMinutes')!;
    return { as: 'admin', input: { key: s.key, version: s.version, value: (s.value as number) + 1 } };
  },
  'admin.branch.update': (t) => {
    // Only the week start moves, so whatever runs after still sees the branch's own time zone.
    const b = t.ok<{ name: string; timeZone: string; weekStart: number }>('admin', 'admin.branch.get', {});
    return { as: 'admin', input: { name: b.name, timeZone: b.timeZone, weekStart: (b.weekStart + 1) % 7, reason: 'Reporting weeks as head office counts them' } };
  },
  ...schedulingSamples, ...dispatchSamples, ...visitSamples,
  ...packagesSubscriptionsSamples,
  ...billingCounterPrepaidSamples,
  ...installationSamples, ...maintenanceSamples,
  ...reportingSamples,
  ...syncSamples,
  ...meterReadingSamples,
  ...routineSamples,
};

/** Mutations that cannot run in a seeded store, and why. */
export const exemptFromSamples: Record<string, string> = {
  ...billingCounterPrepaidExemptions,
  ...packagesSubscriptionsExemptions,
  ...installationExemptions, ...maintenanceExemptions,
  'auth.setup': 'first-run only: refused once the branch has users (covered by the first-run tests)',
  'system.seedDemo': 'empty stores only, in-process (covered by every test that opens a store)',
  'approvals.decide': 'needs a pending request of a gated procedure (covered by kernel-pipeline tests)',
  'approvals.cancel': 'needs a pending request of a gated procedure (covered by kernel-pipeline tests)',
  'jobs.cancel': 'needs a running job (covered by the jobs tests)',
};
