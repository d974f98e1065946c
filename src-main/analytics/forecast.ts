import { fitHoltWinters, forecastHoltWinters, type HoltWintersParams } from './holt-winters';
import { mean, sum } from './series';

/**
 * Next-period forecast with a prediction interval and the backtest error users see beside it.
 *
 * - Method: Holt-Winters additive once there are two full seasons of history; seasonal naive
 *   (repeat the last season) with one; the mean with less. The answer names the method used.
 * - Backtest: rolling origin. The model is refitted on the history before each of the last
 *   `origins` periods and forecasts that period; the errors it made give the MAPE (how far to
 *   trust it) and, per horizon step, the spread of the interval.
 * - Signal: the last period's actual total against the interval of the next period's total.
 *   Only when the forecast moves past its own uncertainty is it "up" or "down"; otherwise "flat".
 */
export type ForecastMethod = 'holt-winters' | 'seasonal-naive' | 'mean' | 'none';
export type Signal = 'up' | 'down' | 'flat';

export const CONFIDENCE_Z = { 0.8: 1.2816, 0.9: 1.6449, 0.95: 1.96 } as const;
export type Confidence = keyof typeof CONFIDENCE_Z;

export interface ForecastOptions {
  /** Points per season (7 for daily values with a weekly pattern). */
  season: number;
  /** Points to forecast: one "next period". */
  horizon: number;
  confidence?: Confidence;
  /** Backtest origins, each one period apart. */
  origins?: number;
}

export interface ForecastPoint {
  step: number;
  value: number;
  lower: number;
  upper: number;
}

export interface ForecastResult {
  method: ForecastMethod;
  params: HoltWintersParams | null;
  confidence: Confidence;
  points: ForecastPoint[];
  /** The next period as a whole (sum of the points) with its own interval. */
  total: { value: number; lower: number; upper: number };
  /** The last `horizon` actuals summed: what the next period is compared with. */
  lastActual: number | null;
  signal: Signal;
  /** Mean absolute percentage error of the backtest, in percent; null without usable actuals. */
  mape: number | null;
  /** How many backtest periods the MAPE and the interval rest on. */
  backtestPeriods: number;
}

interface Model {
  method: ForecastMethod;
  params: HoltWintersParams | null;
  forecast(horizon: number): number[];
  /** Spread of one-step errors inside the history, the fallback for the interval. */
  residualSd: number;
}

function fitModel(y: readonly number[], m: number): Model {
  if (y.length >= 2 * m) {
    const fit = fitHoltWinters(y, m);
    return {
      method: 'holt-winters',
      params: fit.params,
      forecast: (h) => forecastHoltWinters(fit.state, h),
      residualSd: Math.sqrt(fit.sse / y.length),
    };
  }
  if (y.length >= m) {
    const last = y.slice(-m);
    const diffs = y.slice(m).map((v, i) => v - y[i]!);
    return {
      method: 'seasonal-naive',
      params: null,
      forecast: (h) => Array.from({ length: h }, (_, i) => last[i % m]!),
      residualSd: diffs.length ? Math.sqrt(mean(diffs.map((d) => d * d))) : 0,
    };
  }
  if (y.length > 0) {
    const level = mean(y);
    return {
      method: 'mean',
      params: null,
      forecast: (h) => Array.from({ length: h }, () => level),
      residualSd: Math.sqrt(mean(y.map((v) => (v - level) ** 2))),
    };
  }
  return { method: 'none', params: null, forecast: (h) => Array.from({ length: h }, () => 0), residualSd: 0 };
}

interface Backtest {
  periods: number;
  /** Root mean squared error at each horizon step. */
  rmseByStep: number[];
  rmseOfTotal: number;
  mape: number | null;
}

function backtest(y: readonly number[], m: number, horizon: number, origins: number, method: ForecastMethod): Backtest | null {
  // Each origin's training history must be long enough for the same method to run on it.
  const minTrain = method === 'holt-winters' ? 2 * m : method === 'seasonal-naive' ? m : 1;
  const squaredByStep = Array.from({ length: horizon }, () => [] as number[]);
  const squaredTotals: number[] = [];
  const ape: number[] = [];
  for (let k = 1; k <= origins; k += 1) {
    const origin = y.length - k * horizon;
    if (origin < minTrain) break;
    const predicted = fitModel(y.slice(0, origin), m).forecast(horizon);
    let totalError = 0;
    for (let h = 0; h < horizon; h += 1) {
      const actual = y[origin + h]!;
      const error = actual - predicted[h]!;
      squaredByStep[h]!.push(error * error);
      totalError += error;
      if (actual !== 0) ape.push(Math.abs(error) / Math.abs(actual));
    }
    squaredTotals.push(totalError * totalError);
  }
  if (squaredTotals.length === 0) return null;
  return {
    periods: squaredTotals.length,
    rmseByStep: squaredByStep.map((sq) => Math.sqrt(mean(sq))),
    rmseOfTotal: Math.sqrt(mean(squaredTotals)),
    mape: ape.length ? mean(ape) * 100 : null,
  };
}

/** Fewer backtest periods than this and the interval falls back to the in-sample error. */
const MIN_PERIODS_FOR_INTERVAL = 3;

export function forecastNextPeriod(y: readonly number[], options: ForecastOptions): ForecastResult {
  const { season: m, horizon } = options;
  if (!Number.isInteger(m) || m < 1 || !Number.isInteger(horizon) || horizon < 1) {
    throw new RangeError('season and horizon must be positive integers');
  }
  const confidence = options.confidence ?? 0.95;
  const z = CONFIDENCE_Z[confidence];
  const model = fitModel(y, m);
  const values = model.forecast(horizon);
  const test = backtest(y, m, horizon, options.origins ?? 8, model.method);
  const useBacktest = test !== null && test.periods >= MIN_PERIODS_FOR_INTERVAL;
  const stepSd = (h: number) => (useBacktest ? test.rmseByStep[h]! : model.residualSd * Math.sqrt(h + 1));
  // A handful of backtest totals can agree by luck; never claim more certainty for the period
  // than its days' own errors would give if they were independent.
  const independentSd = Math.sqrt(sum(values.map((_, h) => stepSd(h) ** 2)));
  const totalSd = useBacktest ? Math.max(test.rmseOfTotal, independentSd) : independentSd;

  // Counts, amounts and hours never go below zero; an interval that did would only confuse.
  const nonNegative = y.every((v) => v >= 0);
  const floor = (v: number) => (nonNegative ? Math.max(0, v) : v);

  const points = values.map((value, h) => ({
    step: h + 1,
    value: floor(value),
    lower: floor(value - z * stepSd(h)),
    upper: floor(value + z * stepSd(h)),
  }));
  const totalValue = sum(values);
  const total = { value: floor(totalValue), lower: floor(totalValue - z * totalSd), upper: floor(totalValue + z * totalSd) };
  const lastActual = y.length >= horizon ? sum(y.slice(-horizon)) : null;
  let signal: Signal = 'flat';
  if (lastActual !== null && model.method !== 'none') {
    if (total.lower > lastActual) signal = 'up';
    else if (total.upper < lastActual) signal = 'down';
  }
  return {
    method: model.method,
    params: model.params,
    confidence,
    points,
    total,
    lastActual,
    signal,
    mape: test?.mape ?? null,
    backtestPeriods: test?.periods ?? 0,
  };
}
