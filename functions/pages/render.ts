// The pages as responses: reads what a page shows, renders it, and adds the headers every page carries
// (HTML, a strict Content-Security-Policy, caching). The handler routes to these; local mode and the
// benchmark call them too.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { publicText } from '../../shared/config/public.ts';
import type { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Table } from '../../shared/store/table.ts';
import { readScenario, readSummary, type ScenarioData } from './data.ts';
import { CONTENT_SECURITY_POLICY, esc, page } from './layout.ts';
import { indexPage } from './views/index-page.ts';
import { scenarioPage } from './views/scenario-page.ts';

export interface PageContext {
  table: Table;
  registry: ScenarioRegistry;
  now: () => Date;
}

/** Headers of every page: no script, no frame, no sniffing, no referrer beyond the origin. */
const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
};

export function html(statusCode: number, body: string, cache: string): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { ...PAGE_HEADERS, 'cache-control': cache }, body };
}

export async function renderIndex({
  table,
  registry,
}: PageContext): Promise<APIGatewayProxyStructuredResultV2> {
  const summaries = await Promise.all(registry.scenarios.map((s) => readSummary(table, s)));
  return html(200, indexPage(summaries), 'public, max-age=60');
}

export async function renderScenario(
  { table, registry, now }: PageContext,
  id: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  const scenario = registry.scenario(id);
  if (!scenario) return notFound(`There is no scenario “${id}”.`);
  const at = now();
  const data = publicData(await readScenario(table, scenario, at), registry);
  return html(200, scenarioPage(data, at), 'public, max-age=60');
}

/** What a page may show of the stored texts (each source's last error): the public policy's version. */
function publicData(data: ScenarioData, registry: ScenarioRegistry): ScenarioData {
  return {
    ...data,
    indicators: data.indicators.map((d) =>
      d.health?.lastError
        ? { ...d, health: { ...d.health, lastError: publicText(d.health.lastError, registry) } }
        : d,
    ),
  };
}

export function notFound(detail: string): APIGatewayProxyStructuredResultV2 {
  const body = `<h1>Not found</h1><p>${esc(detail)}</p><p><a href="/">All scenarios</a></p>`;
  return html(404, page({ title: 'Not found · Signpost', body }), 'no-store');
}

/** A failure, without its internals (they are in the log). */
export function failed(): APIGatewayProxyStructuredResultV2 {
  const body =
    '<h1>Something went wrong</h1><p>The page could not be drawn; the error was logged. Try again in a moment.</p><p><a href="/">All scenarios</a></p>';
  return html(500, page({ title: 'Error · Signpost', body }), 'no-store');
}
