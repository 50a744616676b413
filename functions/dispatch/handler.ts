// Dispatch function: the fan-out. A schedule's run enqueues its due indicators (one message each) on the
// ingest queue or every scenario on the evaluation queue; changed observations (the table's stream)
// enqueue the scenarios that use them. The ingest and evaluate functions take the work from the queues.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBRecord } from 'aws-lambda';
import { requestedAsOf } from '../../shared/app/as-of.ts';
import { changedScenarios, evaluationMessages, ingestMessages } from '../../shared/app/fan-out.ts';
import { CADENCES } from '../../shared/domain/period.ts';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { type QueueMessage, sendMessages } from '../../shared/runtime/queue.ts';
import { ScenarioIndex } from '../../shared/runtime/scenarios.ts';
import * as z from '../../shared/runtime/validation.ts';

const url = z.string().check(z.minLength(1));
const env = readEnv(
  z.object({
    TABLE_NAME: url,
    SCENARIOS_DIR: url,
    INGEST_QUEUE_URL: url,
    EVALUATE_QUEUE_URL: url,
    /** Seconds between two fetches from one host (default HOST_SPACING_SECONDS). */
    HOST_SPACING_SECONDS: z.optional(z.coerce.number().check(z.nonnegative())),
  }),
);
// Only the catalog's summaries are read: which scenarios use which indicators, their cadence and host.
const catalog = new ScenarioIndex(table(env.TABLE_NAME), env.SCENARIOS_DIR);

/**
 * A schedule's input: fetch the indicators of these cadences (a cadence's schedule names only its
 * cadence, so the schedules do not grow with the scenarios) or these ids (an operator's run), all
 * fetched indicators without either; or evaluate every scenario.
 */
const scheduled = z.discriminatedUnion('dispatch', [
  z.strictObject({
    dispatch: z.literal('ingest'),
    cadences: z.optional(z.array(z.enum(CADENCES)).check(z.minLength(1))),
    indicators: z.optional(z.array(z.string()).check(z.minLength(1))),
  }),
  z.strictObject({ dispatch: z.literal('evaluate'), asOf: z.optional(z.iso.datetime({ offset: true })) }),
]);

async function send(queueUrl: string, messages: QueueMessage[], what: string) {
  await sendMessages(queueUrl, messages);
  logger.info(`${what} enqueued`, { enqueued: messages.length });
  return { enqueued: messages.length };
}

async function fromSchedule(event: unknown) {
  const request = z.parse(scheduled, event);
  if (request.dispatch === 'ingest') {
    const { messages, unknown } = ingestMessages(
      await catalog.summaries(),
      request,
      env.HOST_SPACING_SECONDS,
    );
    if (unknown.length > 0) logger.error('no scenario declares these indicators', { unknown });
    return send(env.INGEST_QUEUE_URL, messages, 'indicators');
  }
  const now = new Date();
  const asOf = request.asOf && requestedAsOf(request.asOf, now).toISOString();
  // A schedule delivered twice in a day (a retry) enqueues each scenario's daily evaluation once.
  const version = asOf ?? `daily@${now.toISOString().slice(0, 10)}`;
  const requests = (await catalog.summaries()).map((s) => ({ scenarioId: s.scenarioId, version, asOf }));
  return send(env.EVALUATE_QUEUE_URL, evaluationMessages(requests), 'evaluations');
}

export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const records = (event as { Records?: DynamoDBRecord[] } | null)?.Records;
    if (!Array.isArray(records)) return fromSchedule(event);
    // A stream batch delivered again (a retry) enqueues the same versions, which SQS drops.
    const changed = changedScenarios(await catalog.summaries(), records);
    return send(env.EVALUATE_QUEUE_URL, evaluationMessages(changed), 'evaluations');
  });
