// Projected path probabilities: seeded Monte Carlo futures of the indicators, run through the real
// evidence models (assess) and alerting rules (advance), give per step P(path) and P(the confirmed
// path changes). Pure: the same arguments (seed included) always give the same projection.
import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import type { IndicatorForecast } from '../forecast/types.ts';
import { assessWithState, type FilterState, step as filterStep } from './assess.ts';
import { resolveDynamics } from './dynamics.ts';
import { periodsNeeded } from './evidence.ts';
import { drawFuture, futurePeriods, type SampledIndicator } from './future-draws.ts';
import { advance } from './hysteresis.ts';
import type { Assessment, ForecastDriver, Observation, PathState } from './model.ts';
import {
  addDuration,
  CADENCES,
  type Cadence,
  periodId,
  periodStart,
  periodsBetween,
  shiftPeriod,
} from './period.ts';
import { mulberry32, standardNormal } from './prng.ts';
import { completeSeries, type Judgement, judge } from './update.ts';

export interface ProjectionInput {
  scenario: Scenario;
  /** The observations, any order; only periods complete by `asOf` are read. */
  observations: Observation[];
  /** Per forecast indicator: step k forecasts the k-th period after its newest complete observation. */
  forecasts: Record<string, IndicatorForecast>;
  asOf: string;
  /** Today's assessment and the path state after it (the starting point of every draw). */
  assessment: Assessment;
  state: PathState;
}

export interface ProjectionStep {
  step: number;
  /** The instant this step is assessed at: the end of its period. */
  asOf: string;
  /** Mean over the draws of each path's probability. */
  probabilities: Record<string, number>;
  /** Share of the draws in which the confirmed path differs from today's at this step or before. */
  change: number;
}

export interface Projection {
  asOf: string;
  /** The period the steps advance by: the finest cadence of the forecast indicators. */
  cadence: Cadence;
  horizon: number;
  draws: number;
  seed: number;
  /** The confirmed path the changes are counted from (today's leader before the first confirmation). */
  path: string;
  steps: ProjectionStep[];
  /** P(the confirmed path changes within the horizon): the last step's `change`. */
  change: number;
  /** Per path other than `path`: the share of draws whose first change went to it. */
  changeTo: Record<string, number>;
  /** The path most changes go to (else the likeliest other path at the horizon). */
  challenger: string | null;
  /** Forecast indicators whose projected values favour the challenger most, strongest first (≤ 3). */
  drivers: ForecastDriver[];
  /** Indicators sampled from their forecasts, and those holding today's evidence. */
  projected: string[];
  held: string[];
}

/** Models whose figure is a number a forecast can stand in for. */
export function isForecastable(indicator: Indicator): boolean {
  return indicator.forecast && indicator.evidence.model !== 'event';
}

/**
 * Draws `scenario.forecast.draws` joint futures. Each forecast indicator's value at step k is read
 * off a piecewise-linear quantile function through its forecast's 2.5/10/50/90/97.5 % points (in
 * normal-score space, with the outer slopes extended beyond 95 %: a normal when the intervals are
 * symmetric, skewed when they are). The normal scores of one future follow a random walk scaled to
 * unit variance (z_k = (e_1 + ... + e_k) / sqrt(k)), so steps are correlated as in a level model
 * and a trend model reads a plausible path, not independent noise. Indicators are drawn
 * independently of each other (their groups' caps still apply). Indicators without a forecast
 * (event models, opt-outs, failed forecasts) hold today's evidence: their history moves forward
 * with the clock, so their windows, freshness and ageing read at each step as they read today, and
 * their data is not counted as new. Each future is assessed at the end of every step and advanced
 * through the scenario's alerting rules from today's state, so "change" means a confirmed shift.
 */
export function project(input: ProjectionInput): Projection {
  const { scenario, asOf, assessment, state } = input;
  const { horizon, draws, seed } = scenario.forecast;
  const at = new Date(asOf);
  const byIndicator = groupByIndicator(input.observations);

  const projectedIds: string[] = [];
  const sampled: SampledIndicator[] = [];
  const held: { indicator: Indicator; series: Observation[] }[] = [];
  for (const indicator of scenario.indicators) {
    const current = periodId(at, indicator.cadence);
    // What the evidence model reads, and no more: every assessment of every draw sorts this list.
    const keep = periodsNeeded(indicator.evidence, indicator.cadence);
    const series = (byIndicator.get(indicator.id) ?? []).filter((o) => o.period < current).slice(-keep);
    const forecast = input.forecasts[indicator.id];
    const newest = series.at(-1);
    if (forecast && newest && forecast.steps.length > 0 && isForecastable(indicator)) {
      projectedIds.push(indicator.id);
      sampled.push({ indicator, series, forecast, newest });
    } else {
      held.push({ indicator, series });
    }
  }
  const cadence = finestCadence(
    sampled.map((s) => s.indicator.cadence),
    scenario,
  );
  const start = periodStart(at, cadence);
  const instants = Array.from({ length: horizon }, (_, h) => addDuration(start, cadence, h + 1));

  const asOfs = instants.map((instant) => instant.toISOString());
  // The futures continue the path filter from today's belief: each step moves the chain by the filter
  // steps it spans, and takes that step's evidence for what is new in it.
  const dynamics = resolveDynamics(scenario);
  const today = assessWithState(scenario, input.observations, asOf, dynamics).state;
  const moves = instants.map((instant, h) => {
    const from = h === 0 ? at : (instants[h - 1] as Date);
    return (
      periodsBetween(periodId(from, dynamics.step), periodId(instant, dynamics.step), dynamics.step).length -
      1
    );
  });
  const heldIds = new Set(held.map((h) => h.indicator.id));
  for (const s of sampled) {
    s.periods = futurePeriods(s.newest.period, s.indicator.cadence, instants.at(-1) as Date);
    // A drawn future is sorted (history, then later periods): what a step reads of it is a prefix.
    const drawn = Math.min(s.periods.length, s.forecast.steps.length);
    s.complete = instants.map((instant) => {
      const current = periodId(instant, s.indicator.cadence);
      let n = 0;
      while (n < drawn && (s.periods?.[n] as string) < current) n++;
      return s.series.length + n;
    });
  }
  // Held indicators read the same at every step in every draw: move their history and judge it
  // once per step (assess would judge it again for each of the draws).
  // Each moves by its own periods, as many as the step has crossed: a monthly event indicator under
  // weekly steps moves one month every four or five steps, not one per step.
  const heldJudged = instants.map((instant) =>
    held.map(({ indicator, series }) => {
      const { cadence: own } = indicator;
      const now = periodId(instant, own);
      const moves = periodsBetween(periodId(at, own), now, own).length - 1;
      const moved = series.map((o) => ({ ...o, period: shiftPeriod(o.period, own, moves) }));
      return judge(indicator, completeSeries(moved, now), instant);
    }),
  );
  // Each indicator's slot in the scenario's order (what combine weighs), by where it comes from.
  const slots = scenario.indicators.map((indicator) => {
    const s = sampled.findIndex((x) => x.indicator === indicator);
    return s >= 0
      ? { sampled: s, held: -1 }
      : { sampled: -1, held: held.findIndex((x) => x.indicator === indicator) };
  });

  const basePath = state.path ?? assessment.leader;
  const others = scenario.paths.map((p) => p.id).filter((id) => id !== basePath);
  const sums = instants.map(() => Object.fromEntries(scenario.paths.map((p) => [p.id, 0])));
  const changedBy = instants.map(() => 0);
  const firstChangeTo: Record<string, number> = Object.fromEntries(others.map((id) => [id, 0]));
  const horizonDecibans = new Map<string, Record<string, number>>();
  const normal = standardNormal(mulberry32(seed));
  const lastStep = instants.length - 1;
  const judged: Judgement[] = new Array(slots.length);

  for (let d = 0; d < draws; d++) {
    const drawn = sampled.map((s) => drawFuture(s, normal));
    let drawState = state;
    const belief: FilterState = { belief: today.belief, read: new Map(today.read) };
    let before: Record<string, number> = assessment.probabilities;
    let changedAt = -1;
    for (let h = 0; h <= lastStep; h++) {
      const instant = instants[h] as Date;
      const heldNow = heldJudged[h] as Judgement[];
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as { sampled: number; held: number };
        if (slot.held >= 0) {
          judged[i] = heldNow[slot.held] as Judgement;
          continue;
        }
        const s = sampled[slot.sampled] as SampledIndicator;
        const future = drawn[slot.sampled] as Observation[];
        const n = Math.min(future.length, s.complete?.[h] ?? future.length);
        judged[i] = judge(s.indicator, n === future.length ? future : future.slice(0, n), instant);
      }
      const future = filterStep(
        scenario,
        dynamics,
        belief,
        judged,
        asOfs[h] as string,
        h === lastStep,
        moves[h],
        heldIds,
      );
      // Held data is today's data: it must not count as a new update for the alerting rules.
      const evidence = future.evidence;
      for (const { indicator } of held) {
        const today = assessment.evidence[indicator.id];
        if (today === undefined) delete evidence[indicator.id];
        else evidence[indicator.id] = today;
      }
      drawState = advance(drawState, future, scenario.alerting, before).state;
      before = future.probabilities;
      const sum = sums[h] as Record<string, number>;
      for (const path in future.probabilities)
        sum[path] = (sum[path] ?? 0) + (future.probabilities[path] as number);
      if (changedAt < 0 && drawState.path !== null && drawState.path !== basePath) {
        changedAt = h;
        firstChangeTo[drawState.path] = (firstChangeTo[drawState.path] ?? 0) + 1;
      }
      if (changedAt >= 0) changedBy[h] = (changedBy[h] ?? 0) + 1;
      if (h === lastStep) {
        for (const c of future.contributions) {
          if (!projectedIds.includes(c.indicatorId)) continue;
          const acc = horizonDecibans.get(c.indicatorId) ?? {};
          for (const [path, db] of Object.entries(c.decibans)) acc[path] = (acc[path] ?? 0) + db;
          horizonDecibans.set(c.indicatorId, acc);
        }
      }
    }
  }

  const steps = instants.map((instant, h) => ({
    step: h + 1,
    asOf: instant.toISOString(),
    probabilities: Object.fromEntries(
      Object.entries(sums[h] ?? {}).map(([path, total]) => [path, round(total / draws)]),
    ),
    change: round((changedBy[h] ?? 0) / draws),
  }));
  const last = steps.at(-1);
  const changeTo = Object.fromEntries(
    Object.entries(firstChangeTo).map(([path, n]) => [path, round(n / draws)]),
  );
  const challenger =
    mostLikely(firstChangeTo) ?? (last ? mostLikely(pick(last.probabilities, others)) : null) ?? null;
  const drivers = challenger
    ? rankDrivers(challenger, sampled, horizonDecibans, assessment, draws, instants.length)
    : [];
  return {
    asOf: at.toISOString(),
    cadence,
    horizon,
    draws,
    seed,
    path: basePath,
    steps,
    change: last?.change ?? 0,
    changeTo,
    challenger,
    drivers,
    projected: projectedIds,
    held: held.map((h) => h.indicator.id),
  };
}

function finestCadence(cadences: Cadence[], scenario: Scenario): Cadence {
  const candidates = cadences.length ? cadences : scenario.indicators.map((i) => i.cadence);
  return CADENCES.find((c) => candidates.includes(c)) ?? 'P1M';
}

/** Mean weight of evidence for the challenger at the horizon, per forecast indicator, strongest first. */
function rankDrivers(
  challenger: string,
  sampled: SampledIndicator[],
  horizonDecibans: Map<string, Record<string, number>>,
  assessment: Assessment,
  draws: number,
  horizonSteps: number,
): ForecastDriver[] {
  return sampled
    .map((s): ForecastDriver => {
      const k = (s.periods?.length ?? horizonSteps) - 1;
      const point = s.forecast.steps[Math.max(0, k)]?.point;
      const today = assessment.contributions.find((c) => c.indicatorId === s.indicator.id);
      return {
        indicatorId: s.indicator.id,
        decibans: round((horizonDecibans.get(s.indicator.id)?.[challenger] ?? 0) / draws, 3),
        today: round(today?.decibans[challenger] ?? 0, 3),
        ...(point !== undefined ? { point: round(point, 3) } : {}),
        last: s.newest.value,
      };
    })
    .filter((d) => d.decibans > 0)
    .sort((a, b) => b.decibans - a.decibans || (a.indicatorId < b.indicatorId ? -1 : 1))
    .slice(0, 3);
}

function groupByIndicator(observations: Observation[]): Map<string, Observation[]> {
  const map = new Map<string, Observation[]>();
  for (const o of observations) {
    const list = map.get(o.indicatorId);
    if (list) list.push(o);
    else map.set(o.indicatorId, [o]);
  }
  for (const list of map.values())
    list.sort((a, b) => (a.period < b.period ? -1 : a.period > b.period ? 1 : 0));
  return map;
}

function pick(values: Record<string, number>, ids: string[]): Record<string, number> {
  return Object.fromEntries(ids.filter((id) => id in values).map((id) => [id, values[id] as number]));
}

/** The key with the largest positive value (ties: the first in order), or null. */
function mostLikely(values: Record<string, number>): string | null {
  let best: string | null = null;
  let top = 0;
  for (const [id, v] of Object.entries(values)) {
    if (v > top) {
      best = id;
      top = v;
    }
  }
  return best;
}

function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
