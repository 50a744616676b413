// Bayesian assessment: path probabilities from priors and each indicator's newest usable value.
import type { Scenario } from '../config/scenario-schema.ts';
import { logLikelihoods } from './evidence.ts';
import type { Assessment, Contribution, Observation } from './model.ts';
import { addDuration, periodEnd } from './period.ts';

const DECIBANS_PER_NAT = 10 / Math.LN10;

/**
 * Assesses a scenario as of an instant. `observations` holds, per indicator, candidate values in any
 * order; the newest period complete by `asOf` is used unless it is older than the indicator's
 * `staleAfter`. Pure: the same arguments always give the same assessment.
 */
export function assess(scenario: Scenario, observations: Observation[], asOf: string): Assessment {
  const at = new Date(asOf);
  const likelihoods: { indicatorId: string; ll: Record<string, number> }[] = [];
  const contributions: Contribution[] = [];
  const stale: string[] = [];
  const evidence: Record<string, string> = {};

  for (const indicator of scenario.indicators) {
    const newest = observations
      .filter((o) => o.indicatorId === indicator.id && periodEnd(o.period, indicator.cadence) <= at)
      .reduce<Observation | undefined>((best, o) => (best && best.period >= o.period ? best : o), undefined);
    if (!newest) {
      stale.push(indicator.id);
      contributions.push({ indicatorId: indicator.id, status: 'missing', decibans: {} });
      continue;
    }
    const staleAfter = indicator.staleAfter ?? indicator.cadence;
    const freshUntil = addDuration(periodEnd(newest.period, indicator.cadence), staleAfter);
    const { value, period, source } = newest;
    if (freshUntil < at) {
      stale.push(indicator.id);
      contributions.push({ indicatorId: indicator.id, status: 'stale', value, period, source, decibans: {} });
      continue;
    }
    const ll = logLikelihoods(indicator, value);
    likelihoods.push({ indicatorId: indicator.id, ll });
    evidence[indicator.id] = `${period}=${value}`;
    contributions.push({
      indicatorId: indicator.id,
      status: 'used',
      value,
      period,
      source,
      decibans: weightOfEvidence(scenario, ll),
    });
  }

  const probabilities = posterior(scenario, likelihoods);
  const ranked = Object.entries(probabilities).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const [leader, top] = ranked[0] ?? ['', 0];
  return {
    scenarioId: scenario.id,
    asOf: at.toISOString(),
    probabilities,
    leader,
    margin: top - (ranked[1]?.[1] ?? 0),
    contributions,
    stale,
    evidence,
  };
}

/**
 * Good's weight of evidence for each path against the rest (weighted by their priors), in decibans:
 * +10 dB means this value alone makes the path ten times likelier relative to its alternatives.
 */
function weightOfEvidence(scenario: Scenario, ll: Record<string, number>): Record<string, number> {
  const result: Record<string, number> = {};
  for (const path of scenario.paths) {
    const others = scenario.paths.filter((p) => p.id !== path.id);
    const otherPrior = others.reduce((sum, p) => sum + p.prior, 0);
    const logOthers = logSumExp(others.map((p) => Math.log(p.prior / otherPrior) + (ll[p.id] ?? 0)));
    result[path.id] = round(((ll[path.id] ?? 0) - logOthers) * DECIBANS_PER_NAT, 3);
  }
  return result;
}

/**
 * Priors times the product of likelihoods, normalised. Log-likelihoods are summed in indicator-id
 * order (floating-point sums depend on order, and the answer must not depend on the YAML's), and
 * their totals are taken relative to the largest before the log priors are added, so a huge but
 * equal log-likelihood cannot wash out the difference between two priors.
 */
function posterior(
  scenario: Scenario,
  likelihoods: { indicatorId: string; ll: Record<string, number> }[],
): Record<string, number> {
  const ordered = [...likelihoods].sort((a, b) => (a.indicatorId < b.indicatorId ? -1 : 1));
  const totals = scenario.paths.map((p) => ordered.reduce((sum, { ll }) => sum + (ll[p.id] ?? 0), 0));
  const best = Math.max(...totals);
  return normalise(
    Object.fromEntries(scenario.paths.map((p, i) => [p.id, Math.log(p.prior) + ((totals[i] ?? 0) - best)])),
  );
}

/**
 * Softmax relative to the largest weight, so extreme likelihoods give probabilities without NaN or
 * Infinity (adding log(sum) back to a huge weight would lose it to rounding).
 */
function normalise(logWeights: Record<string, number>): Record<string, number> {
  const max = Math.max(...Object.values(logWeights));
  const relative = Object.entries(logWeights).map(([k, w]) => [k, Math.exp(w - max)] as const);
  const total = relative.reduce((sum, [, w]) => sum + w, 0);
  return Object.fromEntries(relative.map(([k, w]) => [k, w / total]));
}

function logSumExp(values: number[]): number {
  const max = Math.max(...values);
  if (!Number.isFinite(max)) return max;
  return max + Math.log(values.reduce((sum, v) => sum + Math.exp(v - max), 0));
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
