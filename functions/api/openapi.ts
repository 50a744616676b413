// The OpenAPI 3.1 document, generated from the operations' zod schemas (the ones the handler validates with)
// and the response schemas. The deployed function serves a copy generated at synth (routes/openapi.ts), so
// neither zod-openapi nor the response schemas are in its bundle.
import {
  createDocument,
  type ZodOpenApiOperationObject,
  type ZodOpenApiPathsObject,
  type ZodOpenApiResponseObject,
} from 'zod-openapi';
import { type Operation, operations, type RouteKey } from './operations.ts';
import { BODY_TOO_LARGE } from './request.ts';
import { problem, responses as successResponses } from './responses.ts';

const PROBLEM_TITLES: Record<number, string> = {
  304: 'Not Modified',
  400: 'A parameter or the body is invalid (one entry per field in `errors`)',
  401: 'Missing or wrong credentials',
  404: 'No such resource',
  409: 'The resource does not accept this write',
  413: BODY_TOO_LARGE,
  500: 'Internal error; nothing internal is disclosed',
};

function operationObject(key: RouteKey, op: Operation): ZodOpenApiOperationObject {
  const responses: Record<string, ZodOpenApiResponseObject> = {};
  for (const [status, { description, schema }] of Object.entries(successResponses[key])) {
    responses[status] = schema
      ? { description, content: { 'application/json': { schema } } }
      : { description };
  }
  if (key.startsWith('GET '))
    responses['304'] = { description: 'Not modified (If-None-Match matched the ETag)' };
  for (const status of [400, ...op.problems, 500]) {
    responses[String(status)] = {
      description: PROBLEM_TITLES[status] ?? 'Problem',
      content: { 'application/problem+json': { schema: problem } },
    };
  }
  return {
    operationId: key.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_|_$/g, ''),
    summary: op.summary,
    requestParams: { path: op.params() as never, query: op.query() as never },
    ...(op.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: op.body() } } } }
      : {}),
    ...(op.access === 'write' ? { security: [{ sigv4: [] }, { localToken: [] }] } : {}),
    responses: responses as ZodOpenApiOperationObject['responses'],
  };
}

let document: Record<string, unknown> | undefined;

export function openApiDocument(): Record<string, unknown> {
  if (document) return document;
  const paths: ZodOpenApiPathsObject = {};
  for (const [key, op] of Object.entries(operations) as [RouteKey, Operation][]) {
    const [method = '', path = ''] = key.split(' ');
    paths[path] = { ...paths[path], [method.toLowerCase()]: operationObject(key, op) };
  }
  document = createDocument({
    openapi: '3.1.0',
    info: {
      title: 'Signpost API',
      version: '1',
      description:
        'Scenario assessments, their history, alerts and indicator observations. Errors are RFC 9457 problem details.',
    },
    paths,
    components: {
      securitySchemes: {
        sigv4: {
          type: 'apiKey',
          in: 'header',
          name: 'Authorization',
          description: 'AWS SigV4 (IAM) on the deployed API',
        },
        localToken: { type: 'http', scheme: 'bearer', description: 'SIGNPOST_LOCAL_TOKEN in local mode' },
      },
    },
  }) as unknown as Record<string, unknown>;
  return document;
}
