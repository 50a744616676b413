// A direct request to evaluate (an operator's invocation, the CLI's assess and replay): one scenario or
// all, as of an instant. Apart from evaluate.ts so that the evaluate function loads it only when such a
// request comes; the queue's messages never need it.
import type { ScenarioRegistry } from '../config/registry.ts';
import type { Table } from '../store/table.ts';
import { requestedAsOf } from './as-of.ts';
import { evaluateScenario, type ScenarioOutcome } from './evaluate.ts';

/** A direct request: one scenario or all, as of an instant (default: now). */
export interface EvaluationRequest {
  scenarioId?: string | undefined;
  asOf?: string | undefined;
}

export class UnknownScenarioError extends Error {
  constructor(id: string) {
    super(`unknown scenario ${id}`);
    this.name = 'UnknownScenarioError';
  }
}

/**
 * Evaluates every scenario the request concerns, one after the other, each on its own: a scenario
 * that fails is reported in its outcome and the others are still evaluated. A request that cannot be
 * served at all (an unknown scenario, an asOf in the future) throws. The deployed functions evaluate
 * all scenarios through the queue instead (shared/app/fan-out.ts), one message each.
 */
export async function evaluateRequested(
  table: Table,
  registry: ScenarioRegistry,
  request: EvaluationRequest,
  now: Date,
): Promise<ScenarioOutcome[]> {
  const asOf = requestedAsOf(request.asOf, now);
  let scenarios = registry.scenarios;
  if (request.scenarioId) {
    const scenario = registry.scenario(request.scenarioId);
    if (!scenario) throw new UnknownScenarioError(request.scenarioId);
    scenarios = [scenario];
  }
  const outcomes: ScenarioOutcome[] = [];
  for (const scenario of scenarios) outcomes.push(await evaluateScenario(table, scenario, asOf, now));
  return outcomes;
}
