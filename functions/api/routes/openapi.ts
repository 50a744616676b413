// GET /v1/openapi.json: the document generated from the schemas the handler validates with.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { openApiDocument } from '../openapi.ts';
import { operations } from '../operations.ts';
import { json, parseRequest } from '../request.ts';

export async function getOpenApi(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  parseRequest(operations['GET /v1/openapi.json'], event);
  return json(200, openApiDocument(), 'public, max-age=3600');
}
