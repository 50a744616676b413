// API function: validates each request against its operation, checks write credentials, and routes by
// API Gateway route key to the read models and write paths in DynamoDB.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { ScenarioListing } from '../../shared/runtime/scenario-listing.ts';
import * as z from '../../shared/runtime/validation.ts';
import { authorizeWrite, writeAuthFrom } from './auth.ts';
import type { ApiContext } from './context.ts';
import { applyConventions } from './conventions.ts';
import { corsHeaders, parseOrigins, preflight } from './cors.ts';
import { operations, type RouteKey } from './operations.ts';
import { HttpProblem, problemDetails } from './problem.ts';
import { allowedMethods } from './route-match.ts';
import { routes } from './routes/index.ts';
import { DEFAULT_MAX_SILENCE_DAYS } from './routes/writes.ts';

const apiEnv = z.extend(tableEnv, {
  /** The CORS allowed origins, comma-separated, or `*` (the default: the reads are public). */
  CORS_ORIGIN: z._default(z.string().check(z.minLength(1)), '*'),
  /** `iam` when the stage requires SigV4 on reads too: responses are then cached privately only. */
  API_READ_ACCESS: z._default(z.enum(['public', 'iam']), 'public'),
  /** The key of the pagination cursors' HMAC; the table's name when unset (context.ts). */
  CURSOR_KEY: z.optional(z.string().check(z.minLength(16))),
  /** The longest silence the API sets, in days (stage config `maxSilenceDays`). */
  MAX_SILENCE_DAYS: z._default(z.coerce.number().check(z.int(), z.positive()), DEFAULT_MAX_SILENCE_DAYS),
});

const env = readEnv(apiEnv);
const auth = writeAuthFrom(process.env);
const origins = parseOrigins(env.CORS_ORIGIN);
const options = { origins, privateReads: env.API_READ_ACCESS === 'iam' };
const store = table(env.TABLE_NAME);
const context: ApiContext = {
  table: store,
  // Read when a route first asks, then kept a minute (shared/runtime/scenario-listing.ts).
  scenarios: new ScenarioListing(store, env.SCENARIOS_DIR),
  now: () => new Date(),
  maxSilenceDays: env.MAX_SILENCE_DAYS,
  cursorKey: env.CURSOR_KEY ?? `signpost-cursor:${env.TABLE_NAME}`,
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemDetails((event) => corsHeaders(origins, event.headers?.origin)))
  .handler(async (event) => {
    // API Gateway's request id, which its access log records too: one id to follow a request by.
    logger.setCorrelationId(event.requestContext.requestId);
    const { method, path } = event.requestContext.http;
    if (method === 'OPTIONS') return preflight(origins, event.headers?.origin);
    const key = event.routeKey as RouteKey;
    const route = Object.hasOwn(routes, key) ? routes[key] : undefined;
    if (!route) {
      const allowed = allowedMethods(path);
      if (allowed.length === 0) throw new HttpProblem(404, 'Not Found', `There is no resource at ${path}.`);
      throw new HttpProblem(
        405,
        'Method Not Allowed',
        `${path} answers ${allowed.join(', ')}, not ${method}.`,
        {
          headers: { allow: [...allowed, 'OPTIONS'].join(', ') },
        },
      );
    }
    const scope =
      operations[key].access === 'write' ? { ...context, caller: authorizeWrite(event, auth) } : context;
    return applyConventions(event, await route(event, scope), options);
  });
