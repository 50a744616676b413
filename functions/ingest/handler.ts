// Ingest function: on schedule, fetch the named indicators' sources and store new observations.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { ingest } from '../../shared/app/ingest.ts';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { count, countForIndicator, METRIC, metrics } from '../../shared/runtime/metrics.ts';
import { loadRegistry } from '../../shared/runtime/scenarios.ts';
import * as z from '../../shared/runtime/validation.ts';

const env = readEnv(tableEnv);
const registry = await loadRegistry(env.SCENARIOS_DIR);
const store = table(env.TABLE_NAME);

/** The schedule's input: which indicators to fetch; all of them when absent. */
const ingestEvent = z.strictObject({
  indicators: z.optional(z.array(z.string()).check(z.minLength(1))),
});

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event: unknown, context: Context) => {
    const { indicators } = z.parse(ingestEvent, event ?? {});
    // The run must end before the Lambda's timeout: each indicator's fetch budget is cut to the time
    // left, and what cannot start in time is deferred to the next scheduled run.
    const deadline = new Date(Date.now() + context.getRemainingTimeInMillis());
    const reports = await ingest(store, registry, indicators, new Date(), { deadline });
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
    const failures = reports.filter((r) => r.error !== undefined).length;
    count(
      METRIC.ingest.observationsWritten,
      reports.reduce((sum, r) => sum + r.written, 0),
    );
    count(METRIC.ingest.fetchFailures, failures);
    count(METRIC.ingest.ingestDeferred, reports.filter((r) => r.status === 'deferred').length);
    count(
      METRIC.ingest.observationsRejected,
      reports.reduce((sum, r) => sum + r.rejected, 0),
    );
    // All failing points at Signpost or the network rather than one feed: let the retry and DLQ act.
    if (failures > 0 && failures === reports.length)
      throw new Error(`all ${failures} indicators failed to ingest`);
    return { reports };
  });
