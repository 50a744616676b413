// Observations: one item per indicator and period (`IND#<indicatorId>`, `OBS#<period>`). Ingest saves
// them in batches, unchanged values not written again and a changed value kept as a revision first; the
// API's manual writes go through manual-observations.ts.
import { isDeepStrictEqual } from 'node:util';
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import { retry } from '../runtime/retry.ts';
import { type EvidenceLink, partialUpdate, type SourcedObservation } from '../sources/sourced.ts';
import { each, fields, list, number, optional, string } from './checks.ts';
import { type Item, readItem, toItem } from './item.ts';
import { type ObservationRevision, revisionOf, revisionToItem } from './observation-revisions.ts';
import { type PageBounds, queryBetween, queryLatest, queryPage, queryPrefix } from './query.ts';
import { type Key, key, partition, type Table } from './table.ts';

const BATCH_SIZE = 25;
/**
 * BatchWrite leaves items unprocessed when the table is throttled: they are sent again, up to 8 times in
 * all, after waits of 100-200 ms, doubling to 6.4-12.8 s.
 */
const UNPROCESSED_RETRY = {
  attempts: 8,
  minDelayMs: 100,
  retryOn: (error: unknown) => error instanceof UnprocessedItemsError,
};
export const BATCH_CONCURRENCY = 4;

export const observationKey = (indicatorId: string, period: string): Key =>
  key(partition.indicator(indicatorId), 'OBS', period);

/** Bounds for querying an indicator's observations by period. */
export const observationPrefix = (indicatorId: string): Key => observationKey(indicatorId, '');

/** An observation as stored: what ingestion knew of it, and when it was fetched. */
export interface StoredObservation extends Observation {
  flags?: string[];
  evidence?: EvidenceLink[];
  fetchedAt?: string;
  /** A value posted through the API: who posted it (an IAM principal's ARN, or `local-token`). */
  postedBy?: string;
}

export function observationToItem({ partial: _, ...o }: SourcedObservation, fetchedAt: string): Item {
  return toItem('observation', observationKey(o.indicatorId, o.period), { ...o, fetchedAt });
}

function evidenceLink(v: unknown): EvidenceLink {
  return fields(v, { title: string, link: optional(string), time: string });
}

function storedObservation(v: unknown): StoredObservation {
  return fields(v, {
    ...each(string, 'indicatorId period source'),
    value: number,
    flags: optional(list(string)),
    evidence: optional(list(evidenceLink)),
    ...each(optional(string), 'fetchedAt postedBy'),
  });
}

/** The observation alone, as the domain reads it (what evaluation and replay need). */
function observation(v: unknown): Observation {
  return fields(v, { indicatorId: string, period: string, value: number, source: string });
}

export const observationFromItem = (item: Item) => readItem('observation', item, storedObservation);
const domainObservationFromItem = (item: Item) => readItem('observation', item, observation);

/** Stored observations of one indicator, oldest first. */
export function listObservations(table: Table, indicatorId: string): Promise<Observation[]> {
  return queryPrefix(table, observationPrefix(indicatorId), domainObservationFromItem);
}

/**
 * The newest `limit` observations of an indicator whose period starts before `before` (an ISO
 * instant), newest first: the history the indicator's evidence model needs at that instant.
 */
export function recentObservations(
  table: Table,
  indicatorId: string,
  before: string,
  limit: number,
): Promise<Observation[]> {
  const { pk, sk } = observationPrefix(indicatorId);
  const range = { pk, low: sk, high: `${sk}${before}`, descending: true, limit };
  return queryBetween(table, range, domainObservationFromItem);
}

/**
 * The newest observation of an indicator whose period starts at or before `at` (an ISO instant), or
 * null: a period stored for the future is not read. (`OBS#2024-02-01` sorts at or below
 * `OBS#2024-02-01T…`: a period that starts on `at`'s day counts.)
 */
export function newestObservation(table: Table, indicatorId: string, at: string) {
  return queryLatest(table, observationPrefix(indicatorId), at, observationFromItem);
}

/** A page of an indicator's observations by period (`YYYY-MM-DD`), oldest first. */
export const listObservationPage = (table: Table, indicatorId: string, bounds: PageBounds) =>
  queryPage(table, observationPrefix(indicatorId), bounds, observationFromItem);

/**
 * The stored observations of an indicator whose periods lie between the first and last of `periods`
 * (inclusive), by period: only the range a write can touch, not the whole history. `consistent` when a
 * write is conditioned on what it reads.
 */
export async function storedObservations(
  table: Table,
  indicatorId: string,
  periods: string[],
  consistent = false,
): Promise<Map<string, StoredObservation>> {
  const sorted = [...periods].sort();
  const { pk, sk: low } = observationKey(indicatorId, sorted[0] as string);
  const { sk: high } = observationKey(indicatorId, sorted.at(-1) as string);
  const items = await queryBetween(table, { pk, low, high, consistent }, observationFromItem);
  return new Map(items.map((o) => [o.period, o]));
}

function unchanged(before: StoredObservation, o: SourcedObservation): boolean {
  return (
    before.value === o.value &&
    before.source === o.source &&
    JSON.stringify(before.flags ?? []) === JSON.stringify(o.flags ?? []) &&
    // Not by JSON text: DynamoDB gives a map's keys back in an order of its own, so the same evidence
    // read back would look changed and be rewritten (and re-evaluated) on every run.
    isDeepStrictEqual(before.evidence ?? [], o.evidence ?? [])
  );
}

export interface SaveResult {
  written: number;
  unchanged: number;
  /** Of those written, how many replaced a different stored value (each kept as a revision). */
  revised: number;
}

/**
 * Writes the observations that are new or changed; a changed value first keeps the stored one as a
 * revision item. A period a rolling window covers only in part replaces a stored value only as
 * `partialUpdate` allows. Every revision is stored before any observation is written, so an old value
 * is never overwritten before its revision exists.
 */
export async function saveObservations(
  table: Table,
  indicatorId: string,
  observations: SourcedObservation[],
  fetchedAt: string,
): Promise<SaveResult> {
  if (observations.length === 0) return { written: 0, unchanged: 0, revised: 0 };
  const stored = await storedObservations(
    table,
    indicatorId,
    observations.map((o) => o.period),
  );
  const revisions: ObservationRevision[] = [];
  const items: Item[] = [];
  for (const read of observations) {
    const before = stored.get(read.period);
    // A period a rolling window covers only in part may leave the stored value as it is.
    const o = before ? partialUpdate(before, read) : read;
    if (o === undefined || (before && unchanged(before, o))) continue;
    if (before && before.value !== o.value) revisions.push(revisionOf(before, o.value, fetchedAt));
    items.push(observationToItem(o, fetchedAt));
  }
  // Revisions first, all of them stored, then the observations: never in the same batches.
  await putAll(table, revisions.map(revisionToItem));
  await putAll(table, items);
  const written = items.length;
  return { written, unchanged: observations.length - written, revised: revisions.length };
}

/** Puts items in batches, a few in flight: DynamoDB takes them in parallel. */
async function putAll(table: Table, items: Item[]): Promise<void> {
  const batches: Item[][] = [];
  for (let i = 0; i < items.length; i += BATCH_SIZE) batches.push(items.slice(i, i + BATCH_SIZE));
  for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
    await Promise.all(batches.slice(i, i + BATCH_CONCURRENCY).map((batch) => batchPut(table, batch)));
  }
}

/** Some items of a BatchWrite were not written: the next attempt sends them again. */
class UnprocessedItemsError extends Error {
  constructor(count: number) {
    super(`${count} observations left unprocessed by DynamoDB`);
    this.name = 'UnprocessedItemsError';
  }
}

/** BatchWrite, retrying the items DynamoDB left unprocessed. */
export async function batchPut(table: Table, items: Item[]): Promise<void> {
  let requests = items.map((Item) => ({ PutRequest: { Item } }));
  if (requests.length === 0) return;
  await retry(async () => {
    const result = await table.db.send(new BatchWriteCommand({ RequestItems: { [table.name]: requests } }));
    requests = (result.UnprocessedItems?.[table.name] ?? []) as typeof requests;
    if (requests.length > 0) throw new UnprocessedItemsError(requests.length);
  }, UNPROCESSED_RETRY);
}
