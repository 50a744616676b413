// The notify function: publishes each new alert to the topic (the stream), and re-delivers left-overs.
import { Duration } from 'aws-cdk-lib';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { STREAM_TRIGGERS } from '../../shared/runtime/stream-triggers.ts';
import type { FailureQueue } from './failure-queue.ts';
import { FunctionSchedule, type ScheduledFunctionProps } from './function-schedule.ts';
import { SignpostFunction } from './signpost-function.ts';
import { addStreamTrigger } from './stream-trigger.ts';
import { grantTable, keys, scenarioPartitions, silencePartitions, TABLE_ACCESS } from './table-access.ts';

export interface NotifyFunctionProps extends ScheduledFunctionProps {
  readonly topic: ITopic;
  /** The API's base URL, which the alert texts link to for the JSON. */
  readonly publicApiUrl: string;
  /** Where the pages are served: the emails link to the scenario's page there. */
  readonly publicUrl: string;
}

/**
 * The function, its stream trigger on new alerts, and beside it (in `scope`) the queue of stream
 * records it could not publish and the sweep's schedule.
 */
export class NotifyFunction extends SignpostFunction {
  /** Alert stream records that failed every retry. */
  readonly streamFailures: FailureQueue;

  constructor(scope: Construct, id: string, props: NotifyFunctionProps) {
    super(scope, id, {
      ...props,
      name: 'notify',
      description: 'Publishes new alerts to the alerts topic',
      timeout: Duration.seconds(30),
      environment: {
        TOPIC_ARN: props.topic.topicArn,
        PUBLIC_API_URL: props.publicApiUrl,
        PUBLIC_URL: props.publicUrl,
      },
    });
    const { scenarios, table, topic, scheduleFailures } = props;
    // Reads alerts, state and silences; claims and marks alerts, stores silence summaries: scenario
    // partitions only.
    grantTable(this, table, TABLE_ACCESS.notify, {
      read: keys(scenarioPartitions(scenarios), silencePartitions(scenarios)),
      write: scenarioPartitions(scenarios),
      // The silence summaries read a scenario's open alerts through their sparse index, whose
      // partition key is the alert's scenario partition; the sweep reads that index whole (Scan).
      openAlerts: scenarioPartitions(scenarios),
      scanOpenAlerts: true,
    });
    // Not topic.grantPublish: for the AWS-managed key it would add a KMS grant on every key (`key/*`,
    // narrowed only by an alias condition), yet that key's own policy already lets any principal of the
    // account use it through SNS. Publishing needs sns:Publish on this topic, nothing more.
    this.addToRolePolicy(new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }));
    this.streamFailures = addStreamTrigger(this, table, STREAM_TRIGGERS.notify, props.config, {
      retryAttempts: 5,
      // The handler reports the first record it could not publish; the stream retries from there.
      reportBatchItemFailures: true,
    });
    // The sweep: alerts still pending ten minutes after they were written (their stream records
    // exhausted while SNS failed) are re-delivered; delivery marks each one sent exactly once.
    this.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    new FunctionSchedule(scope, 'NotifySweep', {
      description: 'Re-deliver alerts left pending after their stream records were exhausted',
      schedule: ScheduleExpression.rate(Duration.minutes(15)),
      window: Duration.minutes(5),
      fn: this,
      input: { sweep: true },
      deadLetterQueue: scheduleFailures,
    });
  }
}
