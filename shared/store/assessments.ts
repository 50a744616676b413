// Assessments, the path state and path-shift alerts, written together in one transaction.
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Assessment, PathShift, PathState } from '../domain/model.ts';
import { initialPathState } from '../domain/model.ts';
import { type AlertRecord, alertToItem } from './alerts.ts';
import { keys } from './keys.ts';
import type { Table } from './table.ts';

/** The assessment as stored and served: the domain's assessment, when it was made, and the path state. */
export interface StoredAssessment extends Omit<Assessment, 'evidenceKey'> {
  evaluatedAt: string;
  state: {
    path: string | null;
    since: string | null;
    pending?: { path: string; count: number; of: number };
  };
}

export class StateConflictError extends Error {
  constructor(scenarioId: string) {
    super(`the path state of ${scenarioId} was changed by another evaluation`);
    this.name = 'StateConflictError';
  }
}

export async function getLatestAssessment(
  table: Table,
  scenarioId: string,
): Promise<StoredAssessment | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.latestAssessment(scenarioId) }),
  );
  if (!Item) return null;
  const { pk: _pk, sk: _sk, entity: _entity, ...assessment } = Item;
  return assessment as StoredAssessment;
}

export async function getPathState(table: Table, scenarioId: string): Promise<PathState> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.pathState(scenarioId), ConsistentRead: true }),
  );
  if (!Item) return initialPathState;
  return {
    path: Item.path ?? null,
    since: Item.since ?? null,
    window: Item.window ?? [],
    lastEvidenceKey: Item.lastEvidenceKey ?? null,
    shifts: Item.shifts ?? 0,
    version: Item.version ?? 0,
  };
}

export interface EvaluationRecord {
  assessment: StoredAssessment;
  /** The state before this evaluation: its version guards against a concurrent writer. */
  previous: PathState;
  next: PathState;
  shift: PathShift | null;
  alert: AlertRecord | null;
}

/**
 * Stores the latest assessment, its history entry, the new path state and (on a shift) the alert,
 * all or nothing. Fails with StateConflictError if another evaluation moved the state meanwhile.
 */
export async function commitEvaluation(table: Table, record: EvaluationRecord): Promise<void> {
  const { assessment, previous, next, alert } = record;
  const scenarioId = assessment.scenarioId;
  const stateItem = {
    ...keys.pathState(scenarioId),
    entity: 'path-state',
    ...next,
    version: previous.version + 1,
  };
  const items = [
    {
      Put: {
        TableName: table.name,
        Item: { ...keys.latestAssessment(scenarioId), entity: 'assessment', ...assessment },
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: { ...keys.assessment(scenarioId, assessment.asOf), entity: 'assessment', ...assessment },
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: stateItem,
        ConditionExpression: previous.version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
        ExpressionAttributeValues: previous.version === 0 ? undefined : { ':version': previous.version },
      },
    },
    ...(alert
      ? [
          {
            Put: {
              TableName: table.name,
              Item: alertToItem(alert),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        ]
      : []),
  ];
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed')) throw new StateConflictError(scenarioId);
    throw error;
  }
}
