// GET /v1/scenarios/{id}/assessment: the latest assessment of a scenario (one GetItem).
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { ScenarioRegistry } from '../../../shared/config/registry.ts';
import { getLatestAssessment, type StoredAssessment } from '../../../shared/store/assessments.ts';
import type { Table } from '../../../shared/store/table.ts';
import { HttpProblem } from '../problem.ts';

export interface ApiContext {
  table: Table;
  registry: ScenarioRegistry;
}

export async function getAssessment(
  event: APIGatewayProxyEventV2,
  { table, registry }: ApiContext,
): Promise<APIGatewayProxyStructuredResultV2> {
  const id = event.pathParameters?.id ?? '';
  if (!registry.scenario(id)) {
    throw new HttpProblem(404, 'Scenario not found', `There is no scenario with id "${id}".`);
  }
  const assessment = await getLatestAssessment(table, id);
  if (!assessment) {
    throw new HttpProblem(404, 'No assessment yet', `Scenario "${id}" has not been evaluated yet.`);
  }
  return {
    statusCode: 200,
    headers: { 'content-type': 'application/json', 'cache-control': 'public, max-age=60' },
    body: JSON.stringify(toResource(assessment)),
  };
}

/** The response body, in a fixed field order (stored items come back from DynamoDB in any order). */
function toResource(a: StoredAssessment) {
  return {
    scenarioId: a.scenarioId,
    evaluatedAt: a.evaluatedAt,
    asOf: a.asOf,
    leader: a.leader,
    margin: a.margin,
    probabilities: a.probabilities,
    state: a.state,
    contributions: a.contributions,
    stale: a.stale,
  };
}
