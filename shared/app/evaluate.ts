// Evaluation: assess a scenario from stored observations, advance its path state, record any shift.
import type { Scenario } from '../config/scenario-schema.ts';
import { assess } from '../domain/assess.ts';
import { advance, pending } from '../domain/hysteresis.ts';
import type { PathShift } from '../domain/model.ts';
import type { AlertRecord } from '../store/alerts.ts';
import {
  commitEvaluation,
  getLatestAssessment,
  getPathState,
  StateConflictError,
  type StoredAssessment,
} from '../store/assessments.ts';
import { recentObservations } from '../store/observations.ts';
import type { Table } from '../store/table.ts';

const MAX_ATTEMPTS = 3;

export interface Evaluation {
  assessment: StoredAssessment;
  shift: PathShift | null;
}

/**
 * Evaluates `scenario` with the data complete by `asOf`. Safe to run concurrently: the state write
 * is conditioned on its version, and a loser re-reads and tries again.
 */
export async function evaluate(table: Table, scenario: Scenario, asOf: Date, now: Date): Promise<Evaluation> {
  const observations = (
    await Promise.all(scenario.indicators.map((i) => recentObservations(table, i.id, asOf.toISOString())))
  ).flat();
  const assessment = assess(scenario, observations, asOf.toISOString());
  for (let attempt = 1; ; attempt++) {
    const [previous, last] = await Promise.all([
      getPathState(table, scenario.id),
      getLatestAssessment(table, scenario.id),
    ]);
    const { state: next, shift } = advance(
      previous,
      assessment,
      scenario.alerting,
      last?.probabilities ?? null,
    );
    const waiting = pending(next.window);
    const { evidenceKey: _key, ...rest } = assessment;
    const stored: StoredAssessment = {
      ...rest,
      evaluatedAt: now.toISOString(),
      state: {
        path: next.path,
        since: next.since,
        ...(waiting ? { pending: { ...waiting, of: scenario.alerting.confirm.m } } : {}),
      },
    };
    const alert: AlertRecord | null = shift
      ? {
          scenarioId: scenario.id,
          sequence: shift.sequence,
          kind: 'path-shift',
          from: shift.from,
          to: shift.to,
          at: shift.at,
          createdAt: now.toISOString(),
          probabilitiesBefore: shift.probabilitiesBefore,
          probabilitiesAfter: shift.probabilitiesAfter,
          contributions: assessment.contributions,
          stale: assessment.stale,
          status: 'pending',
        }
      : null;
    try {
      await commitEvaluation(table, { assessment: stored, previous, next, shift, alert });
      return { assessment: stored, shift };
    } catch (error) {
      if (!(error instanceof StateConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
