import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CustomerPackages, Holding, SaleReceipt } from '../../src-shared/contracts/home-services/packages';
import type { Allowance, CustomerAccount, DunningQueueRow, Invoice, InvoiceDetail, PaymentReceipt, Plan, Subscription, SubscriptionDetail } from '../../src-shared/contracts/home-services/subscriptions';
import type { ShiftReport } from '../../src-shared/contracts/energy/counter';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import { sqlAll, sqlGet, sqlRun } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { at, bookFirstFree, callAs, freshCustomer, idempotencyKey, okAs } from '../support/home-services';
import { DAY, bookedYesterday, completeVisit, ensureShift, fixture, holdingOf, packageType, sellPackage } from '../support/samples/packages';
import { plan, subscribe } from '../support/samples/subscriptions';

/**
 * Service package billing and subscription billing through the pipeline: sale at the counter,
 * redemption by completed visits (closest to expiry first, refusals explained), frozen terms,
 * approval-gated refund/freeze/transfer, breakage; proration with DOMAIN.md's numbers, plan
 * changes, pause, the billing job, dunning restored by a counter payment, included visits.
 */
let t: TestApp;
beforeAll(() => {
  t = openTestApp();
  fixture(t);
  ensureShift(t);
});
afterAll(async () => {
  await t.close();
});

const rule = (answer: ReturnType<typeof callAs>) => (answer.ok ? 'ok' : `${answer.error.code} ${String(answer.error.details?.rule ?? '')}`.trim());
const customerPackages = (customerId: string) => okAs<CustomerPackages>(t, 'cashier', 'homeServices.packages.customers.packages', { customerId });
const localDay = (instant: number | Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Johannesburg' }).format(instant);
const today = () => localDay(Date.now());

/** Asks as `maker`, has the supervisor approve, and answers the executed request. */
function approved(maker: string, procedure: string, input: unknown) {
  const asked = callAs(t, maker, procedure, input);
  expect(asked.ok ? 'ok' : asked.error.code).toBe('APPROVAL_REQUIRED');
  const id = String(!asked.ok && asked.error.details?.approvalId);
  const request = okAs<{ version: number }>(t, 'supervisor', 'approvals.get', { id });
  okAs(t, 'supervisor', 'approvals.decide', { id, version: request.version, decision: 'approve', reason: 'Checked with the customer' });
  const done = okAs<{ status: string; executionError: string | null }>(t, 'supervisor', 'approvals.get', { id });
  expect([done.status, done.executionError]).toEqual(['executed', null]);
}

describe('selling packages at the counter', () => {
  it('takes the price in the open shift with change, prints a receipt, and a retry sells nothing twice', () => {
    const type = packageType(t);
    const customer = freshCustomer(t, 'north');
    const key = idempotencyKey();
    const input = { customerId: customer.id, packageTypeId: type.id, tender: 'cash', tendered: 120_000 };
    const receipt = okAs<SaleReceipt>(t, 'cashier', 'homeServices.packages.sell', input, { idempotencyKey: key });
    expect(receipt).toMatchObject({ amount: 100_000, tendered: 120_000, change: 20_000, customerNo: customer.customerNo, lines: [{ sessions: 5 }] });
    expect(receipt.receiptNo).toMatch(/^R-\d{8}$/);
    expect(receipt.holdingNo).toMatch(/^PK-\d{6}$/);
    expect(receipt.expiresOn).toBe(localDay(Date.now() + 89 * DAY));
    const again = okAs<SaleReceipt>(t, 'cashier', 'homeServices.packages.sell', input, { idempotencyKey: key });
    expect(again.holdingId).toBe(receipt.holdingId);
    expect(customerPackages(customer.id).holdings).toHaveLength(1);
    const moves = sqlAll<{ type: string; amount_minor: number; shift_id: string }>(t.kernel.db, 'SELECT type, amount_minor, shift_id FROM counter_transactions WHERE document_id = ?', receipt.holdingId);
    expect(moves).toEqual([{ type: 'package_sale', amount_minor: 100_000, shift_id: expect.any(String) }]);
    const event = sqlGet<{ shift_id: string | null }>(t.kernel.db, `SELECT shift_id FROM audit_events WHERE procedure = 'homeServices.packages.sell' AND entity_id = ?`, receipt.holdingId)!;
    expect(event.shift_id).toBe(moves[0]!.shift_id);
  });

  it('refuses a sale without an open shift', () => {
    const type = packageType(t);
    const answer = callAs(t, 'admin', 'homeServices.packages.sell', { customerId: freshCustomer(t, 'north').id, packageTypeId: type.id, tender: 'card' }, { idempotencyKey: idempotencyKey() });
    expect(rule(answer)).toBe('RULE_VIOLATION shift.notOpen');
  });

  it('freezes the terms with the first sale', () => {
    const type = packageType(t);
    const edit = { id: type.id, version: type.version, name: type.name, priceMinor: 80_000, poolKind: 'per_service', services: [{ serviceId: type.services[0]!.serviceId, sessions: 5 }], validityKind: 'days_from_purchase', validityDays: 90 };
    const changed = okAs<{ version: number; priceMinor: number }>(t, 'supervisor', 'homeServices.packages.types.update', edit);
    expect(changed.priceMinor).toBe(80_000);
    sellPackage(t, freshCustomer(t, 'north').id, type.id);
    const refused = callAs(t, 'supervisor', 'homeServices.packages.types.update', { ...edit, version: changed.version + 1, priceMinor: 60_000 });
    expect(rule(refused)).toBe('RULE_VIOLATION package.termsFrozen');
    expect(!refused.ok && refused.error.message).toMatch(/frozen.*put a new package on sale/);
    // Whatever path writes, the store keeps sold terms.
    expect(() => sqlRun(t.kernel.db, 'UPDATE hs_package_types SET price_minor = 1 WHERE id = ?', type.id)).toThrow(/terms are frozen/);
    // Withdrawing it from sale is still allowed.
    const current = okAs<{ version: number; firstSoldAt: string | null }>(t, 'cashier', 'homeServices.packages.types.get', { id: type.id });
    expect(current.firstSoldAt).not.toBeNull();
    expect(okAs<{ status: string }>(t, 'supervisor', 'homeServices.packages.types.setStatus', { id: type.id, version: current.version, status: 'withdrawn' }).status).toBe('withdrawn');
    expect(rule(callAs(t, 'cashier', 'homeServices.packages.sell', { customerId: freshCustomer(t, 'north').id, packageTypeId: type.id, tender: 'card' }, { idempotencyKey: idempotencyKey() }))).toBe(
      'RULE_VIOLATION package.withdrawn',
    );
  });

  it('keeps to the purchase limit per customer', () => {
    const type = packageType(t, { purchaseLimit: 1 });
    const customer = freshCustomer(t, 'north');
    sellPackage(t, customer.id, type.id);
    const second = callAs(t, 'cashier', 'homeServices.packages.sell', { customerId: customer.id, packageTypeId: type.id, tender: 'card' }, { idempotencyKey: idempotencyKey() });
    expect(rule(second)).toBe('RULE_VIOLATION package.purchaseLimit');
  });
});

describe('redeeming sessions', () => {
  it('a completed visit uses the credit closest to expiry, and the customer view shows it with its visit', () => {
    const customer = freshCustomer(t, 'north');
    const long = sellPackage(t, customer.id, packageType(t, { validityDays: 90 }).id);
    const short = sellPackage(t, customer.id, packageType(t, { validityDays: 10 }).id);
    const appointment = bookedYesterday(t, customer);
    completeVisit(t, appointment, customer);
    const view = customerPackages(customer.id);
    const byId = new Map(view.holdings.map((h) => [h.id, h]));
    expect(byId.get(short.holdingId)!.sessionsUsed).toBe(1);
    expect(byId.get(long.holdingId)!.sessionsUsed).toBe(0);
    expect(view.redemptions).toEqual([
      expect.objectContaining({ outcome: 'redeemed', reason: 'visit', holdingNo: short.holdingNo, appointmentNumber: appointment.number, visitId: expect.any(String), valueMinor: 20_000 }),
    ]);
    expect(view.totals).toEqual({ sessionsRemaining: 9, liabilityMinor: 180_000 });
  });

  it('refuses an expired package with a message that says when it expired, without stopping the visit', () => {
    const customer = freshCustomer(t, 'north');
    const type = packageType(t, { validityDays: 3 });
    const sold = at(t, new Date(Date.now() - 10 * DAY), () => sellPackage(t, customer.id, type.id));
    const check = okAs<{ outcome: string; rule: string; message: string }>(t, 'cashier', 'homeServices.packages.check', { customerId: customer.id, serviceId: fixture(t).services.repair.id, date: today() });
    expect(check).toMatchObject({ outcome: 'refuse', rule: 'package.expired', message: `Package ${sold.holdingNo} (${type.name}) expired on ${sold.expiresOn}` });
    const visit = completeVisit(t, bookedYesterday(t, customer), customer);
    expect(visit.status).toBe('completed');
    const [refusal] = customerPackages(customer.id).redemptions;
    expect(refusal).toMatchObject({ outcome: 'refused', refusalRule: 'package.expired', message: check.message, holdingId: null, sessions: 0 });
    expect(holdingOf(t, sold.holdingId).holding).toMatchObject({ sessionsUsed: 0, status: 'expired', liabilityMinor: 0 });
  });

  it('refuses a used-up package, and redeems a visit once however often it is reported', () => {
    const customer = freshCustomer(t, 'north');
    const sold = sellPackage(t, customer.id, packageType(t, { services: [{ serviceId: fixture(t).services.repair.id, sessions: 1 }], priceMinor: 30_000 }).id);
    completeVisit(t, bookedYesterday(t, customer), customer);
    expect(holdingOf(t, sold.holdingId).holding).toMatchObject({ status: 'used_up', sessionsRemaining: 0, liabilityMinor: 0 });
    completeVisit(t, bookedYesterday(t, customer), customer);
    const redemptions = customerPackages(customer.id).redemptions;
    expect(redemptions.map((r) => [r.outcome, r.refusalRule])).toEqual([
      ['refused', 'package.usedUp'],
      ['redeemed', null],
    ]);
    expect(redemptions[0]!.message).toContain('has no sessions left');
  });

  it('a shared pool pays for any of its services', () => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'south');
    const pool = packageType(t, { poolKind: 'shared_pool', poolSessions: 3, services: [{ serviceId: f.services.repair.id }, { serviceId: f.services.inspect.id }] });
    const sold = sellPackage(t, customer.id, pool.id);
    completeVisit(t, bookedYesterday(t, customer, f.services.inspect.id), customer);
    const holding = holdingOf(t, sold.holdingId).holding;
    expect(holding.balances).toEqual([expect.objectContaining({ serviceId: null, sessionsTotal: 3, sessionsUsed: 1, label: expect.stringContaining('Any of') })]);
  });

  it('a first-use package starts its validity with the first session', () => {
    const customer = freshCustomer(t, 'north');
    const sold = sellPackage(t, customer.id, packageType(t, { validityKind: 'days_from_first_use', validityDays: 30 }).id);
    expect(sold.expiresOn).toBeNull();
    completeVisit(t, bookedYesterday(t, customer), customer);
    expect(holdingOf(t, sold.holdingId).holding).toMatchObject({ firstUsedOn: today(), expiresOn: localDay(Date.now() + 29 * DAY) });
  });

  it('a late cancellation or a no-show costs a session only where the terms say so', () => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    const lenient = sellPackage(t, customer.id, packageType(t, { validityDays: 60 }).id);
    const strict = sellPackage(t, customer.id, packageType(t, { validityDays: 90, lateCancelConsumes: true, noShowConsumes: true }).id);
    // Booked for the first free slot (within the day): cancelling now is late.
    const soon = bookFirstFree(t, { customerId: customer.id, serviceId: f.services.repair.id });
    const cancelled = okAs<{ lateCancel: boolean }>(t, 'dispatcher', 'homeServices.scheduling.cancel', { id: soon.id, version: soon.version, reasonCode: 'customer_request' });
    expect(cancelled.lateCancel).toBe(true);
    const missed = bookedYesterday(t, customer);
    okAs(t, 'dispatcher', 'homeServices.scheduling.markNoShow', { id: missed.id, version: missed.version, reason: 'Nobody home' });
    const view = customerPackages(customer.id);
    expect(view.redemptions.map((r) => [r.reason, r.holdingId]).sort()).toEqual([
      ['late_cancel', strict.holdingId],
      ['no_show', strict.holdingId],
    ]);
    expect(view.holdings.find((h) => h.id === lenient.holdingId)!.sessionsUsed).toBe(0);
  });
});

describe('approval-gated changes to a package', () => {
  it('refunds by the sessions used, paid out of the cashier’s shift once a supervisor approves', () => {
    const customer = freshCustomer(t, 'north');
    const sold = sellPackage(t, customer.id, packageType(t).id);
    completeVisit(t, bookedYesterday(t, customer), customer);
    const { holding, refundQuote } = holdingOf(t, sold.holdingId);
    // 1,000.00 for 5 sessions, 1 used: 800.00 back.
    expect(refundQuote).toBe(80_000);
    approved('cashier', 'homeServices.packages.holdings.refund', { id: holding.id, version: holding.version, tender: 'cash', reason: 'Customer moved away' });
    const refunded = holdingOf(t, sold.holdingId).holding;
    expect(refunded).toMatchObject({ status: 'refunded', refundMinor: 80_000, liabilityMinor: 0, sessionsRemaining: 0 });
    const payout = sqlGet<{ amount_minor: number; tender: string; cashier_id: string }>(t.kernel.db, `SELECT amount_minor, tender, cashier_id FROM counter_transactions WHERE type = 'package_refund' AND document_id = ?`, holding.id)!;
    const cashierId = sqlGet<{ id: string }>(t.kernel.db, `SELECT id FROM users WHERE username = 'cashier'`)!.id;
    expect(payout).toEqual({ amount_minor: -80_000, tender: 'cash', cashier_id: cashierId });
  });

  it('at list price, the used sessions cost their catalogue price', () => {
    const setting = okAs<{ key: string; version: number }[]>(t, 'admin', 'admin.settings.list', {}).find((s) => s.key === 'homeServices.packages.refundBasis')!;
    okAs(t, 'admin', 'admin.settings.update', { key: setting.key, version: setting.version, value: 'list_price' });
    try {
      const customer = freshCustomer(t, 'north');
      const sold = sellPackage(t, customer.id, packageType(t).id);
      completeVisit(t, bookedYesterday(t, customer), customer);
      // 1,000.00 less one repair at its list price of 650.00.
      expect(holdingOf(t, sold.holdingId).refundQuote).toBe(35_000);
    } finally {
      const now = okAs<{ key: string; version: number }[]>(t, 'admin', 'admin.settings.list', {}).find((s) => s.key === 'homeServices.packages.refundBasis')!;
      okAs(t, 'admin', 'admin.settings.update', { key: now.key, version: now.version, value: 'package_rate' });
    }
  });

  it('a freeze moves the expiry and refuses redemptions meanwhile; an extension gives a later last day', () => {
    const customer = freshCustomer(t, 'north');
    const sold = sellPackage(t, customer.id, packageType(t, { validityDays: 30 }).id);
    const { holding } = holdingOf(t, sold.holdingId);
    approved('cashier', 'homeServices.packages.holdings.freeze', { id: holding.id, version: holding.version, from: today(), until: localDay(Date.now() + 9 * DAY), reason: 'In hospital' });
    const frozen = holdingOf(t, sold.holdingId).holding;
    expect(frozen).toMatchObject({ frozenNow: true, expiresOn: localDay(Date.now() + 39 * DAY) });
    completeVisit(t, bookedYesterday(t, customer), customer);
    expect(customerPackages(customer.id).redemptions[0]).toMatchObject({ outcome: 'refused', refusalRule: 'package.frozen' });
    approved('cashier', 'homeServices.packages.holdings.extend', { id: frozen.id, version: frozen.version, expiresOn: localDay(Date.now() + 60 * DAY), reason: 'Goodwill' });
    expect(holdingOf(t, sold.holdingId).holding.expiresOn).toBe(localDay(Date.now() + 60 * DAY));
  });

  it('a transfer moves what is left, at the same rate and expiry, to another customer', () => {
    const from = freshCustomer(t, 'north');
    const to = freshCustomer(t, 'north');
    const sold = sellPackage(t, from.id, packageType(t).id);
    completeVisit(t, bookedYesterday(t, from), from);
    const { holding } = holdingOf(t, sold.holdingId);
    approved('cashier', 'homeServices.packages.holdings.transfer', { id: holding.id, version: holding.version, toCustomerId: to.id, reason: 'Gift to a neighbour' });
    const [received] = customerPackages(to.id).holdings;
    expect(received).toMatchObject({ source: 'transfer', transferredFromId: holding.id, sessionsTotal: 4, priceMinor: 80_000, liabilityMinor: 80_000, expiresOn: holding.expiresOn });
    expect(holdingOf(t, sold.holdingId).holding).toMatchObject({ status: 'transferred', transferredToId: received!.id, liabilityMinor: 0 });
  });
});

describe('breakage', () => {
  it('closes packages past their last day and records what they still held, once', () => {
    const customer = freshCustomer(t, 'north');
    const sold = at(t, new Date(Date.now() - 20 * DAY), () => sellPackage(t, customer.id, packageType(t, { validityDays: 5, priceMinor: 50_000 }).id));
    const first = okAs<{ expired: number; breakageSessions: number; breakageMinor: number }>(t, 'supervisor', 'homeServices.packages.expireDue', {});
    expect(first.expired).toBeGreaterThanOrEqual(1);
    expect(holdingOf(t, sold.holdingId).holding).toMatchObject({ status: 'expired', breakageSessions: 5, breakageMinor: 50_000 });
    expect(okAs<{ expired: number }>(t, 'supervisor', 'homeServices.packages.expireDue', {}).expired).toBe(0);
  });
});

/* ---------------- subscriptions ---------------- */

describe('proration (DOMAIN.md, through the pipeline)', () => {
  it('$24.95/month, bill-cycle day 25, started 16 September: the first invoice is 9/31 → $7.24', () => {
    const customer = freshCustomer(t, 'north');
    at(t, '2025-09-16T08:00:00Z', () => {
      const p = plan(t, { priceMinor: 2495, effectiveFrom: '2025-09-01' });
      const { subscription, invoice } = subscribe(t, customer.id, p.id, { billCycleDay: 25 });
      expect(subscription).toMatchObject({ periodStart: '2025-09-16', periodEnd: '2025-09-25', billCycleDay: 25, mrrMinor: 2495 });
      expect(invoice).toMatchObject({ totalMinor: 724, dueDate: '2025-09-23' });
    });
  });

  it('an upgrade on 2 May with 30 of 31 days left: the unused part credited, the $9.95 plan charged $9.63, on one invoice', () => {
    const customer = freshCustomer(t, 'north');
    const basic = at(t, '2025-05-01T08:00:00Z', () => plan(t, { priceMinor: 495, effectiveFrom: '2025-05-01' }));
    const plus = at(t, '2025-05-01T08:00:00Z', () => plan(t, { priceMinor: 995, effectiveFrom: '2025-05-01' }));
    const { subscription } = at(t, '2025-05-01T08:00:00Z', () => subscribe(t, customer.id, basic.id));
    const changed = at(t, '2025-05-02T08:00:00Z', () =>
      okAs<{ subscription: Subscription; invoice: Invoice; quote: { direction: string } }>(t, 'supervisor', 'homeServices.subscriptions.changePlan', {
        id: subscription.id,
        version: subscription.version,
        planId: plus.id,
      }),
    );
    expect(changed.quote.direction).toBe('upgrade');
    expect(changed.invoice.lines.map((l) => [l.days, l.periodDays, l.amountMinor])).toEqual([
      [30, 31, -479],
      [30, 31, 963],
    ]);
    expect(changed.invoice.totalMinor).toBe(484);
    expect(changed.subscription).toMatchObject({ planId: plus.id, priceMinor: 995, mrrMinor: 995, periodEnd: '2025-06-01' });

    // A downgrade waits for the period end: nothing now, the cheaper plan from the next period.
    const down = at(t, '2025-05-10T08:00:00Z', () =>
      okAs<{ subscription: Subscription; invoice: Invoice | null }>(t, 'supervisor', 'homeServices.subscriptions.changePlan', {
        id: changed.subscription.id,
        version: changed.subscription.version,
        planId: basic.id,
      }),
    );
    expect(down.invoice).toBeNull();
    expect(down.subscription).toMatchObject({ planId: plus.id, pendingPlanId: basic.id });
    at(t, '2025-06-01T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-06-01' }));
    const detail = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id });
    expect(detail.subscription).toMatchObject({ planId: basic.id, priceMinor: 495, periodStart: '2025-06-01', periodEnd: '2025-07-01', pendingPlanId: null });
    expect(detail.invoices[0]).toMatchObject({ kind: 'period', periodStart: '2025-06-01', totalMinor: 495 });
    expect(detail.events.map((e) => [e.kind, e.mrrBefore, e.mrrAfter])).toEqual([
      ['downgraded', 995, 495],
      ['upgraded', 495, 995],
      ['started', 0, 495],
    ]);
  });
});

describe('pause and resume', () => {
  it('bills nothing while paused and moves the end of the term by the paused days', () => {
    const customer = freshCustomer(t, 'north');
    const p = at(t, '2025-03-01T08:00:00Z', () => plan(t, { effectiveFrom: '2025-03-01' }));
    const { subscription } = at(t, '2025-03-01T08:00:00Z', () => subscribe(t, customer.id, p.id));
    const paused = at(t, '2025-03-11T08:00:00Z', () => okAs<Subscription>(t, 'supervisor', 'homeServices.subscriptions.pause', { id: subscription.id, version: subscription.version }));
    expect(paused).toMatchObject({ status: 'paused', pausedOn: '2025-03-11' });
    const resumed = at(t, '2025-03-21T08:00:00Z', () => okAs<Subscription>(t, 'supervisor', 'homeServices.subscriptions.resume', { id: paused.id, version: paused.version }));
    expect(resumed).toMatchObject({ status: 'active', periodStart: '2025-03-01', periodEnd: '2025-04-11', billCycleDay: 11 });
    at(t, '2025-04-01T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-04-01' }));
    expect(okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id }).invoices).toHaveLength(1);
    at(t, '2025-04-11T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-04-11' }));
    const detail = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id });
    expect(detail.invoices[0]).toMatchObject({ periodStart: '2025-04-11', periodEnd: '2025-05-11' });
    expect(detail.events.map((e) => e.kind)).toEqual(['renewed', 'resumed', 'paused', 'started']);
  });

  it('cancelling now credits the unused days; at the period end it simply does not renew', () => {
    const p = at(t, '2025-02-01T08:00:00Z', () => plan(t, { priceMinor: 2800, effectiveFrom: '2025-02-01' }));
    const now = at(t, '2025-02-01T08:00:00Z', () => subscribe(t, freshCustomer(t, 'north').id, p.id)).subscription;
    const cancelled = at(t, '2025-02-08T08:00:00Z', () =>
      okAs<{ subscription: Subscription; credit: Invoice }>(t, 'supervisor', 'homeServices.subscriptions.cancel', { id: now.id, version: now.version, when: 'now', reason: 'Moving away' }),
    );
    // 28.00 for February: 21 of 28 days unused → 21.00 credited against the unpaid invoice.
    expect(cancelled.credit).toMatchObject({ totalMinor: -2100, status: 'applied' });
    expect(cancelled.subscription).toMatchObject({ status: 'cancelled', cancelledOn: '2025-02-08', openMinor: 700 });

    const later = at(t, '2025-02-01T08:00:00Z', () => subscribe(t, freshCustomer(t, 'north').id, p.id)).subscription;
    at(t, '2025-02-08T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.cancel', { id: later.id, version: later.version, when: 'period_end', reason: 'Trying another provider' }));
    at(t, '2025-03-01T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-03-01' }));
    const detail = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: later.id });
    expect(detail.subscription).toMatchObject({ status: 'cancelled', cancelledOn: '2025-03-01' });
    expect(detail.invoices).toHaveLength(1);
  });
});

describe('the billing job', () => {
  const invoiceNumbers = () => sqlAll<{ invoice_no: string }>(t.kernel.db, 'SELECT invoice_no FROM hs_subscription_invoices ORDER BY invoice_no').map((r) => Number(r.invoice_no.slice(3)));

  it('renews what is due once, however often it runs, with gap-free numbers', () => {
    const customer = freshCustomer(t, 'north');
    const p = at(t, '2025-01-10T08:00:00Z', () => plan(t, { effectiveFrom: '2025-01-10' }));
    const { subscription } = at(t, '2025-01-10T08:00:00Z', () => subscribe(t, customer.id, p.id));
    const first = at(t, '2025-04-10T08:00:00Z', () => okAs<{ invoices: string[] }>(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-04-10', limit: 1000 }));
    const mine = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id });
    // Three periods caught up (February, March, April), each invoiced in advance.
    expect(mine.invoices.map((i) => i.periodStart)).toEqual(['2025-04-10', '2025-03-10', '2025-02-10', '2025-01-10']);
    expect(first.invoices).toEqual(expect.arrayContaining(mine.invoices.slice(0, 3).map((i) => i.invoiceNo)));
    const again = at(t, '2025-04-10T08:00:00Z', () => okAs<{ invoices: string[]; renewed: number }>(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-04-10', limit: 1000 }));
    expect(again).toMatchObject({ invoices: [], renewed: 0 });
    const numbers = invoiceNumbers();
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  });

  it('runs as a job: the second run issues nothing', async () => {
    const customer = freshCustomer(t, 'north');
    const p = at(t, new Date(Date.now() - 40 * DAY), () => plan(t));
    // Paid at the counter, so the dunning step of the run leaves it alone.
    const { subscription } = at(t, new Date(Date.now() - 40 * DAY), () => subscribe(t, customer.id, p.id, { payment: { tender: 'card' } }));
    const run = async () => {
      const { jobId } = okAs<{ jobId: string }>(t, 'supervisor', 'homeServices.subscriptions.billing.run', {});
      await t.kernel.jobs.settled(jobId);
      return okAs<{ state: string; result: { invoices: number } | null; error: string | null }>(t, 'supervisor', 'jobs.get', { id: jobId });
    };
    const firstRun = await run();
    expect([firstRun.state, firstRun.error]).toEqual(['succeeded', null]);
    const count = () => sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM hs_subscription_invoices')!.n;
    const afterFirst = count();
    expect(okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id }).invoices).toHaveLength(2);
    const secondRun = await run();
    expect(secondRun.result).toMatchObject({ invoices: 0 });
    expect(count()).toBe(afterFirst);
    const numbers = invoiceNumbers();
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
  }, 60_000);
});

describe('dunning', () => {
  it('walks reminder → warning (plan changes blocked) → suspended, and a counter payment restores the service and stops the ladder', () => {
    const customer = freshCustomer(t, 'north');
    const p = at(t, '2025-07-01T08:00:00Z', () => plan(t, { effectiveFrom: '2025-07-01' }));
    const other = at(t, '2025-07-01T08:00:00Z', () => plan(t, { effectiveFrom: '2025-07-01', priceMinor: 39_900 }));
    const { subscription, invoice } = at(t, '2025-07-01T08:00:00Z', () => subscribe(t, customer.id, p.id));
    expect(invoice.dueDate).toBe('2025-07-08');
    const advance = (day: string) => at(t, `${day}T08:00:00Z`, () => okAs<{ steps: { subscriptionNo: string; step: string }[] }>(t, 'supervisor', 'homeServices.subscriptions.dunning.advance', { asOf: day }));
    const mine = (steps: { subscriptionNo: string; step: string }[]) => steps.filter((s) => s.subscriptionNo === subscription.subscriptionNo).map((s) => s.step);

    const queue = at(t, '2025-07-09T08:00:00Z', () => okAs<{ rows: DunningQueueRow[] }>(t, 'supervisor', 'homeServices.subscriptions.dunning.queue', { dueOnly: true }));
    expect(queue.rows.find((r) => r.subscriptionId === subscription.id)).toMatchObject({ stage: 'none', nextStep: 'reminder', nextDueOn: '2025-07-09', dueNow: true, overdueMinor: 29_900 });
    expect(mine(advance('2025-07-09').steps)).toEqual(['reminder']);
    expect(mine(advance('2025-07-09').steps)).toEqual([]);
    expect(mine(advance('2025-07-15').steps)).toEqual(['warning']);
    const warned = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id });
    const blocked = at(t, '2025-07-15T09:00:00Z', () =>
      callAs(t, 'supervisor', 'homeServices.subscriptions.changePlan', { id: subscription.id, version: warned.subscription.version, planId: other.id }),
    );
    expect(rule(blocked)).toBe('RULE_VIOLATION subscription.changesBlocked');
    expect(mine(advance('2025-07-22').steps)).toEqual(['suspended']);
    const allowance = at(t, '2025-07-22T09:00:00Z', () =>
      okAs<Allowance>(t, 'dispatcher', 'homeServices.subscriptions.allowance', { customerId: customer.id, serviceId: fixture(t).services.repair.id, date: '2025-07-23' }),
    );
    expect(allowance).toMatchObject({ verdict: 'refused', message: expect.stringContaining('suspended for unpaid invoices') });

    const receipt = at(t, '2025-07-22T10:00:00Z', () =>
      okAs<PaymentReceipt>(t, 'cashier', 'homeServices.subscriptions.payments.create', { customerId: customer.id, amount: 29_900, tender: 'card' }, { idempotencyKey: idempotencyKey() }),
    );
    expect(receipt).toMatchObject({ settled: [{ invoiceNo: invoice.invoiceNo, amount: 29_900, openAfter: 0 }], owedAfter: 0, restored: [{ subscriptionId: subscription.id, from: 'suspended' }] });
    const restored = at(t, '2025-07-22T10:00:00Z', () => okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id }));
    expect(restored.subscription).toMatchObject({ status: 'active', dunningStage: 'none', overdueMinor: 0 });
    expect(restored.dunning.map((d) => d.step)).toEqual(['restored', 'suspended', 'warning', 'reminder']);
    expect(restored.events[0]).toMatchObject({ kind: 'restored' });
    expect(mine(advance('2025-08-07').steps)).toEqual([]);
    const payment = sqlGet<{ type: string; amount_minor: number }>(t.kernel.db, `SELECT type, amount_minor FROM counter_transactions WHERE document_id = ?`, receipt.paymentId)!;
    expect(payment).toEqual({ type: 'subscription_payment', amount_minor: 29_900 });
  });

  it('cancels at the last step, crediting the days after the cancellation against what is owed', () => {
    const customer = freshCustomer(t, 'north');
    // A quarter of 92 days (July to September) at 92.00: a day is worth exactly 1.00.
    const p = at(t, '2025-07-01T08:00:00Z', () => plan(t, { effectiveFrom: '2025-07-01', billingPeriod: 'quarterly', priceMinor: 9200 }));
    const { subscription } = at(t, '2025-07-01T08:00:00Z', () => subscribe(t, customer.id, p.id));
    const advance = (day: string) =>
      at(t, `${day}T08:00:00Z`, () => okAs<{ steps: { subscriptionNo: string; step: string }[] }>(t, 'supervisor', 'homeServices.subscriptions.dunning.advance', { asOf: day }))
        .steps.filter((s) => s.subscriptionNo === subscription.subscriptionNo)
        .map((s) => s.step);
    // Due on 8 July; a run on 25 July takes the three steps it missed, in order.
    expect(advance('2025-07-25')).toEqual(['reminder', 'warning', 'suspended']);
    expect(advance('2025-08-06')).toEqual([]);
    expect(advance('2025-08-07')).toEqual(['cancelled']);
    const account = at(t, '2025-08-07T09:00:00Z', () => okAs<CustomerAccount>(t, 'cashier', 'homeServices.subscriptions.customerAccount', { customerId: customer.id }));
    expect(account.subscriptions[0]).toMatchObject({ status: 'cancelled', cancelledOn: '2025-08-07', dunningStage: 'cancelled', mrrMinor: 3067 });
    // 55 unused days (7 August to 30 September) credited: 37.00 of the 92.00 is still owed.
    expect(account.openInvoices.map((i) => [i.kind, i.totalMinor, i.openMinor])).toEqual([['period', 9200, 3700]]);
    const queue = at(t, '2025-08-07T09:00:00Z', () => okAs<{ rows: DunningQueueRow[] }>(t, 'supervisor', 'homeServices.subscriptions.dunning.queue', {}));
    expect(queue.rows.some((r) => r.subscriptionId === subscription.id)).toBe(false);
  });
});

describe('included visits', () => {
  it('a plan that refuses visits beyond its allowance refuses the booking too many', () => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    const p = plan(t, { includedVisits: 1, overAllowance: 'refuse' });
    subscribe(t, customer.id, p.id);
    const first: Appointment = bookFirstFree(t, { customerId: customer.id, serviceId: f.services.repair.id });
    expect(first.status).toBeDefined();
    const allowance = okAs<Allowance>(t, 'dispatcher', 'homeServices.subscriptions.allowance', { customerId: customer.id, serviceId: f.services.repair.id, date: first.localDate });
    expect(allowance).toMatchObject({ covered: true, included: 1, taken: 1, left: 0, verdict: 'refused' });
    const startsAt = new Date(Date.parse(first.startsAt) + 2 * 3_600_000).toISOString();
    const second = callAs(t, 'dispatcher', 'homeServices.scheduling.book', { customerId: customer.id, serviceId: f.services.repair.id, startsAt }, { idempotencyKey: idempotencyKey() });
    expect(rule(second)).toBe('RULE_VIOLATION subscription.allowanceUsed');
    expect(!second.ok && second.error.message).toMatch(/includes 1 visit per period and 1 is already booked/);
  });

  it('counts completed visits: included first, then a package, then charges the visit beyond the allowance', () => {
    const withPackage = freshCustomer(t, 'north');
    const withoutPackage = freshCustomer(t, 'north');
    const p = plan(t, { includedVisits: 1, overAllowance: 'charge', overagePriceMinor: 15_000 });
    const sold = sellPackage(t, withPackage.id, packageType(t).id);
    for (const customer of [withPackage, withoutPackage]) subscribe(t, customer.id, p.id);
    for (const customer of [withPackage, withoutPackage]) {
      completeVisit(t, bookedYesterday(t, customer), customer);
      completeVisit(t, bookedYesterday(t, customer), customer);
    }
    expect(holdingOf(t, sold.holdingId).holding.sessionsUsed).toBe(1);
    const paid = okAs<CustomerAccount>(t, 'cashier', 'homeServices.subscriptions.customerAccount', { customerId: withPackage.id });
    expect(paid.subscriptions[0]).toMatchObject({ visitsUsed: 1 });
    expect(paid.openInvoices.map((i) => i.kind)).toEqual(['period']);
    const charged = okAs<CustomerAccount>(t, 'cashier', 'homeServices.subscriptions.customerAccount', { customerId: withoutPackage.id });
    expect(charged.openInvoices.map((i) => [i.kind, i.totalMinor])).toEqual([
      ['period', 29_900],
      ['overage', 15_000],
    ]);
    const detail = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: charged.subscriptions[0]!.id });
    expect(detail.visits.map((v) => v.outcome).sort()).toEqual(['charged', 'included']);
  });
});

describe('reports through the report engine', () => {
  type Result = { rows: { key: string; label: string; values: Record<string, number | null> }[]; totals: Record<string, number | null> };
  const run = (report: string, extra: Record<string, unknown> = {}) => okAs<Result>(t, 'supervisor', 'reports.run', { report, from: today(), to: today(), ...extra });

  it('packages: sold, redeemed, outstanding liability (sessions and value) and breakage', () => {
    const sales = run('homeServices.packages.sales', { groupBy: 'category' });
    const soldToday = sqlGet<{ n: number; v: number }>(
      t.kernel.db,
      `SELECT count(*) AS n, sum(price_minor) AS v FROM hs_package_holdings WHERE source = 'sale' AND purchased_on = ?`,
      today(),
    )!;
    expect([sales.totals.sold, sales.totals.salesValue]).toEqual([soldToday.n, soldToday.v]);
    const holdings = okAs<{ totals: { sessionsRemaining: number; liabilityMinor: number } }>(t, 'supervisor', 'homeServices.packages.holdings.list', { limit: 1 });
    const everything = run('homeServices.packages.sales', { from: localDay(Date.now() - 60 * DAY), period: 'month' });
    expect([everything.totals.outstandingSessions, everything.totals.liability]).toEqual([holdings.totals.sessionsRemaining, holdings.totals.liabilityMinor]);
    const redeemed = run('homeServices.packages.redemptions', { groupBy: 'outcome' });
    expect(redeemed.rows.map((r) => r.key).sort()).toEqual(['redeemed', 'refused']);
    expect(redeemed.totals.redeemed).toBe(sqlGet<{ n: number }>(t.kernel.db, `SELECT count(*) AS n FROM hs_package_redemptions WHERE outcome = 'redeemed'`)!.n);
    const breakage = run('homeServices.packages.breakage', { from: localDay(Date.now() - 60 * DAY) });
    expect(breakage.totals.sessions).toBeGreaterThanOrEqual(5);
  });

  it('subscriptions: new and churned, MRR movement, invoices and collections, dunning stage counts', () => {
    const july = { from: '2025-07-01', to: '2025-08-31', period: 'month' };
    const movement = run('homeServices.subscriptions.movements', { ...july, groupBy: 'kind' });
    expect(movement.totals.started, 'started').toBeGreaterThanOrEqual(2);
    expect(movement.totals.churned, 'churned').toBeGreaterThanOrEqual(1);
    expect(movement.totals.netMrr).toBe(
      (movement.totals.newMrr ?? 0) + (movement.totals.expansionMrr ?? 0) + (movement.totals.contractionMrr ?? 0) + (movement.totals.pausedMrr ?? 0) + (movement.totals.churnedMrr ?? 0),
    );
    // Steps are dated by the clock they were taken with: July and August 2025 in the tests above.
    const dunning = run('homeServices.subscriptions.dunning', { ...july, groupBy: 'step' });
    expect(dunning.totals.restored).toBeGreaterThanOrEqual(1);
    expect(dunning.totals.suspensions).toBeGreaterThanOrEqual(2);
    const invoices = run('homeServices.subscriptions.invoices', { ...july });
    expect(invoices.totals.collected, 'collected').toBeGreaterThanOrEqual(29_900);
    const subs = run('homeServices.subscriptions.subscriptions', { ...july, groupBy: 'status' });
    expect(subs.totals.new).toBe(subs.rows.reduce((s, r) => s + (r.values.new ?? 0), 0));
    // Every subscription started in the range is now exactly one of active, paused, suspended or churned.
    expect(subs.totals.churned, 'churned').toBeGreaterThanOrEqual(1);
    expect((subs.totals.active ?? 0) + (subs.totals.paused ?? 0) + (subs.totals.suspended ?? 0) + (subs.totals.churned ?? 0)).toBe(subs.totals.new);
    expect(subs.rows.find((r) => r.key === 'cancelled')?.values.mrr).toBe(0);
    const collected = run('homeServices.subscriptions.payments', { ...july, groupBy: 'tender' });
    expect(collected.rows.find((r) => r.key === 'card')?.values.amount).toBeGreaterThanOrEqual(29_900);
  });

  it('lists the records behind a report in words, not stored codes (what the Excel sheet shows too)', () => {
    type Records = { rows: { values: Record<string, string | number | null> }[] };
    const records = (report: string, from: string, to: string) => okAs<Records>(t, 'supervisor', 'reports.records', { report, from, to, limit: 500 }).rows.map((r) => r.values);
    const invoices = records('homeServices.subscriptions.invoices', '2025-02-01', '2025-02-28');
    expect(new Set(invoices.map((v) => v.kind))).toEqual(new Set(['Period in advance', 'Credit for cancellation']));
    const steps = records('homeServices.subscriptions.dunning', '2025-07-01', '2025-08-31');
    expect(steps.map((v) => v.step)).toEqual(expect.arrayContaining(['Reminder', 'Warning', 'Suspended', 'Restored by payment']));
    const subscriptions = records('homeServices.subscriptions.subscriptions', '2025-07-01', '2025-07-31');
    expect(subscriptions.map((v) => v.dunning)).toEqual(expect.arrayContaining(['In good standing', 'Cancelled']));
    const redemptions = records('homeServices.packages.redemptions', localDay(Date.now() - 3 * DAY), today());
    expect(redemptions.map((v) => v.outcome)).toEqual(expect.arrayContaining(['Redeemed', 'Refused']));
    expect(redemptions.map((v) => v.reason)).toEqual(expect.arrayContaining(['Visit completed', 'Late cancellation', 'No-show']));
    const sold = records('homeServices.packages.sales', today(), today());
    expect(sold.map((v) => v.tender)).toEqual(expect.arrayContaining(['Cash']));
    expect(sold.map((v) => v.status)).toEqual(expect.arrayContaining(['Active', 'Refunded']));
  });

  it('exports to Excel as a job', async () => {
    const { jobId } = okAs<{ jobId: string }>(t, 'supervisor', 'reports.export', { report: 'homeServices.packages.sales', from: today(), to: today(), format: 'xlsx' });
    const job = await t.kernel.jobs.settled(jobId);
    expect([job.state, job.error]).toEqual(['succeeded', null]);
  }, 60_000);
});

describe('the cashier’s shift report', () => {
  it('names package sales, package refunds and subscription payments in the X report and the collections report, and a retried payment counts once', () => {
    const customer = freshCustomer(t, 'north');
    const sold = sellPackage(t, customer.id, packageType(t).id, { tender: 'cash' });
    const { holding } = holdingOf(t, sold.holdingId);
    approved('cashier', 'homeServices.packages.holdings.refund', { id: holding.id, version: holding.version, tender: 'cash', reason: 'Changed their mind' });
    subscribe(t, customer.id, plan(t).id);
    const key = idempotencyKey();
    const pay = () => okAs<PaymentReceipt>(t, 'cashier', 'homeServices.subscriptions.payments.create', { customerId: customer.id, amount: 29_900, tender: 'card' }, { idempotencyKey: key });
    const receipt = pay();
    expect(pay().paymentId).toBe(receipt.paymentId);
    expect(sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM counter_transactions WHERE document_id = ?', receipt.paymentId)!.n).toBe(1);

    const { report } = okAs<{ report: ShiftReport }>(t, 'cashier', 'energy.counter.shifts.current', {});
    const label = (type: string) => report.byType.find((r) => r.type === type)?.label;
    expect([label('package_sale'), label('package_refund'), label('subscription_payment')]).toEqual(['Package sales', 'Package refunds', 'Subscription payments']);
    const collections = okAs<{ rows: { key: string; label: string }[] }>(t, 'supervisor', 'energy.counter.report', { from: today(), to: today(), groupBy: 'type' });
    expect(collections.rows.map((r) => r.label)).toEqual(expect.arrayContaining(['Package sales', 'Package refunds', 'Subscription payments']));
  });
});

describe('the redemptions list', () => {
  it('names the customer of every redemption, refused ones included', () => {
    const customer = freshCustomer(t, 'north');
    const sold = sellPackage(t, customer.id, packageType(t, { services: [{ serviceId: fixture(t).services.repair.id, sessions: 1 }] }).id);
    completeVisit(t, bookedYesterday(t, customer), customer);
    completeVisit(t, bookedYesterday(t, customer), customer);
    const list = okAs<{ rows: { outcome: string; customerNo: string; customerName: string; holdingNo: string | null }[] }>(t, 'cashier', 'homeServices.packages.redemptions.list', {
      customerId: customer.id,
    });
    expect(list.rows.map((r) => [r.outcome, r.customerNo, r.customerName])).toEqual([
      ['refused', customer.customerNo, customer.name],
      ['redeemed', customer.customerNo, customer.name],
    ]);
    expect(list.rows[1]!.holdingNo).toBe(sold.holdingNo);
  });
});

/* Dated October to December 2025, after the reports above have read July and August. */
describe('plan versions by effective date', () => {
  it('a price change is a new version from a date on: periods starting before it keep the old price, later ones are billed with the new', () => {
    const customer = freshCustomer(t, 'north');
    const p = at(t, '2025-10-01T08:00:00Z', () => plan(t, { effectiveFrom: '2025-10-01', priceMinor: 30_000 }));
    const { subscription } = at(t, '2025-10-05T08:00:00Z', () => subscribe(t, customer.id, p.id));
    const version = { billingPeriod: 'monthly', priceMinor: 36_000, includedVisits: 2, serviceIds: [fixture(t).services.repair.id] };
    // Periods already billed keep their price: a version starts today at the earliest.
    const backdated = at(t, '2025-10-20T08:00:00Z', () => callAs(t, 'supervisor', 'homeServices.subscriptions.plans.addVersion', { id: p.id, version: p.version, effectiveFrom: '2025-10-19', ...version }));
    expect(rule(backdated)).toBe('RULE_VIOLATION plan.versionInPast');
    const changed = at(t, '2025-10-20T08:00:00Z', () => okAs<Plan>(t, 'supervisor', 'homeServices.subscriptions.plans.addVersion', { id: p.id, version: p.version, effectiveFrom: '2025-12-01', ...version }));
    expect(changed.versions.map((v) => [v.effectiveFrom, v.priceMinor]).sort()).toEqual([
      ['2025-10-01', 30_000],
      ['2025-12-01', 36_000],
    ]);
    expect(changed.current?.priceMinor).toBe(30_000);

    at(t, '2025-12-05T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-12-05', limit: 1000 }));
    const detail = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id });
    expect(detail.invoices.map((i) => [i.periodStart, i.totalMinor])).toEqual([
      ['2025-12-05', 36_000],
      ['2025-11-05', 30_000],
      ['2025-10-05', 30_000],
    ]);
    expect(detail.subscription).toMatchObject({ priceMinor: 36_000, mrrMinor: 36_000 });
    expect(detail.events[0]).toMatchObject({ kind: 'renewed', mrrBefore: 30_000, mrrAfter: 36_000 });
  });

  it('“keep as it is” withdraws a cancellation set for the period end, so the subscription renews', () => {
    const p = at(t, '2025-10-01T08:00:00Z', () => plan(t, { effectiveFrom: '2025-10-01' }));
    const { subscription } = at(t, '2025-10-01T08:00:00Z', () => subscribe(t, freshCustomer(t, 'north').id, p.id));
    const leaving = at(t, '2025-10-10T08:00:00Z', () =>
      okAs<{ subscription: Subscription }>(t, 'supervisor', 'homeServices.subscriptions.cancel', { id: subscription.id, version: subscription.version, when: 'period_end', reason: 'Moving' }),
    ).subscription;
    expect(leaving.cancelAtPeriodEnd).toBe(true);
    const kept = at(t, '2025-10-12T08:00:00Z', () => okAs<Subscription>(t, 'supervisor', 'homeServices.subscriptions.keep', { id: leaving.id, version: leaving.version }));
    expect(kept).toMatchObject({ cancelAtPeriodEnd: false, status: 'active' });
    expect(rule(at(t, '2025-10-12T08:00:00Z', () => callAs(t, 'supervisor', 'homeServices.subscriptions.keep', { id: kept.id, version: kept.version })))).toBe(
      'RULE_VIOLATION subscription.nothingPending',
    );
    at(t, '2025-11-01T08:00:00Z', () => okAs(t, 'supervisor', 'homeServices.subscriptions.billing.renewDue', { asOf: '2025-11-01', limit: 1000 }));
    const detail = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id });
    expect(detail.subscription).toMatchObject({ status: 'active', periodStart: '2025-11-01' });
    expect(detail.invoices.map((i) => i.periodStart)).toEqual(['2025-11-01', '2025-10-01']);
  });
});

describe('what settled an invoice', () => {
  it('an invoice lists the payments (with their receipts) and credit notes that paid it, and a credit note what it was used against', () => {
    const customer = freshCustomer(t, 'north');
    const p = at(t, '2025-02-01T08:00:00Z', () => plan(t, { priceMinor: 2800, effectiveFrom: '2025-02-01' }));
    const { subscription, invoice } = at(t, '2025-02-01T08:00:00Z', () => subscribe(t, customer.id, p.id));
    const paid = at(t, '2025-02-03T08:00:00Z', () =>
      okAs<PaymentReceipt>(t, 'cashier', 'homeServices.subscriptions.payments.create', { customerId: customer.id, amount: 500, tender: 'cash' }, { idempotencyKey: idempotencyKey() }),
    );
    const fresh = okAs<SubscriptionDetail>(t, 'supervisor', 'homeServices.subscriptions.get', { id: subscription.id }).subscription;
    // 21 of February's 28 days unused: 21.00 credited against the 23.00 still open.
    const { credit } = at(t, '2025-02-08T08:00:00Z', () =>
      okAs<{ credit: Invoice }>(t, 'supervisor', 'homeServices.subscriptions.cancel', { id: fresh.id, version: fresh.version, when: 'now', reason: 'Moving away' }),
    );
    const detail = okAs<InvoiceDetail>(t, 'supervisor', 'homeServices.subscriptions.invoices.get', { id: invoice.id });
    expect(detail.settledBy.map((x) => [x.kind, x.sourceNo, x.amountMinor])).toEqual([
      ['payment', paid.receiptNo, 500],
      ['credit_note', credit.invoiceNo, 2100],
    ]);
    expect(detail).toMatchObject({ openMinor: 200, appliedTo: [] });
    const note = okAs<InvoiceDetail>(t, 'supervisor', 'homeServices.subscriptions.invoices.get', { id: credit.id });
    expect(note.appliedTo.map((x) => [x.invoiceNo, x.amountMinor])).toEqual([[invoice.invoiceNo, 2100]]);
    // The receipt a clerk reprints from the invoice is the one the customer was given.
    const reprint = okAs<PaymentReceipt>(t, 'cashier', 'homeServices.subscriptions.payments.get', { id: detail.settledBy[0]!.sourceId });
    expect(reprint).toMatchObject({ receiptNo: paid.receiptNo, amount: 500, settled: [{ invoiceNo: invoice.invoiceNo, amount: 500 }] });
    // The counter's account card offers the same receipt among the customer's last payments.
    const account = okAs<CustomerAccount>(t, 'cashier', 'homeServices.subscriptions.customerAccount', { customerId: customer.id });
    expect(account.recentPayments).toEqual([{ paymentId: paid.paymentId, receiptNo: paid.receiptNo, at: expect.any(String), amount: 500, tender: 'cash' }]);
  });
});

describe('dunning on the branch’s own day offsets', () => {
  const setSetting = (key: string, value: unknown) => {
    const current = okAs<{ key: string; version: number }[]>(t, 'admin', 'admin.settings.list', {}).find((x) => x.key === key)!;
    okAs(t, 'admin', 'admin.settings.update', { key, version: current.version, value });
  };

  it('takes each step on the configured day after the due date, and the queue says when the next one is due', () => {
    setSetting('homeServices.subscriptions.dunningOffsets', { reminder: 2, warning: 4, suspended: 6, cancelled: 10 });
    try {
      const customer = freshCustomer(t, 'north');
      const p = at(t, '2025-11-03T08:00:00Z', () => plan(t, { effectiveFrom: '2025-11-03' }));
      const { subscription, invoice } = at(t, '2025-11-03T08:00:00Z', () => subscribe(t, customer.id, p.id));
      expect(invoice.dueDate).toBe('2025-11-10');
      const steps = (day: string) =>
        at(t, `${day}T08:00:00Z`, () => okAs<{ steps: { subscriptionNo: string; step: string }[] }>(t, 'supervisor', 'homeServices.subscriptions.dunning.advance', { asOf: day }))
          .steps.filter((x) => x.subscriptionNo === subscription.subscriptionNo)
          .map((x) => x.step);
      // With the default ladder a reminder would be due on 11 November; here it waits for the 12th.
      expect(steps('2025-11-11')).toEqual([]);
      expect(steps('2025-11-12')).toEqual(['reminder']);
      const queue = at(t, '2025-11-12T09:00:00Z', () => okAs<{ rows: DunningQueueRow[] }>(t, 'supervisor', 'homeServices.subscriptions.dunning.queue', {}));
      expect(queue.rows.find((r) => r.subscriptionId === subscription.id)).toMatchObject({ stage: 'reminder', nextStep: 'warning', nextDueOn: '2025-11-14', dueNow: false });
      expect(steps('2025-11-14')).toEqual(['warning']);
      expect(steps('2025-11-16')).toEqual(['suspended']);
      expect(steps('2025-11-19')).toEqual([]);
      expect(steps('2025-11-20')).toEqual(['cancelled']);
    } finally {
      setSetting('homeServices.subscriptions.dunningOffsets', { reminder: 1, warning: 7, suspended: 14, cancelled: 30 });
    }
  });
});

describe('the journal', () => {
  it('still verifies after everything above', () => {
    expect(okAs<{ ok: boolean }>(t, 'auditor', 'audit.verify', {}).ok).toBe(true);
    const holdings = okAs<{ rows: Holding[]; total: number }>(t, 'auditor', 'homeServices.packages.holdings.list', { limit: 5 });
    expect(holdings.total).toBeGreaterThan(5);
    expect(holdings.rows).toHaveLength(5);
  });
});
