// What would change the call: for each indicator, the value its next period would need for today's
// runner-up to lead the next assessment on its own (no other indicator brings new data). Computed with
// the real update: the belief carried into the next period is one step of the chain from today's, and
// the new value goes through the indicator's evidence model, weight, group cap and share of new evidence
// (assess.ts `step`). Pure.
import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import { assessWithState, type FilterState, step } from './assess.ts';
import { type PathDynamics, resolveDynamics } from './dynamics.ts';
import type { Observation } from './model.ts';
import { addDuration, periodEnd, periodId, periodStart, shiftPeriod } from './period.ts';
import { isFresh } from './staleness.ts';
import { completeSeries, type Judgement, judge } from './update.ts';

/** What the next value would have to be, or why none would do. */
export type Need =
  /** A value in `[from, below)` (either end open when absent); `move` is from the last value to the nearest end. */
  | { kind: 'range'; from?: number; below?: number; move: number }
  /** The runner-up leads the next assessment even if the value does not move. */
  | { kind: 'already' }
  /** Event models: the sizes of event in the next period that would (`none`: no event). */
  | { kind: 'event'; sizes: EventSize[]; threshold: number }
  | { kind: 'none'; reason: 'no-data' | 'no-weight' | 'no-value' };

export type EventSize = 'large' | 'small' | 'none';

export interface TippingPoint {
  indicatorId: string;
  /** The period the next value is for; null without data. */
  period: string | null;
  /** The newest value before it. */
  last: number | null;
  need: Need;
}

export interface TippingPoints {
  /** Today's runner-up: the path the values would put in the lead; null with a single path. */
  runnerUp: string | null;
  leader: string;
  /** When the next value is assessed: the start of the next step of the filter (or later, see below). */
  next: string;
  indicators: TippingPoint[];
}

/** Grid points scanned on each side of the last value before bisecting: finer near it (quadratic spacing). */
const GRID = 48;
const BISECTIONS = 40;

/**
 * For each indicator, the nearest next value that puts today's runner-up in the lead of the next
 * assessment, by scanning outwards from its last value on both sides and bisecting the first crossing
 * (gaussian and trend models), by band (bands), or by event size (event). Values below zero are not
 * tried for a series that has never been negative (counts, amounts).
 */
export function tippingPoints(
  scenario: Scenario,
  observations: Observation[],
  asOf: string,
  dynamics: PathDynamics = resolveDynamics(scenario),
): TippingPoints {
  const { assessment, state } = assessWithState(scenario, observations, asOf, dynamics);
  const ranked = Object.entries(assessment.probabilities).sort(
    (a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1),
  );
  const leader = ranked[0]?.[0] ?? '';
  const runnerUp = ranked[1]?.[0] ?? null;
  const nextStep = addDuration(periodStart(new Date(asOf), dynamics.step), dynamics.step);
  const series = scenario.indicators.map((i) => observations.filter((o) => o.indicatorId === i.id));
  const indicators = scenario.indicators.map((indicator, i) => {
    if (runnerUp === null)
      return { indicatorId: indicator.id, period: null, last: null, need: none('no-value') };
    return tippingPoint(
      { scenario, dynamics, state, asOf, runnerUp, series },
      indicator,
      i,
      series[i] as Observation[],
      nextStep,
    );
  });
  return { runnerUp, leader, next: nextStep.toISOString(), indicators };
}

interface Setting {
  scenario: Scenario;
  dynamics: PathDynamics;
  state: FilterState;
  asOf: string;
  runnerUp: string;
  series: Observation[][];
}

function tippingPoint(
  setting: Setting,
  indicator: Indicator,
  index: number,
  observations: Observation[],
  nextStep: Date,
): TippingPoint {
  const id = indicator.id;
  const known = completeSeries(observations, periodId(nextStep, indicator.cadence));
  const newest = known.at(-1);
  if (!newest) return { indicatorId: id, period: null, last: null, need: none('no-data') };
  const at = nextInstant(indicator, newest.period, nextStep);
  const period = nextPeriod(indicator, newest.period, at);
  const base = completeSeries(observations, period);
  const result = (need: Need): TippingPoint => ({ indicatorId: id, period, last: newest.value, need });
  if (indicator.weight === 0) return result(none('no-weight'));

  const lead = leadWith(setting, index, base, period, at);
  if (indicator.evidence.model === 'event') {
    const threshold = indicator.evidence.threshold;
    const sizes = (['none', 'small', 'large'] as const).filter(
      (size) => lead(size === 'none' ? 0 : size === 'small' ? threshold / 2 : threshold) > 0,
    );
    return result(sizes.length > 0 ? { kind: 'event', sizes, threshold } : none('no-value'));
  }
  if (lead(newest.value) > 0) return result({ kind: 'already' });
  const floor = known.every((o) => o.value >= 0) ? 0 : Number.NEGATIVE_INFINITY;
  const found =
    indicator.evidence.model === 'bands'
      ? byBand(indicator.evidence.bands, newest.value, lead)
      : byScan(lead, newest.value, searchSpan(indicator, known), floor);
  return result(found ?? none('no-value'));
}

/**
 * When the next value is assessed: the filter's next step, or, for an indicator whose next period is
 * not complete by then (a daily indicator on a weekly step), the end of that period.
 */
function nextInstant(indicator: Indicator, newest: string, nextStep: Date): Date {
  const end = periodEnd(shiftPeriod(newest, indicator.cadence, 1), indicator.cadence);
  return end.getTime() > nextStep.getTime() ? end : nextStep;
}

/**
 * The period the next value is for: the one after the newest, unless that would already be stale when
 * assessed (an indicator whose data stopped long ago), then the newest period complete by then.
 */
function nextPeriod(indicator: Indicator, newest: string, at: Date): string {
  const following = shiftPeriod(newest, indicator.cadence, 1);
  if (isFresh(indicator, following, at)) return following;
  return shiftPeriod(periodId(at, indicator.cadence), indicator.cadence, -1);
}

/**
 * The runner-up's lead over the best other path in the next assessment when the indicator's next value
 * is `value` (positive: it leads). The other indicators are judged on the data they have.
 */
function leadWith(
  { scenario, dynamics, state, runnerUp, series, asOf }: Setting,
  index: number,
  base: Observation[],
  period: string,
  at: Date,
): (value: number) => number {
  const indicator = scenario.indicators[index] as Indicator;
  const others: Judgement[] = scenario.indicators.map((other, i) =>
    judge(other, completeSeries(series[i] as Observation[], periodId(at, other.cadence)), at),
  );
  // The chain moves once per step from today's to the one the value is assessed in.
  let moves = 0;
  const target = periodStart(at, dynamics.step).getTime();
  for (
    let t = periodStart(new Date(asOf), dynamics.step);
    t.getTime() < target;
    t = addDuration(t, dynamics.step)
  )
    moves++;
  const source = base.at(-1)?.source ?? '';
  return (value) => {
    const judged = others.slice();
    judged[index] = judge(indicator, [...base, { indicatorId: indicator.id, period, value, source }], at);
    const copy: FilterState = { belief: state.belief, read: new Map(state.read) };
    const { probabilities } = step(
      scenario,
      dynamics,
      copy,
      judged,
      at.toISOString(),
      false,
      Math.max(1, moves),
    );
    const mine = probabilities[runnerUp] ?? 0;
    let best = 0;
    for (const path in probabilities) if (path !== runnerUp) best = Math.max(best, probabilities[path] ?? 0);
    return mine - best;
  };
}

type Bands = Extract<Indicator['evidence'], { model: 'bands' }>['bands'];

/** The nearest band (then its neighbours beyond it) whose value puts the runner-up in the lead. */
function byBand(bands: Bands, last: number, lead: (value: number) => number): Need | null {
  const bounds = bands.map((b, j) => ({ from: bands[j - 1]?.below, below: b.below }));
  const current = bounds.findIndex((b) => b.below === undefined || last < b.below);
  const works = bounds.map((b) => {
    // Every value of a band has the band's likelihoods: any one stands for all.
    const value = b.from ?? (b.below as number) - Math.max(1, Math.abs(b.below as number));
    return lead(value) > 0;
  });
  for (let distance = 1; distance < bands.length; distance++) {
    for (const j of [current + distance, current - distance]) {
      if (j < 0 || j >= bands.length || !works[j]) continue;
      // The run of working bands on that side, from band j away from the current one.
      let far = j;
      const away = j > current ? 1 : -1;
      while (works[far + away] && far + away >= 0 && far + away < bands.length) far += away;
      const [low, high] = away > 0 ? [j, far] : [far, j];
      const from = bounds[low]?.from;
      const below = bounds[high]?.below;
      const edge = away > 0 ? (from as number) : (below as number);
      return { kind: 'range', ...defined({ from, below }), move: edge - last };
    }
  }
  return null;
}

/**
 * Scans from `last` outwards on both sides (up to `span` away, not below `floor`) for the nearest value
 * where `lead` turns positive, bisects that crossing, then where it turns back (if within the span).
 */
function byScan(lead: (value: number) => number, last: number, span: number, floor: number): Need | null {
  const sides = ([1, -1] as const).flatMap((side) => {
    const reach = side > 0 ? span : Math.min(span, last - floor);
    if (!(reach > 0)) return [];
    const at = (k: number) => last + side * reach * (k / GRID) ** 2;
    let enter = -1;
    for (let k = 1; k <= GRID && enter < 0; k++) if (lead(at(k)) > 0) enter = k;
    if (enter < 0) return [];
    const edge = bisect(lead, at(enter - 1), at(enter));
    let exit: number | undefined;
    for (let k = enter + 1; k <= GRID && exit === undefined; k++)
      if (lead(at(k)) <= 0) exit = bisect(lead, at(k), at(k - 1));
    return [{ side, edge, exit }];
  });
  const nearest = sides.sort((a, b) => Math.abs(a.edge - last) - Math.abs(b.edge - last))[0];
  if (!nearest) return null;
  const { side, edge, exit } = nearest;
  const range = side > 0 ? { from: edge, below: exit } : { from: exit, below: edge };
  return { kind: 'range', ...defined(range), move: edge - last };
}

/** The point between `out` (lead ≤ 0) and `inside` (lead > 0) where the lead turns positive, on the inside. */
function bisect(lead: (value: number) => number, out: number, inside: number): number {
  let [a, b] = [out, inside];
  for (let n = 0; n < BISECTIONS && Math.abs(b - a) > 1e-9 * Math.max(1, Math.abs(b)); n++) {
    const mid = (a + b) / 2;
    if (lead(mid) > 0) b = mid;
    else a = mid;
  }
  return b;
}

/**
 * How far from the last value to look: every path's expected value and six of its standard deviations
 * (gaussian); for a trend, the change of one point that moves the window's slope that far.
 */
function searchSpan(indicator: Indicator, known: Observation[]): number {
  const evidence = indicator.evidence;
  const last = Math.abs(known.at(-1)?.value ?? 0);
  if (evidence.model === 'gaussian') {
    const value = known.at(-1)?.value ?? 0;
    return Math.max(...Object.values(evidence.expect).map((e) => Math.abs(e.mean - value) + 6 * e.sd));
  }
  if (evidence.model !== 'trend') return 0;
  const steepest = Math.max(...Object.values(evidence.expect).map((e) => Math.abs(e.slope) + 6 * e.sd));
  const window = known.slice(-evidence.periods).map((o) => Math.abs(o.value));
  const level = window.sort((a, b) => a - b)[window.length >> 1] ?? last;
  const perPeriod = evidence.scale === 'relative' ? steepest * Math.max(level, last) : steepest;
  return 4 * evidence.periods * perPeriod + last;
}

function none(reason: 'no-data' | 'no-weight' | 'no-value'): Need {
  return { kind: 'none', reason };
}

function defined(range: { from: number | undefined; below: number | undefined }) {
  return {
    ...(range.from === undefined ? {} : { from: range.from }),
    ...(range.below === undefined ? {} : { below: range.below }),
  };
}
