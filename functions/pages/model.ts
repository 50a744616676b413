// What the pages say, worked out from what was read: the last change of the probabilities, each
// indicator's freshness and source state, and the public name of a source. Pure (time is an argument).
import type { Indicator, Scenario } from '../../shared/config/scenario-schema.ts';
import type { Contribution } from '../../shared/domain/model.ts';
import { isFresh, staleAt } from '../../shared/domain/staleness.ts';
import { sourceLabel } from '../../shared/sources/fetch-text.ts';
import type { StoredAssessment } from '../../shared/store/assessments.ts';
import type { IndicatorData } from './data.ts';

/** A change smaller than this (a tenth of a percentage point) is rounding, not a change. */
const CHANGE = 0.001;

export interface LastChange {
  at: string;
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * The newest assessment whose probabilities moved from the one before it (by more than rounding), or
 * null when none of `history` (oldest first) did.
 */
export function lastChange(history: StoredAssessment[]): LastChange | null {
  for (let k = history.length - 1; k > 0; k--) {
    const after = (history[k] as StoredAssessment).probabilities;
    const before = (history[k - 1] as StoredAssessment).probabilities;
    const moved = Object.keys(after).some((p) => Math.abs((after[p] ?? 0) - (before[p] ?? 0)) >= CHANGE);
    if (moved) return { at: (history[k] as StoredAssessment).asOf, before, after };
  }
  return null;
}

export function pathTitle(
  scenario: { paths: Pick<Scenario['paths'][number], 'id' | 'title'>[] },
  id: string | null | undefined,
): string {
  if (id === null || id === undefined) return 'none yet';
  return scenario.paths.find((p) => p.id === id)?.title ?? id;
}

/** The runner-up of an assessment: the second most likely path. */
export function runnerUp(probabilities: Record<string, number>): string | null {
  return Object.entries(probabilities).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[1]?.[0] ?? null;
}

export interface IndicatorState {
  indicator: Indicator;
  /** The newest observed period and value. */
  newest: { period: string; value: number } | null;
  /** Whether the newest data still counts at `now`, and from when it stops (or stopped) counting. */
  fresh: boolean;
  staleAt: string | null;
  /** The contribution in the latest assessment. */
  contribution: Contribution | null;
  source: SourceState;
}

export interface SourceState {
  /** The source as the public may see it: a URL's host and path (no query, which may hold a key), a file's path. */
  name: string;
  kind: string;
  /** `manual` sources are posted, never fetched. */
  fetched: boolean;
  failing: boolean;
  lastSuccessAt: string | null;
  lastErrorAt: string | null;
  lastError: string | null;
  consecutiveFailures: number;
}

export function indicatorState(
  data: IndicatorData,
  latest: StoredAssessment | null,
  now: Date,
): IndicatorState {
  const { indicator, observations, health } = data;
  const newest = observations.at(-1) ?? null;
  const failures = health?.consecutiveFailures ?? 0;
  return {
    indicator,
    newest: newest ? { period: newest.period, value: newest.value } : null,
    fresh: isFresh(indicator, newest?.period, now),
    staleAt: newest ? staleAt(indicator, newest.period).toISOString() : null,
    contribution: latest?.contributions.find((c) => c.indicatorId === indicator.id) ?? null,
    source: {
      name: sourceLabel(indicator.source),
      kind: indicator.source.kind,
      fetched: indicator.source.kind !== 'manual',
      failing: failures > 0,
      lastSuccessAt: health?.lastSuccessAt ?? null,
      lastErrorAt: health?.lastErrorAt ?? null,
      lastError: health?.lastError ?? null,
      consecutiveFailures: failures,
    },
  };
}
