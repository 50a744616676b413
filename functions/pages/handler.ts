// Pages function: the HTML pages behind the same HTTP API as the JSON routes (functions/pages/routes.ts),
// kept out of the api function so its charting code (d3) does not weigh on every API cold start.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { table } from '../../shared/runtime/clients.ts';
import { readEnv, tableEnv } from '../../shared/runtime/env.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { ScenarioListing } from '../../shared/runtime/scenario-listing.ts';
import * as z from '../../shared/runtime/validation.ts';
import { validated } from '../api/conventions.ts';
import { failed, notFound, type PageContext, renderIndex, renderScenario } from './render.ts';
import type { PageRouteKey } from './routes.ts';

const env = readEnv(
  z.extend(tableEnv, {
    /** `iam` when the stage requires SigV4 on reads: pages are then cached privately only. */
    API_READ_ACCESS: z._default(z.enum(['public', 'iam']), 'public'),
  }),
);
const store = table(env.TABLE_NAME);
// The published scenarios, read when a page first asks and kept a minute.
const context: PageContext = {
  table: store,
  scenarios: new ScenarioListing(store, env.SCENARIOS_DIR),
  now: () => new Date(),
};

const pages: Record<
  PageRouteKey,
  (event: APIGatewayProxyEventV2, context: PageContext) => Promise<APIGatewayProxyStructuredResultV2>
> = {
  'GET /': (event, context) => renderIndex(context, event.queryStringParameters?.after),
  'GET /scenarios/{id}': (event, context) => renderScenario(context, event.pathParameters?.id ?? ''),
};

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(injectLambdaContext(logger))
  .handler(async (event) => {
    logger.setCorrelationId(event.requestContext.requestId);
    const key = event.routeKey as PageRouteKey;
    const page = Object.hasOwn(pages, key) ? pages[key] : undefined;
    try {
      const response = page ? await page(event, context) : notFound(`There is no page at ${event.rawPath}.`);
      return validated(event, response, env.API_READ_ACCESS === 'iam');
    } catch (error) {
      logger.error('page failed', { routeKey: event.routeKey, error: error as Error });
      return failed();
    }
  });
