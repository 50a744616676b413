// GET /v1/scenarios (a page of the catalog's summaries) and GET /v1/scenarios/{id} (one definition).

import { publicScenario } from '../../../shared/config/public.ts';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import type { DeclaredIndicator, ScenarioListing } from '../../../shared/runtime/scenario-listing.ts';
import type { Route } from '../context.ts';
import { operations } from '../operations.ts';
import { ID, pageResponse, positionOf } from '../paging.ts';
import { HttpProblem } from '../problem.ts';
import { json, parseRequest } from '../request.ts';

/** Definitions change only with a publish. */
const DEFINITION_CACHE = 'public, max-age=300';

/** The published scenario (one definition read, cached a minute), or a 404. */
export async function scenarioOr404(scenarios: ScenarioListing, id: string): Promise<Scenario> {
  const scenario = await scenarios.scenario(id);
  if (!scenario) throw new HttpProblem(404, 'Scenario not found', `There is no scenario with id "${id}".`);
  return scenario;
}

/** The indicator and the published scenarios that declare it, or a 404 when none does. */
export async function declaringOr404(
  scenarios: ScenarioListing,
  indicatorId: string,
): Promise<DeclaredIndicator> {
  const declared = await scenarios.declaring(indicatorId);
  if (!declared)
    throw new HttpProblem(404, 'Indicator not found', `No scenario declares an indicator "${indicatorId}".`);
  return declared;
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

export const listScenarios: Route = async (event, { scenarios, cursorKey }) => {
  const { query } = parseRequest(operations['GET /v1/scenarios'], event);
  const list = 'scenarios';
  const after = positionOf(cursorKey, query.cursor, list, ID);
  const page = await scenarios.page({ ...(after !== undefined ? { after } : {}), limit: query.limit });
  return pageResponse(
    page,
    { key: cursorKey, list },
    (s) => s.id,
    (s) => ({
      id: s.id,
      title: s.title,
      description: s.description,
      paths: s.paths.map((p) => ({ id: p.id, title: p.title, prior: p.prior })),
      indicators: s.indicators.map((i) => i.id),
    }),
    DEFINITION_CACHE,
  );
};

export const getScenario: Route = async (event, { scenarios }) => {
  const { params } = parseRequest(operations['GET /v1/scenarios/{id}'], event);
  return json(200, publicScenario(await scenarioOr404(scenarios, params.id)), DEFINITION_CACHE);
};
