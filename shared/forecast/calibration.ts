// Split-conformal calibration of interval widths from rolling-origin backtests on the series' own
// history (Vovk et al. 2005; for forecasts, Stankeviciute et al. 2021).
//
// Written by hand: no maintained JS library does conformal prediction, and the whole method is a
// sorted list and one order statistic.

/** Standard normal quantiles for the central 80 % and 95 % intervals. */
export const Z80 = 1.2815515655446004;
export const Z95 = 1.959963984540054;

export interface BacktestForecast {
  point: number[];
  /** Model standard deviation of the k-step error (index 0 = step 1): the nonconformity scale. */
  sd: number[];
}

export interface Calibration {
  /** Per step (index 0 = step 1): multipliers of the model standard deviation giving 80 % and 95 % half-widths. */
  q80: number[];
  q95: number[];
  residuals: number;
  origins: number;
  /** Steps whose pool was degenerate (all errors ~0) and kept the normal multipliers. */
  uncalibrated: number;
}

export interface CalibrateOptions {
  /**
   * The smallest backtest sd a score is divided by: a data scale (e.g. a fraction of the full fit's
   * sigma), so an origin on a flat stretch, where the refit model's sd is 0 or ~1e-8, does not turn
   * an ordinary error into a score of 1e8. Default 0 (no floor).
   */
  sdFloor?: number;
}

/** Fewer backtest errors than this and the model's own (normal) intervals are kept. */
export const MIN_RESIDUALS = 8;
/**
 * Scores are capped here (errors of more than this many standard deviations): one real move after a
 * flat stretch, whose backtest sd was ~0, must not stretch the interval by a factor of 1e8. It is
 * also the score of a nonzero error against a zero sd (a model certain and wrong).
 */
export const MAX_SCORE = 100;
/**
 * A calibrated multiplier below this fraction of the normal one means the backtests saw (almost) no
 * error at all, e.g. every origin on a flat stretch: they say nothing about the width, so the model's
 * own (normal) multiplier is kept for that step.
 */
export const MIN_RELATIVE_MULTIPLIER = 0.1;
/** Each step's quantile uses at least this many errors, borrowing from neighbouring steps. */
const MIN_PER_STEP = 20;

/**
 * The smallest score s such that at least ceil((N+1)·level) of the N scores are ≤ s: the split-
 * conformal quantile, which covers a new exchangeable score with probability ≥ level. Capped at
 * the largest score when N is too small for the level.
 */
export function conformalQuantile(sorted: readonly number[], level: number): number {
  const n = sorted.length;
  const rank = Math.min(n, Math.ceil((n + 1) * level));
  return sorted[rank - 1] as number;
}

/**
 * Refits `forecaster` at every origin of the second half of the series (training on x[0..o)) and
 * scores each k-step error against `actual` by the model's own k-step standard deviation. Each
 * step gets the conformal quantile of its own scores, pooled with the nearest steps when it has
 * fewer than MIN_PER_STEP (long steps have fewer origins). Backtest sds are floored at
 * `options.sdFloor` and scores capped at MAX_SCORE; a step whose quantile is degenerate (below
 * MIN_RELATIVE_MULTIPLIER of the normal one) keeps the normal multiplier, and q95 is never below q80.
 */
export function calibrate(
  x: readonly number[],
  actual: readonly number[],
  horizon: number,
  forecaster: (train: readonly number[], steps: number) => BacktestForecast,
  options: CalibrateOptions = {},
): Calibration | undefined {
  const floor = Math.max(0, options.sdFloor ?? 0);
  const n = x.length;
  const firstOrigin = Math.max(Math.ceil(n / 2), 6);
  const byStep: number[][] = Array.from({ length: horizon }, () => []);
  let residuals = 0;
  let origins = 0;
  for (let o = firstOrigin; o < n; o++) {
    const steps = Math.min(horizon, n - o);
    const f = forecaster(x.slice(0, o), steps);
    origins++;
    for (let k = 0; k < steps; k++) {
      const sd = Math.max(f.sd[k] as number, floor);
      const error = Math.abs((actual[o + k] as number) - (f.point[k] as number));
      if (Number.isNaN(sd) || Number.isNaN(error)) continue;
      const score = error === 0 ? 0 : sd > 0 ? Math.min(error / sd, MAX_SCORE) : MAX_SCORE;
      (byStep[k] as number[]).push(score);
      residuals++;
    }
  }
  if (residuals < MIN_RESIDUALS) return undefined;
  const q80: number[] = [];
  const q95: number[] = [];
  let uncalibrated = 0;
  for (let k = 0; k < horizon; k++) {
    const pool = [...(byStep[k] as number[])];
    for (let w = 1; pool.length < MIN_PER_STEP && (k - w >= 0 || k + w < horizon); w++) {
      if (k - w >= 0) pool.push(...(byStep[k - w] as number[]));
      if (k + w < horizon) pool.push(...(byStep[k + w] as number[]));
    }
    pool.sort((a, b) => a - b);
    let step80 = conformalQuantile(pool, 0.8);
    let step95 = conformalQuantile(pool, 0.95);
    if (!(step80 >= MIN_RELATIVE_MULTIPLIER * Z80) || !(step95 >= MIN_RELATIVE_MULTIPLIER * Z95)) {
      uncalibrated++;
      if (!(step80 >= MIN_RELATIVE_MULTIPLIER * Z80)) step80 = Z80;
      if (!(step95 >= MIN_RELATIVE_MULTIPLIER * Z95)) step95 = Z95;
    }
    q80.push(step80);
    q95.push(Math.max(step95, step80));
  }
  return { q80, q95, residuals, origins, uncalibrated };
}
