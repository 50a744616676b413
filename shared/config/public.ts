// What the public read routes may show, decided here and nowhere else: a scenario's definition without
// what configures access to its sources (query strings, header secrets and variables), and any stored
// text (an error, a rejected record) with those taken out. Write routes' callers (postedBy, updatedBy)
// are never shown either: the routes build their bodies from named fields, and these keep to that.
import type { ScenarioRegistry } from './registry.ts';
import type { Scenario } from './scenario-schema.ts';

/** What stands in for a private value in a public text. */
export const REDACTED = '[redacted]';

type Source = Scenario['indicators'][number]['source'];

/** A source as the public sees it: its URL without query or fragment, its headers left out. */
function publicSource(source: Source): Source {
  if (!('url' in source) || source.url === undefined) return source;
  const { headers: _headers, ...rest } = source as Source & { headers?: unknown };
  const url = new URL(source.url);
  return { ...rest, url: `${url.origin}${url.pathname}` } as Source;
}

/** The scenario definition a public route serves (GET /v1/scenarios/{id}). */
export function publicScenario(scenario: Scenario): Scenario {
  return {
    ...scenario,
    indicators: scenario.indicators.map((i) => ({ ...i, source: publicSource(i.source) })),
  };
}

/** The shortest query value taken out of texts: shorter ones (`page=1`, `format=json`) are no keys. */
const SHORTEST_SECRET = 8;

const privateByRegistry = new WeakMap<ScenarioRegistry, string[]>();

/** Every string of the scenarios' source configuration that must not appear in a public answer. */
function privateStrings(registry: ScenarioRegistry): string[] {
  const known = privateByRegistry.get(registry);
  if (known) return known;
  const found = new Set<string>();
  for (const { indicator } of registry.indicators()) {
    const source = indicator.source as Source & { url?: string; headers?: Record<string, object> };
    if (source.url) {
      const url = new URL(source.url);
      if (url.search) found.add(url.search.slice(1));
      for (const [, value] of url.searchParams) if (value.length >= SHORTEST_SECRET) found.add(value);
    }
    for (const header of Object.values(source.headers ?? {})) {
      for (const [field, value] of Object.entries(header))
        if (field !== 'prefix' && typeof value === 'string' && value) found.add(value);
    }
  }
  // Longest first, so a value that contains another is taken out whole.
  const strings = [...found].sort((a, b) => b.length - a.length);
  privateByRegistry.set(registry, strings);
  return strings;
}

const QUERY = /(https?:\/\/[^\s?#"']+)\?[^\s#"']*/g;

/**
 * A stored text (a source's last error, a rejected record's reason) as a public route may show it:
 * any URL's query string, and every secret id, secret key, variable name and query value the scenarios
 * configure, replaced by REDACTED.
 */
export function publicText(text: string, registry: ScenarioRegistry): string {
  let shown = text.replace(QUERY, `$1?${REDACTED}`);
  for (const value of privateStrings(registry)) shown = shown.split(value).join(REDACTED);
  return shown;
}
