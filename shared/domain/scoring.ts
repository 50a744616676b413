// Scoring: how good past path probabilities were against the paths that came true (Brier, log, calibration).
import { dayOf } from './period.ts';

/** One forecast to score: the path probabilities issued at `asOf`, and the path that turned out true. */
export interface ScoredForecast {
  asOf: string;
  probabilities: Record<string, number>;
  outcome: string;
}

/**
 * One bin of a reliability diagram. `from` is inclusive, `to` exclusive, except in the last bin, which
 * includes 1. `meanForecast` and `observedFrequency` are null when the bin is empty: there is nothing
 * to average, and a NaN would poison any sum or chart built from the table.
 */
export interface CalibrationBin {
  from: number;
  to: number;
  count: number;
  meanForecast: number | null;
  observedFrequency: number | null;
}

/** All the scores of one set of forecasts; `brier` and `logScore` are null when there are no forecasts. */
export interface Scores {
  count: number;
  brier: number | null;
  logScore: number | null;
  calibration: CalibrationBin[];
}

/**
 * The probability the log score uses in place of anything smaller. Without it a single forecast that
 * gave the true path 0 would make the mean infinite and hide every other forecast; with it that forecast
 * costs -ln(1e-12) ≈ 27.63, far worse than any honest forecast, yet finite.
 */
export const LOG_SCORE_FLOOR = 1e-12;

/** How far from 1 the probabilities of one forecast may sum: rounding, not a modelling error. */
export const SUM_TOLERANCE = 1e-6;

export class ScoringError extends Error {
  /** The position of the offending forecast in the list given. */
  readonly index: number;
  readonly asOf: string;
  constructor(index: number, asOf: string, problem: string) {
    super(`forecast ${index} (asOf ${asOf}): ${problem}`);
    this.name = 'ScoringError';
    this.index = index;
    this.asOf = asOf;
  }
}

/**
 * Multi-category Brier score: the mean over forecasts of Σ over paths of (p − 1 if the path came true
 * else p)². 0 is perfect, 2 is all the probability on one wrong path; null for no forecasts.
 */
export function brierScore(forecasts: readonly ScoredForecast[]): number | null {
  validate(forecasts);
  return mean(forecasts.map(brierOf));
}

/** Mean of −ln p(outcome), p floored at {@link LOG_SCORE_FLOOR}. 0 is perfect; null for no forecasts. */
export function logScore(forecasts: readonly ScoredForecast[]): number | null {
  validate(forecasts);
  return mean(forecasts.map(logOf));
}

/**
 * Reliability table: every (forecast, path) pair is one probability p, a hit when the path came true.
 * Pairs are binned by p into `bins` equal-width bins; a well-calibrated set of forecasts has each bin's
 * observed frequency close to its mean forecast. Empty bins are kept so the table always has `bins` rows.
 */
export function calibrationTable(forecasts: readonly ScoredForecast[], bins = 10): CalibrationBin[] {
  validate(forecasts);
  return calibrationOf(forecasts, bins);
}

/** Every score at once, validating the forecasts once. */
export function score(forecasts: readonly ScoredForecast[], bins = 10): Scores {
  validate(forecasts);
  return {
    count: forecasts.length,
    brier: mean(forecasts.map(brierOf)),
    logScore: mean(forecasts.map(logOf)),
    calibration: calibrationOf(forecasts, bins),
  };
}

function validate(forecasts: readonly ScoredForecast[]): void {
  forecasts.forEach((f, index) => {
    const entries = Object.entries(f.probabilities);
    const bad = entries.find(([, p]) => !Number.isFinite(p) || p < 0 || p > 1);
    if (bad)
      throw new ScoringError(index, f.asOf, `the probability of ${bad[0]} is ${bad[1]}, not in [0, 1]`);
    if (!Object.hasOwn(f.probabilities, f.outcome)) {
      const paths = entries.map(([path]) => path).join(', ');
      throw new ScoringError(index, f.asOf, `outcome ${f.outcome} is not one of its paths (${paths})`);
    }
    const sum = entries.reduce((total, [, p]) => total + p, 0);
    if (Math.abs(sum - 1) > SUM_TOLERANCE)
      throw new ScoringError(index, f.asOf, `probabilities sum to ${sum}, not 1 (±${SUM_TOLERANCE})`);
  });
}

function brierOf(f: ScoredForecast): number {
  let total = 0;
  for (const [path, p] of Object.entries(f.probabilities)) total += (p - (path === f.outcome ? 1 : 0)) ** 2;
  return total;
}

function logOf(f: ScoredForecast): number {
  return -Math.log(Math.max(f.probabilities[f.outcome] ?? 0, LOG_SCORE_FLOOR));
}

function calibrationOf(forecasts: readonly ScoredForecast[], bins: number): CalibrationBin[] {
  if (!Number.isInteger(bins) || bins < 1)
    throw new RangeError(`bins must be a positive integer, got ${bins}`);
  const sums = Array.from({ length: bins }, () => ({ count: 0, forecast: 0, hits: 0 }));
  for (const f of forecasts) {
    for (const [path, p] of Object.entries(f.probabilities)) {
      const bin = sums[binOf(p, bins)] as (typeof sums)[number];
      bin.count += 1;
      bin.forecast += p;
      if (path === f.outcome) bin.hits += 1;
    }
  }
  return sums.map((s, i) => ({
    from: i / bins,
    to: (i + 1) / bins,
    count: s.count,
    meanForecast: s.count === 0 ? null : s.forecast / s.count,
    observedFrequency: s.count === 0 ? null : s.hits / s.count,
  }));
}

function binOf(p: number, bins: number): number {
  let i = Math.min(Math.floor(p * bins), bins - 1);
  // p * bins can round across an edge; the reported edges (i / bins) are the ones that must hold.
  if (i > 0 && p < i / bins) i -= 1;
  else if (i < bins - 1 && p >= (i + 1) / bins) i += 1;
  return i;
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The path that turned out true at `asOf`, from a scenario's recorded outcomes (each entry holds from
 * its date until the next one): null before the first entry, when nothing is recorded yet, and where
 * an entry says the path is not known (`path: null`).
 */
export function realizedPath(
  outcomes: readonly { from: string; path: string | null }[],
  asOf: string,
): string | null {
  let realized: string | null = null;
  for (const outcome of [...outcomes].sort((a, b) => (a.from < b.from ? -1 : 1))) {
    if (outcome.from <= dayOf(asOf)) realized = outcome.path;
  }
  return realized;
}
