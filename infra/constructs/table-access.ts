// Least-privilege table grants: the actions each function performs, reads and writes each narrowed to
// the partitions the function reads and writes.
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import { OPEN_ALERTS_INDEX, partition } from '../../shared/store/table.ts';
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

/**
 * Partition keys a function may read or write (dynamodb:LeadingKeys): the exact keys of the deployed
 * scenarios, as shared/store/table.ts builds them, and the prefix that covers every key of their kind,
 * which the grant names instead once the exact keys no longer fit a role's policy (EXACT_KEYS_BUDGET).
 */
export interface Keys {
  exact: string[];
  prefixes: string[];
}

/** Several kinds of partition in one grant. */
export function keys(...parts: Keys[]): Keys {
  return { exact: parts.flatMap((p) => p.exact), prefixes: parts.flatMap((p) => p.prefixes) };
}

const kind = (exact: string[], prefix: string): Keys => ({ exact, prefixes: [`${prefix}*`] });

/** The scenarios' partitions: assessments, path state, forecasts and alerts (and silences set before theirs). */
export function scenarioPartitions(scenarios: LoadedScenario[]): Keys {
  return kind(
    scenarios.map(({ scenario }) => partition.scenario(scenario.id)),
    partition.scenario(''),
  );
}

/** The scenarios' silence partitions: the only scenario data the API writes. */
export function silencePartitions(scenarios: LoadedScenario[]): Keys {
  return kind(
    scenarios.map(({ scenario }) => partition.silences(scenario.id)),
    partition.silences(''),
  );
}

/** The partitions of every indicator the scenarios declare, fetched or posted. */
export function allIndicatorPartitions(scenarios: LoadedScenario[]): Keys {
  return kind(
    [...indicatorPartitions(scenarios, false).exact, ...indicatorPartitions(scenarios, true).exact],
    partition.indicator(''),
  );
}

/** What the scenarios show: every indicator's partition and the scenarios' own (evaluate, api, pages read them). */
export function shownPartitions(scenarios: LoadedScenario[]): Keys {
  return keys(allIndicatorPartitions(scenarios), scenarioPartitions(scenarios));
}

/**
 * The partitions of the fetched indicators (`manual: false`) or of the posted ones (`manual: true`).
 * Both kinds share the prefix `IND#`: under prefixes, ingest may write a posted indicator's partition
 * and the API a fetched one's; the code writes only its own kind, IAM no longer checks it.
 */
export function indicatorPartitions(scenarios: LoadedScenario[], manual: boolean): Keys {
  return kind(
    scenarios
      .flatMap(({ scenario }) => scenario.indicators)
      .filter((i) => (i.source.kind === 'manual') === manual)
      .map((i) => partition.indicator(i.id)),
    partition.indicator(''),
  );
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

/**
 * The characters (JSON, as IAM counts them) the exact partition keys of one function's grants may take
 * together. A role's inline policies may hold 10,240 characters; the rest of the largest role's policy
 * (logs, queues, stream, the published scenarios, the prefixes) takes 2,755 with each resolved ARN
 * counted at 150 (notify's; test/infra/scale.test.ts measures it and checks this budget plus that rest
 * against the limit; each secret a source names adds a statement to ingest's). Within the budget
 * evaluate's exact keys cover about 15 to 25 scenarios of 10 indicators, by the ids' length.
 */
export const EXACT_KEYS_BUDGET = 6_000;

/** The JSON characters of a LeadingKeys list. */
const listLength = (list: string[]) => JSON.stringify(list).length;

/**
 * The LeadingKeys conditions of one function's grants: every list exact when all of them together fit
 * EXACT_KEYS_BUDGET, else every list by prefix. Exact lists keep each function to the deployed
 * scenarios' items and each write to its own kind of indicator; prefixes keep the policy's size constant
 * (and let a scenario published without a deployment be written too). Deduplicated and sorted, so the
 * policy does not change with the order of the scenarios.
 */
export function leadingKeyConditions(grants: Keys[]) {
  const exact = grants.map((g) => [...new Set(g.exact)].sort());
  const fits = exact.reduce((total, list) => total + listLength(list), 0) <= EXACT_KEYS_BUDGET;
  return grants.map((g, i) =>
    fits
      ? { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': exact[i] ?? [] } }
      : { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...new Set(g.prefixes)].sort() } },
  );
}

const NO_KEYS: Keys = { exact: [], prefixes: [] };

/**
 * Grants `access.read` only on items whose partition key is one of `partitions.read`, `access.write`
 * only on those of `partitions.write`, and `access.remove` only on those of `partitions.remove`
 * (dynamodb:LeadingKeys; for a transaction, IAM checks each item's own action), and Query on the
 * open-alerts index on `partitions.openAlerts` (its partition key is the alert's scenario partition);
 * a function that writes or deletes nothing gets no statement for it. The keys are exact or by prefix
 * for all of them together (leadingKeyConditions). With `scanOpenAlerts`, Scan on that index alone:
 * a Scan names no partition, so it cannot be held to keys; the index holds only open alerts.
 */
export function grantTable(
  fn: SignpostFunction,
  table: ITable,
  access: Access,
  partitions: { read: Keys; write?: Keys; remove?: Keys; openAlerts?: Keys; scanOpenAlerts?: boolean },
): void {
  // On the table itself: a grant through the table would add every index (`index/*`) too.
  const grants = [
    { actions: access.read, keys: partitions.read, resource: table.tableArn },
    { actions: access.write, keys: partitions.write ?? NO_KEYS, resource: table.tableArn },
    { actions: access.remove, keys: partitions.remove ?? NO_KEYS, resource: table.tableArn },
    ...(partitions.openAlerts
      ? [
          {
            actions: ['dynamodb:Query'],
            keys: partitions.openAlerts,
            resource: `${table.tableArn}/index/${OPEN_ALERTS_INDEX.name}`,
          },
        ]
      : []),
  ].filter((g) => g.actions.length > 0);
  const conditions = leadingKeyConditions(grants.map((g) => g.keys));
  grants.forEach((g, i) => {
    fn.addToRolePolicy(
      new PolicyStatement({ actions: [...g.actions], resources: [g.resource], conditions: conditions[i] }),
    );
  });
  if (partitions.scanOpenAlerts)
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Scan'],
        resources: [`${table.tableArn}/index/${OPEN_ALERTS_INDEX.name}`],
      }),
    );
}
