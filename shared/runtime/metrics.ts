// The Powertools metrics shared by every function: CloudWatch EMF lines, flushed after each invocation.
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

export const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'Signpost',
  serviceName: process.env.POWERTOOLS_SERVICE_NAME ?? 'signpost',
});

export function count(name: string, value: number): void {
  metrics.addMetric(name, MetricUnit.Count, value);
}
