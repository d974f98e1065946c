import { describe, expect, it } from 'vitest';
import {
  aging,
  billExceptions,
  computeBill,
  lastClosedPeriod,
  periodContaining,
  reportRangeProblem,
  roundMinor,
  settleOldestFirst,
  splitAtTariffChanges,
  tierCharges,
  type TariffVersion,
} from './rules';

/** Kill Bill's published water tariff (DOMAIN.md): $30 fixed; first 1,000 L at $1.50, then $2.00. */
const killBill = (mode: 'graduated' | 'volume', extra: Partial<TariffVersion> = {}): TariffVersion => ({
  id: 't1',
  code: 'WATER',
  effectiveFrom: '2020-01-01',
  fixedCharge: 3000,
  pricingMode: mode,
  tiers: [
    { upTo: 1000, rate: 150 },
    { upTo: null, rate: 200 },
  ],
  minimumCharge: 0,
  taxRateBp: 0,
  ...extra,
});

const fullPeriod = { periodStart: '2025-01-01', periodEnd: '2025-01-30', billedFrom: '2025-01-01', billedTo: '2025-01-30' };

describe('tariff math with Kill Bill’s numbers', () => {
  it('graduated (ALL_TIERS): 400 L → $630', () => {
    expect(computeBill(fullPeriod, 400, [killBill('graduated')])!.total).toBe(63_000);
  });

  it('graduated (ALL_TIERS): 1,200 L → $1,930 (1,000 at 1.50 + 200 at 2.00 + 30)', () => {
    const bill = computeBill(fullPeriod, 1200, [killBill('graduated')])!;
    expect(bill.total).toBe(193_000);
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['fixed', 3000],
      ['energy', 150_000],
      ['energy', 40_000],
    ]);
  });

  it('all units at the reached tier (TOP_TIER): 1,200 L → $2,430', () => {
    expect(computeBill(fullPeriod, 1200, [killBill('volume')])!.total).toBe(243_000);
  });

  it('all units at the reached tier stays in the first tier up to its bound: 1,000 L → $1,530', () => {
    expect(computeBill(fullPeriod, 1000, [killBill('volume')])!.total).toBe(153_000);
  });

  it('tier charges split exactly at the bound and scale blocks for part periods', () => {
    expect(tierCharges(1000, killBill('graduated').tiers, 'graduated').map((c) => c.units)).toEqual([1000]);
    expect(tierCharges(800, killBill('graduated').tiers, 'graduated', 0.5).map((c) => [c.units, c.rate])).toEqual([
      [500, 150],
      [300, 200],
    ]);
  });

  it('a minimum charge tops up a small bill, and tax is added on the subtotal', () => {
    const bill = computeBill(fullPeriod, 10, [killBill('graduated', { minimumCharge: 10_000, taxRateBp: 1500 })])!;
    expect(bill.subtotal).toBe(10_000);
    expect(bill.tax).toBe(1500);
    expect(bill.total).toBe(11_500);
    expect(bill.lines.map((l) => l.kind)).toEqual(['fixed', 'energy', 'minimum', 'tax']);
  });
});

describe('proration by days over the whole period', () => {
  it('a first partial period gets days/period of the fixed charge and of every block', () => {
    // 20 of 30 days: fixed 30 × 2/3 = 20; the first block shrinks to 666.67 L.
    const bill = computeBill({ ...fullPeriod, billedFrom: '2025-01-11' }, 800, [killBill('graduated')])!;
    const exact = 2000 + (2000 / 3) * 150 + (800 - 2000 / 3) * 200;
    expect(bill.exactTotal).toBeCloseTo(exact, 6);
    expect(bill.total).toBe(Math.round(exact)); // 128,666.67 → 128,667
    expect(bill.total).toBe(128_667);
  });

  it('a last partial period is prorated the same way (denominator = the full period)', () => {
    const bill = computeBill({ ...fullPeriod, billedTo: '2025-01-15' }, 0, [killBill('graduated')])!;
    expect(bill.total).toBe(1500);
  });

  it('splits the period at a tariff change by days and shares the consumption by days', () => {
    const newVersion: TariffVersion = {
      ...killBill('graduated'),
      id: 't2',
      effectiveFrom: '2025-01-21',
      fixedCharge: 3600,
      tiers: [
        { upTo: 1000, rate: 180 },
        { upTo: null, rate: 240 },
      ],
    };
    const segments = splitAtTariffChanges(fullPeriod, [newVersion, killBill('graduated')])!;
    expect(segments.map((s) => [s.tariff.id, s.from, s.to, s.days])).toEqual([
      ['t1', '2025-01-01', '2025-01-20', 20],
      ['t2', '2025-01-21', '2025-01-30', 10],
    ]);
    // 900 units: 600 on the old tariff (block 666.67, all at 1.50), 300 on the new (block 333.33, all at 1.80).
    const bill = computeBill(fullPeriod, 900, [killBill('graduated'), newVersion])!;
    expect(bill.total).toBe(2000 + 600 * 150 + 1200 + 300 * 180);
    expect(bill.segments.map((s) => s.consumption)).toEqual([600, 300]);
  });

  it('rounds once at the end: lines shown to the cent get a rounding line when they do not add up', () => {
    // 1,506 over 30 days = 50.2 a day; two 2-day segments of 100.4 each: exact 200.8 → 201, shown 100 + 100.
    const a: TariffVersion = { ...killBill('graduated'), fixedCharge: 1506, id: 'a' };
    const b: TariffVersion = { ...a, id: 'b', effectiveFrom: '2025-01-03' };
    const bill = computeBill({ ...fullPeriod, billedTo: '2025-01-04' }, 0, [a, b])!;
    expect(bill.total).toBe(201);
    expect(bill.lines.map((l) => [l.kind, l.amount])).toEqual([
      ['fixed', 100],
      ['fixed', 100],
      ['rounding', 1],
    ]);
    expect(bill.lines.reduce((s, l) => s + l.amount, 0)).toBe(bill.total);
  });

  it('refuses to bill days before any tariff version was in effect', () => {
    expect(computeBill(fullPeriod, 10, [{ ...killBill('graduated'), effectiveFrom: '2025-01-05' }])).toBeNull();
  });

  it('rounds half away from zero without binary noise', () => {
    expect(roundMinor(2.675 * 100) / 100).toBe(2.68);
    expect(roundMinor(0.5)).toBe(1);
    expect(roundMinor(-0.5)).toBe(-1);
    expect(roundMinor(128_666.666_666)).toBe(128_667);
  });
});

describe('cycle calendar', () => {
  it('a period runs from the day after one close to the next close', () => {
    expect(periodContaining(25, '2025-03-10')).toEqual({ periodStart: '2025-02-26', periodEnd: '2025-03-25' });
    expect(periodContaining(25, '2025-03-25')).toEqual({ periodStart: '2025-02-26', periodEnd: '2025-03-25' });
    expect(periodContaining(25, '2025-03-26')).toEqual({ periodStart: '2025-03-26', periodEnd: '2025-04-25' });
    expect(periodContaining(1, '2025-01-01')).toEqual({ periodStart: '2024-12-02', periodEnd: '2025-01-01' });
  });

  it('the last closed period is the one before today’s', () => {
    expect(lastClosedPeriod(25, '2025-03-26')).toEqual({ periodStart: '2025-02-26', periodEnd: '2025-03-25' });
    expect(lastClosedPeriod(25, '2025-03-25')).toEqual({ periodStart: '2025-01-26', periodEnd: '2025-02-25' });
  });
});

describe('trial exceptions', () => {
  const base = { hasRead: true, estimated: false, consumption: 100, total: 10_000, previousTotal: 10_000, highLowPercent: 50 };
  it('names each exception', () => {
    expect(billExceptions(base)).toEqual([]);
    expect(billExceptions({ ...base, hasRead: false })).toEqual(['MISSING_READ']);
    expect(billExceptions({ ...base, estimated: true })).toEqual(['ESTIMATED_READ']);
    expect(billExceptions({ ...base, consumption: 0, total: 3000 })).toEqual(['ZERO_CONSUMPTION', 'LOW_BILL']);
    expect(billExceptions({ ...base, total: 15_001 })).toEqual(['HIGH_BILL']);
    expect(billExceptions({ ...base, total: 15_000 })).toEqual([]);
    expect(billExceptions({ ...base, total: 4_999 })).toEqual(['LOW_BILL']);
    expect(billExceptions({ ...base, previousTotal: null, total: 99_999 })).toEqual([]);
  });
});

describe('aging and oldest-first settlement', () => {
  const items = [
    { id: 'b3', issueDate: '2025-03-01', open: 300 },
    { id: 'b1', issueDate: '2025-01-01', open: 100 },
    { id: 'b2', issueDate: '2025-02-01', open: 200 },
  ];

  it('ages open amounts by days since the bill date', () => {
    expect(aging(items, '2025-04-05')).toEqual({ current: 0, days30: 300, days60: 200, days90: 100 });
    expect(aging(items, '2025-03-10')).toEqual({ current: 300, days30: 200, days60: 100, days90: 0 });
  });

  it('settles the oldest bill first and keeps what is left as credit', () => {
    expect(settleOldestFirst(items, 250)).toEqual({ settled: [{ id: 'b1', amount: 100 }, { id: 'b2', amount: 150 }], left: 0 });
    expect(settleOldestFirst(items, 700)).toEqual({
      settled: [
        { id: 'b1', amount: 100 },
        { id: 'b2', amount: 200 },
        { id: 'b3', amount: 300 },
      ],
      left: 100,
    });
  });
});

describe('report ranges', () => {
  it('refuses a backwards range and one of more than ten years', () => {
    expect(reportRangeProblem('2025-01-02', '2025-01-01')).toMatch(/before/);
    expect(reportRangeProblem('2000-01-01', '2025-01-01')).toMatch(/ten years/);
    expect(reportRangeProblem('2024-01-01', '2025-01-01')).toBeNull();
  });
});
