// Ingest function: a worker on the ingest queue; fetches each indicator of a batch and stores its new
// observations. The dispatch function enqueues them on the schedule of each cadence.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { ingestMessage } from '../../shared/app/fan-out.ts';
import { type IngestReport, ingest } from '../../shared/app/ingest.ts';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { count, countForIndicator, METRIC, metrics } from '../../shared/runtime/metrics.ts';
import { received } from '../../shared/runtime/queue-batch.ts';
import { ScenarioCatalog } from '../../shared/runtime/scenarios.ts';

const env = readEnv(tableEnv);
const store = table(env.TABLE_NAME);
const catalog = new ScenarioCatalog(store, env.SCENARIOS_DIR);

function record(reports: IngestReport[]): void {
  for (const report of reports) {
    if (report.error) logger.error('indicator ingest failed', { ...report });
    else if (report.status === 'deferred') logger.warn('indicator ingest deferred', { ...report });
    else logger.info('indicator ingested', { ...report });
    // Per indicator, a state: its alarm fires after failures in a row and clears on the next success.
    if (report.consecutiveFailures !== undefined)
      countForIndicator(
        METRIC.ingest.consecutiveFetchFailures,
        report.indicatorId,
        report.consecutiveFailures,
      );
  }
  const sum = (of: (r: IngestReport) => number) => reports.reduce((total, r) => total + of(r), 0);
  count(
    METRIC.ingest.observationsWritten,
    sum((r) => r.written),
  );
  count(METRIC.ingest.fetchFailures, reports.filter((r) => r.error !== undefined).length);
  count(METRIC.ingest.ingestDeferred, reports.filter((r) => r.status === 'deferred').length);
  count(
    METRIC.ingest.observationsRejected,
    sum((r) => r.rejected),
  );
}

/**
 * A batch of indicators: each fetched (a failing source is recorded, alarmed after failures in a row and
 * tried again by the next schedule); those not done (deferred near the timeout, or their run not
 * recorded) and malformed messages are returned to the queue. The reports ride along for local mode;
 * Lambda reads only `batchItemFailures`.
 */
export const handler = middy<SQSEvent, SQSBatchResponse & { reports: IngestReport[] }>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(
    async (event: SQSEvent, context: Context): Promise<SQSBatchResponse & { reports: IngestReport[] }> => {
      const messages = received(event.Records, ingestMessage());
      for (const m of messages.filter((m) => m.body === null))
        logger.error('malformed ingest message', { messageId: m.messageId, problem: m.problem });
      const ids = messages.flatMap((m) => (m.body ? [m.body.indicatorId] : []));
      // The indicators' definitions: in the scenarios that declare them, as published.
      const registry = await catalog.registryOf(messages.flatMap((m) => (m.body ? [m.body.scenarioId] : [])));
      // Each indicator's fetch budget is cut to the time left; what cannot start in time is deferred.
      const deadline = new Date(Date.now() + context.getRemainingTimeInMillis());
      const reports = ids.length > 0 ? await ingest(store, registry, ids, new Date(), { deadline }) : [];
      record(reports);
      const again = new Set(reports.filter((r) => r.retry).map((r) => r.indicatorId));
      const failed = messages.filter((m) => m.body === null || again.has(m.body.indicatorId));
      return { batchItemFailures: failed.map((m) => ({ itemIdentifier: m.messageId })), reports };
    },
  );
