// Scores against references: what knowing nothing (the priors) and knowing only the base rate of the
// outcomes (climatology) would have scored, skill relative to both, sharpness, and the reliability
// diagram's bins with the range chance alone explains. docs/scoring.md.
import { binomialQuantile } from './binomial.ts';
import { type CalibrationBin, type ScoredForecast, type Scores, score } from './scoring.ts';

export interface Reference {
  /** How the reference forecast is made, in words. */
  method: string;
  /** The forecast the reference issues at every evaluation; null when it changes from one to the next. */
  probabilities: Record<string, number> | null;
  scores: Scores;
  sharpness: number | null;
}

/**
 * The share of the forecasts in a reliability bin that would come true if they were calibrated:
 * the central {@link CONSISTENCY_LEVEL} of Binomial(count, mean forecast) / count.
 */
export interface ConsistencyRange {
  low: number;
  high: number;
}

/** A calibration bin with its consistency range (null when the bin is empty). */
export interface ReliabilityBin extends CalibrationBin {
  consistency: ConsistencyRange | null;
}

/**
 * How much of the chance outcomes a consistency range covers. 90 %: one bin in ten of a calibrated
 * model falls outside by chance, so a single bin outside is a hint; several on the same side are a finding.
 */
export const CONSISTENCY_LEVEL = 0.9;

export interface SkillReport {
  scores: Scores;
  /** The mean probability of the leading path: how decided the forecasts are, right or wrong. */
  sharpness: number | null;
  prior: Reference;
  /** Climatology in hindsight: the base rate of every outcome scored. */
  climatology: Reference;
  /** Climatology known at the time: at each evaluation, the base rate of the outcomes known by then. */
  known: Reference | null;
  /** The calibration table of the forecasts (`scores.calibration`), each bin with its consistency range. */
  reliability: ReliabilityBin[];
  /** 1 − score / reference score: above 0 beats the reference, 1 is perfect, below 0 worse. */
  skill: {
    brier: { prior: number | null; climatology: number | null; known: number | null };
    log: { prior: number | null; climatology: number | null; known: number | null };
  };
}

/** A recorded outcome and when it became known: a running base rate counts it from then on. */
export interface KnownOutcome {
  path: string;
  /** ISO instant. */
  known: string;
}

/**
 * The base rate of the outcomes known by `asOf`, starting from the priors: the priors count as one
 * outcome (a Dirichlet prior of weight one), so with nothing known it is the priors, and each outcome
 * that becomes known moves it. What someone who knows only how often each path has come true so far
 * would forecast: the climatology a forecaster could have issued at the time.
 */
export function knownBaseRates(
  known: readonly KnownOutcome[],
  asOf: string,
  priors: Record<string, number>,
): Record<string, number> {
  const counts: Record<string, number> = { ...priors };
  let total = 1;
  for (const o of known) {
    if (o.known > asOf) continue;
    counts[o.path] = (counts[o.path] ?? 0) + 1;
    total += 1;
  }
  return Object.fromEntries(Object.keys(priors).map((p) => [p, (counts[p] ?? 0) / total]));
}

/** Each path's share of the outcomes: the forecast of someone who knows only how often each came true. */
export function baseRates(
  forecasts: readonly ScoredForecast[],
  paths: readonly string[],
): Record<string, number> {
  const counts = Object.fromEntries(paths.map((p) => [p, 0]));
  for (const f of forecasts) counts[f.outcome] = (counts[f.outcome] ?? 0) + 1;
  const total = forecasts.length;
  return Object.fromEntries(paths.map((p) => [p, total === 0 ? 1 / paths.length : (counts[p] ?? 0) / total]));
}

export function skillScore(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null || reference === 0) return null;
  return 1 - value / reference;
}

export function sharpness(forecasts: readonly ScoredForecast[]): number | null {
  if (forecasts.length === 0) return null;
  let total = 0;
  for (const f of forecasts) total += Math.max(...Object.values(f.probabilities));
  return total / forecasts.length;
}

/**
 * The observed frequencies `count` forecasts of mean probability `meanForecast` would show, if they
 * were calibrated, in all but 1 − `level` of cases. Binomial with the bin's mean rather than the
 * exact Poisson-binomial of its individual probabilities: a little wider, so a point outside it is
 * at least as surprising as the level says (Bröcker & Smith 2007 draw the same bars by resampling).
 */
export function consistencyRange(
  count: number,
  meanForecast: number,
  level = CONSISTENCY_LEVEL,
): ConsistencyRange | null {
  if (count === 0) return null;
  const tail = (1 - level) / 2;
  // A mean of probabilities can round a hair past 1 (or below 0); the distribution needs [0, 1].
  const p = Math.min(1, Math.max(0, meanForecast));
  return {
    low: binomialQuantile(count, p, tail) / count,
    high: binomialQuantile(count, p, 1 - tail) / count,
  };
}

/**
 * The forecasts' scores beside the priors' and climatology's on the same outcomes. Climatology is the
 * base rate of the outcomes scored (known only afterwards: a demanding reference, not one a forecaster
 * could have issued at the time); a base rate of 0 scores the log floor when that path comes true.
 */
export function skillReport(
  forecasts: readonly ScoredForecast[],
  priors: Record<string, number>,
  bins = 10,
  /** The outcomes with when each became known: adds climatology known at the time. */
  known?: readonly KnownOutcome[],
): SkillReport {
  const paths = Object.keys(priors);
  const scores = score(forecasts, bins);
  const rates = baseRates(forecasts, paths);
  const reference = (method: string, probabilities: Record<string, number>): Reference => {
    const issued = forecasts.map((f) => ({ ...f, probabilities }));
    return { method, probabilities, scores: score(issued, bins), sharpness: sharpness(issued) };
  };
  let knownReference: Reference | null = null;
  if (known) {
    const issued = forecasts.map((f) => ({ ...f, probabilities: knownBaseRates(known, f.asOf, priors) }));
    knownReference = {
      method: 'at each evaluation, the base rate of the outcomes known by then, the priors counting as one',
      probabilities: null,
      scores: score(issued, bins),
      sharpness: sharpness(issued),
    };
  }
  const prior = reference('the priors at every evaluation', priors);
  const climatology = reference(
    `the base rate of the outcomes scored (${paths.map((p) => `${p} ${round(rates[p] ?? 0)}`).join(', ')})`,
    rates,
  );
  return {
    scores,
    sharpness: sharpness(forecasts),
    prior,
    climatology,
    known: knownReference,
    reliability: scores.calibration.map((b) => ({
      ...b,
      consistency: b.meanForecast === null ? null : consistencyRange(b.count, b.meanForecast),
    })),
    skill: {
      brier: {
        prior: skillScore(scores.brier, prior.scores.brier),
        climatology: skillScore(scores.brier, climatology.scores.brier),
        known: skillScore(scores.brier, knownReference?.scores.brier ?? null),
      },
      log: {
        prior: skillScore(scores.logScore, prior.scores.logScore),
        climatology: skillScore(scores.logScore, climatology.scores.logScore),
        known: skillScore(scores.logScore, knownReference?.scores.logScore ?? null),
      },
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
