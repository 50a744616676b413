// Contract: every route's responses, answers and problems alike, validate against GET /v1/openapi.json.
import { resolve } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { runIngest } from '../../cli/local/pipeline.ts';
import { ROUTE_KEYS } from '../../functions/api/operations.ts';
import { type ApiClient, serveForTest } from '../integration/api-http.ts';
import { type LocalStack, startLocalStack } from '../integration/local-stack.ts';

const TOKEN = 'contract-token';
const auth = { authorization: `Bearer ${TOKEN}` };

interface Exchange {
  method: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
}

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
  'GET /v1/scenarios': [
    { method: 'GET', path: '/v1/scenarios' },
    { method: 'GET', path: '/v1/scenarios?x=1' },
  ],
  'GET /v1/scenarios/{id}': [
    { method: 'GET', path: '/v1/scenarios/kupyansk' },
    { method: 'GET', path: '/v1/scenarios/manual-probe' },
    { method: 'GET', path: '/v1/scenarios/atlantis' },
  ],
  'GET /v1/scenarios/{id}/assessment': [
    { method: 'GET', path: '/v1/scenarios/kupyansk/assessment' },
    { method: 'GET', path: '/v1/scenarios/manual-probe/assessment' },
  ],
  'GET /v1/scenarios/{id}/forecast': [
    { method: 'GET', path: '/v1/scenarios/kupyansk/forecast' },
    { method: 'GET', path: '/v1/scenarios/manual-probe/forecast' },
  ],
  'GET /v1/indicators/{id}/forecast': [
    { method: 'GET', path: '/v1/indicators/ru-mechanized/forecast' },
    { method: 'GET', path: '/v1/indicators/western-assistance/forecast' },
    { method: 'GET', path: '/v1/indicators/nope/forecast' },
  ],
  'GET /v1/scenarios/{id}/assessments': [
    { method: 'GET', path: '/v1/scenarios/kupyansk/assessments?limit=2' },
    { method: 'GET', path: '/v1/scenarios/kupyansk/assessments?limit=500&cursor=zz' },
    { method: 'GET', path: '/v1/scenarios/atlantis/assessments' },
  ],
  'GET /v1/scenarios/{id}/alerts': [
    { method: 'GET', path: '/v1/scenarios/kupyansk/alerts' },
    { method: 'GET', path: '/v1/scenarios/kupyansk/alerts?from=never' },
  ],
  'GET /v1/indicators/{id}/observations': [
    { method: 'GET', path: '/v1/indicators/ru-mechanized/observations?limit=3' },
    { method: 'GET', path: '/v1/indicators/nope/observations' },
  ],
  'POST /v1/indicators/{id}/observations': [
    {
      method: 'POST',
      path: '/v1/indicators/probe-readings/observations',
      body: { observations: [{ period: '2024-01-01', value: 3 }] },
      headers: auth,
    },
    {
      method: 'POST',
      path: '/v1/indicators/probe-readings/observations',
      body: { observations: [] },
      headers: auth,
    },
    { method: 'POST', path: '/v1/indicators/probe-readings/observations', body: {} },
    {
      method: 'POST',
      path: '/v1/indicators/ua-fires/observations',
      body: { observations: [{ period: '2024-01-01', value: 3 }] },
      headers: auth,
    },
  ],
  'GET /v1/health': [{ method: 'GET', path: '/v1/health' }],
  'PUT /v1/scenarios/{id}/silences/{silenceId}': [
    {
      method: 'PUT',
      path: '/v1/scenarios/kupyansk/silences/c1',
      body: { start: '2024-01-01', end: '2024-02-01', reason: 'contract', kind: 'reverted' },
      headers: auth,
    },
    {
      method: 'PUT',
      path: '/v1/scenarios/kupyansk/silences/c1',
      body: { start: '2024-01-01', end: '2024-02-01', reason: 'contract' },
      headers: auth,
    },
    {
      method: 'PUT',
      path: '/v1/scenarios/kupyansk/silences/c1',
      body: { start: '2024-01-01', end: '2024-02-01', reason: 'contract', kind: 'data-stale' },
      headers: auth,
    },
    { method: 'PUT', path: '/v1/scenarios/kupyansk/silences/c2', body: { start: 'x' }, headers: auth },
  ],
  'DELETE /v1/scenarios/{id}/silences/{silenceId}': [
    { method: 'DELETE', path: '/v1/scenarios/kupyansk/silences/c1', headers: auth },
    { method: 'DELETE', path: '/v1/scenarios/kupyansk/silences/c1', headers: auth },
  ],
  'GET /v1/openapi.json': [{ method: 'GET', path: '/v1/openapi.json' }],
};

let stack: LocalStack;
let api: ApiClient;
let document: Record<string, unknown>;

beforeAll(async () => {
  process.env.SIGNPOST_LOCAL_TOKEN = TOKEN;
  stack = await startLocalStack(resolve('test/fixtures/api-scenarios'));
  api = await serveForTest(stack.handlers.api);
  await runIngest(stack.handlers);
  for (const month of ['2023-12-01', '2024-01-01', '2024-02-01']) {
    await invoke(stack.handlers.evaluate, 'evaluate', { scenarioId: 'kupyansk', asOf: `${month}T00:00:00Z` });
  }
  document = (await (await api.get('/v1/openapi.json')).json()) as Record<string, unknown>;
});

afterAll(async () => {
  stack?.pump.close();
  await api?.close();
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
      const response = await api.send(exchange.method, exchange.path, exchange.body, exchange.headers);
      statuses.push(response.status);

      // Assert
      const declared = operation?.responses[String(response.status)] as
        | { content?: Record<string, { schema: Record<string, unknown> }> }
        | undefined;
      expect(declared, `${exchange.method} ${exchange.path} answered ${response.status}`).toBeDefined();
      const text = await response.text();
      if (!declared?.content) {
        expect(text).toBe('');
        continue;
      }
      const type = response.headers.get('content-type') ?? '';
      const media = declared.content[type];
      expect(media, `${exchange.path}: ${type}`).toBeDefined();
      const check = schemaCheck(media?.schema ?? {}, document);
      check(JSON.parse(text));
      expect(check.errors ?? [], `${exchange.method} ${exchange.path} (${response.status})`).toEqual([]);
    }
    // Each route was seen answering, and (except the ones that cannot fail on input) failing.
    expect(statuses.some((s) => s < 300)).toBe(true);
  });
});
