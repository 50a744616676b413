// What the API and the pages read with 50 scenarios published: a route about one scenario reads that
// scenario's definition only, a route about one indicator the catalog's entries for it and its scenarios'
// definitions, and a listing one page of the catalog's summaries: counted on the document client.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ApiContext } from '../../functions/api/context.ts';
import type { RouteKey } from '../../functions/api/operations.ts';
import { HttpProblem } from '../../functions/api/problem.ts';
import { routes } from '../../functions/api/routes/index.ts';
import { INDEX_PAGE_SIZE } from '../../functions/pages/data.ts';
import { renderIndex } from '../../functions/pages/render.ts';
import { publishScenarios } from '../../shared/app/publish.ts';
import { ScenarioListing } from '../../shared/runtime/scenario-listing.ts';
import type { Table } from '../../shared/store/table.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { type ScenarioFolder, scenarioFolder, useFreshTable } from './local-stack.ts';

const COUNT = 50;
const ids = Array.from({ length: COUNT }, (_, i) => `s${String(i).padStart(2, '0')}`);

/** Each scenario declares an indicator of its own and one that every scenario shares. */
const files = Object.fromEntries(
  ids.map((id) => [
    `${id}.yaml`,
    scenarioYaml({
      id,
      title: `Scenario ${id}`,
      paths: EVEN_AB,
      indicators: [
        { id: `${id}-x`, expect: AB_EXPECT },
        { id: 'shared', expect: AB_EXPECT },
      ],
    }),
  ]),
);

/** One read the document client sent: the partition it read, and how. */
interface Read {
  how: 'get' | 'query';
  pk: string;
  limit?: number;
}

/** A table handle whose client records every read it sends. */
function countingTable(store: Table, reads: Read[]): Table {
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  db.middlewareStack.add(
    (next) => async (args) => {
      const input = args.input as {
        Key?: { pk: string };
        ExpressionAttributeValues?: Record<string, unknown>;
        Limit?: number;
      };
      if (input.Key) reads.push({ how: 'get', pk: input.Key.pk });
      else if (input.ExpressionAttributeValues)
        reads.push({
          how: 'query',
          pk: String(input.ExpressionAttributeValues[':pk']),
          ...(input.Limit ? { limit: input.Limit } : {}),
        });
      return next(args);
    },
    { step: 'initialize', name: 'countReads' },
  );
  return { db, name: store.name };
}

function event(key: RouteKey, path: string, params: Record<string, string> = {}): APIGatewayProxyEventV2 {
  const [method = 'GET', rawPath = path] = [key.split(' ')[0], path.split('?')[0]];
  const rawQueryString = path.split('?')[1] ?? '';
  return {
    version: '2.0',
    routeKey: key,
    rawPath,
    rawQueryString,
    headers: {},
    ...(rawQueryString
      ? { queryStringParameters: Object.fromEntries(new URLSearchParams(rawQueryString)) }
      : {}),
    pathParameters: params,
    requestContext: { http: { method, path: rawPath }, requestId: 'r' },
    isBase64Encoded: false,
  } as unknown as APIGatewayProxyEventV2;
}

describe('reads with 50 scenarios published', () => {
  const store = useFreshTable('catalog-reads');
  const reads: Read[] = [];
  let folder: ScenarioFolder;
  let context: ApiContext;

  beforeAll(async () => {
    folder = await scenarioFolder('catalog-reads', files);
    await publishScenarios(store, folder.registry.loaded, { by: 'test', at: new Date() });
  });
  afterAll(async () => {
    await folder.remove();
  });
  beforeEach(() => {
    reads.length = 0;
    const counted = countingTable(store, reads);
    // A fresh cache for each test: every read it needs is counted.
    context = {
      table: counted,
      scenarios: new ScenarioListing(counted, '.'),
      now: () => new Date('2024-03-01T00:00:00Z'),
      cursorKey: 'catalog-reads-cursor-key',
      maxSilenceDays: 31,
    };
  });

  async function call(key: RouteKey, path: string, params: Record<string, string> = {}) {
    try {
      const response = await routes[key](event(key, path, params), context);
      return { status: response.statusCode, body: JSON.parse(response.body ?? 'null') };
    } catch (error) {
      // What the handler's middleware would answer.
      if (error instanceof HttpProblem) return { status: error.status, body: null };
      throw error;
    }
  }

  const definitionsRead = () => [...new Set(reads.filter((r) => r.pk.startsWith('DEF#')).map((r) => r.pk))];
  const catalogReads = () => reads.filter((r) => r.pk.startsWith('CAT#'));

  it('reads only its own definition on every route about one scenario', async () => {
    // Act
    const answers = [
      await call('GET /v1/scenarios/{id}', '/v1/scenarios/s07', { id: 's07' }),
      await call('GET /v1/scenarios/{id}/assessment', '/v1/scenarios/s07/assessment', { id: 's07' }),
      await call('GET /v1/scenarios/{id}/assessments', '/v1/scenarios/s07/assessments', { id: 's07' }),
      await call('GET /v1/scenarios/{id}/alerts', '/v1/scenarios/s07/alerts', { id: 's07' }),
      await call('GET /v1/scenarios/{id}/forecast', '/v1/scenarios/s07/forecast', { id: 's07' }),
    ];

    // Assert: the definition once (then from the cache), the catalog never.
    expect(answers.map((a) => a.status)).toEqual([200, 404, 200, 200, 404]);
    expect(answers[0]?.body.id).toBe('s07');
    expect(definitionsRead()).toEqual(['DEF#s07']);
    expect(reads.filter((r) => r.pk === 'DEF#s07')).toHaveLength(1);
    expect(catalogReads()).toEqual([]);
  });

  it('finds the scenarios of one indicator by its catalog entries, not by loading every definition', async () => {
    // Act
    const own = await call('GET /v1/indicators/{id}/observations', '/v1/indicators/s07-x/observations', {
      id: 's07-x',
    });
    const ownReads = definitionsRead();
    const unknown = await call('GET /v1/indicators/{id}/forecast', '/v1/indicators/nope/forecast', {
      id: 'nope',
    });

    // Assert
    expect(own.status).toBe(200);
    expect(ownReads).toEqual(['DEF#s07']);
    expect(unknown.status).toBe(404);
    expect(definitionsRead()).toEqual(['DEF#s07']);
    expect(catalogReads().map((r) => r.pk)).toEqual(['CAT#indicators', 'CAT#indicators']);
  });

  it('lists the scenarios a bounded page at a time from the summaries, every one exactly once', async () => {
    // Act
    const pages = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = await call('GET /v1/scenarios', `/v1/scenarios?limit=15${query}`);
      pages.push(page.body as { items: { id: string; title: string; indicators: string[] }[] });
      cursor = page.body.nextCursor;
    } while (cursor);

    // Assert
    expect(pages.map((p) => p.items.length)).toEqual([15, 15, 15, 5]);
    expect(pages.flatMap((p) => p.items.map((s) => s.id))).toEqual(ids);
    expect(pages[0]?.items[0]).toMatchObject({
      id: 's00',
      title: 'Scenario s00',
      indicators: ['s00-x', 'shared'],
    });
    expect(definitionsRead()).toEqual([]);
    expect(reads).toEqual(pages.map(() => ({ how: 'query', pk: 'CAT#scenarios', limit: 16 })));
  });

  it('reports the health of a page of indicators, reading only the definitions that declare them', async () => {
    // Act
    const first = await call('GET /v1/health', '/v1/health?limit=5');
    const firstReads = definitionsRead();
    const indicators: { indicatorId: string; scenarios: string[] }[] = [...first.body.indicators];
    for (let cursor = first.body.nextCursor; cursor; ) {
      const page = await call('GET /v1/health', `/v1/health?limit=20&cursor=${cursor}`);
      indicators.push(...page.body.indicators);
      cursor = page.body.nextCursor;
    }

    // Assert
    expect(first.body.indicators.map((i: { indicatorId: string }) => i.indicatorId)).toEqual(
      ids.slice(0, 5).map((id) => `${id}-x`),
    );
    expect(firstReads.sort()).toEqual(ids.slice(0, 5).map((id) => `DEF#${id}`));
    expect(indicators.map((i) => i.indicatorId)).toEqual([...ids.map((id) => `${id}-x`), 'shared']);
    expect(indicators.at(-1)?.scenarios).toEqual(ids);
  });

  it('shows the pages index a page of cards at a time, reading the assessments of those scenarios only', async () => {
    // Act
    const pages = { table: context.table, scenarios: context.scenarios, now: context.now };
    const first = (await renderIndex(pages)).body ?? '';
    const scenarioReads = reads.filter((r) => r.pk.startsWith('SCN#'));
    const last = (await renderIndex(pages, ids[2 * INDEX_PAGE_SIZE - 1])).body ?? '';

    // Assert
    const cards = (html: string) => [...html.matchAll(/data-scenario="([^"]+)"/g)].map((m) => m[1]);
    expect(cards(first)).toHaveLength(INDEX_PAGE_SIZE);
    expect(first).toContain(`<a href="/?after=${ids[INDEX_PAGE_SIZE - 1]}" rel="next">Next page</a>`);
    expect(new Set(scenarioReads.map((r) => r.pk))).toEqual(
      new Set(ids.slice(0, INDEX_PAGE_SIZE).map((id) => `SCN#${id}`)),
    );
    expect(cards(last)).toEqual(ids.slice(2 * INDEX_PAGE_SIZE));
    expect(last).not.toContain('rel="next"');
    expect(last).toContain('<a href="/" rel="first">First page</a>');
    expect(definitionsRead()).toEqual([]);
  });

  it('answers an index position that is no scenario id with a 400 page', async () => {
    const response = await renderIndex(
      { table: context.table, scenarios: context.scenarios, now: context.now },
      '../etc',
    );

    expect(response.statusCode).toBe(400);
    expect(reads).toEqual([]);
  });
});
