import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  DevelopmentTokenGenerator,
  creditEstimate,
  crc16,
  decodeAmount,
  decodeToken,
  encodeAmount,
  encodeToken,
  formatToken,
  splitVend,
  tokenIdAt,
  tokenIdDate,
  unitsForValue,
} from './rules';

const noCharges = { credit: 0, serviceChargeDue: 0, emergencyOutstanding: 0, taxRateBp: 0 };

describe('vend split', () => {
  it('DOMAIN.md: 100 paid at 25% with 60 owed → 25 to debt, 75 vended', () => {
    const split = splitVend({ ...noCharges, amount: 100_00, debt: 60_00, recoveryBp: 2500 });
    expect(split.debt).toBe(25_00);
    expect(split.value).toBe(75_00);
  });

  it('DOMAIN.md: 100 paid at 25% with 10 owed → 10 to debt, 90 vended', () => {
    const split = splitVend({ ...noCharges, amount: 100_00, debt: 10_00, recoveryBp: 2500 });
    expect(split.debt).toBe(10_00);
    expect(split.value).toBe(90_00);
  });

  it('takes debt, the service charge, emergency credit, then tax, and the parts add up to the payment', () => {
    // 200 − 40 debt (20%) − 15 charge − 20 emergency = 125 incl. 15% tax → value 108.70, tax 16.30.
    const split = splitVend({ amount: 200_00, credit: 0, debt: 1000_00, recoveryBp: 2000, serviceChargeDue: 15_00, emergencyOutstanding: 20_00, taxRateBp: 1500 });
    expect(split).toEqual({ creditUsed: 0, debt: 40_00, serviceCharge: 15_00, emergencyRecovered: 20_00, tax: 16_30, value: 108_70 });
    expect(split.debt + split.serviceCharge + split.emergencyRecovered + split.tax + split.value).toBe(200_00);
  });

  it('uses credit left by a reversed vend on top of the payment', () => {
    const split = splitVend({ ...noCharges, amount: 50_00, credit: 30_00, debt: 0, recoveryBp: 2500 });
    expect(split.value).toBe(80_00);
  });

  it('always adds up, whatever the terms', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 5_000 }),
        (amount, credit, debt, recoveryBp, charge, emergency, tax) => {
          const s = splitVend({ amount, credit, debt, recoveryBp, serviceChargeDue: charge, emergencyOutstanding: emergency, taxRateBp: tax });
          expect(s.debt + s.serviceCharge + s.emergencyRecovered + s.tax + s.value).toBe(amount + credit);
          expect(s.debt).toBeLessThanOrEqual(debt);
          expect(Math.min(s.value, s.tax)).toBeGreaterThanOrEqual(0);
        },
      ),
    );
  });
});

describe('units for a value', () => {
  const flat = [{ upTo: null, rate: 250 }];
  const inclining = [
    { upTo: 50, rate: 100 },
    { upTo: null, rate: 200 },
  ];
  it('divides by the rate and rounds down to 0.1 unit', () => {
    expect(unitsForValue(75_00, flat, 'graduated')).toBe(30);
    expect(unitsForValue(10_01, flat, 'graduated')).toBe(4);
    expect(unitsForValue(10_30, flat, 'graduated')).toBe(4.1);
  });
  it('climbs the month’s blocks from what was already bought', () => {
    expect(unitsForValue(100_00, inclining, 'graduated', 0)).toBe(75); // 50 at 1.00 + 25 at 2.00
    expect(unitsForValue(100_00, inclining, 'graduated', 50)).toBe(50);
    expect(unitsForValue(100_00, inclining, 'volume', 0)).toBe(50);
  });
});

describe('low-credit estimate', () => {
  it('days to empty = units left ÷ daily use', () => {
    const e = creditEstimate({
      unitsCredited: 300,
      unitsMeasured: 200,
      measuredThrough: '2025-03-01',
      enrolledOn: '2025-01-01',
      readingsDailyUse: 10,
      recentVends: [],
      today: '2025-03-06',
    });
    expect(e).toEqual({ remainingUnits: 50, dailyUse: 10, daysToEmpty: 5, basis: 'readings' });
  });
  it('falls back to the buying rate when the meter is not read: what was bought before the latest purchase, over the days between', () => {
    const e = creditEstimate({
      unitsCredited: 600,
      unitsMeasured: 0,
      measuredThrough: null,
      enrolledOn: '2025-01-01',
      readingsDailyUse: 0,
      // 400 units lasted from 1 Jan to 10 Feb (40 days): 10 a day; the 200 bought on 10 Feb are the credit in hand.
      recentVends: [
        { at: '2025-01-01T09:00:00Z', units: 200 },
        { at: '2025-01-21T09:00:00Z', units: 200 },
        { at: '2025-02-10T09:00:00Z', units: 200 },
      ],
      today: '2025-02-25',
    });
    expect(e.basis).toBe('vends');
    expect(e.dailyUse).toBe(10);
    expect(e.remainingUnits).toBe(50);
    expect(e.daysToEmpty).toBe(5);
  });
  it('does not count a single purchase as used up: without a habit there is no rate and no days to empty', () => {
    const e = creditEstimate({
      unitsCredited: 150,
      unitsMeasured: 0,
      measuredThrough: null,
      enrolledOn: '2025-01-01',
      readingsDailyUse: 0,
      recentVends: [{ at: '2025-02-24T09:00:00Z', units: 150 }],
      today: '2025-02-25',
    });
    expect(e).toEqual({ remainingUnits: 150, dailyUse: 0, daysToEmpty: null, basis: 'none' });
  });
});

describe('the 20-digit token (development STS layout)', () => {
  it('CRC-16 matches the published check value of its polynomial (0x4B37 for "123456789")', () => {
    expect(crc16(new TextEncoder().encode('123456789'))).toBe(0x4b37);
  });

  it('token id is minutes since the base date', () => {
    expect(tokenIdAt(new Date('2014-01-01T00:00:00Z'))).toBe(0);
    expect(tokenIdAt(new Date('2025-06-01T10:30:59Z'))).toBe(Math.floor((Date.UTC(2025, 5, 1, 10, 30) - Date.UTC(2014, 0, 1)) / 60_000));
    expect(tokenIdDate(tokenIdAt(new Date('2025-06-01T10:30:00Z'))).toISOString()).toBe('2025-06-01T10:30:00.000Z');
  });

  it('amount is a 2-bit exponent and 14-bit mantissa of 0.1 units, exact where it can be', () => {
    expect(encodeAmount(30)).toBe(300);
    expect(decodeAmount(encodeAmount(1638.3))).toBe(1638.3);
    expect(encodeAmount(1638.4) >> 14).toBe(1);
    // Above 1,638.3 units the step is 1 unit (from an offset of 1,638.4): 2,000 is carried as 1,999.4,
    // rounded down, never up, and never by a whole step.
    expect(decodeAmount(encodeAmount(2000))).toBe(1999.4);
    for (const units of [1700.7, 25_000.3, 180_000]) {
      expect(decodeAmount(encodeAmount(units))).toBeLessThanOrEqual(units);
      expect(decodeAmount(encodeAmount(units))).toBeGreaterThan(units - 10 ** ((encodeAmount(units) >> 14) - 1));
    }
    expect(() => encodeAmount(2_000_000)).toThrow();
  });

  it('round-trips every field through 20 digits, and the CRC catches a mistyped digit', () => {
    fc.assert(
      fc.property(
        fc.record({
          tokenClass: fc.integer({ min: 0, max: 3 }),
          subclass: fc.integer({ min: 0, max: 15 }),
          random: fc.integer({ min: 0, max: 15 }),
          tokenId: fc.integer({ min: 0, max: 2 ** 24 - 1 }),
          amount: fc.integer({ min: 0, max: 65535 }),
        }),
        (fields) => {
          const token = encodeToken(fields);
          expect(token).toMatch(/^\d{20}$/);
          const decoded = decodeToken(token)!;
          expect({ ...decoded, crc: undefined, crcValid: undefined, units: undefined }).toEqual({ ...fields, crc: undefined, crcValid: undefined, units: undefined });
          expect(decoded.crcValid).toBe(true);
        },
      ),
    );
    const token = encodeToken({ tokenClass: 0, subclass: 0, random: 7, tokenId: 6_000_000, amount: 300 });
    const digit = Number(token[10]);
    const mistyped = `${token.slice(0, 10)}${(digit + 1) % 10}${token.slice(11)}`;
    expect(decodeToken(mistyped)?.crcValid ?? false).toBe(false);
    expect(decodeToken('1234')).toBeNull();
  });

  it('the development generator issues rising token ids per meter and says it is development', () => {
    const generator = new DevelopmentTokenGenerator(() => 0.5);
    const at = new Date('2025-06-01T10:30:00Z');
    const first = generator.issue({ stsMeterNo: '01234567890', units: 30, at, lastTokenId: 0, subclass: 0 });
    const second = generator.issue({ stsMeterNo: '01234567890', units: 30, at, lastTokenId: first.tokenId, subclass: 0 });
    expect(second.tokenId).toBe(first.tokenId + 1);
    expect(generator.development).toBe(true);
    expect(decodeToken(first.token)).toMatchObject({ tokenClass: 0, random: 8, tokenId: tokenIdAt(at), units: 30, crcValid: true });
    expect(formatToken(first.token)).toMatch(/^\d{4} \d{4} \d{4} \d{4} \d{4}$/);
  });
});
