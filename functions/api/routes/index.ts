// The API's routes, by API Gateway route key. The HTTP API declares the same keys.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type ApiContext, getAssessment } from './assessment.ts';

export type Route = (
  event: APIGatewayProxyEventV2,
  context: ApiContext,
) => Promise<APIGatewayProxyStructuredResultV2>;

export const routes: Record<string, Route> = {
  'GET /v1/scenarios/{id}/assessment': getAssessment,
};
