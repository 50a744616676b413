// Alerts: the outbox. Written with the state change that caused it; marked sent once published.
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution } from '../domain/model.ts';
import { type Key, keys } from './keys.ts';
import type { Table } from './table.ts';

export type AlertKind = 'path-shift';

export interface AlertRecord {
  scenarioId: string;
  sequence: number;
  kind: AlertKind;
  from: string;
  to: string;
  /** The data time (the assessment's asOf) at which the shift was confirmed. */
  at: string;
  createdAt: string;
  probabilitiesBefore: Record<string, number> | null;
  probabilitiesAfter: Record<string, number>;
  contributions: Contribution[];
  stale: string[];
  status: 'pending' | 'sent';
  sentAt?: string;
  messageId?: string;
}

export function alertToItem(alert: AlertRecord): Record<string, unknown> {
  return { ...keys.alert(alert.scenarioId, alert.sequence), entity: 'alert', ...alert };
}

export function alertFromItem(item: Record<string, unknown>): AlertRecord {
  const { pk: _pk, sk: _sk, entity: _entity, ...alert } = item;
  return alert as unknown as AlertRecord;
}

export async function getAlert(table: Table, key: Key): Promise<AlertRecord | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }),
  );
  return Item ? alertFromItem(Item) : null;
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
