// GET /v1/scenarios/{id}/assessment: the latest assessment of a scenario (one GetItem).
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { getLatestAssessment, type StoredAssessment } from '../../../shared/store/assessments.ts';
import type { Route } from '../context.ts';
import { definedFields } from '../defined-fields.ts';
import { operations } from '../operations.ts';
import { HttpProblem } from '../problem.ts';
import { json, parseRequest } from '../request.ts';
import { inPathOrder, scenarioOr404 } from './scenarios.ts';

export const getAssessment: Route = async (event, { table, scenarios }) => {
  const { params } = parseRequest(operations['GET /v1/scenarios/{id}/assessment'], event);
  const id = params.id;
  const scenario = await scenarioOr404(scenarios, id);
  const assessment = await getLatestAssessment(table, id);
  if (!assessment) {
    throw new HttpProblem(404, 'No assessment yet', `Scenario "${id}" has not been evaluated yet.`);
  }
  return json(200, toResource(assessment, scenario), 'public, max-age=60');
};

/**
 * The response body, in a fixed field order at every level (items come back from DynamoDB with
 * their maps in any order), probabilities and decibans in the scenario's path order.
 */
export function toResource(a: StoredAssessment, scenario: Scenario) {
  const byPath = (values: Record<string, number>) => inPathOrder(scenario, values);
  const { status, path, since, pending } = a.state;
  return {
    scenarioId: a.scenarioId,
    evaluatedAt: a.evaluatedAt,
    asOf: a.asOf,
    leader: a.leader,
    margin: a.margin,
    entropy: a.entropy,
    probabilities: byPath(a.probabilities),
    state: {
      status,
      path,
      since,
      ...(pending ? { pending: { path: pending.path, count: pending.count, of: pending.of } } : {}),
    },
    contributions: a.contributions.map((c) => ({
      indicatorId: c.indicatorId,
      status: c.status,
      model: c.model,
      ...definedFields(c, 'value', 'period', 'source', 'outcome'),
      weight: c.weight,
      decibans: byPath(c.decibans),
    })),
    stale: a.stale,
    events: a.events ?? [],
  };
}
