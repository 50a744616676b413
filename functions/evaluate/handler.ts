// Evaluate function: a worker on the evaluation queue (FIFO, grouped by scenario): evaluates one
// scenario per message, each scenario's messages in order. A direct invoke evaluates one scenario.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { evaluateScenario, type ScenarioOutcome } from '../../shared/app/evaluate.ts';
import { evaluateMessage } from '../../shared/app/fan-out.ts';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { count, countForScenario, METRIC, metrics } from '../../shared/runtime/metrics.ts';
import {
  inOrderPerGroup,
  isQueueEvent,
  received,
  supersededInGroup,
} from '../../shared/runtime/queue-batch.ts';
import { ScenarioCatalog } from '../../shared/runtime/scenarios.ts';
import * as z from '../../shared/runtime/validation.ts';

const env = readEnv(tableEnv);
const store = table(env.TABLE_NAME);
const catalog = new ScenarioCatalog(store, env.SCENARIOS_DIR);

type Result = Record<string, unknown> & { scenarioId: string; shift: unknown };

/** Logs and counts one scenario's outcome; its result, or null when it failed. */
function report({ scenarioId, evaluation, error }: ScenarioOutcome): Result | null {
  // Per scenario, a state (1 failed, 0 evaluated): its alarm holds until the scenario evaluates again.
  countForScenario(METRIC.evaluate.evaluationFailures, scenarioId, error ? 1 : 0);
  if (error) {
    logger.error('scenario evaluation failed', { scenarioId, error });
    return null;
  }
  const { assessment, shift, applied, warning } = evaluation;
  const { asOf, leader, probabilities, state, events } = assessment;
  logger.info('scenario evaluated', { scenarioId, asOf, leader, applied, shift, warning });
  // Per scenario: one scenario's evaluation must not clear another's stale-data alarm.
  if (applied) countForScenario(METRIC.evaluate.staleIndicators, scenarioId, assessment.stale.length);
  return { scenarioId, asOf, leader, probabilities, path: state.path, shift, warning, events, applied };
}

function counted(results: Result[]): Result[] {
  count(METRIC.evaluate.evaluations, results.length);
  count(METRIC.evaluate.pathShifts, results.filter((r) => r.shift !== null).length);
  return results;
}

/**
 * A worker's batch: scenarios in parallel, each one's messages in order. A scenario that fails is
 * returned to the queue with its later messages (retried, then kept in the dead-letter queue); the
 * others are committed. The results ride along for local mode; Lambda reads only `batchItemFailures`.
 */
async function fromQueue(event: SQSEvent) {
  const results: Result[] = [];
  const messages = received(event.Records, evaluateMessage());
  // Without an asOf a message asks for an evaluation with the data there is: of a scenario's several in
  // one batch (changes that came in apart), the last one does what all of them ask.
  const superseded = supersededInGroup(messages, (body) => body.asOf === undefined);
  const response = await inOrderPerGroup(messages, async ({ messageId, body, problem }) => {
    if (superseded.has(messageId)) return true;
    if (!body) {
      logger.error('malformed message', { problem });
      return false;
    }
    const scenario = await catalog.scenario(body.scenarioId);
    // Removed since it was enqueued (or never published): there is nothing to evaluate.
    if (!scenario) {
      logger.warn('unknown scenario dropped', { scenarioId: body.scenarioId });
      return true;
    }
    const now = new Date();
    const result = report(
      await evaluateScenario(store, scenario, body.asOf ? new Date(body.asOf) : now, now),
    );
    if (result) results.push(result);
    return result !== null;
  });
  return { ...response, results: counted(results) };
}

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event: unknown) => {
    if (isQueueEvent(event)) return fromQueue(event);
    // A direct request (an operator, a replay) has a message's shape: one scenario, as of an instant.
    const request = z.parse(evaluateMessage(), event);
    // Loaded on first use: the queue's messages, nearly all the work, never need it.
    const { evaluateRequested } = await import('../../shared/app/evaluate-requested.ts');
    const registry = await catalog.registryOf([request.scenarioId]);
    const [outcome] = await evaluateRequested(store, registry, request, new Date());
    const result = outcome && report(outcome);
    // Failing the invocation has Lambda retry an asynchronous one, then keep it in the failure queue.
    if (!result) throw new Error(`evaluation failed for ${request.scenarioId} (${outcome?.error?.message})`);
    return { results: counted([result]) };
  });
