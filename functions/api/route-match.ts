// Which route templates a path matches: for a request API Gateway sent to `$default` (no route for its
// method and path), to tell 404 (no such resource) from 405 (the resource exists, not that method).
import { ROUTE_KEYS } from './operations.ts';

interface Template {
  method: string;
  pattern: RegExp;
}

const templates: Template[] = ROUTE_KEYS.map((key) => {
  const [method = '', path = ''] = key.split(' ');
  return { method, pattern: new RegExp(`^${path.replace(/\{\w+\}/g, '[^/]+')}$`) };
});

/** The methods the API serves at `path`, sorted; empty when no route has that path. */
export function allowedMethods(path: string): string[] {
  return [...new Set(templates.filter((t) => t.pattern.test(path)).map((t) => t.method))].sort();
}
