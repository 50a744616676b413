// The path state: one item per scenario (`SCN#<scenarioId>`, `STATE`) holding the confirmed path, what
// builds up against it and the alert counter. Every write is conditioned on its version, so of two
// evaluations (or an evaluation and a silence summary) racing, one wins and the other reads again.
import { initialPathState, type PathState } from '../domain/model.ts';
import { boolean, each, fields, list, nullable, number, optional, record, string } from './checks.ts';
import { type Item, readItem, type TransactItem, toItem } from './item.ts';
import { getItem } from './query.ts';
import { type Key, key, NO_ITEM_YET, partition, type Table } from './table.ts';

export const pathStateKey = (scenarioId: string): Key => key(partition.scenario(scenarioId), 'STATE');

function pathState(v: unknown): PathState {
  return fields(v, {
    ...each(nullable(string), 'path since previousPath lastShiftAt'),
    window: list(nullable(string)),
    seen: record(string),
    stale: list(string),
    ...each(number, 'shifts alerts version'),
    forecastWarned: optional(boolean),
    votePeriod: optional(string),
    voteBase: optional(list(nullable(string))),
  });
}

/** A state stored before a field existed reads that field's initial value. */
export const pathStateFromItem = (item: Item) =>
  readItem('path-state', { ...initialPathState, ...item }, pathState);

export async function getPathState(table: Table, scenarioId: string): Promise<PathState> {
  return (await getItem(table, pathStateKey(scenarioId), pathStateFromItem, true)) ?? initialPathState;
}

/** The put of the state that follows `previous`, on condition that `previous` is still the one stored. */
export function putPathState(
  table: Table,
  scenarioId: string,
  previous: PathState,
  next: PathState,
): TransactItem {
  const versionCondition =
    previous.version === 0
      ? { ConditionExpression: NO_ITEM_YET }
      : {
          ConditionExpression: 'version = :version',
          ExpressionAttributeValues: { ':version': previous.version },
        };
  return {
    Put: {
      TableName: table.name,
      Item: toItem('path-state', pathStateKey(scenarioId), { ...next, version: previous.version + 1 }),
      ...versionCondition,
    },
  };
}

/**
 * Takes alert number `sequence` (the next one) for an alert written outside an evaluation (a silence
 * summary), on condition the state is still at `version`: it cannot collide with an alert an evaluation
 * numbers at the same time.
 */
export function takeAlertNumber(
  table: Table,
  scenarioId: string,
  sequence: number,
  version: number,
): TransactItem {
  return {
    Update: {
      TableName: table.name,
      Key: pathStateKey(scenarioId),
      UpdateExpression: 'SET alerts = :sequence, version = :next',
      ConditionExpression: 'version = :version',
      ExpressionAttributeValues: { ':sequence': sequence, ':next': version + 1, ':version': version },
    },
  };
}
