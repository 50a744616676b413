// GET /v1/scenarios and GET /v1/scenarios/{id}: the scenarios as loaded from scenarios/*.yaml.

import { publicScenario } from '../../../shared/config/public.ts';
import type { ScenarioRegistry } from '../../../shared/config/registry.ts';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import type { Route } from '../context.ts';
import { operations } from '../operations.ts';
import { HttpProblem } from '../problem.ts';
import { json, parseRequest } from '../request.ts';

/** Definitions change only with a deployment. */
const DEFINITION_CACHE = 'public, max-age=300';

export function scenarioOr404(registry: ScenarioRegistry, id: string): Scenario {
  const scenario = registry.scenario(id);
  if (!scenario) throw new HttpProblem(404, 'Scenario not found', `There is no scenario with id "${id}".`);
  return scenario;
}

/**
 * Per-path values in the scenario's path order (items come back from DynamoDB with their maps in any
 * order): what every response with probabilities or decibans shows.
 */
export function inPathOrder(scenario: Scenario, values: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    scenario.paths.filter((p) => p.id in values).map((p) => [p.id, values[p.id] as number]),
  );
}

export const listScenarios: Route = async (event, { registry }) => {
  parseRequest(operations['GET /v1/scenarios'], event);
  const items = registry.scenarios.map((s) => ({
    id: s.id,
    title: s.title,
    description: s.description,
    paths: s.paths.map((p) => ({ id: p.id, title: p.title, prior: p.prior })),
    indicators: s.indicators.map((i) => i.id),
  }));
  return json(200, { items }, DEFINITION_CACHE);
};

export const getScenario: Route = async (event, { registry }) => {
  const { params } = parseRequest(operations['GET /v1/scenarios/{id}'], event);
  return json(200, publicScenario(scenarioOr404(registry, params.id)), DEFINITION_CACHE);
};
