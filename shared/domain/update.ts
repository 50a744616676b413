// One period's Bayes update: each indicator's evidence judged, weighed and combined with the belief carried
// into the period (the priors, for a snapshot), with the explanation. assess.ts runs it period after period.
import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import { type Reading, readEvidence } from './evidence.ts';
import type { Assessment, Contribution, ContributionStatus, Observation } from './model.ts';
import { addDuration, parseDuration, periodEnd } from './period.ts';
import { isFresh, staleAfter } from './staleness.ts';

const DECIBANS_PER_NAT = 10 / Math.LN10;
const DAY_MS = 86_400_000;

/** One indicator's evidence as of an instant, before its group's cap: what `combine` weighs. */
export interface Judgement {
  indicator: Indicator;
  status: ContributionStatus;
  reading: Reading | null;
  /** The newest complete observation, reported even when it is not used (stale). */
  newest?: Observation;
  /** Weight times ageing, before any group cap. */
  factor: number;
}

/** The observations of periods before `current` (period ids are period starts), oldest first. */
export function completeSeries(observations: Observation[], current: string): Observation[] {
  return observations
    .filter((o) => o.period < current)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

/** How one period's update weighs its evidence against the belief it starts from. */
export interface UpdateOptions {
  /** Leave out the contributions (the explanation, decibans included); everything else is the same. */
  explain?: boolean;
  /** The belief carried into the period, by path: the priors when not given (a snapshot). */
  carried?: Record<string, number>;
  /** Per judgement (same order), the share of its evidence that is new to the carried belief (0 to 1). */
  shares?: number[];
  /** Every log-likelihood is multiplied by this (the scenario's evidence temperature). */
  temperature?: number;
}

/**
 * Weighs one judgement per indicator of the scenario (in the scenario's order) into an assessment (`asOf`
 * as an ISO string): the carried belief times each indicator's likelihoods, raised to its weight (its
 * tempering and ageing, its group's cap, its share of new evidence and the temperature).
 */
export function combine(
  scenario: Scenario,
  judged: Judgement[],
  asOf: string,
  options: UpdateOptions = {},
): Assessment {
  const { explain = true, shares, temperature = 1 } = options;
  const carried = options.carried ?? priorsOf(scenario);
  const groupScale = capGroups(scenario, judged, shares);

  const contributions: Contribution[] = [];
  const likelihoods: { indicatorId: string; ll: Record<string, number> }[] = [];
  const evidence: Record<string, string> = {};
  let informative = 0;
  for (const [n, j] of judged.entries()) {
    const { indicator, status, reading } = j;
    const weight = j.factor * (shares?.[n] ?? 1) * temperature * (groupScale.get(indicator.group ?? '') ?? 1);
    if (!reading || weight === 0) {
      // Evidence that counts for nothing is not data either: it must not make an update "new".
      if (explain) contributions.push({ ...base(j), ...describe(j), weight: 0, decibans: {} });
      continue;
    }
    if (status === 'used' || status === 'absent') informative++;
    const ll: Record<string, number> = {};
    for (const path in reading.ll) ll[path] = (reading.ll[path] as number) * weight;
    likelihoods.push({ indicatorId: indicator.id, ll });
    evidence[indicator.id] = reading.key;
    if (explain) {
      contributions.push({
        ...base(j),
        ...describe(j),
        weight: round(weight, 6),
        decibans: weightOfEvidence(scenario, ll, carried),
      });
    }
  }

  const probabilities = posterior(scenario, likelihoods, carried);
  const ranked = firstTwo(probabilities);
  const [leader, top] = ranked[0] ?? ['', 0];
  return {
    scenarioId: scenario.id,
    asOf,
    probabilities,
    leader,
    margin: top - (ranked[1]?.[1] ?? 0),
    entropy: Object.values(probabilities).reduce((h, p) => (p > 0 ? h - p * Math.log2(p) : h), 0),
    contributions,
    carried,
    stale: staleOf(judged),
    evidence,
    informative,
  };
}

/** Likeliest first, ties by id. */
function byLikelihood(a: [string, number], b: [string, number]): number {
  return b[1] - a[1] || a[0].localeCompare(b[0]);
}

/**
 * The first two of the paths sorted by `byLikelihood`, picked without sorting them all (assess runs
 * thousands of times per projection). A NaN makes that order depend on the sort algorithm, so then
 * the paths are sorted as before.
 */
function firstTwo(probabilities: Record<string, number>): [string, number][] {
  const entries = Object.entries(probabilities);
  if (entries.some(([, p]) => Number.isNaN(p))) return entries.sort(byLikelihood);
  let first: [string, number] | undefined;
  let second: [string, number] | undefined;
  for (const entry of entries) {
    if (!first || byLikelihood(entry, first) < 0) {
      second = first;
      first = entry;
    } else if (!second || byLikelihood(entry, second) < 0) second = entry;
  }
  return first ? (second ? [first, second] : [first]) : [];
}

function staleOf(judged: Judgement[]): string[] {
  const stale: string[] = [];
  for (const j of judged) if (j.status !== 'used' && j.status !== 'insufficient') stale.push(j.indicator.id);
  return stale;
}

function base({ indicator, status }: Judgement): Pick<Contribution, 'indicatorId' | 'status' | 'model'> {
  return { indicatorId: indicator.id, status, model: indicator.evidence.model };
}

/**
 * Applies the indicator's freshness, missing-data policy, weight and half-life to its series: the
 * observations of the periods complete by `at` (period ids are period starts: a period is complete
 * exactly when it starts before the current one), oldest first.
 */
export function judge(indicator: Indicator, series: Observation[], at: Date): Judgement {
  const newest = series.at(-1);
  const ended = newest ? periodEnd(newest.period, indicator.cadence) : null;
  const fresh = isFresh(indicator, newest?.period, at);
  const age = (halfLife: string | undefined) =>
    ended && halfLife ? 0.5 ** ((at.getTime() - ended.getTime()) / durationMs(halfLife, ended)) : 1;
  const known = (status: ContributionStatus, reading: Reading | null, factor: number): Judgement =>
    newest ? { indicator, newest, status, reading, factor } : { indicator, status, reading, factor };

  if (fresh) {
    const reading = readEvidence(indicator.evidence, indicator.cadence, series, at);
    return known(reading ? 'used' : 'insufficient', reading, indicator.weight * age(indicator.halfLife));
  }
  const policy = indicator.missing;
  if (policy === 'keepLast' && newest) {
    const reading = readEvidence(indicator.evidence, indicator.cadence, series, at);
    const factor = indicator.weight * age(indicator.halfLife ?? staleAfter(indicator));
    return known(reading ? 'kept' : 'stale', reading, factor);
  }
  if (typeof policy === 'object') {
    const ll = Object.fromEntries(Object.entries(policy.absence).map(([path, l]) => [path, Math.log(l)]));
    const reading: Reading = {
      ll,
      value: 0,
      period: '',
      outcome: 'no current data',
      key: 'absent',
      through: '',
      span: 1,
    };
    return { indicator, status: 'absent', reading, factor: indicator.weight };
  }
  return known(newest ? 'stale' : 'missing', null, 0);
}

/** The figure an indicator is explained by: what its model judged, else its newest (unused) data. */
function describe({ reading, newest }: Judgement): Partial<Contribution> {
  if (reading?.key === 'absent') return { outcome: reading.outcome };
  const source = newest ? { source: newest.source } : {};
  if (!reading) return newest ? { value: newest.value, period: newest.period, ...source } : {};
  return { value: reading.value, period: reading.period, ...source, outcome: reading.outcome };
}

/** A duration in milliseconds, measured from `from` (months and years vary in length). */
function durationMs(duration: string, from: Date): number {
  const d = parseDuration(duration);
  return Math.max(DAY_MS, addDuration(from, d).getTime() - from.getTime());
}

/**
 * Scales each group's evidence down so that, together, its indicators move the odds between any
 * two paths by at most the group's cap: correlated indicators cannot count the same news twice.
 */
function capGroups(scenario: Scenario, judged: Judgement[], shares?: number[]): Map<string, number> {
  const scales = new Map<string, number>();
  for (const group of scenario.groups) {
    const members = judged.flatMap((j, n) =>
      j.indicator.group === group.id && j.reading ? [{ j, share: shares?.[n] ?? 1 }] : [],
    );
    const totals = scenario.paths.map((p) =>
      members.reduce((sum, { j, share }) => sum + (j.reading?.ll[p.id] ?? 0) * j.factor * share, 0),
    );
    const spread = (Math.max(...totals) - Math.min(...totals)) * DECIBANS_PER_NAT;
    scales.set(group.id, spread > group.cap ? group.cap / spread : 1);
  }
  return scales;
}

/**
 * Good's weight of evidence for each path against the rest (weighted by the belief carried into the
 * period), in decibans: +10 dB means this evidence alone makes the path ten times likelier relative to
 * its alternatives.
 */
function weightOfEvidence(
  scenario: Scenario,
  ll: Record<string, number>,
  carried: Record<string, number>,
): Record<string, number> {
  const result: Record<string, number> = {};
  for (const path of scenario.paths) {
    const others = scenario.paths.filter((p) => p.id !== path.id);
    // Weighted by the carried belief; equally when the others carry none (paths that never change).
    const otherPrior = others.reduce((sum, p) => sum + (carried[p.id] ?? 0), 0);
    const logOthers = logSumExp(
      others.map(
        (p) =>
          Math.log(otherPrior > 0 ? (carried[p.id] ?? 0) / otherPrior : 1 / others.length) + (ll[p.id] ?? 0),
      ),
    );
    result[path.id] = round(((ll[path.id] ?? 0) - logOthers) * DECIBANS_PER_NAT, 3);
  }
  return result;
}

export function priorsOf(scenario: Scenario): Record<string, number> {
  return Object.fromEntries(scenario.paths.map((p) => [p.id, p.prior]));
}

/**
 * The carried belief (the priors, for a snapshot) times the product of likelihoods, normalised. Log-likelihoods are summed in indicator-id
 * order (floating-point sums depend on order, and the answer must not depend on the YAML's), and
 * their totals are taken relative to the largest before the log priors are added, so a huge but
 * equal log-likelihood cannot wash out the difference between two priors.
 */
function posterior(
  scenario: Scenario,
  likelihoods: { indicatorId: string; ll: Record<string, number> }[],
  carried: Record<string, number>,
): Record<string, number> {
  // Sorted in place: combine builds the list for this call alone.
  const ordered = likelihoods.sort((a, b) => (a.indicatorId < b.indicatorId ? -1 : 1));
  const totals = scenario.paths.map((p) => {
    let sum = 0;
    for (const { ll } of ordered) sum += ll[p.id] ?? 0;
    return sum;
  });
  const best = Math.max(...totals);
  const logWeights: Record<string, number> = {};
  scenario.paths.forEach((p, i) => {
    logWeights[p.id] = Math.log(carried[p.id] ?? 0) + ((totals[i] ?? 0) - best);
  });
  return normalise(logWeights);
}

/**
 * Softmax relative to the largest weight, so extreme likelihoods give probabilities without NaN or
 * Infinity (adding log(sum) back to a huge weight would lose it to rounding).
 */
function normalise(logWeights: Record<string, number>): Record<string, number> {
  // Loops in the object's key order (as Object.entries would), so the sum is taken in the same order.
  let max = Number.NEGATIVE_INFINITY;
  for (const k in logWeights) max = Math.max(max, logWeights[k] as number);
  const relative: Record<string, number> = {};
  let total = 0;
  for (const k in logWeights) {
    const w = Math.exp((logWeights[k] as number) - max);
    relative[k] = w;
    total += w;
  }
  for (const k in relative) relative[k] = (relative[k] as number) / total;
  return relative;
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
