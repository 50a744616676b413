// Alerts: the outbox. Written with the state change that caused it; marked sent once published.
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution, DataEvent, ForecastWarning, PathShift } from '../domain/model.ts';
import { fieldsOf, type Key, keys, OPEN_ALERTS_INDEX, toItem } from './keys.ts';
import { queryBetween, queryPrefix } from './query.ts';
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
  /** `suppressed`: raised during a silence; not published, but listed in the summary after it. */
  status: 'pending' | 'sent' | 'suppressed';
  sentAt?: string;
  messageId?: string;
  /** For a suppressed alert: the silence that held it, and when a summary reported it. */
  silenceId?: string;
  summarizedAt?: string;
}

/** A confirmed change of path (`path-shift`, `reverted`). */
export type PathAlert = AlertCommon & PathShift;
/** Indicators losing (`data-stale`) or regaining (`data-recovered`) current data. */
export type DataAlert = AlertCommon & DataEvent;
/** The projection makes a change of path within the horizon likely (`forecast-warning`). */
export type ForecastAlert = AlertCommon & ForecastWarning;
/** What a silence held back, as its summary lists it. */
export interface HeldAlert {
  sequence: number;
  kind: PathAlert['kind'] | DataAlert['kind'] | ForecastAlert['kind'];
  at: string;
  from?: string;
  to?: string;
  indicators?: string[];
}
/** Sent once when a silence ends: the alerts it held back. */
export type SilenceSummaryAlert = AlertCommon & {
  kind: 'silence-summary';
  silence: { id: string; start: string; end: string; reason: string };
  held: HeldAlert[];
};
/** An alert in the outbox: what happened, what explains it, and whether it was published. */
export type AlertRecord = PathAlert | DataAlert | ForecastAlert | SilenceSummaryAlert;
export type AlertKind = AlertRecord['kind'];

export function isPathAlert(alert: AlertRecord): alert is PathAlert {
  return alert.kind === 'path-shift' || alert.kind === 'reverted';
}

export function isForecastAlert(alert: AlertRecord): alert is ForecastAlert {
  return alert.kind === 'forecast-warning';
}

export function isDataAlert(alert: AlertRecord): alert is DataAlert {
  return alert.kind === 'data-stale' || alert.kind === 'data-recovered';
}

/** Marks a pending alert suppressed by a silence; false if it was no longer pending. */
export function markAlertSuppressed(table: Table, alert: AlertRecord, silenceId: string): Promise<boolean> {
  return settle(table, alert, 'suppressed', { silenceId });
}

/** An alert as stored; one still to publish or summarize is also in the open-alerts index. */
export function alertToItem(alert: AlertRecord): Record<string, unknown> {
  const key = keys.alert(alert.scenarioId, alert.sequence);
  const open = alert.status === 'pending' || (alert.status === 'suppressed' && !alert.summarizedAt);
  return { ...toItem('alert', key, alert), ...(open ? { [OPEN_ALERTS_INDEX.partition]: key.pk } : {}) };
}

export async function getAlert(table: Table, key: Key): Promise<AlertRecord | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: key, ConsistentRead: true }),
  );
  return Item ? fieldsOf<AlertRecord>(Item) : null;
}

/** Marks a pending alert sent; returns false if it was already marked (another delivery won). */
export function markAlertSent(
  table: Table,
  alert: AlertRecord,
  messageId: string,
  sentAt: string,
): Promise<boolean> {
  return settle(table, alert, 'sent', { sentAt, messageId });
}

/**
 * Moves a pending alert to `status`, setting `fields`, on condition it is still pending: of two
 * deliveries racing, exactly one settles it. False when it was no longer pending.
 */
async function settle(
  table: Table,
  alert: AlertRecord,
  status: 'sent' | 'suppressed',
  fields: Record<string, string>,
): Promise<boolean> {
  const names = Object.keys(fields);
  try {
    await table.db.send(
      new UpdateCommand({
        TableName: table.name,
        Key: keys.alert(alert.scenarioId, alert.sequence),
        // A sent alert leaves the open-alerts index; a suppressed one stays until it is summarized.
        UpdateExpression: `SET #status = :status, ${names.map((n) => `#${n} = :${n}`).join(', ')}${
          status === 'sent' ? ` REMOVE ${OPEN_ALERTS_INDEX.partition}` : ''
        }`,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: {
          '#status': 'status',
          ...Object.fromEntries(names.map((n) => [`#${n}`, n])),
        },
        ExpressionAttributeValues: {
          ':status': status,
          ':pending': 'pending',
          ...Object.fromEntries(names.map((n) => [`:${n}`, fields[n]])),
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

/** A scenario's open alerts (pending, or held and not yet summarized), oldest first. */
async function listOpenAlerts(table: Table, scenarioId: string): Promise<AlertRecord[]> {
  const { pk, sk } = keys.alertPrefix(scenarioId);
  const items = await queryBetween(table, { pk, low: sk, high: `${sk}\uffff`, index: OPEN_ALERTS_INDEX });
  return items.map((item) => fieldsOf<AlertRecord>(item));
}

/** A scenario's alerts still pending that were created at or before `createdBefore` (oldest first). */
export async function listPendingAlerts(
  table: Table,
  scenarioId: string,
  createdBefore: string,
): Promise<AlertRecord[]> {
  return (await listOpenAlerts(table, scenarioId)).filter(
    (a) => a.status === 'pending' && a.createdAt <= createdBefore,
  );
}

/**
 * A scenario's alerts that a silence held back and no summary has reported yet, oldest first: those of
 * one silence, or of every silence when `silenceId` is left out.
 */
export async function listHeldAlerts(
  table: Table,
  scenarioId: string,
  silenceId?: string,
): Promise<AlertRecord[]> {
  return (await listOpenAlerts(table, scenarioId)).filter(
    (a) =>
      a.status === 'suppressed' && (silenceId === undefined || a.silenceId === silenceId) && !a.summarizedAt,
  );
}

/**
 * Stores a silence's summary alert and marks the alerts it reports as summarized, all or nothing. The
 * summary takes the next alert number from the path state, conditioned on the state's version, so it
 * cannot collide with an alert an evaluation numbers at the same time (a loser gets StateConflictError).
 */
export async function commitSilenceSummary(
  table: Table,
  summary: AlertRecord,
  stateVersion: number,
  held: AlertRecord[],
): Promise<void> {
  const items = [
    {
      Update: {
        TableName: table.name,
        Key: keys.pathState(summary.scenarioId),
        UpdateExpression: 'SET alerts = :sequence, version = :next',
        ConditionExpression: 'version = :version',
        ExpressionAttributeValues: {
          ':sequence': summary.sequence,
          ':next': stateVersion + 1,
          ':version': stateVersion,
        },
      },
    },
    {
      Put: {
        TableName: table.name,
        Item: alertToItem(summary),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    ...held.map((alert) => ({
      Update: {
        TableName: table.name,
        Key: keys.alert(alert.scenarioId, alert.sequence),
        UpdateExpression: 'SET summarizedAt = :at REMOVE #open',
        ConditionExpression: 'attribute_not_exists(summarizedAt)',
        ExpressionAttributeNames: { '#open': OPEN_ALERTS_INDEX.partition },
        ExpressionAttributeValues: { ':at': summary.createdAt },
      },
    })),
  ];
  try {
    await table.db.send(new TransactWriteCommand({ TransactItems: items }));
  } catch (error) {
    const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
    if (reasons.some((r) => r.Code === 'ConditionalCheckFailed'))
      throw new SummaryConflictError(summary.scenarioId);
    throw error;
  }
}

export class SummaryConflictError extends Error {
  constructor(scenarioId: string) {
    super(`the path state or alerts of ${scenarioId} changed while a silence summary was written`);
    this.name = 'SummaryConflictError';
  }
}
