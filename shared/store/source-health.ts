// Source health: per indicator (`IND#<indicatorId>`, `SOURCE`), its source's last success and error,
// consecutive failures, and the validators (ETag, Last-Modified) a conditional GET sends next time.
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Validators } from '../sources/fetch-policy.ts';
import { each, fields, number, optional, string } from './checks.ts';
import { type Item, readItem } from './item.ts';
import { getItem } from './query.ts';
import { ENTITY_ATTRIBUTE, type Entity, type Key, key, partition, type Table } from './table.ts';

export const sourceHealthKey = (indicatorId: string): Key => key(partition.indicator(indicatorId), 'SOURCE');

export interface SourceHealth {
  indicatorId: string;
  source: string;
  lastSuccessAt?: string;
  lastErrorAt?: string;
  lastError?: string;
  consecutiveFailures: number;
  /** Of the last body stored, and only for the configuration `fingerprint` names. */
  etag?: string;
  lastModified?: string;
  /** The source configuration the validators belong to (see `sourceFingerprint`). */
  fingerprint?: string;
}

function sourceHealth(v: unknown): SourceHealth {
  return fields(v, {
    ...each(string, 'indicatorId source'),
    consecutiveFailures: number,
    ...each(optional(string), 'lastSuccessAt lastErrorAt lastError etag lastModified fingerprint'),
  });
}

export const sourceHealthFromItem = (item: Item) => readItem('source-health', item, sourceHealth);

export async function getSourceHealth(table: Table, indicatorId: string): Promise<SourceHealth | undefined> {
  return (await getItem(table, sourceHealthKey(indicatorId), sourceHealthFromItem)) ?? undefined;
}

/** The validators to send, if the last stored body came from the same source configuration. */
export function validatorsFor(health: SourceHealth | undefined, fingerprint: string): Validators | undefined {
  if (!health || health.fingerprint !== fingerprint || (!health.etag && !health.lastModified))
    return undefined;
  return {
    ...(health.etag ? { etag: health.etag } : {}),
    ...(health.lastModified ? { lastModified: health.lastModified } : {}),
  };
}

/**
 * A successful run: resets the failure count. `stored` replaces the validators and their
 * configuration's fingerprint when given (a body was stored); a 304 passes none and keeps them.
 */
export async function recordSuccess(
  table: Table,
  indicatorId: string,
  source: string,
  at: string,
  stored?: { validators: Validators; fingerprint: string },
): Promise<void> {
  const set = [
    '#entity = :entity',
    'indicatorId = :id',
    '#source = :source',
    'lastSuccessAt = :at',
    'consecutiveFailures = :zero',
  ];
  const remove: string[] = [];
  const values: Record<string, unknown> = {
    ':entity': 'source-health' satisfies Entity,
    ':id': indicatorId,
    ':source': source,
    ':at': at,
    ':zero': 0,
  };
  if (stored) {
    for (const [field, value] of [
      ['etag', stored.validators.etag],
      ['lastModified', stored.validators.lastModified],
      ['fingerprint', stored.fingerprint],
    ] as const) {
      if (value === undefined) remove.push(field);
      else {
        set.push(`${field} = :${field}`);
        values[`:${field}`] = value;
      }
    }
  }
  await table.db.send(
    new UpdateCommand({
      TableName: table.name,
      Key: sourceHealthKey(indicatorId),
      UpdateExpression: `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`,
      ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#source': 'source' },
      ExpressionAttributeValues: values,
    }),
  );
}

/** A failed run: counts it and returns the failures in a row; the validators stay (nothing was stored). */
export async function recordFailure(
  table: Table,
  indicatorId: string,
  source: string,
  at: string,
  error: string,
): Promise<number> {
  const { Attributes } = await table.db.send(
    new UpdateCommand({
      TableName: table.name,
      Key: sourceHealthKey(indicatorId),
      UpdateExpression:
        'SET #entity = :entity, indicatorId = :id, #source = if_not_exists(#source, :source), lastErrorAt = :at, lastError = :error, consecutiveFailures = if_not_exists(consecutiveFailures, :zero) + :one',
      ExpressionAttributeNames: { '#entity': ENTITY_ATTRIBUTE, '#source': 'source' },
      ExpressionAttributeValues: {
        ':entity': 'source-health' satisfies Entity,
        ':id': indicatorId,
        ':source': source,
        ':at': at,
        ':error': error,
        ':zero': 0,
        ':one': 1,
      },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(Attributes?.consecutiveFailures);
}
