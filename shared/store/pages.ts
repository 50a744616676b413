// Paged reads for the API: one page of a key range, in sort-key order, never a Scan.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import type { AlertRecord } from './alerts.ts';
import { fieldsOf, keys } from './keys.ts';
import type { Table } from './table.ts';

/** Bounds on an item's position (an asOf, a period, a sequence), as the entity spells it. */
export interface PageBounds {
  /** Inclusive lower bound. */
  from?: string;
  /** Inclusive upper bound. */
  to?: string;
  /** Exclusive lower bound: the position of the last item of the previous page. */
  after?: string;
  limit: number;
}

export interface Page<T> {
  items: T[];
  /** Whether items follow the last one returned. */
  more: boolean;
}

interface RangeQuery {
  pk: string;
  /** Inclusive sort-key bounds. */
  low: string;
  high: string;
  limit: number;
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/** The sort key just after `sk`: the smallest key that sorts above it and its own prefixes. */
const justAfter = (sk: string) => `${sk}\u0000`;
/** Above every sort key under a prefix. */
const END = '\uffff';

/** The key range of a prefix (`OBS#`) narrowed by the bounds, as inclusive sort keys. */
export function rangeOf(prefix: string, bounds: PageBounds): { low: string; high: string } {
  const lows = [prefix];
  if (bounds.from !== undefined) lows.push(`${prefix}${bounds.from}`);
  if (bounds.after !== undefined) lows.push(justAfter(`${prefix}${bounds.after}`));
  // The greatest bound, compared as DynamoDB compares sort keys (by code unit).
  const low = lows.sort().at(-1) ?? prefix;
  const high = bounds.to !== undefined ? `${prefix}${bounds.to}` : `${prefix}${END}`;
  return { low, high };
}

/** Up to `limit` items of a range, reading one more to tell whether another page follows. */
export async function queryRange(table: Table, query: RangeQuery): Promise<Page<Record<string, unknown>>> {
  const items: Record<string, unknown>[] = [];
  if (query.low > query.high) return { items, more: false };
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
        ExpressionAttributeValues: {
          ':pk': query.pk,
          ':low': query.low,
          ':high': query.high,
          ...query.filter?.values,
        },
        ...(query.filter
          ? { FilterExpression: query.filter.expression, ExpressionAttributeNames: query.filter.names }
          : {}),
        // Without a filter every item read is returned, so one page of limit + 1 settles `more`.
        Limit: query.filter ? undefined : query.limit + 1 - items.length,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length <= query.limit);
  return { items: items.slice(0, query.limit), more: items.length > query.limit };
}

export interface StoredObservation extends Observation {
  fetchedAt?: string;
}

/** A page of an indicator's observations by period (`YYYY-MM-DD`), oldest first. */
export async function listObservationPage(
  table: Table,
  indicatorId: string,
  bounds: PageBounds,
): Promise<Page<StoredObservation>> {
  const { pk, sk } = keys.observationPrefix(indicatorId);
  const page = await queryRange(table, { pk, ...rangeOf(sk, bounds), limit: bounds.limit });
  return { items: page.items.map((item) => fieldsOf<StoredObservation>(item)), more: page.more };
}

/**
 * The newest observation of an indicator whose period starts at or before `at` (an ISO instant), or
 * null: a period stored for the future is not read.
 */
export async function newestObservation(
  table: Table,
  indicatorId: string,
  at: string,
): Promise<StoredObservation | null> {
  const { pk, sk } = keys.observationPrefix(indicatorId);
  const { Items } = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      // `OBS#2024-02-01` sorts at or below `OBS#2024-02-01T…`: a period that starts on `at`'s day counts.
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :low AND :high',
      ExpressionAttributeValues: { ':pk': pk, ':low': sk, ':high': `${sk}${at}` },
      ScanIndexForward: false,
      Limit: 1,
    }),
  );
  const item = Items?.[0];
  return item ? fieldsOf<StoredObservation>(item) : null;
}

/**
 * A page of a scenario's alerts by sequence, oldest first; `from`/`to` bound the alert's `at`
 * (ISO instants), `after` is the last sequence of the previous page.
 */
export async function listAlertPage(
  table: Table,
  scenarioId: string,
  bounds: { from?: string; to?: string; after?: number; limit: number },
): Promise<Page<AlertRecord>> {
  const { pk, sk } = keys.alertPrefix(scenarioId);
  const after =
    bounds.after === undefined ? undefined : keys.alert(scenarioId, bounds.after).sk.slice(sk.length);
  const range = rangeOf(sk, { after, limit: bounds.limit });
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
  const page = await queryRange(table, { pk, ...range, limit: bounds.limit, ...(filter ? { filter } : {}) });
  return { items: page.items.map((item) => fieldsOf<AlertRecord>(item)), more: page.more };
}
