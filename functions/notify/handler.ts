// Notify function: publish each newly stored alert (from the table's stream) to the SNS topic, and on
// schedule re-deliver alerts left pending (the sweep).
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deliverAlert, sweepPendingAlerts } from '../../shared/app/notify.ts';
import { sns, table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { count, METRIC, metrics } from '../../shared/runtime/metrics.ts';
import { ScenarioCatalog } from '../../shared/runtime/scenarios.ts';
import { recordKey } from '../../shared/runtime/stream.ts';
import * as z from '../../shared/runtime/validation.ts';

const env = readEnv(
  z.extend(tableEnv, {
    TOPIC_ARN: z.string().check(z.minLength(1)),
    PUBLIC_API_URL: z.url(),
    /** Where the pages are served; the API's URL (which serves them too) when unset. */
    PUBLIC_URL: z.optional(z.url()),
  }),
);
const store = table(env.TABLE_NAME);
// An alert's scenario is read when an alert names it (one GetItem, kept a minute), never every scenario.
const catalog = new ScenarioCatalog(store, env.SCENARIOS_DIR);
const settings = {
  table: store,
  sns: sns(),
  topicArn: env.TOPIC_ARN,
  apiBaseUrl: env.PUBLIC_API_URL,
  publicUrl: env.PUBLIC_URL ?? env.PUBLIC_API_URL,
  scenarios: catalog,
};
const now = () => new Date();

/** The scheduled sweep's input. */
const sweepRequest = z.strictObject({ sweep: z.literal(true) });

async function fromStream(event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> {
  const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
  for (const record of event.Records) {
    const key = recordKey(record);
    if (!key) continue;
    try {
      const delivery = await deliverAlert(settings, key, now);
      logger.info('alert delivered', { key, delivery });
      if (delivery === 'sent') count(METRIC.notify.alertsSent, 1);
    } catch (error) {
      // Report from this record on: the stream retries it, and later records keep their order.
      logger.error('alert delivery failed', { key, error: error as Error });
      count(METRIC.notify.publishFailures, 1);
      batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
      break;
    }
  }
  return { batchItemFailures };
}

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event: unknown) => {
    if (Array.isArray((event as Partial<DynamoDBStreamEvent> | null)?.Records)) {
      return fromStream(event as DynamoDBStreamEvent);
    }
    z.parse(sweepRequest, event);
    const deliveries = await sweepPendingAlerts(settings, now);
    const sent = deliveries.filter((d) => d === 'sent').length;
    if (sent > 0) logger.warn('sweep re-delivered stranded alerts', { sent });
    count(METRIC.notify.alertsSent, sent);
    return { swept: deliveries.length, sent };
  });
