/**
 * Small, pure calculations over evenly spaced series (one value per day, week or month). Missing
 * periods are real zeros by the time a series reaches these functions: the reporting engine fills
 * every bucket of a range, so "no readings on Sunday" counts as 0, not as a gap.
 */

/**
 * Trailing moving average over `window` points, the current one included. The first `window - 1`
 * points have no full window and answer null rather than an average of fewer points, which would
 * make the start of every chart look calmer than it was.
 */
export function movingAverage(values: readonly number[], window: number): (number | null)[] {
  if (!Number.isInteger(window) || window < 1) throw new RangeError('window must be a positive integer');
  const out: (number | null)[] = [];
  let sum = 0;
  for (let i = 0; i < values.length; i += 1) {
    sum += values[i]!;
    if (i >= window) sum -= values[i - window]!;
    out.push(i >= window - 1 ? sum / window : null);
  }
  return out;
}

/**
 * The baseline of point `index`: the average of the `count` points before it that are `lag` apart.
 * With daily values and lag 7 that is "the same weekday in the previous weeks"; with weekly or
 * monthly values and lag 1 it is "the previous periods". Null when no earlier point exists.
 */
export function trailingBaseline(values: readonly number[], index: number, lag: number, count: number): number | null {
  let sum = 0;
  let n = 0;
  for (let k = 1; k <= count; k += 1) {
    const at = index - k * lag;
    if (at < 0) break;
    sum += values[at]!;
    n += 1;
  }
  return n === 0 ? null : sum / n;
}

export interface Variance {
  /** actual − reference */
  value: number;
  /** (actual − reference) / |reference| × 100; null when the reference is zero (no meaningful percent). */
  percent: number | null;
}

export function variance(actual: number, reference: number): Variance {
  const value = actual - reference;
  return { value, percent: reference === 0 ? null : (value / Math.abs(reference)) * 100 };
}

export type VarianceTone = 'good' | 'bad' | 'neutral';

/**
 * Colour of a variance for a figure where `up` (or `down`) is good. Within ±`tolerancePercent` it
 * is neutral, so ordinary day-to-day noise does not paint every cell red or green.
 */
export function varianceTone(v: Variance | null, goodDirection: 'up' | 'down', tolerancePercent = 5): VarianceTone {
  if (!v || v.value === 0) return 'neutral';
  if (v.percent !== null && Math.abs(v.percent) < tolerancePercent) return 'neutral';
  const better = goodDirection === 'up' ? v.value > 0 : v.value < 0;
  return better ? 'good' : 'bad';
}

export const sum = (values: readonly number[]): number => values.reduce((a, b) => a + b, 0);

export const mean = (values: readonly number[]): number => (values.length === 0 ? 0 : sum(values) / values.length);
