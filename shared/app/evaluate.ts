// Evaluation: assess a scenario from stored observations, advance its path state, record any shift.
import type { ScenarioRegistry } from '../config/registry.ts';
import type { Scenario } from '../config/scenario-schema.ts';
import { assess } from '../domain/assess.ts';
import { periodsNeeded } from '../domain/evidence.ts';
import { advance, view } from '../domain/hysteresis.ts';
import type { PathShift } from '../domain/model.ts';
import type { AlertRecord } from '../store/alerts.ts';
import {
  commitEvaluation,
  getLatestAssessment,
  getPathState,
  putAssessmentHistory,
  StateConflictError,
  type StoredAssessment,
} from '../store/assessments.ts';
import { recentObservations } from '../store/observations.ts';
import type { Table } from '../store/table.ts';

const MAX_ATTEMPTS = 3;

export interface Evaluation {
  assessment: StoredAssessment;
  shift: PathShift | null;
  /** False when `asOf` is older than the latest assessment: stored in the history only. */
  applied: boolean;
}

/**
 * Evaluates `scenario` with the data complete by `asOf`. Safe to run concurrently: the state write
 * is conditioned on its version, and a loser re-reads and tries again. An `asOf` older than the
 * latest assessment (a backfill, a late retry) is kept in the history but moves neither the latest
 * assessment nor the path state: old data must not confirm a shift today.
 */
export async function evaluate(table: Table, scenario: Scenario, asOf: Date, now: Date): Promise<Evaluation> {
  const observations = (
    await Promise.all(
      scenario.indicators.map((i) =>
        recentObservations(table, i.id, asOf.toISOString(), periodsNeeded(i.evidence, i.cadence)),
      ),
    )
  ).flat();
  const assessment = assess(scenario, observations, asOf.toISOString());
  const { evidence: _evidence, informative: _informative, ...rest } = assessment;
  for (let attempt = 1; ; attempt++) {
    const [previous, last] = await Promise.all([
      getPathState(table, scenario.id),
      getLatestAssessment(table, scenario.id, true),
    ]);
    if (last && assessment.asOf < last.asOf) {
      const stored = { ...rest, evaluatedAt: now.toISOString(), state: last.state, events: [] };
      await putAssessmentHistory(table, stored);
      return { assessment: stored, shift: null, applied: false };
    }
    const step = advance(previous, assessment, scenario.alerting, last?.probabilities ?? null);
    const { state: next, shift } = step;
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
    ].sort((a, b) => a.sequence - b.sequence);
    try {
      await commitEvaluation(table, { assessment: stored, previous, next, alerts });
      return { assessment: stored, shift, applied: true };
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** A request to evaluate: from the table stream (the indicators that changed) or direct/scheduled. */
export type EvaluationRequest =
  | { changedIndicators: string[] }
  | { scenarioId?: string | undefined; asOf?: string | undefined };

export class UnknownScenarioError extends Error {
  constructor(id: string) {
    super(`unknown scenario ${id}`);
    this.name = 'UnknownScenarioError';
  }
}

/** Evaluates every scenario the request concerns, one after the other. */
export async function evaluateRequested(
  table: Table,
  registry: ScenarioRegistry,
  request: EvaluationRequest,
  now: Date,
): Promise<Evaluation[]> {
  let scenarios = registry.scenarios;
  let asOf = now;
  if ('changedIndicators' in request) {
    scenarios = registry.scenariosUsing(request.changedIndicators);
  } else {
    if (request.asOf) asOf = new Date(request.asOf);
    if (request.scenarioId) {
      const scenario = registry.scenario(request.scenarioId);
      if (!scenario) throw new UnknownScenarioError(request.scenarioId);
      scenarios = [scenario];
    }
  }
  const evaluations: Evaluation[] = [];
  for (const scenario of scenarios) evaluations.push(await evaluate(table, scenario, asOf, now));
  return evaluations;
}
