// Alerts: the outbox. Written with the state change that caused it; marked sent once published.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution, PathShift } from '../domain/model.ts';
import { fieldsOf, type Key, keys, toItem } from './keys.ts';
import { queryPrefix } from './query.ts';
import type { Table } from './table.ts';

export type AlertKind = PathShift['kind'];

/** An alert in the outbox: the shift it reports, what explains it, and whether it was published. */
export interface AlertRecord extends PathShift {
  scenarioId: string;
  kind: AlertKind;
  createdAt: string;
  contributions: Contribution[];
  stale: string[];
  status: 'pending' | 'sent';
  sentAt?: string;
  messageId?: string;
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
