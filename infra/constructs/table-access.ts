// Least-privilege table grants: the actions each function performs, reads and writes each narrowed to
// the partitions the function reads and writes.
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import { partition } from '../../shared/store/table.ts';
import type { SignpostFunction } from './signpost-function.ts';

/** The table actions each function's code performs (shared/store/*): reads, writes and deletes apart. */
export const TABLE_ACCESS = {
  /** Dispatch reads only the published scenarios (every function does: grantScenarioReads). */
  dispatch: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: [], remove: [] },
  ingest: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
    remove: [],
  },
  evaluate: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: ['dynamodb:PutItem'], remove: [] },
  notify: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
    remove: [],
  },
  // Deletes are the silences' only (DELETE /v1/scenarios/{id}/silences/{silenceId}).
  api: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem'],
    remove: ['dynamodb:DeleteItem'],
  },
  pages: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: [], remove: [] },
} as const;

type Access = (typeof TABLE_ACCESS)[keyof typeof TABLE_ACCESS];

// Partition keys a function may read or write (dynamodb:LeadingKeys), as shared/store/table.ts builds them.

/** The scenarios' partitions: assessments, path state, forecasts and alerts (and silences set before theirs). */
export function scenarioPartitions(scenarios: LoadedScenario[]): string[] {
  return scenarios.map(({ scenario }) => partition.scenario(scenario.id));
}

/** The scenarios' silence partitions: the only scenario data the API writes. */
export function silencePartitions(scenarios: LoadedScenario[]): string[] {
  return scenarios.map(({ scenario }) => partition.silences(scenario.id));
}

/** The partitions of every indicator the scenarios declare, fetched or posted. */
export function allIndicatorPartitions(scenarios: LoadedScenario[]): string[] {
  return [...indicatorPartitions(scenarios, false), ...indicatorPartitions(scenarios, true)];
}

/** The partitions of the fetched indicators (`manual: false`) or of the posted ones (`manual: true`). */
export function indicatorPartitions(scenarios: LoadedScenario[], manual: boolean): string[] {
  return scenarios
    .flatMap(({ scenario }) => scenario.indicators)
    .filter((i) => (i.source.kind === 'manual') === manual)
    .map((i) => partition.indicator(i.id));
}

/**
 * Lets `fn` read the published scenarios: the definitions and the catalog, of any scenario, so that one
 * published without a deployment is read too. They hold only what every bundle used to carry.
 */
export function grantScenarioReads(fn: SignpostFunction, table: ITable): void {
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: ['dynamodb:GetItem', 'dynamodb:Query'],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringLike': {
          'dynamodb:LeadingKeys': [partition.definition('*'), partition.catalog('*')],
        },
      },
    }),
  );
}

/** Items whose partition key is one of `partitions` (on a query of an index: the index's partition key). */
export function leadingKeys(partitions: string[]) {
  return { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...new Set(partitions)].sort() } };
}

/**
 * Grants `access.read` only on items whose partition key is one of `partitions.read`, `access.write`
 * only on those of `partitions.write`, and `access.remove` only on those of `partitions.remove`
 * (dynamodb:LeadingKeys; for a transaction, IAM checks each item's own action); a function that writes
 * or deletes nothing gets no statement for it.
 */
export function grantTable(
  fn: SignpostFunction,
  table: ITable,
  access: Access,
  partitions: { read: string[]; write: string[]; remove?: string[] },
): void {
  // On the table itself: a grant through the table would add every index (`index/*`) too.
  for (const [actions, keys] of [
    [access.read, partitions.read],
    [access.write, partitions.write],
    [access.remove, partitions.remove ?? []],
  ] as const) {
    if (actions.length === 0) continue;
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: [...actions],
        resources: [table.tableArn],
        conditions: leadingKeys(keys),
      }),
    );
  }
}
