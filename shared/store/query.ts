// The store's reads: one item by its key, and the one query, the items of one partition between two
// sort keys, read page after page with the SDK's paginator (the API's pages too). Each item is read
// through its entity's fromItem.
import { GetCommand, paginateQuery, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import type { Item } from './item.ts';
import { type Key, type Partition, TABLE_KEY, type Table } from './table.ts';

/** The item at `key`, or null; `consistent` for a read that a write is about to build upon. */
export async function getItem<T>(
  table: Table,
  key: Key,
  read: (item: Item) => T,
  consistent = false,
): Promise<T | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: key, ConsistentRead: consistent }),
  );
  return Item ? read(Item) : null;
}

export interface KeyRange {
  pk: Partition;
  /** Inclusive sort-key bounds. */
  low: string;
  high: string;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** At most this many items. */
  limit?: number;
  /** Read a global secondary index instead of the table: its name and key attributes. */
  index?: { name: string; partition: string; sort: string };
  /** A strongly consistent read (the table only: an index has none), for a read a write is conditioned on. */
  consistent?: boolean;
  /** Items are read, then filtered: a page may hold fewer than it read. */
  filter?: { expression: string; names: Record<string, string>; values: Record<string, unknown> };
}

/** Above every sort key under a prefix. */
const END = '\uffff';

/** Up to `limit` items of the range (all without one), in sort-key order, each read by `read`. */
export async function queryBetween<T>(table: Table, range: KeyRange, read: (item: Item) => T): Promise<T[]> {
  const limit = range.limit ?? Number.POSITIVE_INFINITY;
  const input: QueryCommandInput = {
    TableName: table.name,
    ...(range.index ? { IndexName: range.index.name } : {}),
    ...(range.consistent ? { ConsistentRead: true } : {}),
    KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
    ExpressionAttributeNames: {
      '#pk': range.index?.partition ?? TABLE_KEY.partition,
      '#sk': range.index?.sort ?? TABLE_KEY.sort,
      ...range.filter?.names,
    },
    ExpressionAttributeValues: {
      ':pk': range.pk,
      ':low': range.low,
      ':high': range.high,
      ...range.filter?.values,
    },
    ...(range.filter ? { FilterExpression: range.filter.expression } : {}),
    ScanIndexForward: !range.descending,
    // A limit counts the items read, before the filter: a filtered range is read a whole page at a time.
    ...(Number.isFinite(limit) && !range.filter ? { Limit: limit } : {}),
  };
  const items: Item[] = [];
  for await (const page of paginateQuery({ client: table.db }, input)) {
    items.push(...(page.Items ?? []));
    if (items.length >= limit) break;
  }
  return items.slice(0, limit).map(read);
}

/** Every item whose sort key starts with the key's (a prefix such as `OBS#`), in sort-key order. */
export function queryPrefix<T>(
  table: Table,
  prefix: Key,
  read: (item: Item) => T,
  options: Pick<KeyRange, 'descending' | 'limit' | 'index'> = {},
): Promise<T[]> {
  return queryBetween(table, { pk: prefix.pk, low: prefix.sk, high: `${prefix.sk}${END}`, ...options }, read);
}

/** The newest item under the prefix key whose position sorts at or before `position`, or null. */
export async function queryLatest<T>(
  table: Table,
  prefix: Key,
  position: string,
  read: (item: Item) => T,
  consistent = false,
): Promise<T | null> {
  const range = { pk: prefix.pk, low: prefix.sk, high: `${prefix.sk}${position}`, descending: true };
  const [item] = await queryBetween(table, { ...range, limit: 1, consistent }, read);
  return item ?? null;
}

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

/** The sort key just after `sk`: the smallest key that sorts above it and its own prefixes. */
const justAfter = (sk: string) => `${sk}\u0000`;

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

/**
 * One page of the API's lists: the items under the prefix key within the bounds, oldest first, up to
 * `bounds.limit`, reading one more to tell whether another page follows.
 */
export async function queryPage<T>(
  table: Table,
  prefix: Key,
  bounds: PageBounds,
  read: (item: Item) => T,
  filter?: KeyRange['filter'],
): Promise<Page<T>> {
  const range = rangeOf(prefix.sk, bounds);
  if (range.low > range.high) return { items: [], more: false };
  const items = await queryBetween(
    table,
    { pk: prefix.pk, ...range, limit: bounds.limit + 1, ...(filter ? { filter } : {}) },
    read,
  );
  return { items: items.slice(0, bounds.limit), more: items.length > bounds.limit };
}
