// Least-privilege table grants: the actions each function performs, writes narrowed to its partitions.
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import { partition } from '../../shared/store/table.ts';
import type { SignpostFunction } from './signpost-function.ts';

/** The table actions each function's code performs (shared/store/*), read and write apart. */
export const TABLE_ACCESS = {
  ingest: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  },
  evaluate: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: ['dynamodb:PutItem'] },
  notify: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  api: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: ['dynamodb:PutItem', 'dynamodb:DeleteItem'] },
  pages: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: [] },
} as const;

// Partition keys a function may write (dynamodb:LeadingKeys), as shared/store/table.ts builds them.

/** The scenarios' partitions: assessments, path state, forecasts, alerts and silences. */
export function scenarioPartitions(scenarios: LoadedScenario[]): string[] {
  return scenarios.map(({ scenario }) => partition.scenario(scenario.id));
}

/** The partitions of the fetched indicators (`manual: false`) or of the posted ones (`manual: true`). */
export function indicatorPartitions(scenarios: LoadedScenario[], manual: boolean): string[] {
  return scenarios
    .flatMap(({ scenario }) => scenario.indicators)
    .filter((i) => (i.source.kind === 'manual') === manual)
    .map((i) => partition.indicator(i.id));
}

/**
 * Grants exactly `access.read` on the table, and `access.write` only on items whose partition key is
 * one of `partitions` (dynamodb:LeadingKeys; for a transaction, IAM checks each item's own action); a
 * function that writes nothing gets no write statement.
 */
export function grantTable(
  fn: SignpostFunction,
  table: ITable,
  access: { read: readonly string[]; write: readonly string[] },
  partitions: string[],
): void {
  // On the table itself: a grant through the table would add every index (`index/*`) too.
  fn.addToRolePolicy(new PolicyStatement({ actions: [...access.read], resources: [table.tableArn] }));
  if (access.write.length === 0) return;
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...access.write],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...new Set(partitions)].sort() },
      },
    }),
  );
}
