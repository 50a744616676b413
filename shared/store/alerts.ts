// Alerts: the outbox. Written with the state change that caused it; marked sent once published.
import { GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution, DataEvent, PathShift } from '../domain/model.ts';
import { fieldsOf, type Key, keys, toItem } from './keys.ts';
import { queryPrefix } from './query.ts';
import type { Table } from './table.ts';

/** What every alert in the outbox carries: the assessment it came from, and its delivery status. */
interface AlertCommon {
  scenarioId: string;
  sequence: number;
  at: string;
  createdAt: string;
  /** The confirmed path and the probabilities after the assessment that raised the alert. */
  path: string | null;
  probabilities: Record<string, number>;
  contributions: Contribution[];
  stale: string[];
  status: 'pending' | 'sent';
  sentAt?: string;
  messageId?: string;
}

/** A confirmed change of path (`path-shift`, `reverted`). */
export type PathAlert = AlertCommon & PathShift;
/** Indicators losing (`data-stale`) or regaining (`data-recovered`) current data. */
export type DataAlert = AlertCommon & DataEvent;
/** An alert in the outbox: what happened, what explains it, and whether it was published. */
export type AlertRecord = PathAlert | DataAlert;
export type AlertKind = AlertRecord['kind'];

export function isPathAlert(alert: AlertRecord): alert is PathAlert {
  return alert.kind === 'path-shift' || alert.kind === 'reverted';
}

export function alertToItem(alert: AlertRecord): Record<string, unknown> {
  return toItem('alert', keys.alert(alert.scenarioId, alert.sequence), alert);
}

export async function getAlert(table: Table, key: Key): Promise<AlertRecord | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }),
  );
  return Item ? fieldsOf<AlertRecord>(Item) : null;
}

/** Marks a pending alert sent; returns false if it was already marked (another delivery won). */
export async function markAlertSent(table: Table, alert: AlertRecord, messageId: string, sentAt: string) {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.alert(alert.scenarioId, alert.sequence),
        UpdateExpression: 'SET #status = :sent, sentAt = :sentAt, messageId = :messageId',
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':pending': 'pending',
          ':sentAt': sentAt,
          ':messageId': messageId,
        },
      }),
    );
    return true;
  } catch (error) {
    if ((error as Error).name === 'ConditionalCheckFailedException') return false;
    throw error;
  }
}

/** Every alert of a scenario, oldest first. */
export async function listAlerts(table: Table, scenarioId: string): Promise<AlertRecord[]> {
  return (await queryPrefix(table, keys.alertPrefix(scenarioId))).map((item) => fieldsOf<AlertRecord>(item));
}

/** A scenario's alerts still pending that were created at or before `createdBefore` (oldest first). */
export async function listPendingAlerts(
  table: Table,
  scenarioId: string,
  createdBefore: string,
): Promise<AlertRecord[]> {
  // Per scenario the outbox is small and old entries are `sent`: a query with a filter is enough here.
  const { Items = [] } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      FilterExpression: '#status = :pending AND createdAt <= :before',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':pk': keys.alertPrefix(scenarioId).pk,
        ':sk': keys.alertPrefix(scenarioId).sk,
        ':pending': 'pending',
        ':before': createdBefore,
      },
    }),
  );
  return Items.map((item) => fieldsOf<AlertRecord>(item));
}
