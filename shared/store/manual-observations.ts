// Manual observations: values an operator posts through the API, written all or nothing, a replaced
// value kept as a revision item as ingest keeps one (the audit trail of docs/sources.md). The items and
// keys are observations.ts's and observation-revisions.ts's; this module owns the transaction.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import { retry } from '../runtime/retry.ts';
import { revisionOf, revisionToItem } from './observation-revisions.ts';
import { observationToItem, type StoredObservation, storedObservations } from './observations.ts';
import { NO_ITEM_YET, type Table } from './table.ts';

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
  // one the put is conditioned on) and writes against it; concurrent writers are spread by the waits
  // between attempts (25-50 ms, then 50-100 ms).
  const write = async (): Promise<ManualWriteResult> => {
    const stored = await storedObservations(
      table,
      indicatorId,
      observations.map((o) => o.period),
      true,
    );
    const writes = observations.flatMap((o) => writesOf(table, o, stored.get(o.period), fetchedAt));
    await table.db.send(new TransactWriteCommand({ TransactItems: writes }));
    return { written: observations.length, revised: writes.length - observations.length };
  };
  try {
    return await retry(write, {
      attempts: MAX_ATTEMPTS,
      minDelayMs: 25,
      retryOn: cancelledByConcurrentWrite,
    });
  } catch (error) {
    throw cancelledByConcurrentWrite(error) ? new ConcurrentWriteError(indicatorId) : error;
  }
}

function cancelledByConcurrentWrite(error: unknown): boolean {
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some((r) => r.Code !== undefined && CONCURRENT_WRITE.has(r.Code));
}

/** A condition that holds while the item is still the one read: same value, same fetch. */
function unchangedSince(before: StoredObservation) {
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
  before: StoredObservation | undefined,
  fetchedAt: string,
): TransactItem[] {
  const put: TransactItem = {
    Put: {
      TableName: table.name,
      Item: observationToItem(o, fetchedAt),
      ...(before ? unchangedSince(before) : { ConditionExpression: NO_ITEM_YET }),
    },
  };
  if (!before || before.value === o.value) return [put];
  const revision = revisionToItem(revisionOf(before, o.value, fetchedAt));
  return [{ Put: { TableName: table.name, Item: revision, ConditionExpression: NO_ITEM_YET } }, put];
}
