// Path dynamics: the Markov chain the path filter assumes (how the world moves between paths from one
// step to the next) and how much of yesterday's belief a step carries over. See docs/evidence-models.md.
import type { Scenario } from '../config/scenario-schema.ts';
import { CADENCES, type Cadence } from './period.ts';

export interface PathDynamics {
  /** The scenario's paths, in its order: the rows and columns of `transition`. */
  paths: string[];
  prior: number[];
  /** Row-stochastic: `transition[i][j]` is the chance of being on path j next step when on path i now. */
  transition: number[][];
  /**
   * The share of the belief one step does not carry over: 1 minus the chain's contraction coefficient
   * (Dobrushin's: half the largest L1 distance between two rows). 1: nothing carries over (each step
   * starts from the same distribution); 0: the paths never change.
   */
  mixing: number;
  /** Each step's log-likelihoods are multiplied by this. */
  temperature: number;
  /** The period one step covers: the finest cadence among the scenario's indicators. */
  step: Cadence;
  /** How many steps an assessment runs the filter over, starting from the priors. */
  lookback: number;
}

/**
 * The default chance per step of re-drawing the path: evidence one `horizon` old counts half as much as
 * the newest. The analysis asks about the next `horizon` periods; a path that could not last that long
 * would not be a path, and one that cannot change within it would not need watching. With the default
 * horizon of 6 monthly steps this is 0.109 (a mean dwell of about nine months).
 */
export function defaultSwitch(horizon: number): number {
  return 1 - 0.5 ** (1 / horizon);
}

/**
 * What is left of the priors' influence after the lookback: the filter forgets its starting point
 * geometrically, so starting `lookback` steps back from the priors changes no probability by more
 * than this (relative to one full period of evidence).
 */
export const LOOKBACK_TOLERANCE = 1e-3;
/** The longest lookback, for paths that (almost) never change: 20 years of months, 10 of weeks. */
export const MAX_LOOKBACK = 520;

export function resolveDynamics(scenario: Scenario): PathDynamics {
  const paths = scenario.paths.map((p) => p.id);
  const prior = scenario.paths.map((p) => p.prior);
  const declared = scenario.dynamics;
  const transition = declared.transitions
    ? paths.map((from, i) => {
        const row = declared.transitions?.[from] ?? {};
        const leave = paths.map((to, j) => (j === i ? 0 : (row[to] ?? 0)));
        const stay = Math.max(0, 1 - leave.reduce((a, b) => a + b, 0));
        return leave.map((p, j) => (j === i ? stay : p));
      })
    : switchMatrix(prior, declared.switch ?? defaultSwitch(scenario.forecast.horizon));
  const mixing = 1 - contraction(transition);
  return {
    paths,
    prior,
    transition,
    mixing,
    temperature: declared.temperature,
    step: finestCadence(scenario),
    lookback: lookbackSteps(mixing),
  };
}

/** Stay with probability 1 − s, else re-draw from the priors: the priors are the chain's resting point. */
export function switchMatrix(prior: number[], s: number): number[][] {
  return prior.map((_, i) => prior.map((p, j) => s * p + (i === j ? 1 - s : 0)));
}

/** Dobrushin's coefficient: how much a step can keep two different beliefs apart (0 to 1). */
function contraction(transition: number[][]): number {
  let worst = 0;
  for (const a of transition) {
    for (const b of transition) {
      let distance = 0;
      for (let k = 0; k < a.length; k++) distance += Math.abs((a[k] ?? 0) - (b[k] ?? 0));
      worst = Math.max(worst, distance / 2);
    }
  }
  return worst;
}

export function lookbackSteps(mixing: number): number {
  if (mixing >= 1) return 1;
  if (mixing <= 0) return MAX_LOOKBACK;
  return Math.min(MAX_LOOKBACK, Math.ceil(Math.log(LOOKBACK_TOLERANCE) / Math.log(1 - mixing)) + 1);
}

function finestCadence(scenario: Scenario): Cadence {
  return CADENCES.find((c) => scenario.indicators.some((i) => i.cadence === c)) ?? 'P1M';
}

/** One step of the chain: the belief about the next step's path, before its evidence. */
export function predict(belief: number[], transition: number[][], steps = 1): number[] {
  let current = belief;
  for (let s = 0; s < steps; s++) {
    const next = new Array<number>(current.length).fill(0);
    for (let i = 0; i < current.length; i++) {
      const row = transition[i] as number[];
      const p = current[i] as number;
      if (p === 0) continue;
      for (let j = 0; j < row.length; j++) next[j] = (next[j] as number) + p * (row[j] as number);
    }
    current = next;
  }
  return current;
}
