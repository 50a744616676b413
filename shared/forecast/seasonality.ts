// Seasonality test and classical decomposition, the deseasonalising step of Theta and Naive2.
//
// Written by hand: augurs offers STL/MSTL but not the classical moving-average decomposition that
// the M3/M4 Theta and Naive2 benchmarks are defined with, and the test is a few lines.

/**
 * The M4 competition's seasonality test: the lag-m autocorrelation is significant at 90 %
 * (one-sided, 1.645) against Bartlett's standard error. Needs more than two full seasons.
 */
export function isSeasonal(y: readonly number[], period: number): boolean {
  const n = y.length;
  if (period <= 1 || n <= 2 * period) return false;
  const mean = y.reduce((s, v) => s + v, 0) / n;
  let denom = 0;
  for (const v of y) denom += (v - mean) ** 2;
  if (denom === 0) return false;
  const acf = (lag: number): number => {
    let s = 0;
    for (let t = lag; t < n; t++) s += ((y[t] as number) - mean) * ((y[t - lag] as number) - mean);
    return s / denom;
  };
  let sumSq = 0;
  for (let lag = 1; lag < period; lag++) sumSq += acf(lag) ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * sumSq) / n);
  return Math.abs(acf(period)) > limit;
}

export interface SeasonalIndices {
  kind: 'multiplicative' | 'additive';
  period: number;
  /** One index per position in the cycle; position of time t (0-based) is t % period. */
  indices: number[];
}

/**
 * Classical decomposition (centred moving average trend, mean ratio per cycle position), as R's
 * `decompose`. Multiplicative when every value is positive, additive otherwise (ratios to a trend
 * that crosses zero mean nothing).
 */
export function classicalDecomposition(y: readonly number[], period: number): SeasonalIndices {
  const n = y.length;
  const kind = y.every((v) => v > 0) ? 'multiplicative' : 'additive';
  const half = Math.floor(period / 2);
  const sums = new Array<number>(period).fill(0);
  const counts = new Array<number>(period).fill(0);
  for (let t = half; t < n - half; t++) {
    // Centred moving average: a 2×m MA for even m (half weight on the two ends), a plain m-MA for odd m.
    let trend = 0;
    if (period % 2 === 0) {
      for (let j = -half; j <= half; j++) trend += (y[t + j] as number) * (Math.abs(j) === half ? 0.5 : 1);
    } else {
      for (let j = -half; j <= half; j++) trend += y[t + j] as number;
    }
    trend /= period;
    const value = y[t] as number;
    const pos = t % period;
    sums[pos] = (sums[pos] as number) + (kind === 'multiplicative' ? value / trend : value - trend);
    counts[pos] = (counts[pos] as number) + 1;
  }
  const raw = sums.map((s, i) => s / Math.max(1, counts[i] as number));
  const mean = raw.reduce((s, v) => s + v, 0) / period;
  const indices = raw.map((v) => (kind === 'multiplicative' ? v / mean : v - mean));
  return { kind, period, indices };
}

export function deseasonalise(y: readonly number[], s: SeasonalIndices): number[] {
  return y.map((v, t) => adjust(v, t, s));
}

/** Removes the seasonal pattern from a value at time t (0-based, counted from the series start). */
export function adjust(value: number, t: number, s: SeasonalIndices): number {
  const idx = s.indices[t % s.period] as number;
  return s.kind === 'multiplicative' ? value / idx : value - idx;
}

/** Puts the seasonal pattern back on a value at time t (0-based, counted from the series start). */
export function reseasonalise(value: number, t: number, s: SeasonalIndices): number {
  const idx = s.indices[t % s.period] as number;
  return s.kind === 'multiplicative' ? value * idx : value + idx;
}
