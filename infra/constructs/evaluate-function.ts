// The evaluate function: re-assesses a scenario on new observations (the stream) and daily for staleness.
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { STREAM_TRIGGERS } from '../../shared/runtime/stream-triggers.ts';
import { FailureQueue } from './failure-queue.ts';
import { FunctionSchedule, type ScheduledFunctionProps } from './function-schedule.ts';
import { SignpostFunction } from './signpost-function.ts';
import { addStreamTrigger } from './stream-trigger.ts';
import { allIndicatorPartitions, grantTable, scenarioPartitions, TABLE_ACCESS } from './table-access.ts';

/** The augurs WebAssembly the evaluate function's forecasts load (shared/forecast/wasm.ts). */
export const EVALUATE_WASM = ['@bsull/augurs/ets_bg.wasm', '@bsull/augurs/mstl_bg.wasm'];

/**
 * The function, its stream trigger, and beside it (in `scope`) the queue of stream records it could
 * not process and the daily schedule.
 *
 * Reserved concurrency 1: a scenario is never evaluated by two invocations at once, by design. The
 * stream (one shard poller per shard), the daily schedule and direct invokes all queue behind the one
 * instance; Lambda retries what it throttles (stream: in order, blocking the shard; async: up to six
 * hours), and the use case's optimistic lock on the path state is the second line (docs/operations.md).
 */
export class EvaluateFunction extends SignpostFunction {
  /** Observation stream records that failed every retry. */
  readonly streamFailures: FailureQueue;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id, {
      ...props,
      name: 'evaluate',
      description: 'Re-evaluates scenarios on new observations and daily for staleness',
      timeout: Duration.minutes(1),
      reservedConcurrentExecutions: 1,
      wasmFiles: EVALUATE_WASM,
    });
    const { scenarios, table, scheduleFailures } = props;
    // Reads the scenarios' indicators and its own items; writes assessments, path state, forecasts and
    // alerts (one transaction).
    grantTable(this, table, TABLE_ACCESS.evaluate, {
      read: [...allIndicatorPartitions(scenarios), ...scenarioPartitions(scenarios)],
      write: scenarioPartitions(scenarios),
    });
    this.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    this.streamFailures = new FailureQueue(
      scope,
      'EvaluateStreamFailures',
      'observation stream records',
      props.config,
    );
    addStreamTrigger(this, table, STREAM_TRIGGERS.evaluate, this.streamFailures, {
      maxBatchingWindow: Duration.seconds(30),
      retryAttempts: 3,
    });
    // Without new data nothing would trigger evaluate, so a stale indicator would go unnoticed.
    // 07:00 UTC: after the daily ingest window (04:00-04:30), so a fresh poll is not reported stale.
    new FunctionSchedule(scope, 'EvaluateDaily', {
      description: 'Evaluate every scenario daily so that stale indicators are noticed',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '7' }),
      fn: this,
      input: {},
      deadLetterQueue: scheduleFailures,
    });
  }
}
