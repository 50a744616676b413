// Hysteresis: a new leader becomes the confirmed path only after M of the last N data updates favour it.
import type { Scenario } from '../config/scenario-schema.ts';
import type { Assessment, PathShift, PathState } from './model.ts';

export interface Step {
  state: PathState;
  shift: PathShift | null;
}

/**
 * Advances the path state by one assessment. An assessment counts towards confirmation only when it
 * used an observation not counted before (new or revised data): re-evaluating the same data is not
 * new support, and an indicator dropping out (stale, missing) adds nothing, so it never confirms a shift.
 */
export function advance(
  state: PathState,
  assessment: Assessment,
  rules: Scenario['alerting'],
  /** The probabilities before this assessment, carried into a shift for "before -> after". */
  before: Record<string, number> | null,
): Step {
  const isUpdate = Object.entries(assessment.evidence).some(([id, used]) => state.seen[id] !== used);
  if (!isUpdate) return { state, shift: null };
  const seen = { ...state.seen, ...assessment.evidence };

  const favoured = assessment.margin >= rules.enterMargin ? assessment.leader : null;
  if (state.path === null) {
    if (favoured === null) return { state: { ...state, seen }, shift: null };
    // The first clear reading sets the path; there is nothing to shift from, so no alert.
    const next = {
      ...state,
      path: favoured,
      since: assessment.asOf,
      window: [],
      seen,
    };
    return { state: next, shift: null };
  }

  const window = [...state.window, favoured === state.path ? null : favoured].slice(-rules.confirm.n);
  const candidate = pending(window);
  if (candidate && candidate.count >= rules.confirm.m) {
    const shift: PathShift = {
      sequence: state.shifts + 1,
      from: state.path,
      to: candidate.path,
      at: assessment.asOf,
      probabilitiesBefore: before,
      probabilitiesAfter: assessment.probabilities,
    };
    const next: PathState = {
      ...state,
      path: candidate.path,
      since: assessment.asOf,
      window: [],
      seen,
      shifts: shift.sequence,
    };
    return { state: next, shift };
  }
  return { state: { ...state, window, seen }, shift: null };
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
