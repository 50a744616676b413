// The evaluate function: a worker on the evaluation queue; re-assesses one scenario per message.
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { Construct } from 'constructs';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import type { ScheduledFunctionProps } from './function-schedule.ts';
import { SignpostFunction } from './signpost-function.ts';
import { grantTable, scenarioPartitions, shownPartitions, TABLE_ACCESS } from './table-access.ts';
import { WorkQueue } from './work-queue.ts';

/** The augurs WebAssembly the evaluate function's forecasts load (shared/forecast/wasm.ts). */
export const EVALUATE_WASM = ['@bsull/augurs/ets_bg.wasm', '@bsull/augurs/mstl_bg.wasm'];

/**
 * The function, and beside it (in `scope`) the FIFO evaluation queue: the dispatch function enqueues
 * scenarios on it (on changed observations, daily), one message each, grouped by scenario; this
 * function's workers take them (QUEUE_TRIGGERS.evaluate): scenarios in parallel, one scenario's
 * evaluations in order, never two at once. Direct invokes of one scenario and
 * replays may still race a worker: the commit is conditioned on the state's version and on time moving
 * forward (shared/store/assessments.ts), and the loser re-reads and re-applies.
 */
export class EvaluateFunction extends SignpostFunction {
  /** The scenarios to evaluate, one per message, grouped by scenario. */
  readonly queue: WorkQueue;

  constructor(scope: Construct, id: string, props: ScheduledFunctionProps) {
    super(scope, id, {
      ...props,
      name: 'evaluate',
      description: 'Re-evaluates scenarios on new observations and daily for staleness',
      timeout: Duration.minutes(1),
      wasmFiles: EVALUATE_WASM,
    });
    const { scenarios, table, scheduleFailures } = props;
    // Reads the scenarios' indicators and its own items; writes assessments, path state, forecasts and
    // alerts (one transaction).
    grantTable(this, table, TABLE_ACCESS.evaluate, {
      read: shownPartitions(scenarios),
      write: scenarioPartitions(scenarios),
    });
    this.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    this.queue = new WorkQueue(scope, 'EvaluateQueue', {
      config: props.config,
      trigger: QUEUE_TRIGGERS.evaluate,
      consumer: this,
      holds: 'scenario evaluations',
      // A daily cycle is meant to be done within 15 minutes.
      maxAge: Duration.minutes(15),
    });
  }
}
