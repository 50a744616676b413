// Reads the items of one partition in a sort-key range, following DynamoDB's pages: the one loop the
// store modules share (the API's pages, which also count a next page, are in pages.ts).
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Table } from './table.ts';

export interface KeyRange {
  pk: string;
  /** Inclusive sort-key bounds. */
  low: string;
  high: string;
  /** Newest (highest sort key) first. */
  descending?: boolean;
  /** At most this many items. */
  limit?: number;
  /** Read a global secondary index instead of the table: its name and partition key attribute. */
  index?: { name: string; partition: string };
  /** A strongly consistent read (the table only: an index has none), for a read a write is conditioned on. */
  consistent?: boolean;
}

export async function queryBetween(table: Table, range: KeyRange): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  const limit = range.limit ?? Number.POSITIVE_INFINITY;
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        ...(range.index ? { IndexName: range.index.name } : {}),
        ...(range.consistent ? { ConsistentRead: true } : {}),
        KeyConditionExpression: '#pk = :pk AND sk BETWEEN :low AND :high',
        ExpressionAttributeNames: { '#pk': range.index?.partition ?? 'pk' },
        ExpressionAttributeValues: { ':pk': range.pk, ':low': range.low, ':high': range.high },
        ScanIndexForward: !range.descending,
        ...(Number.isFinite(limit) ? { Limit: limit - items.length } : {}),
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items;
}

/** Every item whose sort key starts with the prefix, in sort-key order. */
export async function queryPrefix(
  table: Table,
  prefix: { pk: string; sk: string },
): Promise<Record<string, unknown>[]> {
  return queryBetween(table, { pk: prefix.pk, low: prefix.sk, high: `${prefix.sk}\uffff` });
}
