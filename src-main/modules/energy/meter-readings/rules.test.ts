import { describe, expect, it } from 'vitest';
import {
  averageDailyUse,
  consumptionBetween,
  daysBetween,
  estimateUnits,
  expectedRange,
  runVee,
  shiftYears,
  trailingEstimates,
  type UsageInterval,
  type VeeInput,
  type VeeSettings,
} from './rules';

const CCNB: VeeSettings = { lowFactor: 0.5, highFactor: 2.0, maxConsecutiveEstimates: 3 };
const SAP: VeeSettings = { lowFactor: 0.6, highFactor: 1.7, maxConsecutiveEstimates: 3 };

/** One 30-day interval of `units`: with a 30-day read period, the expected consumption is `units`. */
const historyOf = (units: number): UsageInterval[] => [{ from: '2024-04-01', to: '2024-05-01', units }];

const vee = (over: Partial<VeeInput>): ReturnType<typeof runVee> =>
  runVee({
    register: { dials: 5, multiplier: 1 },
    accountActive: true,
    readDate: '2024-05-31',
    readType: 'actual',
    value: 0,
    previous: { value: 5_000, readDate: '2024-05-01' },
    history: historyOf(300),
    trailingEstimates: 0,
    settings: CCNB,
    ...over,
  });

const codes = (outcome: ReturnType<typeof runVee>): string[] => outcome.exceptions.map((e) => e.code);

describe('calendar helpers', () => {
  it.each([
    ['2024-05-01', '2024-05-31', 30],
    ['2024-02-28', '2024-03-01', 2],
    ['2023-02-28', '2023-03-01', 1],
    ['2024-03-09', '2024-03-11', 2], // across the US daylight-saving change: dates, not hours
    ['2024-05-31', '2024-05-01', -30],
  ])('daysBetween(%s, %s) = %i', (from, to, days) => {
    expect(daysBetween(from, to)).toBe(days);
  });

  it('shifts a year keeping the day, and 29 February falls back to the 28th', () => {
    expect(shiftYears('2024-05-31', -1)).toBe('2023-05-31');
    expect(shiftYears('2024-02-29', -1)).toBe('2023-02-28');
  });
});

describe('consumption and rollover', () => {
  it.each([
    // previous, current, dials, multiplier, units, kind
    [99_986, 11, 5, 1, 25, 'rollover'], // DOMAIN.md: 5 dials, 99,986 → 11 = 25 units
    [5_000, 5_300, 5, 1, 300, 'forward'],
    [5_000, 5_000, 5, 1, 0, 'forward'],
    [120, 140, 4, 40, 800, 'forward'], // a CT meter: 20 steps × 40
    [9_990, 5, 4, 1, 15, 'rollover'],
    [50_000, 20_000, 5, 1, -30_000, 'negative'], // a wrap would mean 70,000 units: not plausible
    [60_001, 10_000, 5, 1, 49_999, 'rollover'], // just under half the capacity: taken as a wrap
    [50_000, 0, 5, 1, -50_000, 'negative'], // a wrap of exactly half the capacity is not
    [5_000, 4_999, 5, 1, -1, 'negative'],
  ] as const)('%i → %i on %i dials ×%i is %i units (%s)', (previous, current, dials, multiplier, units, kind) => {
    expect(consumptionBetween(previous, current, { dials, multiplier })).toEqual({ units, kind });
  });

  it('keeps fractional multipliers to a thousandth of a unit', () => {
    expect(consumptionBetween(0, 25, { dials: 5, multiplier: 1.1 }).units).toBe(27.5);
  });
});

describe('expected range', () => {
  it('Oracle CC&B: previous 5,000, expected 300, factors 0.5/2.0 → acceptable reads 5,150–5,600', () => {
    const range = expectedRange({ value: 5_000, readDate: '2024-05-01' }, '2024-05-31', 10, { dials: 5, multiplier: 1 }, CCNB);
    expect(range).toEqual({ units: 300, days: 30, lowRead: 5_150, highRead: 5_600 });
  });

  it('SAP tolerance band −40%/+70%: expected 80 kWh → plausible 48–136', () => {
    const range = expectedRange({ value: 0, readDate: '2024-05-01' }, '2024-05-09', 10, { dials: 5, multiplier: 1 }, SAP);
    expect(range).toEqual({ units: 80, days: 8, lowRead: 48, highRead: 136 });
  });

  it('expresses the range in register steps when a multiplier applies', () => {
    const range = expectedRange({ value: 1_000, readDate: '2024-05-01' }, '2024-05-31', 10, { dials: 5, multiplier: 10 }, CCNB);
    expect(range).toEqual({ units: 300, days: 30, lowRead: 1_015, highRead: 1_060 });
  });

  it('has no range without history or when the date does not move forward', () => {
    const register = { dials: 5, multiplier: 1 };
    expect(expectedRange({ value: 0, readDate: '2024-05-01' }, '2024-05-31', null, register, CCNB)).toBeNull();
    expect(expectedRange({ value: 0, readDate: '2024-05-01' }, '2024-05-01', 10, register, CCNB)).toBeNull();
  });

  it('averages daily use over the last twelve months of history only', () => {
    const history: UsageInterval[] = [
      { from: '2023-03-01', to: '2023-04-01', units: 9_999 }, // older than a year before the read: ignored
      { from: '2024-03-01', to: '2024-04-01', units: 310 },
      { from: '2024-04-01', to: '2024-05-01', units: 290 },
    ];
    expect(averageDailyUse(history, '2024-05-31')).toBeCloseTo(600 / 61, 10);
    expect(averageDailyUse([], '2024-05-31')).toBeNull();
  });
});

describe('VEE exceptions', () => {
  describe('Oracle CC&B factors 0.5 / 2.0 around previous 5,000 with 300 expected', () => {
    it.each([
      [5_150, []],
      [5_300, []],
      [5_600, []],
      [5_601, ['HIGH_CONSUMPTION']],
      [5_149, ['LOW_CONSUMPTION']],
      [5_000, ['ZERO_CONSUMPTION']], // on an active account ZERO replaces LOW
    ])('read %i → %j', (value, expected) => {
      const outcome = vee({ value });
      expect(codes(outcome)).toEqual(expected);
      expect(outcome.expected).toEqual({ units: 300, days: 30, lowRead: 5_150, highRead: 5_600 });
    });
  });

  describe('SAP band −40% / +70% around expected 80', () => {
    it.each([
      [48, []],
      [136, []],
      [137, ['HIGH_CONSUMPTION']],
      [47, ['LOW_CONSUMPTION']],
    ])('read %i → %j', (value, expected) => {
      const outcome = vee({
        value,
        settings: SAP,
        previous: { value: 0, readDate: '2024-05-01' },
        readDate: '2024-05-09',
        history: [{ from: '2024-04-01', to: '2024-04-11', units: 100 }],
      });
      expect(codes(outcome)).toEqual(expected);
      expect(outcome.expected).toMatchObject({ units: 80, lowRead: 48, highRead: 136 });
    });
  });

  it('flags a rollover for review with the wrapped consumption: 99,986 → 11 = 25 units', () => {
    const outcome = vee({ value: 11, previous: { value: 99_986, readDate: '2024-05-01' }, history: [] });
    expect(codes(outcome)).toEqual(['ROLLOVER']);
    expect(outcome.consumption).toBe(25);
  });

  it('still checks a rolled-over consumption against the expectation', () => {
    const outcome = vee({ value: 11, previous: { value: 99_986, readDate: '2024-05-01' } });
    expect(codes(outcome)).toEqual(['ROLLOVER', 'LOW_CONSUMPTION']);
  });

  it('flags a backwards read that is no rollover as negative consumption, and nothing else', () => {
    const outcome = vee({ value: 4_000 });
    expect(codes(outcome)).toEqual(['NEGATIVE_CONSUMPTION']);
    expect(outcome.consumption).toBe(-1_000);
  });

  it('does not call zero consumption on an inactive account an exception by itself', () => {
    expect(codes(vee({ value: 5_000, accountActive: false, history: [] }))).toEqual([]);
    // ...but history still says what to expect of it
    expect(codes(vee({ value: 5_000, accountActive: false }))).toEqual(['LOW_CONSUMPTION']);
  });

  it.each(['2024-05-01', '2024-04-20'])('flags a read dated %s, not after the previous read of 2024-05-01', (readDate) => {
    const outcome = vee({ readDate, value: 5_100 });
    expect(codes(outcome)).toEqual(['READ_DATE_OUT_OF_ORDER']);
    // No days have passed, so there is nothing to expect: HIGH/LOW cannot be judged.
    expect(outcome.expected).toBeNull();
  });

  it('skips HIGH/LOW when there is no history to expect from', () => {
    expect(codes(vee({ value: 99_000, history: [] }))).toEqual([]);
  });

  describe('consecutive estimates (limit 3)', () => {
    it.each([
      [0, []],
      [2, []],
      [3, ['CONSECUTIVE_ESTIMATES']],
      [5, ['CONSECUTIVE_ESTIMATES']],
    ])('with %i estimates before it, a new estimate → %j', (before, expected) => {
      expect(codes(vee({ value: null, trailingEstimates: before }))).toEqual(expected);
    });

    it('counts a reader-typed estimate too, but never an actual read', () => {
      expect(codes(vee({ value: 5_300, readType: 'estimated', trailingEstimates: 3 }))).toEqual(['CONSECUTIVE_ESTIMATES']);
      expect(codes(vee({ value: 5_300, readType: 'actual', trailingEstimates: 3 }))).toEqual([]);
    });

    it('counts the estimates that end the history, newest first', () => {
      const e = { readType: 'estimated' as const };
      const a = { readType: 'actual' as const };
      expect(trailingEstimates([e, e, a, e])).toBe(2);
      expect(trailingEstimates([a, e])).toBe(0);
      expect(trailingEstimates([])).toBe(0);
    });
  });
});

describe('estimation for skipped meters', () => {
  const lastYear: UsageInterval[] = [
    { from: '2023-04-01', to: '2023-05-01', units: 300 },
    { from: '2023-05-01', to: '2023-06-01', units: 620 }, // 20 a day in last year's June-ish period
    { from: '2023-06-01', to: '2023-07-01', units: 450 },
    { from: '2024-04-01', to: '2024-05-01', units: 300 },
  ];

  it('uses the same period last year, scaled by days, when history covers it', () => {
    // 2023-05-01 → 2023-05-31 lies inside the 31-day interval of 620 units: 30/31 of it.
    const estimate = estimateUnits(lastYear, '2024-05-01', '2024-05-31', 10);
    expect(estimate.basis).toBe('lastYear');
    expect(estimate.units).toBeCloseTo(600, 3);
  });

  it('prorates intervals straddling last year’s period by days', () => {
    // 2023-05-16 → 2023-06-15: 16 days at 20/day + 14 days at 15/day = 320 + 210
    const estimate = estimateUnits(lastYear, '2024-05-16', '2024-06-15', 10);
    expect(estimate).toEqual({ units: 530, basis: 'lastYear' });
  });

  it('falls back to average daily use × days without last year’s data', () => {
    expect(estimateUnits(historyOf(300), '2024-05-01', '2024-05-31', 10)).toEqual({ units: 300, basis: 'averageDailyUse' });
    expect(estimateUnits([], '2024-05-01', '2024-05-31', null)).toEqual({ units: 0, basis: 'none' });
  });

  it('estimates a skipped meter as previous + expected, marked estimated, without HIGH/LOW checks', () => {
    const outcome = vee({ value: null, readType: 'actual' });
    expect(outcome).toMatchObject({
      value: 5_300,
      consumption: 300,
      readType: 'estimated',
      estimated: true,
      estimateBasis: 'averageDailyUse',
      exceptions: [],
    });
  });

  it('wraps an estimate past the last dial and converts units to register steps', () => {
    const outcome = vee({ value: null, register: { dials: 4, multiplier: 10 }, previous: { value: 9_990, readDate: '2024-05-01' } });
    expect(outcome.value).toBe(20);
    expect(outcome.consumption).toBe(300);
  });
});
