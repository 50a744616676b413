// Fetch runs: one item per ingest run of an indicator's source (`IND#<indicatorId>`,
// `RUN#<startedAt>#<runId>`), what it read, wrote and rejected; each expires after FETCH_RUN_TTL_DAYS.
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Rejection } from '../sources/records.ts';
import { fields, type Item, list, number, oneOf, optional, readItem, string, toItem } from './item.ts';
import { queryPrefix } from './query.ts';
import { type Key, partition, type Table, TTL_ATTRIBUTE } from './table.ts';

/** Runs are kept this long (the table's TTL attribute removes them). */
export const FETCH_RUN_TTL_DAYS = 90;

const PREFIX = 'RUN#';

export const fetchRunKey = (indicatorId: string, startedAt: string, runId: string): Key => ({
  pk: partition.indicator(indicatorId),
  sk: `${PREFIX}${startedAt}#${runId}`,
});

export interface FetchRun {
  indicatorId: string;
  /** `not-modified`: the publisher answered 304 and nothing was written. */
  status: 'succeeded' | 'not-modified' | 'failed';
  source: string;
  startedAt: string;
  endedAt: string;
  read: number;
  written: number;
  unchanged: number;
  revised: number;
  rejected: number;
  firstRejections: Rejection[];
  error?: string;
}

const fetchRunFromItem = (item: Item): FetchRun =>
  readItem('fetch-run', item, (v, at) =>
    fields(v, at, {
      indicatorId: string,
      status: oneOf<FetchRun['status']>({ succeeded: true, 'not-modified': true, failed: true }),
      source: string,
      startedAt: string,
      endedAt: string,
      read: number,
      written: number,
      unchanged: number,
      revised: number,
      rejected: number,
      firstRejections: list((r, rat) => fields(r, rat, { at: string, reason: string })),
      error: optional(string),
    }),
  );

export async function saveFetchRun(table: Table, run: FetchRun): Promise<void> {
  const expiresAt = Math.floor(Date.parse(run.endedAt) / 1000) + FETCH_RUN_TTL_DAYS * 86_400;
  const key = fetchRunKey(run.indicatorId, run.startedAt, randomUUID().slice(0, 8));
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: toItem('fetch-run', key, { ...run, [TTL_ATTRIBUTE]: expiresAt }),
    }),
  );
}

/** The newest `limit` runs of an indicator, newest first. */
export function recentFetchRuns(table: Table, indicatorId: string, limit = 20): Promise<FetchRun[]> {
  const prefix = { pk: partition.indicator(indicatorId), sk: PREFIX };
  return queryPrefix(table, prefix, fetchRunFromItem, { descending: true, limit });
}
