// Contract: every route's responses, answers and problems alike, validate against GET /v1/openapi.json.
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTE_KEYS } from '../../functions/api/operations.ts';
import { CONFIRMED_SHIFT, invokeEvaluate, useApi, useLocalStack } from '../integration/local-stack.ts';

const TOKEN = 'contract-token';
const auth = { authorization: `Bearer ${TOKEN}` };

/** A request to a route: its path, or its path with a body and headers; the method is the route's. */
type Exchange = string | { path: string; body?: unknown; headers?: Record<string, string> };

const PROBE = '/v1/indicators/probe-readings/observations';
const SILENCE = '/v1/scenarios/kupyansk/silences/c1';

// JSON Schema 2020-12, the dialect of OpenAPI 3.1. Not strict: the document carries OpenAPI's own
// keywords (`example`, `components`) beside the schema keywords.
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats.default(ajv);

/** A validator for one response schema; its `#/components/...` references resolve in the document. */
function schemaCheck(schema: Record<string, unknown>, document: { components?: unknown }) {
  return ajv.compile({ ...schema, components: document.components });
}

/** Per route key, requests that succeed and requests that fail, so both kinds of answer are checked. */
const EXCHANGES: Record<string, Exchange[]> = {
  'GET /v1/scenarios': ['/v1/scenarios', '/v1/scenarios?x=1'],
  'GET /v1/scenarios/{id}': [
    '/v1/scenarios/kupyansk',
    '/v1/scenarios/manual-probe',
    '/v1/scenarios/atlantis',
  ],
  'GET /v1/scenarios/{id}/assessment': [
    '/v1/scenarios/kupyansk/assessment',
    '/v1/scenarios/manual-probe/assessment',
  ],
  'GET /v1/scenarios/{id}/forecast': [
    '/v1/scenarios/kupyansk/forecast',
    '/v1/scenarios/manual-probe/forecast',
  ],
  'GET /v1/indicators/{id}/forecast': [
    '/v1/indicators/ru-mechanized/forecast',
    '/v1/indicators/western-assistance/forecast',
    '/v1/indicators/nope/forecast',
  ],
  'GET /v1/scenarios/{id}/assessments': [
    '/v1/scenarios/kupyansk/assessments?limit=2',
    '/v1/scenarios/kupyansk/assessments?limit=500&cursor=zz',
    '/v1/scenarios/atlantis/assessments',
  ],
  'GET /v1/scenarios/{id}/alerts': [
    '/v1/scenarios/kupyansk/alerts',
    '/v1/scenarios/kupyansk/alerts?from=never',
  ],
  'GET /v1/indicators/{id}/observations': [
    '/v1/indicators/ru-mechanized/observations?limit=3',
    '/v1/indicators/nope/observations',
  ],
  'POST /v1/indicators/{id}/observations': [
    { path: PROBE, body: { observations: [{ period: '2024-01-01', value: 3 }] }, headers: auth },
    { path: PROBE, body: { observations: [] }, headers: auth },
    { path: PROBE, body: {} },
    {
      path: '/v1/indicators/ua-fires/observations',
      body: { observations: [{ period: '2024-01-01', value: 3 }] },
      headers: auth,
    },
  ],
  'GET /v1/health': ['/v1/health'],
  'PUT /v1/scenarios/{id}/silences/{silenceId}': [
    {
      path: SILENCE,
      body: { start: '2024-01-01', end: '2024-02-01', reason: 'contract', kind: 'reverted' },
      headers: auth,
    },
    { path: SILENCE, body: { start: '2024-01-01', end: '2024-02-01', reason: 'contract' }, headers: auth },
    {
      path: SILENCE,
      body: { start: '2024-01-01', end: '2024-02-01', reason: 'contract', kind: 'data-stale' },
      headers: auth,
    },
    { path: '/v1/scenarios/kupyansk/silences/c2', body: { start: 'x' }, headers: auth },
  ],
  'DELETE /v1/scenarios/{id}/silences/{silenceId}': [
    { path: SILENCE, headers: auth },
    { path: SILENCE, headers: auth },
  ],
  'GET /v1/openapi.json': ['/v1/openapi.json'],
};

const stack = useLocalStack({
  scenariosDir: resolve('test/fixtures/api-scenarios'),
  ingested: true,
  env: { SIGNPOST_LOCAL_TOKEN: TOKEN },
});
const api = useApi(stack);
let document: Record<string, unknown>;

beforeAll(async () => {
  await invokeEvaluate(stack, CONFIRMED_SHIFT);
  document = (await (await api.get('/v1/openapi.json')).json()) as Record<string, unknown>;
});

describe('the OpenAPI document', () => {
  it('is OpenAPI 3.1 and declares exactly the routes the handler serves', () => {
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const declared = Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item).map((method) => `${method.toUpperCase()} ${path}`),
    );

    expect(document.openapi).toBe('3.1.0');
    expect(declared.sort()).toEqual([...ROUTE_KEYS].sort());
  });

  it('has requests for every route in this test', () => {
    expect(Object.keys(EXCHANGES).sort()).toEqual([...ROUTE_KEYS].sort());
  });
});

describe.each(ROUTE_KEYS)('%s', (key) => {
  it('answers only with statuses, media types and bodies the document declares', async () => {
    const [method = '', template = ''] = key.split(' ');
    const operation = (
      document.paths as Record<string, Record<string, { responses: Record<string, unknown> }>>
    )[template]?.[method.toLowerCase()];
    expect(operation, key).toBeDefined();
    const statuses: number[] = [];

    for (const exchange of EXCHANGES[key] ?? []) {
      // Act
      const { path, body, headers } = typeof exchange === 'string' ? { path: exchange } : exchange;
      const response = await api.send(method, path, body, headers);
      statuses.push(response.status);

      // Assert
      const declared = operation?.responses[String(response.status)] as
        | { content?: Record<string, { schema: Record<string, unknown> }> }
        | undefined;
      expect(declared, `${method} ${path} answered ${response.status}`).toBeDefined();
      const text = await response.text();
      if (!declared?.content) {
        expect(text).toBe('');
        continue;
      }
      const type = response.headers.get('content-type') ?? '';
      const media = declared.content[type];
      expect(media, `${path}: ${type}`).toBeDefined();
      const check = schemaCheck(media?.schema ?? {}, document);
      check(JSON.parse(text));
      expect(check.errors ?? [], `${method} ${path} (${response.status})`).toEqual([]);
    }
    // Each route was seen answering, and (except the ones that cannot fail on input) failing.
    expect(statuses.some((s) => s < 300)).toBe(true);
  });
});
