// The route templates of the API and its pages compiled to patterns: what API Gateway matches a request
// against. The handler uses them for a request sent to `$default` (no route for its method and path), to
// tell 404 (no such resource) from 405 (the resource exists, not that method); local mode to route
// requests to the function that serves them.
import { PAGE_ROUTE_KEYS, type PageRouteKey } from '../pages/routes.ts';
import { ROUTE_KEYS, type RouteKey } from './operations.ts';

export interface RouteTemplate {
  key: RouteKey | PageRouteKey;
  /** The function that answers it: the JSON API, or the pages. */
  target: 'api' | 'pages';
  method: string;
  /** The path template with one capture group per path parameter. */
  pattern: RegExp;
  params: string[];
}

const targets = [
  ...ROUTE_KEYS.map((key) => ({ key, target: 'api' as const })),
  ...PAGE_ROUTE_KEYS.map((key) => ({ key, target: 'pages' as const })),
];

export const ROUTE_TEMPLATES: RouteTemplate[] = targets.map(({ key, target }) => {
  const [method = '', template = ''] = key.split(' ');
  const params: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { key, target, method, pattern: new RegExp(`^${source}$`), params };
});

/** The methods the API serves at `path`, sorted; empty when no route has that path. */
export function allowedMethods(path: string): string[] {
  return [...new Set(ROUTE_TEMPLATES.filter((t) => t.pattern.test(path)).map((t) => t.method))].sort();
}
