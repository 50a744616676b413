// Assessments, the path state and the alerts they raise, written together in one transaction.
import { GetCommand, PutCommand, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { StateView } from '../domain/hysteresis.ts';
import type { Assessment, DataEvent, PathState } from '../domain/model.ts';
import { initialPathState } from '../domain/model.ts';
import { type AlertRecord, alertToItem } from './alerts.ts';
import { forecastToItem, type StoredForecast } from './forecasts.ts';
import { fieldsOf, keys, toItem } from './keys.ts';
import { type Page, type PageBounds, queryRange, rangeOf } from './pages.ts';
import { queryPrefix } from './query.ts';
import type { Table } from './table.ts';

/** The assessment as stored and served: the domain's assessment, when it was made, and the path state. */
export interface StoredAssessment extends Omit<Assessment, 'evidence' | 'informative'> {
  evaluatedAt: string;
  state: StateView;
  /** Indicators that went stale or recovered at this evaluation. */
  events: DataEvent[];
}

export class StateConflictError extends Error {
  constructor(scenarioId: string) {
    super(`the path state of ${scenarioId} was changed by another evaluation`);
    this.name = 'StateConflictError';
  }
}

/** The latest assessment; `consistent` when it is about to be built upon (an alert's "before"). */
export async function getLatestAssessment(
  table: Table,
  scenarioId: string,
  consistent = false,
): Promise<StoredAssessment | null> {
  const { Item } = await table.db.send(
    new GetCommand({
      TableName: table.name,
      Key: keys.latestAssessment(scenarioId),
      ConsistentRead: consistent,
    }),
  );
  return Item ? fieldsOf<StoredAssessment>(Item) : null;
}

export async function getPathState(table: Table, scenarioId: string): Promise<PathState> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.pathState(scenarioId), ConsistentRead: true }),
  );
  return Item ? { ...initialPathState, ...fieldsOf<PathState>(Item) } : initialPathState;
}

/** The assessment history of a scenario, oldest first. */
export async function listAssessments(table: Table, scenarioId: string): Promise<StoredAssessment[]> {
  return (await queryPrefix(table, keys.assessmentPrefix(scenarioId))).map((item) =>
    fieldsOf<StoredAssessment>(item),
  );
}

/** A page of the assessment history by `asOf` (ISO instants), oldest first. */
export async function listAssessmentPage(
  table: Table,
  scenarioId: string,
  bounds: PageBounds,
): Promise<Page<StoredAssessment>> {
  const { pk, sk } = keys.assessmentPrefix(scenarioId);
  const page = await queryRange(table, { pk, ...rangeOf(sk, bounds), limit: bounds.limit });
  return { items: page.items.map((item) => fieldsOf<StoredAssessment>(item)), more: page.more };
}

/** The history entry at `asOf` or the newest before it (the assessment in force then), or null. */
export async function assessmentAtOrBefore(
  table: Table,
  scenarioId: string,
  asOf: string,
): Promise<StoredAssessment | null> {
  const { pk, sk } = keys.assessmentPrefix(scenarioId);
  const { Items } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: { ':pk': pk, ':low': sk, ':high': keys.assessment(scenarioId, asOf).sk },
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    }),
  );
  const item = Items?.[0];
  return item ? fieldsOf<StoredAssessment>(item) : null;
}

/**
 * Adds an assessment to the history only: for an evaluation older than the latest (a backfill). The
 * caller gives it the state recorded at that instant (assessmentAtOrBefore), never the current one.
 */
export async function putAssessmentHistory(table: Table, assessment: StoredAssessment): Promise<void> {
  const key = keys.assessment(assessment.scenarioId, assessment.asOf);
  await table.db.send(new PutCommand({ TableName: table.name, Item: toItem('assessment', key, assessment) }));
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
  const put = (Item: Record<string, unknown>) => ({ Put: { TableName: table.name, Item } });
  const versionCondition =
    previous.version === 0
      ? { ConditionExpression: 'attribute_not_exists(pk)' }
      : {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        };
  const items = [
    put(toItem('assessment', keys.latestAssessment(scenarioId), assessment)),
    put(toItem('assessment', keys.assessment(scenarioId, assessment.asOf), assessment)),
    {
      Put: {
        TableName: table.name,
        Item: toItem('path-state', keys.pathState(scenarioId), { ...next, version: previous.version + 1 }),
        ...versionCondition,
      },
    },
    ...(forecast ? [put(forecastToItem(forecast))] : []),
    ...alerts.map((alert) => ({
      Put: {
        TableName: table.name,
        Item: alertToItem(alert),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
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
