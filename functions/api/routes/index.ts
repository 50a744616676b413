// The API's routes, by API Gateway route key. The HTTP API declares the same keys (see operations.ts).
import type { Route } from '../context.ts';
import type { RouteKey } from '../operations.ts';
import { getAssessment } from './assessment.ts';
import { getIndicatorForecast, getScenarioForecast } from './forecast.ts';
import { getHealth } from './health.ts';
import { listAlerts, listAssessments, listObservations } from './history.ts';
import { getOpenApi } from './openapi.ts';
import { getScenario, listScenarios } from './scenarios.ts';
import { deleteScenarioSilence, postObservations, putScenarioSilence } from './writes.ts';

export const routes: Record<RouteKey, Route> = {
  'GET /v1/scenarios': listScenarios,
  'GET /v1/scenarios/{id}': getScenario,
  'GET /v1/scenarios/{id}/assessment': getAssessment,
  'GET /v1/scenarios/{id}/forecast': getScenarioForecast,
  'GET /v1/scenarios/{id}/assessments': listAssessments,
  'GET /v1/scenarios/{id}/alerts': listAlerts,
  'GET /v1/indicators/{id}/observations': listObservations,
  'GET /v1/indicators/{id}/forecast': getIndicatorForecast,
  'POST /v1/indicators/{id}/observations': postObservations,
  'GET /v1/health': getHealth,
  'PUT /v1/scenarios/{id}/silences/{silenceId}': putScenarioSilence,
  'DELETE /v1/scenarios/{id}/silences/{silenceId}': deleteScenarioSilence,
  'GET /v1/openapi.json': getOpenApi,
};
