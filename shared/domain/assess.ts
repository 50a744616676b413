// Assessment by the path filter: the paths are the hidden states of a Markov chain (dynamics.ts), and
// each period's evidence updates the belief carried over from the period before (the forward
// algorithm). Evidence that re-reads earlier periods counts only for what is new in it. Pure.
import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import { type PathDynamics, predict, resolveDynamics } from './dynamics.ts';
import { NOMINAL_MS, periodsNeeded, type Reading } from './evidence.ts';
import type { Assessment, Observation } from './model.ts';
import { addDuration, type Cadence, periodId, periodStart, periodSteps } from './period.ts';
import { combine, type Judgement, judge } from './update.ts';

/** What an indicator's last reading read: the filter counts only the periods a new reading adds. */
export interface LastRead {
  key: string;
  through: string;
  span: number;
  cadence: Cadence;
}

/** The filter after an assessment: what the next period's update starts from. */
export interface FilterState {
  /** The belief at the assessment, in the scenario's path order. */
  belief: number[];
  /** Per indicator, its last reading. */
  read: Map<string, LastRead>;
}

/**
 * Assesses a scenario as of an instant from the observations (any order, any indicators; only
 * periods complete by each step count). Pure: the same arguments always give the same assessment.
 */
export function assess(scenario: Scenario, observations: Observation[], asOf: string): Assessment {
  return assessWithState(scenario, observations, asOf).assessment;
}

/**
 * Runs the filter over the lookback (dynamics.ts) up to `asOf`: at the start of each step the belief
 * moves one step along the chain, then takes the evidence of the data complete by then; the last step
 * reads it at `asOf` itself. The assessment explains that last update; the state continues it (the
 * projection's futures).
 */
export function assessWithState(
  scenario: Scenario,
  observations: Observation[],
  asOf: string,
  dynamics: PathDynamics = resolveDynamics(scenario),
): { assessment: Assessment; state: FilterState } {
  const at = new Date(asOf);
  const series = scenario.indicators.map((indicator) => sortedSeries(observations, indicator.id));
  const instants = stepInstants(at, dynamics, firstDataStart(series));
  const state: FilterState = { belief: dynamics.prior, read: new Map() };
  const assessment = run(scenario, series, instants, dynamics, state, (k) => k === instants.length - 1).at(
    -1,
  );
  return { assessment: assessment as Assessment, state };
}

/**
 * The filter's probabilities at each of `origins` (ISO instants at step starts, ascending), from one
 * pass over every step since the first data: what `assess` gives at each, up to its lookback (a
 * difference below LOOKBACK_TOLERANCE). Calibration scores many settings this way.
 */
export function filterAt(
  scenario: Scenario,
  observations: Observation[],
  origins: string[],
  dynamics: PathDynamics = resolveDynamics(scenario),
): Record<string, number>[] {
  const last = origins.at(-1);
  if (last === undefined) return [];
  const series = scenario.indicators.map((indicator) => sortedSeries(observations, indicator.id));
  const first = firstDataStart(series);
  const instants: Date[] = [];
  const start = periodStart(
    new Date(Math.min(first?.getTime() ?? Infinity, Date.parse(origins[0] as string))),
    dynamics.step,
  );
  for (let at = start; at.getTime() <= Date.parse(last); at = addDuration(at, dynamics.step))
    instants.push(at);
  const wanted = new Set(origins.map((o) => Date.parse(o)));
  const state: FilterState = { belief: dynamics.prior, read: new Map() };
  const results = run(scenario, series, instants, dynamics, state, () => false);
  return instants.flatMap((at, k) =>
    wanted.has(at.getTime()) ? [(results[k] as Assessment).probabilities] : [],
  );
}

/** Runs the filter over `instants` (ascending step starts, the last may be any instant), in place on `state`. */
function run(
  scenario: Scenario,
  series: Observation[][],
  instants: Date[],
  dynamics: PathDynamics,
  state: FilterState,
  explain: (k: number) => boolean,
): Assessment[] {
  // How far each indicator's series is complete: a prefix that only grows as the steps advance. Its
  // model reads only its newest periods, so only those are handed over (a long history stays linear).
  const complete = series.map(() => 0);
  const needed = scenario.indicators.map((i) => periodsNeeded(i.evidence, i.cadence));
  return instants.map((instant, k) => {
    const judged = scenario.indicators.map((indicator, i) => {
      const all = series[i] as Observation[];
      const current = periodId(instant, indicator.cadence);
      let n = complete[i] as number;
      while (n < all.length && (all[n] as Observation).period < current) n++;
      complete[i] = n;
      const from = Math.max(0, n - (needed[i] as number));
      return judge(indicator, from === 0 && n === all.length ? all : all.slice(from, n), instant);
    });
    return step(scenario, dynamics, state, judged, instant.toISOString(), explain(k));
  });
}

/**
 * How many of an indicator's newest periods an assessment reads: its model's window at the first step
 * of the lookback, and every period since.
 */
export function historyNeeded(indicator: Indicator, dynamics: PathDynamics): number {
  const steps = Math.ceil(
    ((dynamics.lookback - 1) * NOMINAL_MS[dynamics.step]) / NOMINAL_MS[indicator.cadence],
  );
  return periodsNeeded(indicator.evidence, indicator.cadence) + steps + 1;
}

/**
 * One step of the filter, in place on `state`: predict (`moves` steps of the chain), then update with
 * the step's judgements, each counting for its share of new evidence.
 */
export function step(
  scenario: Scenario,
  dynamics: PathDynamics,
  state: FilterState,
  judged: Judgement[],
  asOf: string,
  explain: boolean,
  moves = 1,
  /** Indicators whose reading holds no new data whatever its key says (a projection's held evidence). */
  held?: ReadonlySet<string>,
): Assessment {
  const carried = predict(state.belief, dynamics.transition, moves);
  const shares = judged.map((j) =>
    held?.has(j.indicator.id)
      ? j.reading
        ? dynamics.mixing
        : 0
      : share(dynamics.mixing, state.read.get(j.indicator.id), j.reading),
  );
  const assessment = combine(scenario, judged, asOf, {
    explain,
    carried: Object.fromEntries(dynamics.paths.map((p, i) => [p, carried[i] as number])),
    shares,
    temperature: dynamics.temperature,
  });
  state.belief = dynamics.paths.map((p) => assessment.probabilities[p] as number);
  for (const j of judged) {
    const r = j.reading;
    if (r)
      state.read.set(j.indicator.id, {
        key: r.key,
        through: r.through,
        span: r.span,
        cadence: j.indicator.cadence,
      });
  }
  return assessment;
}

/**
 * The share of a reading's evidence a step counts: what the carried belief forgot of earlier readings
 * (the mixing) plus, of the rest, the fraction of the reading's periods that are new since the last
 * reading. A window of k periods re-read every period thus counts each period once in all (1/k per
 * step) when nothing is forgotten, and in full when everything is (the snapshot); the same data read
 * again counts only for what was forgotten.
 */
export function share(mixing: number, last: LastRead | undefined, reading: Reading | null): number {
  if (!reading) return 0;
  return mixing + (1 - mixing) * novelty(last, reading);
}

function novelty(last: LastRead | undefined, reading: Reading): number {
  if (!last) return 1;
  if (last.key === reading.key) return 0;
  // A revised value, or a window that moved without a newer period: one period's worth is new.
  if (reading.through <= last.through || last.through === '') return Math.min(1, 1 / reading.span);
  const added = periodSteps(last.through, reading.through, last.cadence);
  return Math.min(1, added / reading.span);
}

/** The start of each step of the lookback, the last being `at` itself (its step's data is what is complete by `at`). */
function stepInstants(at: Date, dynamics: PathDynamics, firstStart: Date | null): Date[] {
  const current = periodStart(at, dynamics.step);
  const instants: Date[] = [];
  for (let k = dynamics.lookback - 1; k >= 1; k--) {
    const instant = addDuration(current, dynamics.step, -k);
    // Before any data is complete there is nothing to read, and the chain rests at the priors.
    if (firstStart && instant.getTime() >= firstStart.getTime()) instants.push(instant);
  }
  instants.push(at);
  return instants;
}

function sortedSeries(observations: Observation[], indicatorId: string): Observation[] {
  return observations
    .filter((o) => o.indicatorId === indicatorId)
    .sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
}

/** The start of the earliest period any indicator has data for, or null without data. */
function firstDataStart(series: Observation[][]): Date | null {
  let first: string | null = null;
  for (const s of series) {
    const p = s[0]?.period;
    if (p !== undefined && (first === null || p < first)) first = p;
  }
  // Its data is complete at its end at the earliest: a safe point to start the steps from.
  return first === null ? null : new Date(`${first}T00:00:00.000Z`);
}
