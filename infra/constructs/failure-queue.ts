// The queue failed events land in: scheduled invocations, stream records a function could not process.
import { Duration, Validations } from 'aws-cdk-lib';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';

/**
 * An SSL-only, encrypted queue that keeps failed events for 14 days for inspection and redrive; kept
 * on `prod` when its stack is deleted, with the events it holds (the stage's removal policy).
 */
export class FailureQueue extends Queue {
  /** `holds` says what fails into it, for cdk-nag's acknowledgement (it needs no DLQ of its own). */
  constructor(
    scope: Construct,
    id: string,
    holds: string,
    config: Pick<StageConfig, 'removalPolicy'>,
    /** A FIFO queue's dead letters must be kept in a FIFO queue. */
    fifo = false,
  ) {
    super(scope, id, {
      ...(fifo ? { fifo: true } : {}),
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
      removalPolicy: config.removalPolicy,
    });
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter destination for failed ${holds}; a further DLQ would add nothing.`,
    });
  }
}
