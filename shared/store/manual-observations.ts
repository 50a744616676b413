// Manual observations: values an operator posts through the API, written all or nothing, a replaced
// value kept as a revision item as ingest keeps one (the audit trail of docs/sources.md).
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import { keys, toItem } from './keys.ts';
import type { ObservationRevision } from './observations.ts';
import { queryBetween } from './query.ts';
import type { Table } from './table.ts';

/** DynamoDB's limit on the items of one transaction is 100: each value may bring its revision. */
export const MAX_MANUAL_OBSERVATIONS = 50;

/** Transactions cancelled by a concurrent write before this one gives up. */
const MAX_ATTEMPTS = 3;

/**
 * Why DynamoDB cancels a transaction when another write got there first: an item changed since it was
 * read (ConditionalCheckFailed), or another transaction or write was on one of its items at that moment
 * (TransactionConflict). Both call for a fresh read and another try.
 */
const CONCURRENT_WRITE = new Set(['ConditionalCheckFailed', 'TransactionConflict']);

export interface ManualWriteResult {
  written: number;
  /** Of those written, how many replaced a different stored value (each kept as a revision). */
  revised: number;
}

/** The values kept changing under this write: another writer is posting the same periods. */
export class ConcurrentWriteError extends Error {
  constructor(indicatorId: string) {
    super(`the stored values of ${indicatorId} changed during ${MAX_ATTEMPTS} attempts to write them`);
    this.name = 'ConcurrentWriteError';
  }
}

/**
 * Stores the observations (all of one indicator) in one transaction, with a revision item
 * (`REV#<period>#<fetchedAt>`, the shape saveObservations writes) for each stored value it changes.
 * Each put is conditioned on the item read, so a value written meanwhile is never replaced without its
 * revision: the write is then read and tried again. The table's stream then triggers an evaluation.
 */
export async function putManualObservations(
  table: Table,
  observations: Observation[],
  fetchedAt: string,
): Promise<ManualWriteResult> {
  if (observations.length === 0) return { written: 0, revised: 0 };
  if (observations.length > MAX_MANUAL_OBSERVATIONS) {
    throw new RangeError(`at most ${MAX_MANUAL_OBSERVATIONS} observations per write`);
  }
  const indicatorIds = new Set(observations.map((o) => o.indicatorId));
  const [indicatorId] = indicatorIds;
  if (indicatorId === undefined || indicatorIds.size > 1) {
    throw new RangeError('the observations of one indicator per write');
  }
  // Each attempt reads what is stored now (strongly consistent: a value written a moment ago must be the
  // one the put is conditioned on) and writes against it; concurrent writers are spread by a jittered
  // pause. A loop rather than p-retry: this runs in the API function, whose other routes would all load
  // p-retry at cold start for it (5 KB).
  for (let attempt = 1; ; attempt++) {
    const stored = await storedOf(table, indicatorId, observations);
    const writes = observations.flatMap((o) => writesOf(table, o, stored.get(o.period), fetchedAt));
    try {
      await table.db.send(new TransactWriteCommand({ TransactItems: writes }));
      return { written: observations.length, revised: writes.length - observations.length };
    } catch (error) {
      if (!cancelledByConcurrentWrite(error)) throw error;
      if (attempt >= MAX_ATTEMPTS) throw new ConcurrentWriteError(indicatorId);
      const pause = 25 * 2 ** (attempt - 1) * (1 + Math.random());
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

function cancelledByConcurrentWrite(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code !== undefined && CONCURRENT_WRITE.has(r.Code));
}

/** The stored observations between the first and last period written, by period. */
async function storedOf(
  table: Table,
  indicatorId: string,
  observations: Observation[],
): Promise<Map<string, Record<string, unknown>>> {
  const periods = observations.map((o) => o.period).sort();
  const low = keys.observation(indicatorId, periods[0] as string);
  const high = keys.observation(indicatorId, periods.at(-1) as string);
  const items = await queryBetween(table, { pk: low.pk, low: low.sk, high: high.sk, consistent: true });
  return new Map(items.map((item) => [String(item.period), item]));
}

/** A condition that holds while the item is still the one read: same value, same fetch. */
function unchangedSince(before: Record<string, unknown>) {
  const fetched =
    before.fetchedAt === undefined ? 'attribute_not_exists(fetchedAt)' : 'fetchedAt = :fetchedAt';
  return {
    ConditionExpression: `#value = :value AND ${fetched}`,
    ExpressionAttributeNames: { '#value': 'value' },
    ExpressionAttributeValues: {
      ':value': before.value,
      ...(before.fetchedAt === undefined ? {} : { ':fetchedAt': before.fetchedAt }),
    },
  };
}

type TransactItem = NonNullable<TransactWriteCommand['input']['TransactItems']>[number];

/** The put of one observation, conditioned on what was read, and the revision of a changed value. */
function writesOf(
  table: Table,
  o: Observation,
  before: Record<string, unknown> | undefined,
  fetchedAt: string,
): TransactItem[] {
  const put: TransactItem = {
    Put: {
      TableName: table.name,
      Item: toItem('observation', keys.observation(o.indicatorId, o.period), { ...o, fetchedAt }),
      ...(before ? unchangedSince(before) : { ConditionExpression: 'attribute_not_exists(pk)' }),
    },
  };
  if (!before || Number(before.value) === o.value) return [put];
  const revision: ObservationRevision = {
    indicatorId: o.indicatorId,
    period: o.period,
    value: Number(before.value),
    source: String(before.source),
    fetchedAt: String(before.fetchedAt),
    revisedAt: fetchedAt,
    revisedTo: o.value,
    ...(Array.isArray(before.flags) ? { flags: before.flags as string[] } : {}),
  };
  return [
    {
      Put: {
        TableName: table.name,
        Item: toItem(
          'observation-revision',
          keys.observationRevision(o.indicatorId, o.period, fetchedAt),
          revision,
        ),
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    },
    put,
  ];
}
