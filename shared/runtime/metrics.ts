// The Powertools metrics shared by every function: CloudWatch EMF lines, flushed after each invocation.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/** The namespace the functions publish in (POWERTOOLS_METRICS_NAMESPACE, set by the function construct). */
export const METRICS_NAMESPACE = 'Signpost';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'signpost',
});

/**
 * The custom metrics the functions emit (dimension `service`: `signpost-<function>`; StaleIndicators
 * and EvaluationFailures also per `scenario`, ConsecutiveFetchFailures per `indicator`), by the function that emits them; the alarms and the dashboard
 * (infra/stacks/monitoring-stack.ts) use these names.
 */
export const METRIC = {
  ingest: {
    observationsWritten: 'ObservationsWritten',
    observationsRejected: 'ObservationsRejected',
    fetchFailures: 'FetchFailures',
    ingestDeferred: 'IngestDeferred',
    consecutiveFetchFailures: 'ConsecutiveFetchFailures',
  },
  evaluate: {
    evaluations: 'Evaluations',
    pathShifts: 'PathShifts',
    staleIndicators: 'StaleIndicators',
    evaluationFailures: 'EvaluationFailures',
  },
  notify: { alertsSent: 'AlertsSent', publishFailures: 'PublishFailures' },
} as const;

type Declared = typeof METRIC;
/** Every name in METRIC: a metric emitted under any other name does not compile. */
export type MetricName = { [F in keyof Declared]: Declared[F][keyof Declared[F]] }[keyof Declared];

export function count(name: MetricName, value: number): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}

/**
 * A metric of one scenario (dimensions `service` and `scenario`), flushed at once: a state such as the
 * number of stale indicators must be told apart per scenario, since an evaluation may cover only some.
 */
export function countForScenario(name: MetricName, scenarioId: string, value: number): void {
  countFor('scenario', scenarioId, name, value);
}

/** A metric of one indicator (dimensions `service` and `indicator`), flushed at once, as countForScenario. */
export function countForIndicator(name: MetricName, indicatorId: string, value: number): void {
  countFor('indicator', indicatorId, name, value);
}

/**
 * Emits the value twice: on the id's own series (which the dashboard breaks down by id) and on the
 * function's series without the id, whose Maximum over a period is the highest any id reported: one
 * alarm watches every id there, whatever their number (a Metrics Insights alarm over the per-id series
 * would process only the first 10,000 of them).
 */
function countFor(dimension: 'scenario' | 'indicator', id: string, name: MetricName, value: number): void {
  const single = metrics.singleMetric();
  single.addDimension(dimension, id);
  single.addMetric(name, MetricUnit.Count, value);
  metrics.addMetric(name, MetricUnit.Count, value);
}
