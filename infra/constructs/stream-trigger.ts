// A function's trigger on the table's stream: the entity and events of shared/runtime/stream-triggers.ts.
import { Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, type DynamoEventSourceProps, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Construct } from 'constructs';
import type { StreamTrigger } from '../../shared/runtime/stream-triggers.ts';
import { ENTITY_ATTRIBUTE } from '../../shared/store/table.ts';
import type { StageConfig } from '../config.ts';
import { FailureQueue } from './failure-queue.ts';
import type { SignpostFunction } from './signpost-function.ts';

/** How a function's trigger retries: what differs between the functions a stream triggers. */
export type StreamRetry = Pick<
  DynamoEventSourceProps,
  'maxBatchingWindow' | 'retryAttempts' | 'reportBatchItemFailures'
>;

/**
 * Triggers `fn` on the new stream records of `trigger`'s entity and events, one poller per shard
 * (in order), halving a failing batch; records that still fail go to the failure queue it creates beside
 * the function (`<function id>StreamFailures`) and returns.
 */
export function addStreamTrigger(
  fn: SignpostFunction,
  table: ITable,
  trigger: StreamTrigger,
  config: Pick<StageConfig, 'removalPolicy'>,
  retry: StreamRetry,
): FailureQueue {
  const scope = fn.node.scope as Construct;
  const failures = new FailureQueue(scope, `${fn.node.id}StreamFailures`, trigger.holds, config);
  fn.addEventSource(
    new DynamoEventSource(table, {
      startingPosition: StartingPosition.LATEST,
      batchSize: trigger.batchSize,
      ...retry,
      bisectBatchOnError: true,
      onFailure: new SqsDlq(failures),
      parallelizationFactor: 1,
      filters: [
        FilterCriteria.filter({
          eventName: FilterRule.or(...trigger.eventNames),
          dynamodb: { NewImage: { [ENTITY_ATTRIBUTE]: { S: FilterRule.isEqual(trigger.entity) } } },
        }),
      ],
    }),
  );
  Validations.of(fn.executionRole).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      'dynamodb:ListStreams, granted by DynamoEventSource for the stream trigger, does not support ' +
      'resource-level permissions; the stream read actions themselves are scoped to the table stream ARN.',
  });
  return failures;
}
