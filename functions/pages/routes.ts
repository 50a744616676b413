// The pages' routes: HTML for people, served by the pages function behind the same HTTP API as the JSON
// routes. The HTTP API construct, local mode's routing and the api function's 404/405 all read this list;
// shared/runtime/links.ts builds the scenario page's path that alert emails link to.
export { scenarioPagePath } from '../../shared/runtime/links.ts';

export const PAGE_ROUTES = {
  'GET /': {
    summary:
      'The scenarios, a page at a time: each one’s leader, confirmed path, last change, stale data and a sparkline',
  },
  'GET /scenarios/{id}': {
    summary:
      'One scenario: headline, probability timeline, indicators, what would change the call, alerts, sources, paths',
  },
} as const;

export type PageRouteKey = keyof typeof PAGE_ROUTES;
export const PAGE_ROUTE_KEYS = Object.keys(PAGE_ROUTES) as PageRouteKey[];
