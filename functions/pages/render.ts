// The pages as responses: reads what a page shows, renders it, and adds the headers every page carries
// (HTML, a strict Content-Security-Policy, caching). The handler routes to these; local mode and the
// benchmark call them too.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { publicText } from '../../shared/config/public.ts';
import type { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { ScenarioListing } from '../../shared/runtime/scenario-listing.ts';
import type { Table } from '../../shared/store/table.ts';
import { INDEX_PAGE_SIZE, readScenario, readSummary, type ScenarioData } from './data.ts';
import { CONTENT_SECURITY_POLICY, esc, page } from './layout.ts';
import { indexPage } from './views/index-page.ts';
import { scenarioPage } from './views/scenario-page.ts';

export interface PageContext {
  table: Table;
  /** The published scenarios: one by id, a page of them (cached a minute). */
  scenarios: ScenarioListing;
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

/** A scenario id, as the index's `after` names the last scenario of the page before. */
const SCENARIO_ID = /^[a-z0-9-]{1,64}$/;

/**
 * The index: a page of INDEX_PAGE_SIZE scenarios in id order after the scenario `after` (the first page
 * without), each card read from its scenario's assessments, and a link to the next page when one follows.
 */
export async function renderIndex(
  { table, scenarios }: PageContext,
  after?: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  if (after !== undefined && !SCENARIO_ID.test(after))
    return html(
      400,
      problemPage('Not a page', 'after: a scenario id, as the “Next” link gives it.'),
      'no-store',
    );
  const page = await scenarios.page({ ...(after !== undefined ? { after } : {}), limit: INDEX_PAGE_SIZE });
  const summaries = await Promise.all(page.items.map((s) => readSummary(table, s)));
  const next = page.more ? page.items.at(-1)?.id : undefined;
  return html(200, indexPage(summaries, { first: after === undefined, next }), 'public, max-age=60');
}

export async function renderScenario(
  { table, scenarios, now }: PageContext,
  id: string,
): Promise<APIGatewayProxyStructuredResultV2> {
  const scenario = await scenarios.scenario(id);
  if (!scenario) return notFound(`There is no scenario “${id}”.`);
  const at = now();
  // A shared indicator is one source in every scenario (load-scenarios.ts): its error's private strings
  // are this scenario's too.
  const data = publicData(await readScenario(table, scenario, at), await scenarios.registryOf([id]));
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

function problemPage(title: string, detail: string): string {
  const body = `<h1>${esc(title)}</h1><p>${esc(detail)}</p><p><a href="/">All scenarios</a></p>`;
  return page({ title: `${title} · Signpost`, body });
}

export function notFound(detail: string): APIGatewayProxyStructuredResultV2 {
  return html(404, problemPage('Not found', detail), 'no-store');
}

/** A failure, without its internals (they are in the log). */
export function failed(): APIGatewayProxyStructuredResultV2 {
  const body =
    '<h1>Something went wrong</h1><p>The page could not be drawn; the error was logged. Try again in a moment.</p><p><a href="/">All scenarios</a></p>';
  return html(500, page({ title: 'Error · Signpost', body }), 'no-store');
}
