// The dispatch function: the fan-out. Enqueues the due indicators on each cadence's schedule, every scenario
// daily, and the scenarios that use changed observations (the table's stream).
import { Duration } from 'aws-cdk-lib';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { ScheduleExpression } from 'aws-cdk-lib/aws-scheduler';
import type { Construct } from 'constructs';
import { CADENCES, type Cadence } from '../../shared/domain/period.ts';
import { STREAM_TRIGGERS } from '../../shared/runtime/stream-triggers.ts';
import type { FailureQueue } from './failure-queue.ts';
import { FunctionSchedule, type ScheduledFunctionProps } from './function-schedule.ts';
import { SignpostFunction } from './signpost-function.ts';
import { addStreamTrigger } from './stream-trigger.ts';
import type { WorkQueue } from './work-queue.ts';

/**
 * When ingest polls the indicators of each cadence (UTC). Sources publish with a lag and revise recent
 * periods, so a monthly, quarterly or yearly figure can appear on any day: those are polled daily, not
 * once per period. Daily series are polled every six hours so a new day is seen within a few hours.
 * Ingest writes each period idempotently, so a poll that finds nothing new costs only a few requests.
 */
export const INGEST_SCHEDULES: Record<Cadence, { hour: string; description: string }> = {
  P1D: { hour: '*/6', description: 'every six hours' },
  P1W: { hour: '4', description: 'daily' },
  P1M: { hour: '4', description: 'daily' },
  P3M: { hour: '4', description: 'daily' },
  P1Y: { hour: '4', description: 'daily' },
};

/** The cadences polled at each hour of INGEST_SCHEDULES, in CADENCES order. */
function schedulesByHour(): Map<string, { cadences: Cadence[]; description: string }> {
  const byHour = new Map<string, { cadences: Cadence[]; description: string }>();
  for (const cadence of CADENCES) {
    const { hour, description } = INGEST_SCHEDULES[cadence];
    const entry = byHour.get(hour) ?? { cadences: [], description };
    entry.cadences.push(cadence);
    byHour.set(hour, entry);
  }
  return byHour;
}

/** `P1D`, `P1D and P1W`, `P1W, P1M and P3M`. */
const listed = (items: string[]) =>
  items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

export interface DispatchFunctionProps extends ScheduledFunctionProps {
  /** Where the indicators to fetch go: the ingest function's queue. */
  ingestQueue: WorkQueue;
  /** Where the scenarios to evaluate go: the evaluate function's FIFO queue. */
  evaluateQueue: WorkQueue;
}

/**
 * The function, and beside it (in `scope`) one ingest schedule per polling time, the daily evaluation
 * schedule, the stream trigger on changed observations and the queue of stream records it could not
 * process. It sends to the two work queues and to nothing else, and reads only the published catalog's
 * summaries: which scenarios use which indicators, their cadence and host.
 */
export class DispatchFunction extends SignpostFunction {
  /** Observation stream records that failed every retry. */
  readonly streamFailures: FailureQueue;

  constructor(scope: Construct, id: string, props: DispatchFunctionProps) {
    super(scope, id, {
      ...props,
      name: 'dispatch',
      description: 'Enqueues the due indicators and the scenarios to evaluate',
      timeout: Duration.minutes(1),
    });
    const { table, scheduleFailures, ingestQueue, evaluateQueue } = props;
    ingestQueue.grantSendTo(this);
    evaluateQueue.grantSendTo(this);
    this.addEnvironment('INGEST_QUEUE_URL', ingestQueue.queueUrl);
    this.addEnvironment('EVALUATE_QUEUE_URL', evaluateQueue.queueUrl);
    this.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    // One schedule per polling time, naming its cadences only: dispatch reads their indicators from the
    // published catalog, so the schedules do not grow with the scenarios, and a scenario published
    // without a deployment is fetched on schedule too. A cadence no scenario uses enqueues nothing.
    for (const [hour, { cadences, description }] of schedulesByHour()) {
      new FunctionSchedule(scope, `Ingest${cadences.join('')}`, {
        description: `Ingest the ${listed(cadences)} indicators ${description}`,
        schedule: ScheduleExpression.cron({ minute: '0', hour }),
        fn: this,
        input: { dispatch: 'ingest', cadences },
        deadLetterQueue: scheduleFailures,
      });
    }
    // Without new data nothing would evaluate a scenario, so a stale indicator would go unnoticed.
    // 07:00 UTC: after the daily ingest window (04:00-04:30), so a fresh poll is not reported stale.
    new FunctionSchedule(scope, 'EvaluateDaily', {
      description: 'Evaluate every scenario daily so that stale indicators are noticed',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '7' }),
      fn: this,
      input: { dispatch: 'evaluate' },
      deadLetterQueue: scheduleFailures,
    });
    this.streamFailures = addStreamTrigger(this, table, STREAM_TRIGGERS.dispatch, props.config, {
      maxBatchingWindow: Duration.seconds(30),
      retryAttempts: 3,
    });
  }
}
