// Fetch runs: one item per ingest run of an indicator's source, what it read, wrote and rejected; expires.

import { randomUUID } from 'node:crypto';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Rejection } from '../sources/records.ts';
import { fieldsOf, keys, toItem } from './keys.ts';
import type { Table } from './table.ts';

/** Runs are kept this long (the table's TTL attribute `expiresAt` removes them). */
export const FETCH_RUN_TTL_DAYS = 90;

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

export async function saveFetchRun(table: Table, run: FetchRun): Promise<void> {
  const expiresAt = Math.floor(Date.parse(run.endedAt) / 1000) + FETCH_RUN_TTL_DAYS * 86_400;
  await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: toItem('fetch-run', keys.fetchRun(run.indicatorId, run.startedAt, randomUUID().slice(0, 8)), {
        ...run,
        expiresAt,
      }),
    }),
  );
}

/** The newest `limit` runs of an indicator, newest first. */
export async function recentFetchRuns(table: Table, indicatorId: string, limit = 20): Promise<FetchRun[]> {
  const { pk, sk } = keys.fetchRunPrefix(indicatorId);
  const page = await table.db.send(
    new QueryCommand({
      TableName: table.name,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
      ExpressionAttributeValues: { ':pk': pk, ':sk': sk },
      ScanIndexForward: false,
      Limit: limit,
    }),
  );
  return (page.Items ?? []).map((item) => {
    const { expiresAt: _expiresAt, ...run } = fieldsOf<FetchRun & { expiresAt: number }>(item);
    return run;
  });
}
