// Evaluation: assess a scenario from stored observations, advance its path state, record any shift.

import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import { assess, historyNeeded } from '../domain/assess.ts';
import { resolveDynamics } from '../domain/dynamics.ts';
import { advance, forecastWarning, view } from '../domain/hysteresis.ts';
import {
  type Assessment,
  type ForecastWarning,
  initialPathState,
  type Observation,
  type PathShift,
  type PathState,
} from '../domain/model.ts';
import { type Cadence, periodId, periodsBetween } from '../domain/period.ts';
import { isForecastable, type Projection, project } from '../domain/projection.ts';
import { forecastSeries } from '../forecast/forecast.ts';
import { fitForecastBudget, forecastSteps, roundForecast, unstorableReason } from '../forecast/storage.ts';
import type { IndicatorForecast } from '../forecast/types.ts';
import { retry } from '../runtime/retry.ts';
import type { AlertRecord } from '../store/alerts.ts';
import {
  assessmentAtOrBefore,
  commitEvaluation,
  getLatestAssessment,
  putAssessmentHistory,
  StateConflictError,
  type StoredAssessment,
} from '../store/assessments.ts';
import type { IndicatorForecastRecord, StoredForecast } from '../store/forecasts.ts';
import { recentObservations } from '../store/observations.ts';
import { getPathState } from '../store/path-states.ts';
import type { Table } from '../store/table.ts';

/** A state write that lost to a concurrent evaluation: read again and retried at once, 3 attempts in all. */
const STATE_CONFLICT_RETRY = {
  attempts: 3,
  minDelayMs: 0,
  retryOn: (error: unknown) => error instanceof StateConflictError,
};

export interface Evaluation {
  assessment: StoredAssessment;
  shift: PathShift | null;
  /** False when `asOf` is older than the latest assessment: stored in the history only. */
  applied: boolean;
  /** The forecast stored with the assessment (none for a backfill), and the warning it raised. */
  forecast: StoredForecast | null;
  warning: ForecastWarning | null;
}

/**
 * Evaluates `scenario` with the data complete by `asOf`. Safe to run concurrently: the state write
 * is conditioned on its version, and a loser re-reads and tries again. An `asOf` older than the
 * latest assessment (a backfill, a late retry) is kept in the history but moves neither the latest
 * assessment nor the path state: old data must not confirm a shift today.
 */
export async function evaluate(table: Table, scenario: Scenario, asOf: Date, now: Date): Promise<Evaluation> {
  const dynamics = resolveDynamics(scenario);
  const observations = (
    await Promise.all(
      scenario.indicators.map((i) =>
        recentObservations(table, i.id, asOf.toISOString(), historyNeeded(i, dynamics)),
      ),
    )
  ).flat();
  const assessment = assess(scenario, observations, asOf.toISOString());
  const { evidence: _evidence, informative: _informative, ...rest } = assessment;
  let forecasts: IndicatorForecastRecord[] | null = null;
  return retry(async (): Promise<Evaluation> => {
    const [previous, last] = await Promise.all([
      getPathState(table, scenario.id),
      getLatestAssessment(table, scenario.id, true),
    ]);
    if (last && assessment.asOf < last.asOf) {
      // The history entry says what held at `asOf`, not what holds now: the state (and events) recorded
      // by the evaluation at or before that instant, which a backfill, moving no state, cannot change.
      const recorded = await assessmentAtOrBefore(table, scenario.id, assessment.asOf);
      const stored: StoredAssessment = {
        ...rest,
        evaluatedAt: now.toISOString(),
        state: recorded?.state ?? view(initialPathState, scenario.alerting),
        events: recorded?.asOf === assessment.asOf ? recorded.events : [],
      };
      await putAssessmentHistory(table, stored);
      return { assessment: stored, shift: null, applied: false, forecast: null, warning: null };
    }
    const step = advance(previous, assessment, scenario.alerting, last?.probabilities ?? null);
    const { shift } = step;
    // The forecasts depend only on the data, so a retry after a conflict reuses them.
    forecasts ??= await forecastIndicators(table, scenario, assessment, asOf);
    // The projection reads the full forecasts; the stored item may keep fewer steps (its size budget).
    const forecast: StoredForecast = fitForecastBudget(
      {
        scenarioId: scenario.id,
        asOf: assessment.asOf,
        evaluatedAt: now.toISOString(),
        ...projectSafely(scenario, observations, assessment, step.state, forecasts),
        indicators: forecasts,
      },
      scenario.forecast.horizon,
    );
    const warned = forecast.projection
      ? forecastWarning(step.state, projectedChange(forecast.projection), scenario.forecast, assessment.asOf)
      : { state: step.state, warning: null };
    const { state: next, warning } = warned;
    const stored: StoredAssessment = {
      ...rest,
      evaluatedAt: now.toISOString(),
      state: view(next, scenario.alerting),
      events: step.dataEvents,
    };
    // Every event of this assessment becomes an outbox entry, committed with the state that numbered it.
    const common = {
      scenarioId: scenario.id,
      createdAt: now.toISOString(),
      path: next.path,
      probabilities: assessment.probabilities,
      contributions: assessment.contributions,
      stale: assessment.stale,
      status: 'pending' as const,
    };
    const alerts: AlertRecord[] = [
      ...step.dataEvents.map((event) => ({ ...common, ...event })),
      ...(shift ? [{ ...common, ...shift }] : []),
      ...(warning ? [{ ...common, ...warning }] : []),
    ].sort((a, b) => a.sequence - b.sequence);
    await commitEvaluation(table, { assessment: stored, previous, next, alerts, forecast });
    return { assessment: stored, shift, applied: true, forecast, warning };
  }, STATE_CONFLICT_RETRY);
}

/** Seasonal period handed to the forecaster per cadence: a year of periods (a week for days). */
const SEASON: Record<Cadence, number> = { P1D: 7, P1W: 52, P1M: 12, P3M: 4, P1Y: 1 };

/**
 * Forecasts every numeric indicator from its last `forecast.history` complete periods (gaps as null),
 * far enough ahead to cover the periods between its newest value and now plus the horizon (at most
 * MAX_FORECAST_STEPS, with the reason recorded). A failure (too short a series, a model error, a
 * number that is not finite) is recorded for that indicator and never fails the evaluation.
 */
async function forecastIndicators(
  table: Table,
  scenario: Scenario,
  assessment: Assessment,
  asOf: Date,
): Promise<IndicatorForecastRecord[]> {
  const { horizon, history } = scenario.forecast;
  return Promise.all(
    scenario.indicators.map(async (indicator): Promise<IndicatorForecastRecord> => {
      const base = { indicatorId: indicator.id, cadence: indicator.cadence };
      const skipped = skipReason(indicator, assessment);
      if (skipped) return { ...base, status: 'skipped', reason: skipped };
      const current = periodId(asOf, indicator.cadence);
      const series = (await recentObservations(table, indicator.id, asOf.toISOString(), history + 1))
        .filter((o) => o.period < current)
        .reverse();
      const first = series[0];
      const newest = series.at(-1);
      if (!first || !newest) return { ...base, status: 'failed', reason: 'no observations' };
      const byPeriod = new Map(series.map((o) => [o.period, o.value]));
      const periods = periodsBetween(first.period, newest.period, indicator.cadence);
      // Periods after the newest value that are already complete: forecast through them too.
      const lag = Math.max(0, periodsBetween(newest.period, current, indicator.cadence).length - 2);
      const known = { ...base, lastPeriod: newest.period, lastValue: newest.value, periods: periods.length };
      const { steps, capped } = forecastSteps(horizon, lag);
      try {
        const forecast = roundForecast(
          forecastSeries({
            values: periods.map((p) => byPeriod.get(p) ?? null),
            period: SEASON[indicator.cadence],
            horizon: steps,
          }),
        );
        const invalid = unstorableReason(forecast);
        if (invalid) return { ...known, status: 'failed', reason: invalid };
        return { ...known, status: 'forecast', forecast, ...(capped ? { reason: capped } : {}) };
      } catch (error) {
        return { ...known, status: 'failed', reason: (error as Error).message || String(error) };
      }
    }),
  );
}

function skipReason(indicator: Indicator, assessment: Assessment): string | null {
  if (indicator.evidence.model === 'event') return 'event model: holds its current evidence';
  if (!isForecastable(indicator)) return 'forecast: false in the scenario';
  if (assessment.stale.includes(indicator.id)) return 'no current data';
  return null;
}

/** The projection, or why there is none: it must never fail the evaluation. */
function projectSafely(
  scenario: Scenario,
  observations: Observation[],
  assessment: Assessment,
  state: PathState,
  records: IndicatorForecastRecord[],
): { projection: Projection | null; error?: string } {
  const forecasts: Record<string, IndicatorForecast> = {};
  for (const r of records) if (r.forecast) forecasts[r.indicatorId] = r.forecast;
  try {
    return {
      projection: project({ scenario, observations, asOf: assessment.asOf, assessment, state, forecasts }),
    };
  } catch (error) {
    return { projection: null, error: (error as Error).message || String(error) };
  }
}

function projectedChange(projection: Projection) {
  const last = projection.steps.at(-1);
  return {
    change: projection.change,
    horizon: projection.horizon,
    until: last?.asOf ?? projection.asOf,
    challenger: projection.challenger,
    probabilities: last?.probabilities ?? {},
    drivers: projection.drivers,
  };
}

/**
 * What became of one scenario's evaluation: the unit that fails, is recorded, counted, alarmed and
 * retried on its own (functions/evaluate/handler.ts), whatever became of the others.
 */
export type ScenarioOutcome =
  | { scenarioId: string; evaluation: Evaluation; error?: undefined }
  | { scenarioId: string; error: Error; evaluation?: undefined };

/** One scenario's evaluation, its failure caught: it must not stop the scenarios after it. */
export async function evaluateScenario(
  table: Table,
  scenario: Scenario,
  asOf: Date,
  now: Date,
): Promise<ScenarioOutcome> {
  try {
    return { scenarioId: scenario.id, evaluation: await evaluate(table, scenario, asOf, now) };
  } catch (error) {
    return { scenarioId: scenario.id, error: error instanceof Error ? error : new Error(String(error)) };
  }
}
