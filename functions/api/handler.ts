// API function: routes HTTP API requests to the read models in DynamoDB.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { loadRegistry } from '../../shared/runtime/scenarios.ts';
import { HttpProblem, problemDetails } from './problem.ts';
import { routes } from './routes/index.ts';

const env = readEnv(tableEnv);
const context = { table: table(env.TABLE_NAME), registry: await loadRegistry(env.SCENARIOS_DIR) };

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .use(problemDetails())
  .handler(async (event) => {
    const route = routes[event.routeKey];
    if (!route) {
      const { method, path } = event.requestContext.http;
      throw new HttpProblem(404, 'Not Found', `There is no route for ${method} ${path}.`);
    }
    return route(event, context);
  });
