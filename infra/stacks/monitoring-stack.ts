// What tells the operator something is wrong: alarms to the ops topic, and a dashboard of the pipeline.
import { CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  Stats,
  TextWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { METRIC, METRICS_NAMESPACE } from '../../shared/runtime/metrics.ts';
import type { StageConfig } from '../config.ts';
import type { SignpostFunction } from '../constructs/signpost-function.ts';
import type { WorkQueue } from '../constructs/work-queue.ts';

export interface MonitoringStackProps extends StackProps {
  config: StageConfig;
  opsTopic: ITopic;
  functions: Record<'dispatch' | 'ingest' | 'evaluate' | 'notify' | 'api' | 'pages', SignpostFunction>;
  failureQueues: Queue[];
  /** The work queues: the age of the oldest message says the workers are falling behind. */
  workQueues: WorkQueue[];
  httpApi: HttpApi;
}

/** Failed ingest runs of one indicator in a row that raise its alarm: one failure is often a blip. */
export const FETCH_FAILURES_IN_A_ROW = 3;

const FIVE_MINUTES = Duration.minutes(5);
const HOUR = Duration.hours(1);
/** The ids each per-id dashboard widget shows, highest first. */
const TOP_IDS = 10;
/**
 * Hours a per-id state alarm looks back: it fires on one hour in which any id reported the problem and
 * recovers after as many hours of clean reports, so that another id's clean report an hour later does
 * not clear it at once.
 */
const STATE_WINDOW = 3;
/** 5-minute periods covering the notify sweep's 15-minute rate with room for its run time. */
const SWEEP_WINDOW = 4;

/** A custom metric a function emits through Powertools (dimension `service`, see shared/runtime/metrics.ts). */
export function signpostMetric(
  fn: string,
  name: string,
  statistic: string,
  period = FIVE_MINUTES,
  dimensions: Record<string, string> = {},
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: `signpost-${fn}`, ...dimensions },
    statistic,
    period,
  });
}

/** The states a function reports per id (the metric's second dimension), each watched by one alarm. */
const PER_ID_STATES = [
  { fn: 'evaluate', metric: METRIC.evaluate.staleIndicators, dimension: 'scenario' },
  { fn: 'evaluate', metric: METRIC.evaluate.evaluationFailures, dimension: 'scenario' },
  { fn: 'ingest', metric: METRIC.ingest.consecutiveFetchFailures, dimension: 'indicator' },
] as const;
type PerIdState = (typeof PER_ID_STATES)[number];

/**
 * A CloudWatch Metrics Insights query over every id's series of a per-id metric (dimensions `service`
 * and the id's, as shared/runtime/metrics.ts emits them), grouped by id, the `top` highest first: the
 * ids behind a state alarm. A query processes at most 10,000 series (those reported in the period).
 */
export function perIdQuery({ fn, metric, dimension }: PerIdState, top: number): string {
  return `SELECT MAX(${metric}) FROM SCHEMA("${METRICS_NAMESPACE}", ${dimension}, service) WHERE service = 'signpost-${fn}' GROUP BY ${dimension} ORDER BY MAX() DESC LIMIT ${top}`;
}

export class MonitoringStack extends Stack {
  readonly alarms: Alarm[] = [];
  readonly dashboard: Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringStackProps) {
    super(scope, id, props);
    const { config, functions, failureQueues, httpApi } = props;
    // As in the stateless stack: the stacks it watches cannot be deleted from under its alarms.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const notifyOps = new SnsAction(props.opsTopic);
    const alarm = (
      alarmId: string,
      description: string,
      metric: IMetric,
      options: {
        threshold?: number;
        /** Breaching periods in a row before it fires (default 1). */
        periods?: number;
        /** Fires on one breaching period among this many, and recovers only after as many clean ones. */
        window?: number;
        missing?: TreatMissingData;
      } = {},
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmName: `signpost-${config.stage}-${alarmId}`,
        alarmDescription: `${description} See docs/operations.md#alarms.`,
        metric,
        threshold: options.threshold ?? 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.window ?? options.periods ?? 1,
        datapointsToAlarm: options.window ? 1 : (options.periods ?? 1),
        // For the event counts (errors, throttles, failures, queue depth) no data means nothing ran or
        // nothing failed: neither is an alarm by itself. A state reported only now and then says otherwise.
        treatMissingData: options.missing ?? TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notifyOps);
      created.addOkAction(notifyOps);
      this.alarms.push(created);
      return created;
    };

    for (const [name, fn] of Object.entries(functions)) {
      // Errors are events: the alarm says one happened and recovers once a period passes without one
      // (what keeps failing waits in a failure queue, whose alarm holds). Notify also runs the sweep every
      // 15 minutes: a notify that fails on each sweep must stay in alarm, not flap between sweeps.
      alarm(
        `${name}-errors`,
        name === 'notify'
          ? 'The notify function failed at least once in 20 minutes (the sweep runs every 15).'
          : `The ${name} function failed at least once in 5 minutes.`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        name === 'notify' ? { window: SWEEP_WINDOW } : {},
      );
      // The work queues' consumers are bounded by their event source's maxConcurrency, which never
      // throttles; a throttle here is the account's concurrency running out.
      alarm(
        `${name}-throttles`,
        `The ${name} function was throttled in 5 minutes.`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      );
    }
    for (const queue of props.workQueues) {
      alarm(
        `backlog-${queue.node.id}`,
        `The oldest message in the ${queue.node.id} queue has waited ${queue.maxAge.toMinutes()} minutes or more: its workers are falling behind or failing.`,
        queue.metricApproximateAgeOfOldestMessage({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
        { threshold: queue.maxAge.toSeconds() },
      );
    }
    failureQueues.forEach((queue, i) => {
      alarm(
        `dlq-${queue.node.id}`,
        `A failed event is waiting in the ${queue.node.id} queue (${i + 1} of ${failureQueues.length}).`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
      );
    });
    // States, not events: a function reports them per scenario or indicator when it runs (evaluate daily
    // and on new data, ingest on its schedule), so an hour without a report says nothing: missing data
    // keeps the alarm where it is. One alarm per kind, on the function's series without the id (each
    // report goes on the id's series and on that one, shared/runtime/metrics.ts), whose hourly Maximum is
    // the highest any id reported: the stack's size does not grow with the scenarios (an alarm per id
    // passed CloudFormation's 500 resources at ~40). What it gives up: a clean report of one id can clear
    // another's problem, so the alarm holds STATE_WINDOW hours after the last breaching one and fires
    // again on the failing id's next report (every scenario is evaluated at least daily, every indicator
    // fetched on its schedule). The dashboard's per-id widgets name the ids (docs/operations.md#alarms).
    const [stale, evaluationFailures, fetchFailures] = PER_ID_STATES;
    const perKind = (name: string, state: PerIdState, description: string, threshold = 1) =>
      alarm(
        name,
        `${description} The dashboard's per-${state.dimension} widget names which.`,
        signpostMetric(state.fn, state.metric, Stats.MAXIMUM, HOUR),
        { threshold, window: STATE_WINDOW, missing: TreatMissingData.IGNORE },
      );
    perKind(
      'stale-indicators',
      stale,
      'An evaluation in the last 3 hours found at least one indicator of its scenario without current data.',
    );
    // 1 when the scenario's latest evaluation failed, 0 when it succeeded (the retry, new data, daily).
    perKind(
      'evaluation-failures',
      evaluationFailures,
      "A scenario's evaluation failed in the last 3 hours (the other scenarios were still evaluated).",
    );
    // The failures in a row the indicator's latest ingest run left (0 after a success): a source failing
    // on every poll is reported long before its data goes stale.
    perKind(
      'fetch-failures',
      fetchFailures,
      `An indicator's source failed on ${FETCH_FAILURES_IN_A_ROW} or more ingest runs in a row (reported in the last 3 hours).`,
      FETCH_FAILURES_IN_A_ROW,
    );
    // The API answers its own failures with a 500 problem, which the function's Errors metric never sees.
    alarm(
      'api-5xx',
      'The HTTP API answered at least one request with a 5xx in 5 minutes.',
      httpApi.metricServerError({ period: FIVE_MINUTES, statistic: Stats.SUM }),
    );
    // Notify counts a failure only when one happens (never 0), so missing data must mean "none failed";
    // a failing topic fails again on each 15-minute sweep, and the 20-minute window holds the alarm
    // between sweeps instead of sending a pair of emails every quarter of an hour.
    alarm(
      'failed-publishes',
      'Publishing an alert to SNS failed in the last 20 minutes (the stream retries it; the sweep re-delivers what stays pending every 15).',
      signpostMetric('notify', METRIC.notify.publishFailures, Stats.SUM),
      { window: SWEEP_WINDOW },
    );

    this.dashboard = new Dashboard(this, 'Dashboard', {
      dashboardName: `signpost-${config.stage}`,
      defaultInterval: Duration.days(7),
    });
    const graph = (title: string, left: IMetric[], right: IMetric[] = []) =>
      new GraphWidget({ title, left, right, width: 8, height: 6 });
    const sum = (fn: string, name: string) => signpostMetric(fn, name, Stats.SUM, Duration.hours(1));
    this.dashboard.addWidgets(
      new TextWidget({
        markdown: `# Signpost ${config.stage}\nSchedule → dispatch → ingest queue → ingest → table stream → dispatch → evaluation queue (FIFO) → evaluate → alert → notify → SNS. Alarms go to the ops topic.`,
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Ingest: runs and observations',
        [
          functions.ingest.metricInvocations({ period: Duration.hours(1), label: 'runs' }),
          sum('ingest', METRIC.ingest.observationsWritten),
        ],
        [sum('ingest', METRIC.ingest.observationsRejected), sum('ingest', METRIC.ingest.fetchFailures)],
      ),
      graph('Evaluate: evaluations and path shifts', [
        sum('evaluate', METRIC.evaluate.evaluations),
        sum('evaluate', METRIC.evaluate.pathShifts),
      ]),
      graph('Alerts: published and failed', [
        sum('notify', METRIC.notify.alertsSent),
        sum('notify', METRIC.notify.publishFailures),
      ]),
    );
    // Which ids the state alarms are about: the ten highest series of each, by id (the legend names them).
    const worst = (title: string, state: PerIdState) =>
      graph(title, [new MathExpression({ expression: perIdQuery(state, TOP_IDS), period: HOUR, label: '' })]);
    this.dashboard.addWidgets(
      worst('Stale indicators by scenario (top 10)', stale),
      worst('Failed evaluations by scenario (top 10)', evaluationFailures),
      worst('Fetch failures in a row by indicator (top 10)', fetchFailures),
    );
    this.dashboard.addWidgets(
      graph(
        'API: requests, 4xx, 5xx',
        [httpApi.metricCount({ period: FIVE_MINUTES })],
        [
          httpApi.metricClientError({ period: FIVE_MINUTES }),
          httpApi.metricServerError({ period: FIVE_MINUTES }),
        ],
      ),
      graph('API: latency p50 / p99 (ms)', [
        httpApi.metricLatency({ period: FIVE_MINUTES, statistic: Stats.percentile(50), label: 'p50' }),
        httpApi.metricLatency({ period: FIVE_MINUTES, statistic: Stats.percentile(99), label: 'p99' }),
      ]),
      graph(
        'Failed events waiting (DLQ depth)',
        failureQueues.map((q) =>
          q.metricApproximateNumberOfMessagesVisible({
            period: FIVE_MINUTES,
            statistic: Stats.MAXIMUM,
            label: q.node.id,
          }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Function errors',
        Object.entries(functions).map(([name, fn]) => fn.metricErrors({ period: FIVE_MINUTES, label: name })),
      ),
      graph(
        'Function throttles',
        Object.entries(functions).map(([name, fn]) =>
          fn.metricThrottles({ period: FIVE_MINUTES, label: name }),
        ),
      ),
      graph(
        'Function duration p99 (ms)',
        Object.entries(functions).map(([name, fn]) =>
          fn.metricDuration({ period: FIVE_MINUTES, statistic: Stats.percentile(99), label: name }),
        ),
      ),
    );
  }
}
