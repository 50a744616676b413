// Evaluate function: re-assess scenarios when observations change (stream) or on schedule.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import { type EvaluationRequest, evaluateRequested } from '../../shared/app/evaluate.ts';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { count, countForScenario, METRIC, metrics } from '../../shared/runtime/metrics.ts';
import { loadRegistry } from '../../shared/runtime/scenarios.ts';
import { newImageString } from '../../shared/runtime/stream.ts';
import * as z from '../../shared/runtime/validation.ts';

const env = readEnv(tableEnv);
const registry = await loadRegistry(env.SCENARIOS_DIR);
const store = table(env.TABLE_NAME);

/** A direct or scheduled request: one scenario or all, as of an instant (default: now). */
const directRequest = z.strictObject({
  scenarioId: z.optional(z.string()),
  asOf: z.optional(z.iso.datetime({ offset: true })),
});

function toRequest(event: unknown): EvaluationRequest {
  const records = (event as Partial<DynamoDBStreamEvent> | null)?.Records;
  if (!Array.isArray(records)) return z.parse(directRequest, event ?? {});
  return {
    changedIndicators: records.map((r) => newImageString(r, 'indicatorId')).filter((id) => id !== undefined),
  };
}

export const handler = middy()
  .use(injectLambdaContext(logger))
  .use(logMetrics(metrics))
  .handler(async (event: unknown) => {
    const evaluations = await evaluateRequested(store, registry, toRequest(event), new Date());
    const results = evaluations.map(({ assessment, shift, applied, warning }) => {
      const { scenarioId, asOf, leader, probabilities, state, events } = assessment;
      logger.info('scenario evaluated', { scenarioId, asOf, leader, applied, shift, warning });
      return { scenarioId, asOf, leader, probabilities, path: state.path, shift, warning, events, applied };
    });
    count(METRIC.evaluate.evaluations, results.length);
    count(METRIC.evaluate.pathShifts, results.filter((r) => r.shift !== null).length);
    // Per scenario: the alarms on stale data (one per scenario, infra/stacks/monitoring-stack.ts) must
    // not be cleared by an evaluation of another scenario.
    for (const { assessment, applied } of evaluations)
      if (applied)
        countForScenario(METRIC.evaluate.staleIndicators, assessment.scenarioId, assessment.stale.length);
    return { results };
  });
