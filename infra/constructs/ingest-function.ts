// The ingest function: a worker on the ingest queue; fetches each indicator's source, stores new observations.
import { Duration } from 'aws-cdk-lib';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import { type FunctionWiring, SignpostFunction } from './signpost-function.ts';
import { grantTable, indicatorPartitions, TABLE_ACCESS } from './table-access.ts';
import { WorkQueue } from './work-queue.ts';

/**
 * The function, and beside it (in `scope`) the queue of indicators to fetch: the dispatch function
 * enqueues them on each cadence's schedule, one message each, and this function's workers take them
 * (QUEUE_TRIGGERS.ingest).
 */
export class IngestFunction extends SignpostFunction {
  /** The indicators to fetch, one per message. */
  readonly queue: WorkQueue;

  constructor(scope: Construct, id: string, props: FunctionWiring) {
    super(scope, id, {
      ...props,
      name: 'ingest',
      description: 'Fetches indicator sources and stores new observations',
      timeout: Duration.minutes(2),
    });
    const { scenarios, table } = props;
    // Observations, revisions, fetch runs and source health: all in the fetched indicators' partitions.
    const fetched = indicatorPartitions(scenarios, false);
    grantTable(this, table, TABLE_ACCESS.ingest, { read: fetched, write: fetched });
    for (const secretId of secretIds(scenarios)) {
      const secret = secretId.startsWith('arn:')
        ? Secret.fromSecretCompleteArn(scope, `Secret-${secretId}`, secretId)
        : Secret.fromSecretNameV2(scope, `Secret-${secretId}`, secretId);
      secret.grantRead(this);
    }
    this.queue = new WorkQueue(scope, 'IngestQueue', {
      config: props.config,
      trigger: QUEUE_TRIGGERS.ingest,
      consumer: this,
      holds: 'indicator fetches',
      // One host's indicators may wait up to 15 minutes by design (politeness delays).
      maxAge: Duration.minutes(45),
    });
  }
}

/** The Secrets Manager secrets the scenarios' HTTP sources take header values from. */
export function secretIds(scenarios: LoadedScenario[]): string[] {
  const ids = new Set<string>();
  for (const { scenario } of scenarios) {
    for (const { source } of scenario.indicators) {
      const headers = 'headers' in source ? source.headers : undefined;
      for (const value of Object.values(headers ?? {})) if ('secret' in value) ids.add(value.secret);
    }
  }
  return [...ids].sort();
}
