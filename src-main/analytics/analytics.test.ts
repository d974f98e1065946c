import { describe, expect, it } from 'vitest';
import {
  forecastNextPeriod,
  heatmapGrid,
  movingAverage,
  runHoltWinters,
  forecastHoltWinters,
  trailingBaseline,
  variance,
  varianceTone,
  weekdayKeys,
} from '.';

/** Deterministic Gaussian noise (mulberry32 + Box-Muller), so a failing run can be replayed. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0;
  const uniform = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** A branch's daily throughput: quiet weekends, busy Mondays, slow growth. */
const WEEK = [1.3, 1.1, 1.0, 1.0, 0.9, 0.4, 0.2];
const truth = (t: number) => 200 + 0.3 * t + 60 * (WEEK[t % 7]! - 0.843);

function series(days: number, noiseSd: number, seed = 7): number[] {
  const noise = gaussian(seed);
  return Array.from({ length: days }, (_, t) => truth(t) + noiseSd * noise());
}

const mape = (actual: number[], predicted: number[]) =>
  (actual.reduce((acc, a, i) => acc + Math.abs(a - predicted[i]!) / Math.abs(a), 0) / actual.length) * 100;

describe('moving average', () => {
  it('averages the trailing window and leaves the incomplete start empty', () => {
    expect(movingAverage([1, 2, 3, 4, 5], 3)).toEqual([null, null, 2, 3, 4]);
    expect(movingAverage([4, 8], 1)).toEqual([4, 8]);
  });

  it('refuses a window that is not a positive integer', () => {
    expect(() => movingAverage([1], 0)).toThrow(RangeError);
  });
});

describe('baseline and variance', () => {
  it('uses the same weekday of the previous weeks for daily values', () => {
    const days = Array.from({ length: 35 }, (_, i) => (i % 7 === 0 ? 100 + i : 10));
    // Index 28 is a "Monday": the four Mondays before it are 0, 7, 14, 21.
    expect(trailingBaseline(days, 28, 7, 4)).toBe((100 + 107 + 114 + 121) / 4);
    expect(trailingBaseline(days, 29, 7, 4)).toBe(10);
    // With only two earlier weeks the baseline averages those two.
    expect(trailingBaseline(days, 14, 7, 4)).toBe((100 + 107) / 2);
    expect(trailingBaseline(days, 3, 7, 4)).toBeNull();
  });

  it('reports variance in value and percent and colours it by the good direction', () => {
    expect(variance(120, 100)).toEqual({ value: 20, percent: 20 });
    expect(variance(80, 100)).toEqual({ value: -20, percent: -20 });
    expect(variance(5, 0)).toEqual({ value: 5, percent: null });
    expect(varianceTone(variance(120, 100), 'up')).toBe('good');
    expect(varianceTone(variance(120, 100), 'down')).toBe('bad');
    expect(varianceTone(variance(103, 100), 'up')).toBe('neutral');
    expect(varianceTone(variance(5, 0), 'down')).toBe('bad');
  });
});

describe('Holt-Winters additive', () => {
  it('reproduces a noise-free trend with a weekly season to within 0.5%', () => {
    const y = Array.from({ length: 140 }, (_, t) => truth(t));
    const fit = runHoltWinters(y, 7, { alpha: 0.3, beta: 0.05, gamma: 0.2 });
    const ahead = forecastHoltWinters(fit.state, 14);
    const expected = Array.from({ length: 14 }, (_, h) => truth(140 + h));
    expect(mape(expected, ahead)).toBeLessThan(0.5);
  });

  it('forecasts a noisy seasonal series (noise sd 4% of level) within 5% MAPE of the true signal', () => {
    const y = series(364, 8);
    const result = forecastNextPeriod(y, { season: 7, horizon: 14 });
    expect(result.method).toBe('holt-winters');
    const expected = Array.from({ length: 14 }, (_, h) => truth(364 + h));
    expect(mape(expected, result.points.map((p) => p.value))).toBeLessThan(5);
    // The backtest sees the noise too: its MAPE is near the noise level, and says so.
    expect(result.mape).not.toBeNull();
    expect(result.mape!).toBeGreaterThan(1);
    expect(result.mape!).toBeLessThan(8);
    expect(result.backtestPeriods).toBe(8);
  });

  it('gives intervals that hold most of what really happened next', () => {
    const noise = gaussian(99);
    const y = Array.from({ length: 392 }, (_, t) => truth(t) + 8 * noise());
    const result = forecastNextPeriod(y.slice(0, 364), { season: 7, horizon: 28, confidence: 0.95 });
    const inside = result.points.filter((p, h) => y[364 + h]! >= p.lower && y[364 + h]! <= p.upper).length;
    expect(inside).toBeGreaterThanOrEqual(24);
    for (const p of result.points) expect(p.upper).toBeGreaterThan(p.lower);
    expect(result.total.lower).toBeLessThan(result.total.value);
    expect(result.total.upper).toBeGreaterThan(result.total.value);
  });
});

describe('forecast signal', () => {
  it('is flat when the next period stays within the interval', () => {
    const noise = gaussian(3);
    const y = Array.from({ length: 182 }, (_, t) => 200 + 60 * (WEEK[t % 7]! - 0.843) + 6 * noise());
    expect(forecastNextPeriod(y, { season: 7, horizon: 7 }).signal).toBe('flat');
  });

  it('is up when growth carries the next period past the interval, down when decline does', () => {
    const noise = gaussian(5);
    const rising = Array.from({ length: 182 }, (_, t) => 100 + 4 * t + 30 * (WEEK[t % 7]! - 0.843) + 3 * noise());
    const up = forecastNextPeriod(rising, { season: 7, horizon: 7 });
    expect(up.signal).toBe('up');
    expect(up.total.lower).toBeGreaterThan(up.lastActual!);
    const falling = Array.from({ length: 182 }, (_, t) => 1000 - 4 * t + 30 * (WEEK[t % 7]! - 0.843) + 3 * noise());
    expect(forecastNextPeriod(falling, { season: 7, horizon: 7 }).signal).toBe('down');
  });

  it('falls back to simpler methods on short histories and never forecasts below zero for counts', () => {
    expect(forecastNextPeriod([5, 6, 7, 5, 6, 2, 1, 6, 7], { season: 7, horizon: 7 }).method).toBe('seasonal-naive');
    const short = forecastNextPeriod([3, 0, 1], { season: 7, horizon: 7 });
    expect(short.method).toBe('mean');
    expect(short.points.every((p) => p.lower >= 0 && p.value >= 0)).toBe(true);
    const none = forecastNextPeriod([], { season: 7, horizon: 7 });
    expect(none.method).toBe('none');
    expect(none.signal).toBe('flat');
    expect(none.mape).toBeNull();
  });
});

describe('heatmap grid', () => {
  it('fills every cell, sums duplicates and totals rows and columns', () => {
    const grid = heatmapGrid(
      [
        { x: '1', y: 'energy.meterReadings', count: 3 },
        { x: '1', y: 'energy.meterReadings', count: 2 },
        { x: '0', y: 'energy.billing', count: 4 },
      ],
      { xKeys: weekdayKeys(1), yKeys: ['energy.meterReadings', 'energy.billing'] },
    );
    expect(grid.xKeys).toEqual(['1', '2', '3', '4', '5', '6', '0']);
    expect(grid.cells).toHaveLength(14);
    expect(grid.cells.find((c) => c.x === '1' && c.y === 'energy.meterReadings')!.count).toBe(5);
    expect(grid.cells.find((c) => c.x === '2' && c.y === 'energy.meterReadings')!.count).toBe(0);
    expect(grid.rowTotals).toEqual({ 'energy.meterReadings': 5, 'energy.billing': 4 });
    expect(grid.columnTotals['0']).toBe(4);
    expect(grid.total).toBe(9);
    expect(grid.max).toBe(5);
  });

  it('derives open axes from the data and refuses counts outside fixed ones', () => {
    const grid = heatmapGrid([
      { x: 'HIGH', y: 'Branch B', count: 1 },
      { x: 'ZERO', y: 'Branch A', count: 2 },
    ]);
    expect(grid.xKeys).toEqual(['HIGH', 'ZERO']);
    expect(grid.yKeys).toEqual(['Branch A', 'Branch B']);
    expect(() => heatmapGrid([{ x: '7', y: 'a', count: 1 }], { xKeys: weekdayKeys(0), yKeys: ['a'] })).toThrow(RangeError);
  });
});
