// Hysteresis: the state machine that turns a stream of assessments into confirmed path changes.
//
// insufficient-data --(clear reading)--> steady(path) --(challenger past enter margin)--> pending(c, k of m)
// pending --(k reaches m, dwell and cooldown over)--> steady(c) [path-shift, or reverted if c was the
// previous path within revertWindow]; pending --(window no longer holds c)--> steady(path).
// See docs/hysteresis.md for the diagram.
import type { Scenario } from '../config/scenario-schema.ts';
import type { Assessment, DataEvent, ForecastWarning, PathShift, PathState } from './model.ts';
import { addDuration } from './period.ts';

type Rules = Scenario['alerting'];

export interface Step {
  state: PathState;
  /** A confirmed change of path (`path-shift` or `reverted`), if this assessment confirmed one. */
  shift: PathShift | null;
  /** Indicators that went stale or recovered at this assessment. */
  dataEvents: DataEvent[];
}

/** The state as served: which state-machine state it is in, and what is pending. */
export interface StateView {
  status: 'insufficient-data' | 'steady' | 'pending';
  path: string | null;
  since: string | null;
  /** While pending: the challenger, how many of the window's updates favour it, and how many confirm. */
  pending?: { path: string; count: number; of: number };
}

/** Derived from the stored fields, so it cannot disagree with them. */
export function view(state: PathState, rules: Rules): StateView {
  if (state.path === null) return { status: 'insufficient-data', path: null, since: null };
  const candidate = pending(state.window);
  if (!candidate) return { status: 'steady', path: state.path, since: state.since };
  return {
    status: 'pending',
    path: state.path,
    since: state.since,
    pending: { ...candidate, of: rules.confirm.m },
  };
}

/**
 * Advances the state by one assessment. Staleness is checked at every assessment; the path logic
 * runs only on a data update, i.e. when the assessment used data not counted before (new or revised):
 * re-evaluating the same data is not new support, and an indicator dropping out adds nothing, so
 * missing data never confirms a shift unless the scenario makes absence evidence.
 */
export function advance(
  state: PathState,
  assessment: Assessment,
  rules: Rules,
  before: Record<string, number> | null,
): Step {
  // Only an indicator that has had data can go stale: one that never had any is not an episode.
  const stale = assessment.stale
    .filter((id) => state.seen[id] !== undefined || state.stale.includes(id))
    .sort();
  const dataEvents = staleness(state.stale, stale, assessment.asOf, state.alerts);
  const alerts = state.alerts + dataEvents.length;
  let isUpdate = false;
  for (const id in assessment.evidence) {
    if (state.seen[id] !== assessment.evidence[id]) {
      isUpdate = true;
      break;
    }
  }
  // Every state below is `{ ...state, stale, alerts }` and what changed, built in one copy each.
  if (!isUpdate) return { state: { ...state, stale, alerts }, shift: null, dataEvents };
  const seen = { ...state.seen, ...assessment.evidence };
  const clear = assessment.informative >= rules.minIndicators && assessment.margin >= rules.enterMargin;
  const period = newestPeriod(assessment.evidence);

  if (state.path === null) {
    // The first clear reading sets the path; there is nothing to shift from, so no alert. Its period's
    // vote is spent: the rest of that period's data must not vote against the path it just set.
    const next = clear
      ? voted(
          { ...state, stale, alerts, seen, path: assessment.leader, since: assessment.asOf, window: [] },
          period,
          null,
        )
      : { ...state, stale, alerts, seen };
    return { state: next, shift: null, dataEvents };
  }

  // One vote per data period: data no newer than the last vote's (an indicator of the same month that
  // arrived later, a revision) recasts that period's vote from the window as it stood before it.
  const again = period !== null && state.votePeriod !== undefined && period <= state.votePeriod;
  if (again && !state.voteBase) {
    // That period's vote set the path or confirmed a change: it cannot vote a second time.
    return { state: { ...state, stale, alerts, seen }, shift: null, dataEvents };
  }
  const votePeriod = again ? (state.votePeriod as string) : period;
  const base = again ? (state.voteBase as (string | null)[]) : state.window;
  const exitMargin = rules.exitMargin ?? rules.enterMargin / 2;
  const challenger = assessment.leader !== state.path ? assessment.leader : null;
  if (challenger && !clear && assessment.margin >= exitMargin) {
    // Between the exit and the enter margin: not decisive either way, the window does not move.
    return {
      state: voted({ ...state, stale, alerts, seen, window: base }, votePeriod, base),
      shift: null,
      dataEvents,
    };
  }
  const vote = challenger && clear ? challenger : null;
  const window = [...base, vote].slice(-rules.confirm.n);
  const candidate = pending(window);
  const at = new Date(assessment.asOf);
  // Functions, so the dates are worked out only once a challenger has its votes (rarely).
  const dwelt = () =>
    !rules.minDwell || !state.since || addDuration(new Date(state.since), rules.minDwell) <= at;
  const cooled = () =>
    !rules.cooldown || !state.lastShiftAt || addDuration(new Date(state.lastShiftAt), rules.cooldown) <= at;
  if (!candidate || candidate.count < rules.confirm.m || !dwelt() || !cooled()) {
    return {
      state: voted({ ...state, stale, alerts, seen, window }, votePeriod, base),
      shift: null,
      dataEvents,
    };
  }

  const reverting =
    candidate.path === state.previousPath &&
    state.lastShiftAt !== null &&
    addDuration(new Date(state.lastShiftAt), rules.revertWindow) >= at;
  const shift: PathShift = {
    kind: reverting ? 'reverted' : 'path-shift',
    sequence: alerts + 1,
    from: state.path,
    to: candidate.path,
    at: assessment.asOf,
    probabilitiesBefore: before,
    probabilitiesAfter: assessment.probabilities,
  };
  const next: PathState = {
    ...voted(state, votePeriod, null),
    stale,
    alerts: shift.sequence,
    seen,
    path: candidate.path,
    since: assessment.asOf,
    window: [],
    previousPath: state.path,
    lastShiftAt: assessment.asOf,
    shifts: state.shifts + 1,
    // A confirmed change ends a forecast-warning episode: the next warning is about leaving the new path.
    ...(state.forecastWarned ? { forecastWarned: false } : {}),
  };
  return { state: next, shift, dataEvents };
}

/**
 * The newest data period an update used. Every evidence key names the periods of its data as
 * `YYYY-MM-DD` (shared/domain/evidence.ts: `period=value`, a trend's list of them, an event's
 * `outcome:period=value@newest`), so the latest date in any key is the newest period read. Null when
 * no key names one: such updates each vote, as before periods were tracked.
 */
export function newestPeriod(evidence: Record<string, string>): string | null {
  let newest: string | null = null;
  for (const id in evidence) {
    for (const [date] of (evidence[id] as string).matchAll(PERIOD))
      if (newest === null || date > newest) newest = date;
  }
  return newest;
}

const PERIOD = /\d{4}-\d{2}-\d{2}/g;

/** `state` recording `period`'s vote and the window before it; without `base`, that vote is spent. */
function voted(state: PathState, period: string | null, base: (string | null)[] | null): PathState {
  const { votePeriod: _period, voteBase: _base, ...rest } = state;
  if (period === null) return rest;
  return base ? { ...rest, votePeriod: period, voteBase: base } : { ...rest, votePeriod: period };
}

/** Indicators that lost current data since the last assessment, and those that regained it. */
function staleness(before: string[], after: string[], at: string, alerts: number): DataEvent[] {
  // The usual case, and a projection's thousands of times per evaluation: nothing changed.
  if (before.length === after.length && before.every((id, i) => id === after[i])) return [];
  const now = new Set(after);
  const was = new Set(before);
  const wentStale = [...now].filter((id) => !was.has(id)).sort();
  const recovered = [...was].filter((id) => !now.has(id)).sort();
  const events: Omit<DataEvent, 'sequence'>[] = [
    ...(wentStale.length ? [{ kind: 'data-stale' as const, indicators: wentStale, at }] : []),
    ...(recovered.length ? [{ kind: 'data-recovered' as const, indicators: recovered, at }] : []),
  ];
  return events.map((event, i) => ({ ...event, sequence: alerts + i + 1 }));
}

/** The challenger most often favoured in the window (ties: the most recent), with its count. */
export function pending(window: (string | null)[]): { path: string; count: number } | null {
  let best: { path: string; count: number } | null = null;
  for (let i = window.length - 1; i >= 0; i--) {
    const path = window[i];
    if (!path) continue;
    const count = window.filter((p) => p === path).length;
    if (!best || count > best.count) best = { path, count };
  }
  return best;
}

/** What the projection says about the coming periods, as the forecast-warning reads it. */
export interface ProjectedChange {
  /** P(the confirmed path changes within the horizon). */
  change: number;
  horizon: number;
  /** The instant of the last projected step. */
  until: string;
  challenger: string | null;
  /** Projected probabilities at the horizon. */
  probabilities: Record<string, number>;
  drivers: ForecastWarning['drivers'];
}

/**
 * The forecast-warning: raised when the projected probability of a change rises to `warnAbove`
 * (numbered after any other alert of this evaluation), then not again until that probability has
 * fallen below `warnAbove - rearmMargin`; the margin keeps a probability hovering at the threshold
 * from paging on every evaluation. Without `warnAbove` the state is left alone.
 */
export function forecastWarning(
  state: PathState,
  projected: ProjectedChange,
  rules: Scenario['forecast'],
  at: string,
): { state: PathState; warning: ForecastWarning | null } {
  if (rules.warnAbove === undefined) return { state, warning: null };
  const warned = state.forecastWarned === true;
  if (warned) {
    const rearmed = projected.change < rules.warnAbove - rules.rearmMargin;
    return { state: rearmed ? { ...state, forecastWarned: false } : state, warning: null };
  }
  if (projected.change < rules.warnAbove || projected.challenger === null) return { state, warning: null };
  const warning: ForecastWarning = {
    kind: 'forecast-warning',
    sequence: state.alerts + 1,
    at,
    probability: projected.change,
    threshold: rules.warnAbove,
    horizon: projected.horizon,
    until: projected.until,
    from: state.path,
    to: projected.challenger,
    projected: projected.probabilities,
    drivers: projected.drivers,
  };
  return { state: { ...state, forecastWarned: true, alerts: warning.sequence }, warning };
}
