// Silences: an operator's window in which a scenario's alerts are kept quiet, set through the API
// (`SIL#<scenarioId>`, `SILENCE#<silenceId>`: a partition of their own, the only scenario data the API may
// write). Silences set before that partition existed (`SCN#<scenarioId>`) are still read until they end.
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { each, fields, optional, string } from './checks.ts';
import { type Item, readItem, toItem } from './item.ts';
import { queryPrefix } from './query.ts';
import { type Key, key, partition, type Table } from './table.ts';

export const silenceKey = (scenarioId: string, silenceId: string): Key =>
  key(partition.silences(scenarioId), 'SILENCE', silenceId);

/** Where silences were kept before their partition: read, never written. */
const legacySilencePrefix = (scenarioId: string): Key => key(partition.scenario(scenarioId), 'SILENCE', '');

export interface Silence {
  scenarioId: string;
  silenceId: string;
  /** ISO 8601 UTC instants; the silence holds from start (inclusive) to end (exclusive). */
  start: string;
  end: string;
  reason: string;
  /** The alert kind it silences (e.g. `path-shift`); every kind when absent. */
  kind?: string;
  updatedAt: string;
  /** Who set it through the API: an IAM principal's ARN, or `local-token` in local mode. */
  updatedBy?: string;
}

function storedSilence(v: unknown): Silence {
  return fields(v, {
    ...each(string, 'scenarioId silenceId start end reason updatedAt'),
    ...each(optional(string), 'kind updatedBy'),
  });
}

export const silenceFromItem = (item: Item) => readItem('silence', item, storedSilence);

/** Creates or replaces a silence; returns true if it did not exist before. */
export async function putSilence(table: Table, silence: Silence): Promise<boolean> {
  const { Attributes } = await table.db.send(
    new PutCommand({
      TableName: table.name,
      Item: toItem('silence', silenceKey(silence.scenarioId, silence.silenceId), silence),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Attributes === undefined;
}

/** Removes a silence; returns false if there was none. */
export async function deleteSilence(table: Table, scenarioId: string, silenceId: string): Promise<boolean> {
  const { Attributes } = await table.db.send(
    new DeleteCommand({
      TableName: table.name,
      Key: silenceKey(scenarioId, silenceId),
      ReturnValues: 'ALL_OLD',
    }),
  );
  return Attributes !== undefined;
}

/** Every silence of a scenario, by id (one set anew wins over a legacy one of the same id). */
export async function listSilences(table: Table, scenarioId: string): Promise<Silence[]> {
  const [current, legacy] = await Promise.all([
    queryPrefix(table, silenceKey(scenarioId, ''), silenceFromItem),
    queryPrefix(table, legacySilencePrefix(scenarioId), silenceFromItem),
  ]);
  const ids = new Set(current.map((s) => s.silenceId));
  return [...current, ...legacy.filter((s) => !ids.has(s.silenceId))].sort((a, b) =>
    a.silenceId < b.silenceId ? -1 : a.silenceId > b.silenceId ? 1 : 0,
  );
}
