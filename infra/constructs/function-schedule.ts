// A schedule that invokes a function (EventBridge Scheduler), retried, its failures kept in a queue.
import { Duration, Stack, Validations } from 'aws-cdk-lib';
import type { CfnFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Schedule,
  type ScheduleExpression,
  ScheduleTargetInput,
  TimeWindow,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { FunctionWiring, SignpostFunction } from './signpost-function.ts';

/** Nothing here needs to-the-minute timing; a window lets the scheduler spread invocations out. */
export const FLEXIBLE_WINDOW = Duration.minutes(30);

/** A function some schedule invokes: where its failed invocations land. */
export interface ScheduledFunctionProps extends FunctionWiring {
  /** Where failed asynchronous and scheduled invocations land. */
  readonly scheduleFailures: IQueue;
}

export interface FunctionScheduleProps {
  readonly description: string;
  readonly schedule: ScheduleExpression;
  /** @default FLEXIBLE_WINDOW */
  readonly window?: Duration;
  readonly fn: SignpostFunction;
  /** The event the function receives. */
  readonly input: object;
  /** Where an invocation lands once its retries are spent. */
  readonly deadLetterQueue: IQueue;
}

/** The functions whose scheduler role finding is acknowledged already (one acknowledgement each). */
const acknowledged = new WeakSet<SignpostFunction>();

/** Invokes `fn` with `input` on `schedule`: three retries within six hours, then the dead-letter queue. */
export class FunctionSchedule extends Schedule {
  constructor(scope: Construct, id: string, props: FunctionScheduleProps) {
    const { fn } = props;
    if (!acknowledged.has(fn)) {
      acknowledged.add(fn);
      // The scheduler's role is created by the target (one per function), so the finding is acknowledged
      // by its exact id: `<function ARN>:*` covers this one function's versions and aliases, nothing else.
      const stack = Stack.of(scope);
      const functionId = stack.getLogicalId(fn.node.defaultChild as CfnFunction);
      Validations.of(stack).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          `EventBridge Scheduler may invoke only ${fn.node.id}: LambdaInvoke grants lambda:InvokeFunction on ` +
          'that function ARN and on its qualified ARNs (`:*`: versions and aliases of the same function).',
      });
    }
    super(scope, id, {
      description: props.description,
      schedule: props.schedule,
      timeWindow: TimeWindow.flexible(props.window ?? FLEXIBLE_WINDOW),
      target: new LambdaInvoke(fn, {
        input: ScheduleTargetInput.fromObject(props.input),
        retryAttempts: 3,
        maxEventAge: Duration.hours(6),
        deadLetterQueue: props.deadLetterQueue,
      }),
    });
  }
}
