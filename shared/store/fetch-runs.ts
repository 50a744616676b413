// Fetch runs: one item per ingest run of an indicator's source (`IND#<indicatorId>`,
// `RUN#<startedAt>#<runId>`), what it read, wrote and rejected; each expires after FETCH_RUN_TTL_DAYS.
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Rejection } from '../sources/records.ts';
import { each, fields, list, number, oneOf, optional, string } from './checks.ts';
import { type Item, readItem, toItem } from './item.ts';
import { queryPrefix } from './query.ts';
import { type Key, key, partition, type Table, TTL_ATTRIBUTE } from './table.ts';

/** Runs are kept this long (the table's TTL attribute removes them). */
export const FETCH_RUN_TTL_DAYS = 90;

export const fetchRunKey = (indicatorId: string, startedAt: string, runId: string): Key =>
  key(partition.indicator(indicatorId), 'RUN', startedAt, runId);

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

function fetchRun(v: unknown): FetchRun {
  return fields(v, {
    ...each(string, 'indicatorId source startedAt endedAt'),
    status: oneOf<FetchRun['status']>({ succeeded: true, 'not-modified': true, failed: true }),
    ...each(number, 'read written unchanged revised rejected'),
    firstRejections: list((r) => fields(r, each(string, 'at reason'))),
    error: optional(string),
  });
}

/** A run as saved, without the time it expires at. */
export const fetchRunFromItem = (item: Item) => readItem('fetch-run', item, fetchRun);

export async function saveFetchRun(table: Table, run: FetchRun): Promise<void> {
  const expiresAt = Math.floor(Date.parse(run.endedAt) / 1000) + FETCH_RUN_TTL_DAYS * 86_400;
  const runKey = fetchRunKey(run.indicatorId, run.startedAt, randomUUID().slice(0, 8));
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: toItem('fetch-run', runKey, { ...run, [TTL_ATTRIBUTE]: expiresAt }),
    }),
  );
}

/** The newest `limit` runs of an indicator, newest first. */
export function recentFetchRuns(table: Table, indicatorId: string, limit = 20): Promise<FetchRun[]> {
  const prefix = key(partition.indicator(indicatorId), 'RUN', '');
  return queryPrefix(table, prefix, fetchRunFromItem, { descending: true, limit });
}
