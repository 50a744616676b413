// Replays a scenario over a stretch of history: the evaluate use case at the end of every period of the
// scenario's finest cadence, on a workspace table, and the alerts it stored on the way.

import { evaluate } from '../../shared/app/evaluate.ts';
import { holdingSilence, silencesOf } from '../../shared/app/silences.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import type { DataEvent, ForecastWarning, PathShift } from '../../shared/domain/model.ts';
import { addDuration, CADENCES, type Cadence, periodStart } from '../../shared/domain/period.ts';
import { type AlertRecord, listAlerts } from '../../shared/store/alerts.ts';
import type { StoredAssessment } from '../../shared/store/assessments.ts';
import type { Table } from '../../shared/store/table.ts';

export interface TimelineStep {
  asOf: string;
  probabilities: Record<string, number>;
  leader: string;
  margin: number;
  /** The confirmed path after this evaluation, and the state machine's status. */
  path: string | null;
  status: StoredAssessment['state']['status'];
  shift: PathShift | null;
  /** The forecast warning raised at this evaluation (a change of path projected as likely). */
  warning: ForecastWarning | null;
  events: DataEvent[];
  stale: string[];
  /** Per path, this evaluation's evidence for it against the others, in decibans (its contributions summed). */
  decibans: Record<string, number>;
}

export interface ReplayedAlert {
  alert: AlertRecord;
  /** The silence that would have held it back, if one was in force. */
  heldBy: string | null;
}

export interface Replay {
  scenarioId: string;
  cadence: Cadence;
  steps: TimelineStep[];
  alerts: ReplayedAlert[];
}

/** The finest cadence among the scenario's indicators: the replay evaluates once per such period. */
export function finestCadence(scenario: Scenario): Cadence {
  return CADENCES.find((c) => scenario.indicators.some((i) => i.cadence === c)) ?? 'P1M';
}

/** The evaluation instants: the end of every period that ends within [from, to]. */
export function replayInstants(scenario: Scenario, from: Date, to: Date): Date[] {
  const cadence = finestCadence(scenario);
  const instants: Date[] = [];
  let asOf = periodStart(from, cadence);
  if (asOf < from) asOf = addDuration(asOf, cadence);
  // A period's end is the next one's start: the first instant is the first period boundary >= from.
  for (; asOf <= to; asOf = addDuration(asOf, cadence)) instants.push(asOf);
  return instants;
}

/**
 * Evaluates `scenario` at each instant in order (the use case the evaluate function runs), with the
 * evaluation's clock set to the instant so the stored history reads as it would have then.
 */
export async function replay(
  table: Table,
  scenario: Scenario,
  instants: Date[],
  onStep?: (step: TimelineStep) => void,
): Promise<Replay> {
  const steps: TimelineStep[] = [];
  for (const asOf of instants) {
    const { assessment, shift, warning } = await evaluate(table, scenario, asOf, asOf);
    const step: TimelineStep = {
      asOf: assessment.asOf,
      probabilities: assessment.probabilities,
      leader: assessment.leader,
      margin: assessment.margin,
      path: assessment.state.path,
      status: assessment.state.status,
      shift,
      warning,
      events: assessment.events,
      stale: assessment.stale,
      decibans: evidenceOf(assessment),
    };
    steps.push(step);
    onStep?.(step);
  }
  const silences = await silencesOf(table, scenario);
  const alerts = (await listAlerts(table, scenario.id)).map((alert) => ({
    alert,
    heldBy: holdingSilence(silences, alert)?.id ?? null,
  }));
  return { scenarioId: scenario.id, cadence: finestCadence(scenario), steps, alerts };
}

function evidenceOf(assessment: StoredAssessment): Record<string, number> {
  const total: Record<string, number> = {};
  for (const c of assessment.contributions)
    for (const [path, db] of Object.entries(c.decibans)) total[path] = (total[path] ?? 0) + db;
  return total;
}
