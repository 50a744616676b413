// The route templates of the API compiled to patterns: what API Gateway matches a request against. The
// handler uses them for a request sent to `$default` (no route for its method and path), to tell 404
// (no such resource) from 405 (the resource exists, not that method); local mode to route requests.
import { ROUTE_KEYS, type RouteKey } from './operations.ts';

export interface RouteTemplate {
  key: RouteKey;
  method: string;
  /** The path template with one capture group per path parameter. */
  pattern: RegExp;
  params: string[];
}

export const ROUTE_TEMPLATES: RouteTemplate[] = ROUTE_KEYS.map((key) => {
  const [method = '', template = ''] = key.split(' ');
  const params: string[] = [];
  const source = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    params.push(name);
    return '([^/]+)';
  });
  return { key, method, pattern: new RegExp(`^${source}$`), params };
});

/** The methods the API serves at `path`, sorted; empty when no route has that path. */
export function allowedMethods(path: string): string[] {
  return [...new Set(ROUTE_TEMPLATES.filter((t) => t.pattern.test(path)).map((t) => t.method))].sort();
}
