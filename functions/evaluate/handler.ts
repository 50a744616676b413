// Evaluate function: re-assess scenarios when observations change (stream) or on schedule.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { DynamoDBStreamEvent } from 'aws-lambda';
import * as z from 'zod';
import { evaluate } from '../../shared/app/evaluate.ts';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { loadRegistry } from '../../shared/runtime/scenarios.ts';
import { newImageString } from '../../shared/runtime/stream.ts';

const env = readEnv(tableEnv);
const registry = await loadRegistry(env.SCENARIOS_DIR);
const store = table(env.TABLE_NAME);

/** A direct or scheduled request: one scenario or all, as of an instant (default: now). */
const evaluateRequest = z.strictObject({
  scenarioId: z.string().optional(),
  asOf: z.iso.datetime({ offset: true }).optional(),
});

function isStreamEvent(event: unknown): event is DynamoDBStreamEvent {
  return typeof event === 'object' && event !== null && Array.isArray((event as DynamoDBStreamEvent).Records);
}

export const handler = middy()
  .use(injectLambdaContext(logger))
  .handler(async (event: unknown) => {
    const now = new Date();
    let scenarios = registry.scenarios;
    let asOf = now;
    if (isStreamEvent(event)) {
      const changed = event.Records.map((r) => newImageString(r, 'indicatorId')).filter(
        (id) => id !== undefined,
      );
      scenarios = registry.scenariosUsing(changed);
    } else {
      const request = evaluateRequest.parse(event ?? {});
      if (request.asOf) asOf = new Date(request.asOf);
      if (request.scenarioId) {
        const scenario = registry.scenario(request.scenarioId);
        if (!scenario) throw new Error(`unknown scenario ${request.scenarioId}`);
        scenarios = [scenario];
      }
    }
    const results = [];
    for (const scenario of scenarios) {
      const { assessment, shift } = await evaluate(store, scenario, asOf, now);
      logger.info('scenario evaluated', { scenarioId: scenario.id, leader: assessment.leader, shift });
      const { asOf: at, leader, probabilities } = assessment;
      results.push({
        scenarioId: scenario.id,
        asOf: at,
        leader,
        probabilities,
        path: assessment.state.path,
        shift,
      });
    }
    return { results };
  });
