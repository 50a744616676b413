// Observations: one item per indicator and period; unchanged values are not written again, and a
// changed value keeps the one it replaces as a revision.
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import type { SourcedObservation } from '../sources/records.ts';
import { fieldsOf, keys, toItem } from './keys.ts';
import { queryPrefix } from './query.ts';
import type { Table } from './table.ts';

const BATCH_SIZE = 25;
const MAX_BATCH_ATTEMPTS = 8;
export const BATCH_CONCURRENCY = 4;

export interface SaveResult {
  written: number;
  unchanged: number;
  /** Of those written, how many replaced a different stored value (each kept as a revision). */
  revised: number;
}

function observationItem(o: SourcedObservation, fetchedAt: string) {
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

/** An earlier value of an observation, kept when its source revised it. */
export interface ObservationRevision {
  indicatorId: string;
  period: string;
  value: number;
  source: string;
  /** When the replaced value was fetched, and when the revision was seen. */
  fetchedAt: string;
  revisedAt: string;
  revisedTo: number;
  flags?: string[];
}

/** An indicator's revisions, by period then time. */
export async function listRevisions(table: Table, indicatorId: string): Promise<ObservationRevision[]> {
  return (await queryPrefix(table, keys.observationRevisionPrefix(indicatorId))).map((item) =>
    fieldsOf<ObservationRevision>(item),
  );
}

function unchanged(before: Record<string, unknown>, o: SourcedObservation): boolean {
  return (
    Number(before.value) === o.value &&
    before.source === o.source &&
    JSON.stringify(before.flags ?? []) === JSON.stringify(o.flags ?? []) &&
    JSON.stringify(before.evidence ?? []) === JSON.stringify(o.evidence ?? [])
  );
}

/**
 * Writes the observations that are new or changed; a changed value first keeps the stored one as a
 * revision item (`REV#<period>#<revisedAt>`), so the audit trail survives a failure half-way.
 */
export async function saveObservations(
  table: Table,
  indicatorId: string,
  observations: SourcedObservation[],
  fetchedAt: string,
): Promise<SaveResult> {
  const stored = new Map(
    (await queryPrefix(table, keys.observationPrefix(indicatorId))).map((item) => [
      String(item.period),
      item,
    ]),
  );
  const items: Record<string, unknown>[] = [];
  let written = 0;
  let revised = 0;
  for (const o of observations) {
    const before = stored.get(o.period);
    if (before && unchanged(before, o)) continue;
    if (before && Number(before.value) !== o.value) {
      revised++;
      const revision: ObservationRevision = {
        indicatorId,
        period: o.period,
        value: Number(before.value),
        source: String(before.source),
        fetchedAt: String(before.fetchedAt),
        revisedAt: fetchedAt,
        revisedTo: o.value,
        ...(Array.isArray(before.flags) ? { flags: before.flags as string[] } : {}),
      };
      items.push(
        toItem('observation-revision', keys.observationRevision(indicatorId, o.period, fetchedAt), revision),
      );
    }
    items.push(observationItem(o, fetchedAt));
    written++;
  }
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  // A few batches in flight: DynamoDB takes them in parallel, and one indicator rarely has more.
  for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
    await Promise.all(batches.slice(i, i + BATCH_CONCURRENCY).map((batch) => batchPut(table, batch)));
  }
  return { written, unchanged: observations.length - written, revised };
}

/** BatchWrite with retries of unprocessed items (exponential backoff, full jitter). */
export async function batchPut(table: Table, items: Record<string, unknown>[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  for (let attempt = 1; requests.length > 0; attempt++) {
    if (attempt > MAX_BATCH_ATTEMPTS)
      throw new Error(`${requests.length} observations left unprocessed by DynamoDB`);
    if (attempt > 1) await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** attempt));
    const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
    requests = (result.UnprocessedItems?.[table.name] ?? []) as typeof requests;
  }
}
