import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Allowance } from '../../src-shared/contracts/home-services/subscriptions';
import type { Appointment } from '../../src-shared/contracts/home-services/scheduling';
import { sqlGet } from '../../src-main/core/db/store';
import { openTestApp, type TestApp } from '../support/app';
import { callAs, firstFree, freshCustomer, idempotencyKey, okAs } from '../support/home-services';
import { ensureShift, fixture } from '../support/samples/packages';
import { plan, subscribe } from '../support/samples/subscriptions';

/*
 * A recurring series against a subscription's included visits, through the pipeline with the
 * real subscription guard: every occurrence is judged on its own date after the ones before it,
 * so a series cannot book more visits into a period than the plan allows by being one request.
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

const DAY = 86_400_000;
const rule = (answer: ReturnType<typeof callAs>) => (answer.ok ? 'ok' : `${answer.error.code} ${String(answer.error.details?.rule ?? '')}`.trim());
const allowance = (customerId: string, serviceId: string, date: string) =>
  okAs<Allowance>(t, 'dispatcher', 'homeServices.subscriptions.allowance', { customerId, serviceId, date });
const bookedFor = (customerId: string) => sqlGet<{ n: number }>(t.kernel.db, 'SELECT count(*) AS n FROM hs_appointments WHERE customer_id = ?', customerId)!.n;

/** A start whose weekly occurrences are all free, so only the allowance can refuse the series. */
function seriesStart(customerId: string, serviceId: string, recurrence: { frequency: 'weekly' | 'monthly'; interval: number; count: number }) {
  const startsAt = firstFree(t, 'dispatcher', { customerId, serviceId, from: new Date(Date.now() + DAY).toISOString() });
  const preview = okAs<{ startsAt: string; free: boolean; problem: string | null }[]>(t, 'dispatcher', 'homeServices.scheduling.previewSeries', {
    customerId,
    serviceId,
    startsAt,
    recurrence,
  });
  expect(preview.map((o) => o.problem)).toEqual(preview.map(() => null));
  return { startsAt, dates: preview.map((o) => o.startsAt) };
}

describe('a recurring series against a plan’s included visits', () => {
  it('is refused at the occurrence one too many for its period, naming it, and books nothing', () => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    subscribe(t, customer.id, plan(t, { includedVisits: 2, overAllowance: 'refuse' }).id);
    const recurrence = { frequency: 'weekly' as const, interval: 1, count: 3 };
    const { startsAt, dates } = seriesStart(customer.id, f.services.repair.id, recurrence);
    const day = (iso: string) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Africa/Johannesburg' }).format(new Date(iso));
    // The premise: all three weeks fall in one monthly period that still has both visits left.
    const periods = dates.map((d) => allowance(customer.id, f.services.repair.id, day(d)));
    expect(new Set(periods.map((p) => p.periodStart)).size).toBe(1);
    expect(periods[0]).toMatchObject({ verdict: 'included', left: 2 });

    const refused = callAs(t, 'dispatcher', 'homeServices.scheduling.book', { customerId: customer.id, serviceId: f.services.repair.id, startsAt, recurrence }, { idempotencyKey: idempotencyKey() });
    expect(rule(refused)).toBe('RULE_VIOLATION subscription.allowanceUsed');
    expect(!refused.ok && refused.error.message).toMatch(new RegExp(`^Occurrence 3 \\(${day(dates[2]!)}\\): .*includes 2 visits per period and 2 are already booked`));
    // One transaction: the two occurrences that fitted were not kept either.
    expect(bookedFor(customer.id)).toBe(0);

    // Two weeks fit the two included visits and book whole.
    const booked = okAs<{ series: Appointment[] }>(t, 'dispatcher', 'homeServices.scheduling.book', { customerId: customer.id, serviceId: f.services.repair.id, startsAt, recurrence: { ...recurrence, count: 2 } }, { idempotencyKey: idempotencyKey() });
    expect(booked.series).toHaveLength(2);
    expect(allowance(customer.id, f.services.repair.id, day(dates[0]!))).toMatchObject({ taken: 2, left: 0, verdict: 'refused' });
  });

  it('counts each occurrence in its own period: a monthly series on one visit a month books', () => {
    const f = fixture(t);
    const customer = freshCustomer(t, 'north');
    subscribe(t, customer.id, plan(t, { includedVisits: 1, overAllowance: 'refuse' }).id);
    const recurrence = { frequency: 'monthly' as const, interval: 1, count: 2 };
    const { startsAt } = seriesStart(customer.id, f.services.repair.id, recurrence);
    const booked = okAs<{ series: Appointment[] }>(t, 'dispatcher', 'homeServices.scheduling.book', { customerId: customer.id, serviceId: f.services.repair.id, startsAt, recurrence }, { idempotencyKey: idempotencyKey() });
    expect(booked.series.map((a) => a.seriesIndex)).toEqual([1, 2]);
  });
});
