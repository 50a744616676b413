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
    const outcomes = await evaluateRequested(store, registry, toRequest(event), new Date());
    const results = [];
    for (const { scenarioId, evaluation, error } of outcomes) {
      // Per scenario, a state (1 failed, 0 evaluated): its alarm holds until the scenario evaluates again.
      countForScenario(METRIC.evaluate.evaluationFailures, scenarioId, error ? 1 : 0);
      if (error) {
        logger.error('scenario evaluation failed', { scenarioId, error });
        continue;
      }
      const { assessment, shift, applied, warning } = evaluation;
      const { asOf, leader, probabilities, state, events } = assessment;
      logger.info('scenario evaluated', { scenarioId, asOf, leader, applied, shift, warning });
      results.push({
        scenarioId,
        asOf,
        leader,
        probabilities,
        path: state.path,
        shift,
        warning,
        events,
        applied,
      });
      // Per scenario: the alarms on stale data (one per scenario, infra/stacks/monitoring-stack.ts) must
      // not be cleared by an evaluation of another scenario.
      if (applied) countForScenario(METRIC.evaluate.staleIndicators, scenarioId, assessment.stale.length);
    }
    count(METRIC.evaluate.evaluations, results.length);
    count(METRIC.evaluate.pathShifts, results.filter((r) => r.shift !== null).length);
    const failed = outcomes.filter((o) => o.error);
    // The others are committed; failing the invocation has Lambda retry it, then keep it in the failure
    // queue. A retry evaluates the evaluated scenarios again, which changes nothing without new data.
    if (failed.length > 0)
      throw new Error(
        `evaluation failed for ${failed.map((o) => `${o.scenarioId} (${o.error?.message})`).join(', ')}; ` +
          `${results.length} other scenario(s) evaluated`,
      );
    return { results };
  });
