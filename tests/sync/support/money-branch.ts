import fs from 'node:fs';
import path from 'node:path';
import { loadPrincipal } from '../../../src-main/core/auth/sessions';
import { sqlAll } from '../../../src-main/core/db/store';
import { newId } from '../../../src-main/core/util/ids';
import { seededRandom } from '../../../src-main/demo';
import { seedBillingCounterPrepaidDemo } from '../../../src-main/modules/energy/billing/demo';
import { seedMeterReadingsDemo } from '../../../src-main/modules/energy/meter-readings/demo';
import { seedHomeServicesFieldDemo } from '../../../src-main/modules/home-services/demo';
import { seedPackagesSubscriptionsDemo } from '../../../src-main/modules/home-services/packages/demo';
import { openTestApp, tempDir, type TestApp } from '../../support/app';
import { approved } from '../../support/samples/billing';

/**
 * A branch with money and workload in its journal, as the demo builds one through the pipeline:
 * meter readings, billing runs posted, a counter shift of payments and vends, four weeks of
 * appointments and visits, packages and subscriptions invoiced and paid. Then, in a new shift, a
 * payment and a vend reversed and a package refunded with approval, so reversals and money paid
 * out are in the figures, and a bill cancelled and rebilled, so a credit note is.
 * Seeded once into a folder; each test opens its own copy (a second HQ needs a fresh branch).
 */
export interface SeededBranch {
  dir: string;
  timeZone: string;
  today: string;
}

export async function seedMoneyBranch(options: { timeZone: string; today: string; now: Date; seed: number }): Promise<SeededBranch> {
  const dir = tempDir('plug1-money-branch-');
  const started = Date.now();
  // A ticking clock from `now`, so the branch's day is the one the test chose.
  const t = openTestApp({ dataDir: dir, timeZone: options.timeZone, clock: () => new Date(options.now.getTime() + (Date.now() - started)) });
  const kernel = t.kernel;
  const ids = new Map(sqlAll<{ id: string; username: string }>(kernel.db, 'SELECT id, username FROM users').map((u) => [u.username, u.id]));
  const as = (username: string) => loadPrincipal(kernel.db, ids.get(username)!, null)!;
  seedMeterReadingsDemo((procedure, input) => t.ok(procedure === 'energy.meterReadings.create' ? 'reader' : 'admin', procedure, input), {
    routes: 2,
    accounts: 40,
    months: 3,
    today: options.today,
    random: seededRandom(options.seed),
  });
  seedBillingCounterPrepaidDemo(kernel, as, options.today);
  seedHomeServicesFieldDemo(kernel, as, { today: options.today, random: seededRandom(options.seed + 100), daysBack: 10, daysAhead: 5 });
  seedPackagesSubscriptionsDemo(kernel, as, options.today);

  // Reversals, counted by the branch as transactions of their own.
  t.ok('supervisor', 'energy.counter.shifts.open', { openingFloat: 0 });
  const bill = sqlAll<{ account_id: string; open_minor: number }>(kernel.db, `SELECT account_id, open_minor FROM bills WHERE status = 'posted' AND kind = 'bill' AND open_minor > 0 LIMIT 1`)[0];
  if (!bill) throw new Error('The demo left no open bill to pay');
  const receipt = t.ok<{ paymentId: string; version: number }>('supervisor', 'energy.counter.payments.create', { accountId: bill.account_id, tender: 'card', amount: bill.open_minor }, { idempotencyKey: newId() });
  approved(t, 'supervisor', 'energy.counter.payments.reverse', { id: receipt.paymentId, version: receipt.version, reason: 'Paid on the wrong account' }, 'admin');
  const vend = sqlAll<{ id: string; version: number }>(kernel.db, `SELECT id, version FROM vends WHERE kind = 'sale' AND status = 'completed' LIMIT 1`)[0];
  if (!vend) throw new Error('The demo left no vend to reverse');
  approved(t, 'supervisor', 'energy.prepaid.vends.reverse', { id: vend.id, version: vend.version, tokenLoaded: false, settlement: 'refund', reason: 'Token never loaded' }, 'admin');
  // A package refunded at the counter: money paid out, a transaction of its own.
  const holding = sqlAll<{ id: string; version: number }>(kernel.db, `SELECT id, version FROM hs_package_holdings WHERE status = 'active' ORDER BY holding_no LIMIT 1`)[0];
  if (!holding) throw new Error('The demo left no active package to refund');
  approved(t, 'supervisor', 'homeServices.packages.holdings.refund', { id: holding.id, version: holding.version, tender: 'cash', reason: 'Customer moved away' }, 'admin');
  // A bill cancelled and rebilled: the original still counts as billed, the credit note apart. The
  // rebill is for no use at all, so a posted bill carries an exception (ZERO_CONSUMPTION) to HQ: the
  // demo's few billed accounts here read steadily and raise none of their own.
  const posted = sqlAll<{ id: string; version: number }>(
    kernel.db,
    `SELECT id, version FROM bills WHERE kind = 'bill' AND status = 'posted' ORDER BY bill_no DESC LIMIT 1`,
  )[0];
  if (!posted) throw new Error('The demo posted no bill');
  approved(t, 'supervisor', 'energy.billing.bills.cancelRebill', { id: posted.id, version: posted.version, reason: 'The premises stood empty: the read was the neighbour’s meter', consumption: 0 }, 'admin');
  await t.close();
  return { dir, timeZone: options.timeZone, today: options.today };
}

/** A copy of the seeded branch's store, opened as a live branch. */
export function openCopy(seeded: SeededBranch, now: Date): TestApp {
  const dir = tempDir('plug1-money-copy-');
  for (const f of fs.readdirSync(seeded.dir)) fs.cpSync(path.join(seeded.dir, f), path.join(dir, f), { recursive: true });
  const started = Date.now();
  const t = openTestApp({ dataDir: dir, clock: () => new Date(now.getTime() + (Date.now() - started)) });
  for (const user of ['admin', 'supervisor', 'auditor']) t.login(user);
  return t;
}
