// An alert's delivery (the outbox item of alerts.ts): the claim a delivery takes before it publishes,
// and the settlement after (sent, or held by a silence). Each is a conditional write, so that of any
// number of deliveries at once (a stream retry, the sweep) one publishes and the others step aside.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type AlertRecord, alertKey } from './alerts.ts';
import { OPEN_ALERTS_INDEX, type Table } from './table.ts';

/**
 * How long a claim holds. Longer than the notify function's timeout (30 s, infra/constructs/
 * notify-function.ts): a claim outlives the invocation that took it, so once it has run out its holder
 * is gone, and another delivery may take the alert over.
 */
export const CLAIM_MS = 60_000;

/** The right to publish one alert, until `until`; `attempt` counts the claims the alert has had. */
export interface Claim {
  id: string;
  until: string;
  attempt: number;
}

const conditionFailed = (error: unknown) => (error as Error).name === 'ConditionalCheckFailedException';

/**
 * Claims a pending alert for `CLAIM_MS` from `now`, or returns null when it is not pending or another
 * delivery's claim still holds.
 */
export async function claimAlert(
  table: Table,
  alert: AlertRecord,
  claimId: string,
  now: Date,
): Promise<Claim | null> {
  const until = new Date(now.getTime() + CLAIM_MS).toISOString();
  try {
    const { Attributes } = await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: alertKey(alert.scenarioId, alert.sequence),
        UpdateExpression: 'SET claimId = :id, claimUntil = :until ADD attempts :one',
        ConditionExpression:
          '#status = :pending AND (attribute_not_exists(claimUntil) OR claimUntil <= :now)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':id': claimId,
          ':until': until,
          ':one': 1,
          ':pending': 'pending',
          ':now': now.toISOString(),
        },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    return { id: claimId, until, attempt: Number(Attributes?.attempts) };
  } catch (error) {
    if (conditionFailed(error)) return null;
    throw error;
  }
}

/**
 * Gives a claim up before its time (nothing was published under it), so that a retry need not wait
 * for it to run out. A claim taken over meanwhile is left alone.
 */
export async function releaseClaim(table: Table, alert: AlertRecord, claim: Claim): Promise<void> {
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: alertKey(alert.scenarioId, alert.sequence),
        UpdateExpression: 'REMOVE claimId, claimUntil',
        ConditionExpression: 'claimId = :id',
        ExpressionAttributeValues: { ':id': claim.id },
      }),
    );
  } catch (error) {
    if (!conditionFailed(error)) throw error;
  }
}

/** Marks a claimed alert sent; false when it was settled already or the claim is no longer its own. */
export function markAlertSent(
  table: Table,
  alert: AlertRecord,
  claim: Claim,
  messageId: string,
  sentAt: string,
): Promise<boolean> {
  return settle(table, alert, claim, 'sent', { sentAt, messageId });
}

/** Marks a claimed alert held by a silence; false when it was settled already or the claim was lost. */
export function markAlertSuppressed(
  table: Table,
  alert: AlertRecord,
  claim: Claim,
  silenceId: string,
): Promise<boolean> {
  return settle(table, alert, claim, 'suppressed', { silenceId });
}

/**
 * Moves a pending alert to `status`, setting the fields of `set`, on condition it is still pending and
 * still under `claim`. The claim's id stays on the item (which delivery settled it); its expiry goes.
 */
async function settle(
  table: Table,
  alert: AlertRecord,
  claim: Claim,
  status: 'sent' | 'suppressed',
  set: Record<string, string>,
): Promise<boolean> {
  const names = Object.keys(set);
  // A sent alert leaves the open-alerts index; a suppressed one stays until it is summarized.
  const remove = ['claimUntil', ...(status === 'sent' ? [OPEN_ALERTS_INDEX.partition] : [])];
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: alertKey(alert.scenarioId, alert.sequence),
        UpdateExpression: `SET #status = :status, ${names.map((n) => `#${n} = :${n}`).join(', ')} REMOVE ${remove.join(', ')}`,
        ConditionExpression: '#status = :pending AND claimId = :claim',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...Object.fromEntries(names.map((n) => [`#${n}`, n])),
        },
        ExpressionAttributeValues: {
          ':status': status,
          ':pending': 'pending',
          ':claim': claim.id,
          ...Object.fromEntries(names.map((n) => [`:${n}`, set[n]])),
        },
      }),
    );
    return true;
  } catch (error) {
    if (conditionFailed(error)) return false;
    throw error;
  }
}
