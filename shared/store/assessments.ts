// Assessments: per scenario the latest (`SCN#<scenarioId>`, `ASSESSMENT`) and the history by asOf
// (`ASSESSMENT#<asOf>`; a `begins_with` on it skips the latest). An evaluation commits its assessment with
// the path state, the forecast and the alerts it raises, in one transaction.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StateView } from '../domain/hysteresis.ts';
import type { Assessment, DataEvent, PathState } from '../domain/model.ts';
import { type AlertRecord, alertToItem } from './alerts.ts';
import { each, fields, list, nullable, number, oneOf, optional, record, string } from './checks.ts';
import { forecastToItem, type StoredForecast } from './forecasts.ts';
import { type Item, readItem, toItem } from './item.ts';
import { putPathState } from './path-states.ts';
import { getItem, type PageBounds, queryLatest, queryPage, queryPrefix } from './query.ts';
import { contribution, dataEvent } from './records.ts';
import { type Key, key, NO_ITEM_YET, partition, type Table } from './table.ts';

/** The latest assessment: a `begins_with` on the history's prefix skips it. */
export const latestAssessmentKey = (scenarioId: string): Key =>
  key(partition.scenario(scenarioId), 'ASSESSMENT');

export const assessmentKey = (scenarioId: string, asOf: string): Key =>
  key(partition.scenario(scenarioId), 'ASSESSMENT', asOf);

const historyPrefix = (scenarioId: string): Key => assessmentKey(scenarioId, '');

/** The assessment as stored and served: the domain's assessment, when it was made, and the path state. */
export interface StoredAssessment extends Omit<Assessment, 'evidence' | 'informative'> {
  evaluatedAt: string;
  state: StateView;
  /** Indicators that went stale or recovered at this evaluation. */
  events: DataEvent[];
}

/** The latest assessment, or its entry in the history. */
export function assessmentToItem(assessment: StoredAssessment, slot: 'latest' | 'history'): Item {
  const { scenarioId, asOf } = assessment;
  const itemKey = slot === 'latest' ? latestAssessmentKey(scenarioId) : assessmentKey(scenarioId, asOf);
  return toItem('assessment', itemKey, assessment);
}

function stateView(v: unknown): StateView {
  return fields(v, {
    status: oneOf<StateView['status']>({ 'insufficient-data': true, steady: true, pending: true }),
    ...each(nullable(string), 'path since'),
    pending: optional((p) => fields(p, { path: string, count: number, of: number })),
  });
}

function storedAssessment(v: unknown): StoredAssessment {
  return fields(v, {
    ...each(string, 'scenarioId asOf leader evaluatedAt'),
    ...each(number, 'margin entropy'),
    probabilities: record(number),
    // Assessments stored before the path filter carried nothing.
    carried: optional(record(number)),
    contributions: list(contribution),
    stale: list(string),
    state: stateView,
    events: list(dataEvent),
  });
}

export const assessmentFromItem = (item: Item) => readItem('assessment', item, storedAssessment);

export class StateConflictError extends Error {
  constructor(scenarioId: string) {
    super(`the path state of ${scenarioId} was changed by another evaluation`);
    this.name = 'StateConflictError';
  }
}

/** The latest assessment; `consistent` when it is about to be built upon (an alert's "before"). */
export function getLatestAssessment(
  table: Table,
  scenarioId: string,
  consistent = false,
): Promise<StoredAssessment | null> {
  return getItem(table, latestAssessmentKey(scenarioId), assessmentFromItem, consistent);
}

/** The assessment history of a scenario, oldest first; only the `newest` ones when given. */
export async function listAssessments(
  table: Table,
  scenarioId: string,
  newest?: number,
): Promise<StoredAssessment[]> {
  if (newest === undefined) return queryPrefix(table, historyPrefix(scenarioId), assessmentFromItem);
  const items = await queryPrefix(table, historyPrefix(scenarioId), assessmentFromItem, {
    descending: true,
    limit: newest,
  });
  return items.reverse();
}

/** A page of the assessment history by `asOf` (ISO instants), oldest first. */
export const listAssessmentPage = (table: Table, scenarioId: string, bounds: PageBounds) =>
  queryPage(table, historyPrefix(scenarioId), bounds, assessmentFromItem);

/** The history entry at `asOf` or the newest before it (the assessment in force then), or null. */
export function assessmentAtOrBefore(table: Table, scenarioId: string, asOf: string) {
  return queryLatest(table, historyPrefix(scenarioId), asOf, assessmentFromItem, true);
}

/**
 * Adds an assessment to the history only: for an evaluation older than the latest (a backfill). The
 * caller gives it the state recorded at that instant (assessmentAtOrBefore), never the current one.
 * Written as a transaction of one, like every other write of an evaluation: evaluate then loads one
 * write command, not two (PutCommand would add ~1 KB to a cold start at its 300 KB budget), for the
 * price of a second write unit on this rare path.
 */
export async function putAssessmentHistory(table: Table, assessment: StoredAssessment): Promise<void> {
  const put = { TableName: table.name, Item: assessmentToItem(assessment, 'history') };
  await table.db.send(new TransactWriteCommand({ TransactItems: [{ Put: put }] }));
}

export interface EvaluationRecord {
  assessment: StoredAssessment;
  /** The state before this evaluation: its version guards against a concurrent writer. */
  previous: PathState;
  next: PathState;
  /** The outbox entries this evaluation raised, in sequence order. */
  alerts: AlertRecord[];
  /** The indicator forecasts and projection made with this assessment (replaces the previous). */
  forecast?: StoredForecast;
}

/**
 * Stores the latest assessment, its history entry, the new path state, the forecast and the alerts
 * raised, all or nothing. Fails with StateConflictError if another evaluation moved the state meanwhile.
 */
export async function commitEvaluation(table: Table, record: EvaluationRecord): Promise<void> {
  const { assessment, previous, next, alerts, forecast } = record;
  const scenarioId = assessment.scenarioId;
  const put = (Item: Item) => ({ Put: { TableName: table.name, Item } });
  const items = [
    // Time only moves forward: a latest assessment is never replaced by an older one, whatever the state
    // version says (a second guard beside it, for an evaluation that read the state before a newer one).
    {
      Put: {
        TableName: table.name,
        Item: assessmentToItem(assessment, 'latest'),
        ConditionExpression: `${NO_ITEM_YET} OR asOf <= :asOf`,
        ExpressionAttributeValues: { ':asOf': assessment.asOf },
      },
    },
    put(assessmentToItem(assessment, 'history')),
    putPathState(table, scenarioId, previous, next),
    ...(forecast ? [put(forecastToItem(forecast))] : []),
    ...alerts.map((alert) => ({
      Put: { TableName: table.name, Item: alertToItem(alert), ConditionExpression: NO_ITEM_YET },
    })),
  ];
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new StateConflictError(scenarioId);
    throw error;
  }
}
