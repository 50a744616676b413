// A queue of work for a function: its dead-letter queue, and the function's trigger on it (the batch
// size, concurrency and partial batch failures of shared/runtime/queue-triggers.ts).
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { DeduplicationScope, FifoThroughputLimit, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { QueueTrigger } from '../../shared/runtime/queue-triggers.ts';
import type { StageConfig } from '../config.ts';
import { FailureQueue } from './failure-queue.ts';
import type { SignpostFunction } from './signpost-function.ts';

export interface WorkQueueProps {
  config: Pick<StageConfig, 'removalPolicy'>;
  trigger: QueueTrigger;
  /** The function that takes the work: its timeout sets the visibility timeout. */
  consumer: SignpostFunction;
  /** What one message asks for, for the dead-letter queue's acknowledgement. */
  holds: string;
  /** The age of the oldest message past which the work is late (the backlog alarm). */
  maxAge: Duration;
}

/**
 * An SSL-only, encrypted queue whose messages the consumer receives in batches, reporting the ones that
 * failed (they return after the visibility timeout, and after `maxReceiveCount` receives go to the
 * dead-letter queue). A FIFO queue runs in high-throughput mode: deduplication and the throughput limit
 * per message group.
 */
export class WorkQueue extends Queue {
  readonly deadLetters: FailureQueue;
  readonly maxAge: Duration;

  constructor(scope: Construct, id: string, props: WorkQueueProps) {
    const { trigger, consumer } = props;
    const deadLetters = new FailureQueue(scope, `${id}DeadLetters`, props.holds, props.config, trigger.fifo);
    super(scope, id, {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      // Six times the function's timeout, as Lambda advises: a batch retried after a throttle is not
      // received again while the first attempt may still run.
      visibilityTimeout: Duration.seconds((consumer.timeout?.toSeconds() ?? 60) * 6),
      retentionPeriod: Duration.days(4),
      removalPolicy: props.config.removalPolicy,
      deadLetterQueue: { queue: deadLetters, maxReceiveCount: trigger.maxReceiveCount },
      ...(trigger.fifo
        ? {
            fifo: true,
            deduplicationScope: DeduplicationScope.MESSAGE_GROUP,
            fifoThroughputLimit: FifoThroughputLimit.PER_MESSAGE_GROUP_ID,
          }
        : {}),
    });
    this.deadLetters = deadLetters;
    this.maxAge = props.maxAge;
    consumer.addEventSource(
      new SqsEventSource(this, {
        batchSize: trigger.batchSize,
        maxConcurrency: trigger.maxConcurrency,
        reportBatchItemFailures: true,
      }),
    );
  }

  /** Lets `fn` send to this queue and to no other: sqs:SendMessage (which covers SendMessageBatch) only. */
  grantSendTo(fn: SignpostFunction): void {
    fn.addToRolePolicy(new PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queueArn] }));
  }
}
