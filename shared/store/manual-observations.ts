// Manual observations: values an operator posts through the API, written all or nothing.
import { TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Observation } from '../domain/model.ts';
import { keys, toItem } from './keys.ts';
import type { Table } from './table.ts';

/** DynamoDB's limit on the items of one transaction. */
export const MAX_MANUAL_OBSERVATIONS = 100;

/** Stores the observations in one transaction; the table's stream then triggers an evaluation. */
export async function putManualObservations(
  table: Table,
  observations: Observation[],
  fetchedAt: string,
): Promise<void> {
  if (observations.length === 0) return;
  if (observations.length > MAX_MANUAL_OBSERVATIONS) {
    throw new RangeError(`at most ${MAX_MANUAL_OBSERVATIONS} observations per write`);
  }
  await table.db.send(
    new TransactWriteCommand({
      TransactItems: observations.map((o) => ({
        Put: {
          TableName: table.name,
          Item: toItem('observation', keys.observation(o.indicatorId, o.period), { ...o, fetchedAt }),
        },
      })),
    }),
  );
}
