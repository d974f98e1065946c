import { describe, expect, it } from 'vitest';
import {
  chooseCredit,
  expiryOf,
  frozenExpiry,
  liabilityOf,
  purchaseLimitReached,
  redemptionValue,
  refundAmount,
  valueOfSessions,
  type CreditLine,
} from './rules';

const line = (over: Partial<CreditLine> & { holdingNo: string }): CreditLine => ({
  holdingId: over.holdingNo,
  name: 'Cleaning x5',
  balanceId: `${over.holdingNo}-b`,
  serviceId: 'clean',
  eligibleServiceIds: ['clean'],
  remaining: 3,
  status: 'active',
  purchasedAt: '2025-01-01T08:00:00.000Z',
  expiresOn: '2025-12-31',
  expiryIfUsedOn: () => null,
  frozenFrom: null,
  frozenUntil: null,
  consumesOnLateCancel: false,
  consumesOnNoShow: false,
  ...over,
});

describe('validity', () => {
  const terms = (kind: 'days_from_purchase' | 'days_from_first_use' | 'fixed_date') => ({
    validityKind: kind,
    validityDays: kind === 'fixed_date' ? null : 30,
    validUntil: kind === 'fixed_date' ? '2025-06-30' : null,
  });

  it('counts the first day: bought on 1 March, valid 30 days → last day 30 March', () => {
    expect(expiryOf(terms('days_from_purchase'), '2025-03-01', null)).toBe('2025-03-30');
  });

  it('from first use: no expiry until the first session, then 30 days from it', () => {
    expect(expiryOf(terms('days_from_first_use'), '2025-03-01', null)).toBeNull();
    expect(expiryOf(terms('days_from_first_use'), '2025-03-01', '2025-04-10')).toBe('2025-05-09');
  });

  it('a fixed date is the same for everyone', () => {
    expect(expiryOf(terms('fixed_date'), '2025-03-01', '2025-04-10')).toBe('2025-06-30');
  });
});

describe('redemption order and refusals', () => {
  it('uses the credit closest to expiry first', () => {
    const later = line({ holdingNo: 'PK-2', expiresOn: '2025-09-30' });
    const sooner = line({ holdingNo: 'PK-1', expiresOn: '2025-06-30', purchasedAt: '2025-02-01T08:00:00.000Z' });
    const choice = chooseCredit([later, sooner], 'clean', '2025-05-01', 'visit');
    expect(choice).toMatchObject({ kind: 'use', line: { holdingNo: 'PK-1' } });
  });

  it('puts an unused first-use package (no expiry yet) after dated ones', () => {
    const firstUse = line({ holdingNo: 'PK-F', expiresOn: null, expiryIfUsedOn: (d) => `${d.slice(0, 4)}-12-31` });
    const dated = line({ holdingNo: 'PK-D', expiresOn: '2025-11-30' });
    expect(chooseCredit([firstUse, dated], 'clean', '2025-05-01', 'visit')).toMatchObject({ line: { holdingNo: 'PK-D' } });
  });

  it('skips an expired package for a usable one', () => {
    const expired = line({ holdingNo: 'PK-1', expiresOn: '2025-04-30' });
    const ok = line({ holdingNo: 'PK-2', expiresOn: '2025-09-30' });
    expect(chooseCredit([expired, ok], 'clean', '2025-05-01', 'visit')).toMatchObject({ kind: 'use', line: { holdingNo: 'PK-2' } });
  });

  it('refuses when expired, saying when', () => {
    const choice = chooseCredit([line({ holdingNo: 'PK-1', expiresOn: '2025-04-30' })], 'clean', '2025-05-01', 'visit');
    expect(choice).toMatchObject({ kind: 'refuse', rule: 'package.expired', message: 'Package PK-1 (Cleaning x5) expired on 2025-04-30' });
  });

  it('refuses when used up', () => {
    const choice = chooseCredit([line({ holdingNo: 'PK-1', remaining: 0 })], 'clean', '2025-05-01', 'visit');
    expect(choice).toMatchObject({ kind: 'refuse', rule: 'package.usedUp' });
  });

  it('refuses while frozen, saying until when', () => {
    const choice = chooseCredit([line({ holdingNo: 'PK-1', frozenFrom: '2025-04-20', frozenUntil: '2025-05-10' })], 'clean', '2025-05-01', 'visit');
    expect(choice).toMatchObject({ kind: 'refuse', rule: 'package.frozen', message: expect.stringContaining('frozen until 2025-05-10') });
    expect(chooseCredit([line({ holdingNo: 'PK-1', frozenFrom: '2025-04-20', frozenUntil: '2025-05-10' })], 'clean', '2025-05-11', 'visit').kind).toBe('use');
  });

  it('has nothing to say when no package covers the service', () => {
    expect(chooseCredit([line({ holdingNo: 'PK-1' })], 'paint', '2025-05-01', 'visit')).toEqual({ kind: 'none' });
  });

  it('a shared pool covers each of its services, after a service-specific credit of the same expiry', () => {
    const pool = line({ holdingNo: 'PK-P', serviceId: null, eligibleServiceIds: ['clean', 'garden'] });
    const specific = line({ holdingNo: 'PK-S' });
    expect(chooseCredit([pool, specific], 'clean', '2025-05-01', 'visit')).toMatchObject({ line: { holdingNo: 'PK-S' } });
    expect(chooseCredit([pool, specific], 'garden', '2025-05-01', 'visit')).toMatchObject({ line: { holdingNo: 'PK-P' } });
  });

  it('late cancellations and no-shows cost a session only where the terms say so', () => {
    const lenient = line({ holdingNo: 'PK-L' });
    const strict = line({ holdingNo: 'PK-S', consumesOnLateCancel: true, expiresOn: '2025-12-31' });
    expect(chooseCredit([lenient], 'clean', '2025-05-01', 'late_cancel')).toEqual({ kind: 'none' });
    expect(chooseCredit([lenient, strict], 'clean', '2025-05-01', 'late_cancel')).toMatchObject({ line: { holdingNo: 'PK-S' } });
    expect(chooseCredit([lenient, strict], 'clean', '2025-05-01', 'no_show')).toEqual({ kind: 'none' });
  });
});

describe('value, refunds and liability', () => {
  it('redemptions add up to exactly the value used, however the price divides', () => {
    // 1000.00 over 3 sessions: 333.33, 333.34, 333.33.
    const values = [0, 1, 2].map((used) => redemptionValue(100_000, 3, used));
    expect(values).toEqual([33_333, 33_334, 33_333]);
    expect(values.reduce((s, v) => s + v, 0)).toBe(100_000);
    expect(liabilityOf(100_000, 3, 3)).toBe(0);
    expect(liabilityOf(100_000, 3, 1)).toBe(66_667);
    expect(valueOfSessions(100_000, 3, 2)).toBe(66_667);
  });

  it('refund at the package rate: 1,000.00 for 10 sessions, 3 used → 700.00', () => {
    expect(refundAmount({ priceMinor: 100_000, sessionsTotal: 10, sessionsUsed: 3, basis: 'package_rate' })).toBe(70_000);
  });

  it('refund at list price: 3 used sessions of 150.00 → 550.00, never below zero', () => {
    expect(refundAmount({ priceMinor: 100_000, sessionsTotal: 10, sessionsUsed: 3, basis: 'list_price', usedListPrices: [15_000, 15_000, 15_000] })).toBe(55_000);
    expect(refundAmount({ priceMinor: 30_000, sessionsTotal: 10, sessionsUsed: 3, basis: 'list_price', usedListPrices: [15_000, 15_000, 15_000] })).toBe(0);
  });

  it('nothing used refunds the whole price', () => {
    expect(refundAmount({ priceMinor: 99_999, sessionsTotal: 7, sessionsUsed: 0, basis: 'package_rate' })).toBe(99_999);
  });
});

describe('freeze and limits', () => {
  it('a freeze moves the expiry by the frozen days, both ends counted', () => {
    expect(frozenExpiry('2025-06-30', '2025-05-01', '2025-05-10')).toBe('2025-07-10');
    expect(frozenExpiry(null, '2025-05-01', '2025-05-10')).toBeNull();
  });

  it('a purchase limit counts what the customer already bought', () => {
    expect(purchaseLimitReached(null, 10)).toBe(false);
    expect(purchaseLimitReached(2, 1)).toBe(false);
    expect(purchaseLimitReached(2, 2)).toBe(true);
  });
});
