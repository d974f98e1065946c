import type { Plan, Subscription } from '../../../src-shared/contracts/home-services/subscriptions';
import type { TestApp } from '../app';
import { at, freshCustomer, idempotencyKey, okAs } from '../home-services';
import type { Sample } from '../samples';
import { DAY, ensureShift, fixture } from './packages';

/** Subscription fixtures (plans, sign-ups at the counter) and one valid call per subscription mutation. */

const localToday = (t: TestApp) => new Intl.DateTimeFormat('en-CA', { timeZone: t.kernel.branch().timeZone }).format(t.kernel.clock());

let codes = 0;
/** A plan in effect from `effectiveFrom` (today by default): monthly 299.00 with two included repairs. */
export function plan(t: TestApp, over: Record<string, unknown> = {}): Plan {
  const f = fixture(t);
  codes += 1;
  return okAs<Plan>(t, 'supervisor', 'homeServices.subscriptions.plans.create', {
    code: `PLAN-${codes}-${Date.now().toString(36).slice(-4).toUpperCase()}`,
    name: `Care plan ${codes}`,
    effectiveFrom: localToday(t),
    billingPeriod: 'monthly',
    priceMinor: 29_900,
    includedVisits: 2,
    overAllowance: 'charge',
    serviceIds: [f.services.repair.id],
    ...over,
  });
}

export function subscribe(t: TestApp, customerId: string, planId: string, extra: Record<string, unknown> = {}) {
  ensureShift(t);
  return okAs<{ subscription: Subscription; invoice: { id: string; invoiceNo: string; totalMinor: number; openMinor: number; dueDate: string } }>(
    t,
    'cashier',
    'homeServices.subscriptions.create',
    { customerId, planId, ...extra },
    { idempotencyKey: idempotencyKey() },
  );
}

const activeSubscription = (t: TestApp) => subscribe(t, freshCustomer(t, 'north').id, plan(t).id).subscription;

export const subscriptionSamples: Record<string, Sample> = {
  'homeServices.subscriptions.plans.create': (t) => {
    const f = fixture(t);
    return {
      as: 'supervisor',
      input: {
        code: `GOLD-${Date.now().toString(36).toUpperCase()}`,
        name: 'Gold care',
        effectiveFrom: localToday(t),
        billingPeriod: 'quarterly',
        priceMinor: 89_700,
        includedVisits: 6,
        overAllowance: 'refuse',
        serviceIds: [f.services.repair.id, f.services.inspect.id],
      },
    };
  },
  'homeServices.subscriptions.plans.addVersion': (t) => {
    const p = plan(t);
    return {
      as: 'supervisor',
      input: { id: p.id, version: p.version, effectiveFrom: '2099-01-01', billingPeriod: 'monthly', priceMinor: 32_900, includedVisits: 2, serviceIds: p.versions[0]!.services.map((s) => s.serviceId) },
    };
  },
  'homeServices.subscriptions.plans.setStatus': (t) => {
    const p = plan(t);
    return { as: 'supervisor', input: { id: p.id, version: p.version, status: 'retired' } };
  },
  'homeServices.subscriptions.create': (t) => {
    ensureShift(t);
    const p = plan(t);
    return { as: 'cashier', input: { customerId: freshCustomer(t, 'south').id, planId: p.id, billCycleDay: 1, payment: { tender: 'card' } }, meta: { idempotencyKey: idempotencyKey() } };
  },
  'homeServices.subscriptions.changePlan': (t) => {
    const sub = activeSubscription(t);
    const better = plan(t, { priceMinor: 49_900, includedVisits: 4 });
    return { as: 'supervisor', input: { id: sub.id, version: sub.version, planId: better.id } };
  },
  'homeServices.subscriptions.pause': (t) => {
    const sub = activeSubscription(t);
    return { as: 'supervisor', input: { id: sub.id, version: sub.version, reason: 'Travelling for a month' } };
  },
  'homeServices.subscriptions.resume': (t) => {
    const sub = activeSubscription(t);
    const paused = okAs<Subscription>(t, 'supervisor', 'homeServices.subscriptions.pause', { id: sub.id, version: sub.version });
    return { as: 'supervisor', input: { id: paused.id, version: paused.version } };
  },
  'homeServices.subscriptions.cancel': (t) => {
    const sub = activeSubscription(t);
    return { as: 'supervisor', input: { id: sub.id, version: sub.version, when: 'now', reason: 'Moving away' } };
  },
  'homeServices.subscriptions.keep': (t) => {
    const sub = activeSubscription(t);
    const { subscription } = okAs<{ subscription: Subscription }>(t, 'supervisor', 'homeServices.subscriptions.cancel', { id: sub.id, version: sub.version, when: 'period_end', reason: 'Asked to stop' });
    return { as: 'supervisor', input: { id: subscription.id, version: subscription.version } };
  },
  'homeServices.subscriptions.payments.create': (t) => {
    const sub = activeSubscription(t);
    return { as: 'cashier', input: { customerId: sub.customerId, amount: 29_900, tender: 'cash', tendered: 30_000 }, meta: { idempotencyKey: idempotencyKey() } };
  },
  'homeServices.subscriptions.billing.run': () => ({ as: 'supervisor', input: {} }),
  'homeServices.subscriptions.billing.renewDue': (t) => ({ as: 'supervisor', input: { asOf: localToday(t), limit: 50 } }),
  'homeServices.subscriptions.dunning.advance': () => ({ as: 'supervisor', input: {} }),
  'homeServices.subscriptions.dunning.takeStep': (t) => {
    // Signed up 20 days ago and never paid: the invoice fell due 13 days ago.
    const customer = freshCustomer(t, 'north');
    const p = at(t, new Date(Date.now() - 20 * DAY), () => plan(t));
    const { subscription } = at(t, new Date(Date.now() - 20 * DAY), () => subscribe(t, customer.id, p.id));
    return { as: 'supervisor', input: { id: subscription.id, version: subscription.version } };
  },
};

export const subscriptionExemptions: Record<string, string> = {};
