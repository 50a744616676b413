// Alerts: the outbox (`SCN#<scenarioId>`, `ALERT#<sequence, 8 digits>`). Written with the state change
// that caused it; marked sent once published. The alerts still open are also in the open-alerts index.
import { paginateScan, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Contribution, DataEvent, ForecastWarning, PathShift } from '../domain/model.ts';
import { byKind, each, fields, list, nullable, number, oneOf, optional, record, string } from './checks.ts';
import { type Item, readItem, toItem } from './item.ts';
import { takeAlertNumber } from './path-states.ts';
import { getItem, type Page, queryPage, queryPrefix } from './query.ts';
import { contribution, dataEventFields, forecastDriver } from './records.ts';
import { type Key, key, NO_ITEM_YET, OPEN_ALERTS_INDEX, partition, type Table } from './table.ts';

export const alertKey = (scenarioId: string, sequence: number): Key =>
  key(partition.scenario(scenarioId), 'ALERT', String(sequence).padStart(8, '0'));

/** Bounds for querying a scenario's alerts by sequence. */
export const alertPrefix = (scenarioId: string): Key => key(partition.scenario(scenarioId), 'ALERT', '');

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

/** An alert as stored; one still to publish or summarize is also in the open-alerts index. */
export function alertToItem(alert: AlertRecord): Item {
  const itemKey = alertKey(alert.scenarioId, alert.sequence);
  const open = alert.status === 'pending' || (alert.status === 'suppressed' && !alert.summarizedAt);
  const openKey = open ? { [OPEN_ALERTS_INDEX.partition]: itemKey.pk } : {};
  return { ...toItem('alert', itemKey, alert), ...openKey };
}

/** What every alert carries, as fromItem reads it. */
const commonFields = () => ({
  ...each(string, 'scenarioId at createdAt'),
  sequence: number,
  path: nullable(string),
  probabilities: record(number),
  contributions: list(contribution),
  stale: list(string),
  status: oneOf<AlertRecord['status']>({ pending: true, sent: true, suppressed: true }),
  ...each(optional(string), 'sentAt messageId silenceId summarizedAt'),
});

function pathAlert(v: unknown): PathAlert {
  return fields(v, {
    ...commonFields(),
    kind: oneOf<PathAlert['kind']>({ 'path-shift': true, reverted: true }),
    ...each(string, 'from to'),
    probabilitiesBefore: nullable(record(number)),
    probabilitiesAfter: record(number),
  });
}

function dataAlert(v: unknown): DataAlert {
  return fields(v, { ...commonFields(), ...dataEventFields() });
}

function forecastAlert(v: unknown): ForecastAlert {
  return fields(v, {
    ...commonFields(),
    kind: oneOf<ForecastAlert['kind']>({ 'forecast-warning': true }),
    ...each(number, 'probability threshold horizon'),
    ...each(string, 'until to'),
    from: nullable(string),
    projected: record(number),
    drivers: list(forecastDriver),
  });
}

function heldAlert(v: unknown): HeldAlert {
  return fields(v, {
    sequence: number,
    kind: oneOf<HeldAlert['kind']>({
      'path-shift': true,
      reverted: true,
      'data-stale': true,
      'data-recovered': true,
      'forecast-warning': true,
    }),
    at: string,
    ...each(optional(string), 'from to'),
    indicators: optional(list(string)),
  });
}

function summaryAlert(v: unknown): SilenceSummaryAlert {
  return fields(v, {
    ...commonFields(),
    kind: oneOf<SilenceSummaryAlert['kind']>({ 'silence-summary': true }),
    silence: (s) => fields(s, each(string, 'id start end reason')),
    held: list(heldAlert),
  });
}

function alertRecord(v: unknown): AlertRecord {
  return byKind<AlertKind, AlertRecord>(v, {
    'path-shift': pathAlert,
    reverted: pathAlert,
    'data-stale': dataAlert,
    'data-recovered': dataAlert,
    'forecast-warning': forecastAlert,
    'silence-summary': summaryAlert,
  });
}

export const alertFromItem = (item: Item) => readItem('alert', item, alertRecord);

export function getAlert(table: Table, alertAt: Key): Promise<AlertRecord | null> {
  return getItem(table, alertAt, alertFromItem, true);
}

/** Every alert of a scenario, oldest first; only the `newest` ones when given. */
export async function listAlerts(table: Table, scenarioId: string, newest?: number): Promise<AlertRecord[]> {
  if (newest === undefined) return queryPrefix(table, alertPrefix(scenarioId), alertFromItem);
  const items = await queryPrefix(table, alertPrefix(scenarioId), alertFromItem, {
    descending: true,
    limit: newest,
  });
  return items.reverse();
}

/**
 * A page of a scenario's alerts by sequence, oldest first; `from`/`to` bound the alert's `at`
 * (ISO instants), `after` is the last sequence of the previous page.
 */
export function listAlertPage(
  table: Table,
  scenarioId: string,
  bounds: { from?: string; to?: string; after?: number; limit: number },
): Promise<Page<AlertRecord>> {
  const prefix = alertPrefix(scenarioId);
  const after =
    bounds.after === undefined ? undefined : alertKey(scenarioId, bounds.after).sk.slice(prefix.sk.length);
  const conditions: string[] = [];
  const values: Record<string, unknown> = {};
  if (bounds.from !== undefined) {
    conditions.push('#at >= :from');
    values[':from'] = bounds.from;
  }
  if (bounds.to !== undefined) {
    conditions.push('#at <= :to');
    values[':to'] = bounds.to;
  }
  const filter = conditions.length
    ? { expression: conditions.join(' AND '), names: { '#at': 'at' }, values }
    : undefined;
  return queryPage(table, prefix, { after, limit: bounds.limit }, alertFromItem, filter);
}

/** A scenario's open alerts (pending, or held and not yet summarized), oldest first. */
function listOpenAlerts(table: Table, scenarioId: string): Promise<AlertRecord[]> {
  return queryPrefix(table, alertPrefix(scenarioId), alertFromItem, { index: OPEN_ALERTS_INDEX });
}

/**
 * Every open alert of every scenario, as stored (each read by the caller, so that one malformed item
 * does not hide the others): the sparse open-alerts index read whole, which costs what the open alerts
 * weigh, however many scenarios and sent alerts there are. What the notify sweep starts from.
 */
export async function scanOpenAlerts(table: Table): Promise<Item[]> {
  const items: Item[] = [];
  const input = { TableName: table.name, IndexName: OPEN_ALERTS_INDEX.name };
  for await (const page of paginateScan({ client: table.db }, input)) items.push(...(page.Items ?? []));
  return items;
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
 * cannot collide with an alert an evaluation numbers at the same time (a loser gets SummaryConflictError).
 */
export async function commitSilenceSummary(
  table: Table,
  summary: AlertRecord,
  stateVersion: number,
  held: AlertRecord[],
): Promise<void> {
  const items = [
    takeAlertNumber(table, summary.scenarioId, summary.sequence, stateVersion),
    { Put: { TableName: table.name, Item: alertToItem(summary), ConditionExpression: NO_ITEM_YET } },
    ...held.map((alert) => ({
      Update: {
        TableName: table.name,
        Key: alertKey(alert.scenarioId, alert.sequence),
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
