// What tells the operator something is wrong: alarms to the ops topic, and a dashboard of the pipeline.
import { CrossStackReferences, Duration, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
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

export interface MonitoringStackProps extends StackProps {
  config: StageConfig;
  opsTopic: ITopic;
  functions: Record<'ingest' | 'evaluate' | 'notify' | 'api', SignpostFunction>;
  failureQueues: Queue[];
  httpApi: HttpApi;
}

const FIVE_MINUTES = Duration.minutes(5);

/** A custom metric a function emits through Powertools (dimension `service`, see shared/runtime/metrics.ts). */
export function signpostMetric(fn: string, name: string, statistic: string, period = FIVE_MINUTES): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: { service: `signpost-${fn}` },
    statistic,
    period,
  });
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
      options: { threshold?: number; periods?: number } = {},
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmName: `signpost-${config.stage}-${alarmId}`,
        alarmDescription: `${description} See docs/operations.md#alarms.`,
        metric,
        threshold: options.threshold ?? 1,
        comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: options.periods ?? 1,
        datapointsToAlarm: options.periods ?? 1,
        // No data means nothing ran or nothing failed: neither is an alarm by itself.
        treatMissingData: TreatMissingData.NOT_BREACHING,
      });
      created.addAlarmAction(notifyOps);
      created.addOkAction(notifyOps);
      this.alarms.push(created);
      return created;
    };

    for (const [name, fn] of Object.entries(functions)) {
      alarm(
        `${name}-errors`,
        `The ${name} function failed at least once in 5 minutes.`,
        fn.metricErrors({ period: FIVE_MINUTES, statistic: Stats.SUM }),
      );
      // Evaluate runs one at a time by design, so a burst of stream batches and the daily run throttle
      // briefly and are retried; only throttling that lasts 15 minutes is a problem.
      alarm(
        `${name}-throttles`,
        name === 'evaluate'
          ? 'The evaluate function was throttled in each of 3 consecutive 5-minute periods.'
          : `The ${name} function was throttled in 5 minutes.`,
        fn.metricThrottles({ period: FIVE_MINUTES, statistic: Stats.SUM }),
        { periods: name === 'evaluate' ? 3 : 1 },
      );
    }
    failureQueues.forEach((queue, i) => {
      alarm(
        `dlq-${queue.node.id}`,
        `A failed event is waiting in the ${queue.node.id} queue (${i + 1} of ${failureQueues.length}).`,
        queue.metricApproximateNumberOfMessagesVisible({ period: FIVE_MINUTES, statistic: Stats.MAXIMUM }),
      );
    });
    alarm(
      'stale-indicators',
      'An evaluation found at least one indicator without current data.',
      signpostMetric('evaluate', METRIC.evaluate.staleIndicators, Stats.MAXIMUM, Duration.hours(1)),
    );
    alarm(
      'failed-publishes',
      'Publishing an alert to SNS failed (the stream retries it; the sweep re-delivers what stays pending).',
      signpostMetric('notify', METRIC.notify.publishFailures, Stats.SUM),
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
        markdown: `# Signpost ${config.stage}\nSchedule → ingest → table stream → evaluate → alert → notify → SNS. Alarms go to the ops topic.`,
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
      graph(
        'Evaluate: evaluations, shifts, stale indicators',
        [sum('evaluate', METRIC.evaluate.evaluations), sum('evaluate', METRIC.evaluate.pathShifts)],
        [signpostMetric('evaluate', METRIC.evaluate.staleIndicators, Stats.MAXIMUM, Duration.hours(1))],
      ),
      graph('Alerts: published and failed', [
        sum('notify', METRIC.notify.alertsSent),
        sum('notify', METRIC.notify.publishFailures),
      ]),
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
