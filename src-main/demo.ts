import { AppError } from '../src-shared/errors';
import type { RoleKey } from '../src-shared/permissions';
import { dispatch } from './core/rpc/pipeline';
import { writeTransaction } from './core/db/store';
import { loadPrincipal } from './core/auth/sessions';
import type { Kernel } from './core/rpc/kernel';
import { seedMeterReadingsDemo } from './modules/energy/meter-readings/demo';
import { seedInstallationsDemo } from './modules/energy/installations/demo';
import { seedMaintenanceDemo } from './modules/energy/maintenance/demo';
import { seedBillingCounterPrepaidDemo } from './modules/energy/billing/demo';
import { seedPackagesSubscriptionsDemo } from './modules/home-services/packages/demo';
import { seedHomeServicesFieldDemo } from './modules/home-services/demo';

export const DEMO_PASSWORD = 'demo1234';

export const DEMO_USERS: { username: string; displayName: string; roleKey: RoleKey }[] = [
  { username: 'admin', displayName: 'Ada Admin', roleKey: 'administrator' },
  { username: 'supervisor', displayName: 'Sam Supervisor', roleKey: 'branch_supervisor' },
  { username: 'cashier', displayName: 'Cara Cashier', roleKey: 'cashier' },
  { username: 'reader', displayName: 'Ray Reader', roleKey: 'meter_reader' },
  { username: 'billing', displayName: 'Bea Billing', roleKey: 'billing_clerk' },
  { username: 'technician', displayName: 'Tom Technician', roleKey: 'technician' },
  { username: 'dispatcher', displayName: 'Dee Dispatcher', roleKey: 'dispatcher' },
  { username: 'planner', displayName: 'Pia Planner', roleKey: 'maintenance_planner' },
  { username: 'auditor', displayName: 'Aud Auditor', roleKey: 'auditor' },
];

/** A small deterministic generator, so every demo store looks the same. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Seeds an empty store as a demo branch. Everything goes through the pipeline, as the user who
 * would really do it, so the demo journal looks like a real branch's and verifies.
 */
export function seedDemo(kernel: Kernel, options: { today?: string; timeZone?: string } = {}): void {
  const seeded = dispatch(kernel, 'system.seedDemo', {
    branchName: 'Riverside Branch (demo)',
    timeZone: options.timeZone ?? 'Africa/Johannesburg',
    password: DEMO_PASSWORD,
    users: DEMO_USERS,
  });
  if (!seeded.ok) throw new AppError(seeded.error.code, `Demo seeding failed: ${seeded.error.message}`, seeded.error.details);
  const { userIds } = seeded.result as { userIds: Record<string, string> };
  const as = (username: string) => loadPrincipal(kernel.db, userIds[username]!, null)!;
  const admin = as('admin');
  const reader = as('reader');
  const today = options.today ?? new Date().toISOString().slice(0, 10);
  // Thousands of calls, each still its own savepoint and audit event, but one commit: the
  // seeding takes seconds instead of half a minute. (Only this part: later seeders start jobs,
  // whose workers must see committed data.)
  writeTransaction(kernel.db, () =>
  seedMeterReadingsDemo(
    (procedure, input) => {
      const principal = procedure === 'energy.meterReadings.create' ? reader : admin;
      const result = dispatch(kernel, procedure, input, { principal });
      if (!result.ok) throw new AppError(result.error.code, `Demo seeding: ${procedure} failed: ${result.error.message}`, result.error.details);
      return result.result;
    },
    // The last monthly walk was 25 days ago, so today's walk is due when the demo opens.
    { routes: 2, accounts: 500, months: 12, today: daysBefore(today, 25), random: seededRandom(20261122) },
  ),
  );
  seedBillingCounterPrepaidDemo(kernel, as, today);
  seedInstallationsDemo(kernel, as);
  seedMaintenanceDemo(kernel, as);
  seedHomeServicesFieldDemo(kernel, as, { today, random: seededRandom(5005) });
  seedPackagesSubscriptionsDemo(kernel, as, today);
}

function daysBefore(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);
}

export const isEmptyStore = (kernel: Kernel): boolean => kernel.branch().id === 'unset';
