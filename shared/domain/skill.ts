// Scores against references: what knowing nothing (the priors) and knowing only the base rate of the
// outcomes (climatology) would have scored, skill relative to both, and sharpness. docs/scoring.md.
import { type ScoredForecast, type Scores, score } from './scoring.ts';

export interface Reference {
  /** How the reference forecast is made, in words. */
  method: string;
  scores: Scores;
}

export interface SkillReport {
  scores: Scores;
  /** The mean probability of the leading path: how decided the forecasts are, right or wrong. */
  sharpness: number | null;
  prior: Reference;
  climatology: Reference;
  /** 1 − score / reference score: above 0 beats the reference, 1 is perfect, below 0 worse. */
  skill: {
    brier: { prior: number | null; climatology: number | null };
    log: { prior: number | null; climatology: number | null };
  };
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
 * The forecasts' scores beside the priors' and climatology's on the same outcomes. Climatology is the
 * base rate of the outcomes scored (known only afterwards: a demanding reference, not one a forecaster
 * could have issued at the time); a base rate of 0 scores the log floor when that path comes true.
 */
export function skillReport(
  forecasts: readonly ScoredForecast[],
  priors: Record<string, number>,
  bins = 10,
): SkillReport {
  const paths = Object.keys(priors);
  const scores = score(forecasts, bins);
  const rates = baseRates(forecasts, paths);
  const prior = score(
    forecasts.map((f) => ({ ...f, probabilities: priors })),
    bins,
  );
  const climatology = score(
    forecasts.map((f) => ({ ...f, probabilities: rates })),
    bins,
  );
  return {
    scores,
    sharpness: sharpness(forecasts),
    prior: { method: 'the priors at every evaluation', scores: prior },
    climatology: {
      method: `the base rate of the outcomes scored (${paths.map((p) => `${p} ${round(rates[p] ?? 0)}`).join(', ')})`,
      scores: climatology,
    },
    skill: {
      brier: {
        prior: skillScore(scores.brier, prior.brier),
        climatology: skillScore(scores.brier, climatology.brier),
      },
      log: {
        prior: skillScore(scores.logScore, prior.logScore),
        climatology: skillScore(scores.logScore, climatology.logScore),
      },
    },
  };
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
