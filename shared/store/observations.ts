// Observations: one item per indicator and period; unchanged values are not written again.
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import { keys, toItem } from './keys.ts';
import { queryPrefix } from './query.ts';
import type { Table } from './table.ts';

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;

export interface SaveResult {
  written: number;
  unchanged: number;
}

function observationItem(o: Observation, fetchedAt: string) {
  return toItem('observation', keys.observation(o.indicatorId, o.period), { ...o, fetchedAt });
}

function fromItem(item: Record<string, unknown>): Observation {
  return {
    indicatorId: String(item.indicatorId),
    period: String(item.period),
    value: Number(item.value),
    source: String(item.source),
  };
}

/** Stored observations of one indicator, oldest first. */
export async function listObservations(table: Table, indicatorId: string): Promise<Observation[]> {
  return (await queryPrefix(table, keys.observationPrefix(indicatorId))).map(fromItem);
}

/**
 * The newest `limit` observations of an indicator whose period starts before `before` (an ISO
 * instant), newest first: the history the indicator's evidence model needs at that instant.
 */
export async function recentObservations(
  table: Table,
  indicatorId: string,
  before: string,
  limit: number,
): Promise<Observation[]> {
  const { pk, sk } = keys.observationPrefix(indicatorId);
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
        ExpressionAttributeValues: { ':pk': pk, ':from': sk, ':to': `${sk}${before}` },
        ScanIndexForward: false,
        Limit: limit - items.length,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start && items.length < limit);
  return items.map(fromItem);
}

/** Writes the observations whose value is new or changed; returns how many were written and skipped. */
export async function saveObservations(
  table: Table,
  indicatorId: string,
  observations: Observation[],
  fetchedAt: string,
): Promise<SaveResult> {
  const stored = new Map((await listObservations(table, indicatorId)).map((o) => [o.period, o]));
  const changed = observations.filter((o) => {
    const before = stored.get(o.period);
    return !before || before.value !== o.value || before.source !== o.source;
  });
  for (let i = 0; i < changed.length; i += BATCH_SIZE) {
    await batchPut(
      table,
      changed.slice(i, i + BATCH_SIZE).map((o) => observationItem(o, fetchedAt)),
    );
  }
  return { written: changed.length, unchanged: observations.length - changed.length };
}

async function batchPut(table: Table, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 1; requests.length > 0; attempt++) {
    if (attempt > MAX_BATCH_ATTEMPTS)
      throw new Error(`${requests.length} observations left unprocessed by DynamoDB`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** attempt));
    const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
    requests = (result.UnprocessedItems?.[table.name] ?? []) as typeof requests;
  }
}
