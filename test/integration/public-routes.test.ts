// Nothing private on a public route: a scenario whose sources carry a key in the query string, a
// Secrets Manager secret and an environment variable in their headers, ingested until its sources fail
// naming them, evaluated, with a value posted by hand; then every public GET route is read and scanned.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { operations, ROUTE_KEYS } from '../../functions/api/operations.ts';
import { PAGE_ROUTE_KEYS } from '../../functions/pages/routes.ts';
import { ingest } from '../../shared/app/ingest.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { useApi, useLocalStack } from './local-stack.ts';

/** What must never reach a public answer: each string the scenario's source settings hold. */
const PRIVATE = {
  queryKey: 'QUERYSECRET1234',
  otherQueryValue: 'ANOTHERQUERY99',
  secretId: 'prod/feeds/SECRETID5678',
  secretKey: 'tokenfield77',
  envName: 'FEED_ENV_NAME_9',
  caller: 'arn:aws:iam::123456789012:role/analyst',
};

function scenarioFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signpost-public-'));
  // Port 9 (discard) on loopback: nothing answers, so each fetch fails and its error is recorded.
  const indicators = [
    {
      id: 'keyed-feed',
      source: {
        kind: 'json',
        url: `http://127.0.0.1:9/data.json?api_key=${PRIVATE.queryKey}&format=json`,
        time: 't',
        value: 'v',
        headers: { 'X-Api-Key': { secret: PRIVATE.secretId, key: PRIVATE.secretKey } },
      },
      expect: AB_EXPECT,
    },
    {
      id: 'env-feed',
      source: {
        kind: 'csv',
        url: `http://127.0.0.1:9/data.csv?token=${PRIVATE.otherQueryValue}`,
        time: 't',
        value: 'v',
        headers: { Authorization: { env: PRIVATE.envName, prefix: 'Bearer ' } },
      },
      expect: AB_EXPECT,
    },
    { id: 'by-hand', source: { kind: 'manual' }, staleAfter: 'P10Y', expect: AB_EXPECT },
  ];
  writeFileSync(join(dir, 'secretive.yaml'), scenarioYaml({ id: 'secretive', paths: EVEN_AB, indicators }));
  return dir;
}

describe('the public routes of a scenario whose sources carry secrets', () => {
  const stack = useLocalStack({ scenariosDir: scenarioFiles() });
  const api = useApi(stack);

  beforeAll(async () => {
    // Each source fails, its error naming what configures it (the secret, the variable).
    const reports = await ingest(stack.table, stack.registry, undefined, new Date(), {
      env: {},
      readSecret: async (id) => {
        throw new Error(`AccessDeniedException: not allowed to read ${id}`);
      },
      policy: { retries: 0, timeoutMs: 1_000 },
    });
    expect(reports.filter((r) => r.status === 'failed').map((r) => r.error)).toEqual([
      expect.stringContaining(PRIVATE.secretId),
      expect.stringContaining(PRIVATE.envName),
    ]);
    // A value posted by hand, by an IAM principal; then an evaluation, which stores what reads serve.
    const post = await invoke<{ statusCode: number }>(stack.handlers.api, 'api', {
      version: '2.0',
      routeKey: 'POST /v1/indicators/{id}/observations',
      rawPath: '/v1/indicators/by-hand/observations',
      rawQueryString: '',
      headers: { 'content-type': 'application/json' },
      pathParameters: { id: 'by-hand' },
      requestContext: {
        http: { method: 'POST', path: '/v1/indicators/by-hand/observations' },
        requestId: 'r',
        authorizer: { iam: { userArn: PRIVATE.caller } },
      },
      body: JSON.stringify({ observations: [{ period: '2024-01-01', value: 2 }] }),
      isBase64Encoded: false,
    });
    expect(post.statusCode).toBe(200);
    for (const { id } of stack.registry.scenarios)
      await invoke(stack.handlers.evaluate, 'evaluate', { scenarioId: id, asOf: '2024-03-01T00:00:00Z' });
  });

  /** Every public GET route, the pages included, its `{id}` filled with each id it can take. */
  function publicPaths(): string[] {
    const ids = { scenarios: ['secretive'], indicators: ['keyed-feed', 'env-feed', 'by-hand'] };
    const reads = ROUTE_KEYS.filter((key) => key.startsWith('GET ') && operations[key].access === 'read');
    return [...reads, ...PAGE_ROUTE_KEYS].flatMap((key) => {
      const path = key.slice(4);
      const fill = path.startsWith('/v1/indicators/') ? ids.indicators : ids.scenarios;
      return path.includes('{id}') ? fill.map((id) => path.replace('{id}', id)) : [path];
    });
  }

  it('shows none of them on any public route, and still says which source failed and why', async () => {
    // Act
    const answers = await Promise.all(
      publicPaths().map(async (path) => {
        const response = await api.get(path);
        return { path, status: response.status, body: await response.text() };
      }),
    );

    // Assert
    const leaks = answers.flatMap(({ path, body }) =>
      Object.entries(PRIVATE)
        .filter(([, value]) => body.includes(value))
        .map(([name]) => `${path}: ${name}`),
    );
    expect(leaks).toEqual([]);
    expect(answers.filter((a) => a.status >= 500)).toEqual([]);
    const health = JSON.parse(answers.find((a) => a.path === '/v1/health')?.body ?? '{}');
    const keyed = health.indicators.find((i: { indicatorId: string }) => i.indicatorId === 'keyed-feed');
    expect(keyed.lastError).toBe(
      'http://127.0.0.1:9/data.json: header X-Api-Key: secret [redacted]: AccessDeniedException: not allowed to read [redacted]',
    );
    const scenario = JSON.parse(answers.find((a) => a.path === '/v1/scenarios/secretive')?.body ?? '{}');
    expect(scenario.indicators[0].source).toMatchObject({
      kind: 'json',
      url: 'http://127.0.0.1:9/data.json',
    });
    expect(scenario.indicators[0].source).not.toHaveProperty('headers');
    const page = answers.find((a) => a.path === '/scenarios/secretive');
    expect(page?.status).toBe(200);
    expect(page?.body).toContain('header X-Api-Key: secret [redacted]: AccessDeniedException');
  });
});
