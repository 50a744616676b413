// Hysteresis: a new leader becomes the confirmed path only after M of the last N data updates favour it.
import type { Scenario } from '../config/scenario-schema.ts';
import type { Assessment, PathShift, PathState } from './model.ts';

export interface Step {
  state: PathState;
  shift: PathShift | null;
}

/**
 * Advances the path state by one assessment. An assessment counts towards confirmation only when
 * its evidence differs from the last one counted (re-evaluating the same data is not new support)
 * and when at least one indicator was used (data dropping out never confirms a shift).
 */
export function advance(
  state: PathState,
  assessment: Assessment,
  rules: Scenario['alerting'],
  /** The probabilities before this assessment, carried into a shift for "before -> after". */
  before: Record<string, number> | null,
): Step {
  const hasEvidence = assessment.evidenceKey !== '';
  if (!hasEvidence || assessment.evidenceKey === state.lastEvidenceKey) return { state, shift: null };

  const favoured = assessment.margin >= rules.enterMargin ? assessment.leader : null;
  if (state.path === null) {
    if (favoured === null)
      return { state: { ...state, lastEvidenceKey: assessment.evidenceKey }, shift: null };
    // The first clear reading sets the path; there is nothing to shift from, so no alert.
    const next = {
      ...state,
      path: favoured,
      since: assessment.asOf,
      window: [],
      lastEvidenceKey: assessment.evidenceKey,
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
      lastEvidenceKey: assessment.evidenceKey,
      shifts: shift.sequence,
    };
    return { state: next, shift };
  }
  return { state: { ...state, window, lastEvidenceKey: assessment.evidenceKey }, shift: null };
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
