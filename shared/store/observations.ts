// Observations: one item per indicator and period; unchanged values are not written again, and a
// changed value keeps the one it replaces as a revision.
import { isDeepStrictEqual } from 'node:util';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import { partialUpdate, type SourcedObservation } from '../sources/sourced.ts';
import { fieldsOf, keys, toItem } from './keys.ts';
import { queryBetween, queryPrefix } from './query.ts';
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

function observationItem({ partial: _, ...o }: SourcedObservation, fetchedAt: string) {
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
  const items = await queryBetween(table, { pk, low: sk, high: `${sk}${before}`, descending: true, limit });
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
    // Not by JSON text: DynamoDB gives a map's keys back in an order of its own, so the same evidence
    // read back would look changed and be rewritten (and re-evaluated) on every run.
    isDeepStrictEqual(before.evidence ?? [], o.evidence ?? [])
  );
}

/**
 * The stored observations of an indicator whose periods lie between `from` and `to` (inclusive):
 * only the range a save can touch, not the whole history.
 */
async function storedBetween(
  table: Table,
  indicatorId: string,
  from: string,
  to: string,
): Promise<Record<string, unknown>[]> {
  const first = keys.observation(indicatorId, from);
  return queryBetween(table, { pk: first.pk, low: first.sk, high: keys.observation(indicatorId, to).sk });
}

/**
 * Writes the observations that are new or changed; a changed value first keeps the stored one as a
 * revision item (`REV#<period>#<revisedAt>`). A period a rolling window covers only in part replaces a
 * stored value only as `partialUpdate` allows. Every revision is stored before any observation is
 * written, so an old value is never overwritten before its revision exists.
 */
export async function saveObservations(
  table: Table,
  indicatorId: string,
  observations: SourcedObservation[],
  fetchedAt: string,
): Promise<SaveResult> {
  if (observations.length === 0) return { written: 0, unchanged: 0, revised: 0 };
  const periods = observations.map((o) => o.period).sort();
  const stored = new Map(
    (await storedBetween(table, indicatorId, periods[0] as string, periods.at(-1) as string)).map((item) => [
      String(item.period),
      item,
    ]),
  );
  const revisions: Record<string, unknown>[] = [];
  const items: Record<string, unknown>[] = [];
  let written = 0;
  let revised = 0;
  for (const read of observations) {
    const before = stored.get(read.period);
    // A period a rolling window covers only in part may leave the stored value as it is.
    const o = before ? partialUpdate(before, read) : read;
    if (o === undefined || (before && unchanged(before, o))) continue;
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
      revisions.push(
        toItem('observation-revision', keys.observationRevision(indicatorId, o.period, fetchedAt), revision),
      );
    }
    items.push(observationItem(o, fetchedAt));
    written++;
  }
  // Revisions first, all of them stored, then the observations: never in the same batches.
  await putAll(table, revisions);
  await putAll(table, items);
  return { written, unchanged: observations.length - written, revised };
}

/** Puts items in batches, a few in flight: DynamoDB takes them in parallel. */
async function putAll(table: Table, items: Record<string, unknown>[]): Promise<void> {
  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
    await Promise.all(batches.slice(i, i + BATCH_CONCURRENCY).map((batch) => batchPut(table, batch)));
  }
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
