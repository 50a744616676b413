// Notify function: publish each newly stored alert (from the table's stream) to the SNS topic.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { deliverAlert } from '../../shared/app/notify.ts';
import { sns, table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { count, metrics } from '../../shared/runtime/metrics.ts';
import { loadRegistry } from '../../shared/runtime/scenarios.ts';
import { recordKey } from '../../shared/runtime/stream.ts';

const env = readEnv(tableEnv.extend({ TOPIC_ARN: z.string().min(1), PUBLIC_API_URL: z.url() }));
const notifier = {
  table: table(env.TABLE_NAME),
  sns: sns(),
  topicArn: env.TOPIC_ARN,
  registry: await loadRegistry(env.SCENARIOS_DIR),
  apiBaseUrl: env.PUBLIC_API_URL,
};

export const handler = middy<DynamoDBStreamEvent, DynamoDBBatchResponse>()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event) => {
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    for (const record of event.Records) {
      const key = recordKey(record);
      if (!key) continue;
      try {
        const delivery = await deliverAlert(notifier, key, () => new Date());
        logger.info('alert delivered', { key, delivery });
        if (delivery === 'sent') count('AlertsSent', 1);
      } catch (error) {
        // Report from this record on: the stream retries it, and later records keep their order.
        logger.error('alert delivery failed', { key, error: error as Error });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        break;
      }
    }
    return { batchItemFailures };
  });
