import { mean } from './series';

/**
 * Holt-Winters additive seasonal smoothing (level + trend + a season of `m` points), in the error
 * correction form of Hyndman & Athanasopoulos, "Forecasting: Principles and Practice", §8.3:
 *
 *   ŷ(t)  = ℓ(t−1) + b(t−1) + s(t−m)
 *   ℓ(t)  = α (y(t) − s(t−m)) + (1 − α)(ℓ(t−1) + b(t−1))
 *   b(t)  = β (ℓ(t) − ℓ(t−1)) + (1 − β) b(t−1)
 *   s(t)  = γ (y(t) − ℓ(t−1) − b(t−1)) + (1 − γ) s(t−m)
 *   ŷ(n+h) = ℓ(n) + h·b(n) + s(n − m + 1 + (h − 1) mod m)
 *
 * Parameters are chosen by grid search on the one-step-ahead squared error; the prediction
 * interval comes from a rolling-origin backtest (the errors the model really made at each
 * horizon), which is honest for series that are not Gaussian, such as daily counts.
 */
export interface HoltWintersParams {
  alpha: number;
  beta: number;
  gamma: number;
}

export interface HoltWintersState {
  level: number;
  trend: number;
  /** The last `m` seasonal terms; `season[0]` belongs to the point m steps before the next one. */
  season: number[];
}

export interface HoltWintersFit {
  params: HoltWintersParams;
  state: HoltWintersState;
  /** One-step-ahead in-sample forecasts, aligned with the input series. */
  fitted: number[];
  sse: number;
}

/**
 * Starting state from the first two seasons: trend from the difference of their means, level at
 * the point before the series starts, seasonal terms as the first season's detrended deviations.
 */
function initialState(y: readonly number[], m: number): HoltWintersState {
  const first = mean(y.slice(0, m));
  const second = mean(y.slice(m, 2 * m));
  const trend = (second - first) / m;
  // The first season's mean is the level at its middle, (m − 1) / 2; step back to t = −1.
  const level = first - trend * ((m + 1) / 2);
  const season = y.slice(0, m).map((value, i) => value - (first + trend * (i - (m - 1) / 2)));
  return { level, trend, season };
}

export function runHoltWinters(y: readonly number[], m: number, params: HoltWintersParams): HoltWintersFit {
  if (y.length < 2 * m) throw new RangeError(`Holt-Winters needs at least two seasons (${2 * m} points)`);
  const { alpha, beta, gamma } = params;
  const start = initialState(y, m);
  let { level, trend } = start;
  const season = start.season;
  const fitted: number[] = [];
  let sse = 0;
  for (let t = 0; t < y.length; t += 1) {
    const s = season[t % m]!;
    const value = y[t]!;
    const forecast = level + trend + s;
    fitted.push(forecast);
    sse += (value - forecast) ** 2;
    const previousLevel = level;
    const previousTrend = trend;
    level = alpha * (value - s) + (1 - alpha) * (previousLevel + previousTrend);
    trend = beta * (level - previousLevel) + (1 - beta) * previousTrend;
    season[t % m] = gamma * (value - previousLevel - previousTrend) + (1 - gamma) * s;
  }
  // Rotate so season[0] is the term for the first point after the series.
  const offset = y.length % m;
  const rotated = [...season.slice(offset), ...season.slice(0, offset)];
  return { params, state: { level, trend, season: rotated }, fitted, sse };
}

export function forecastHoltWinters(state: HoltWintersState, horizon: number): number[] {
  const m = state.season.length;
  return Array.from({ length: horizon }, (_, i) => state.level + (i + 1) * state.trend + state.season[i % m]!);
}

const ALPHAS = [0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.8];
const BETAS = [0, 0.01, 0.03, 0.08, 0.15];
const GAMMAS = [0.05, 0.1, 0.2, 0.35, 0.5];

/** The parameter set with the smallest one-step-ahead squared error over the series. */
export function fitHoltWinters(y: readonly number[], m: number): HoltWintersFit {
  let best: HoltWintersFit | null = null;
  for (const alpha of ALPHAS) {
    for (const beta of BETAS) {
      for (const gamma of GAMMAS) {
        const fit = runHoltWinters(y, m, { alpha, beta, gamma });
        if (!best || fit.sse < best.sse) best = fit;
      }
    }
  }
  return best!;
}
