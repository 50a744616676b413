// Ingest's storage on DynamoDB Local: revisions, fetch-run records, source health, conditional GET,
// paginated JSON with headers from the environment and Secrets Manager, and manual sources.
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingest } from '../../shared/app/ingest.ts';
import type { FetchPolicy } from '../../shared/sources/fetch-policy.ts';
import { clearSecretCache } from '../../shared/sources/headers.ts';
import { recentFetchRuns } from '../../shared/store/fetch-runs.ts';
import { listRevisions } from '../../shared/store/observation-revisions.ts';
import { listObservations, observationKey } from '../../shared/store/observations.ts';
import { getSourceHealth } from '../../shared/store/source-health.ts';
import { TABLE_KEY, TTL_ATTRIBUTE } from '../../shared/store/table.ts';
import { scenarioYaml, sourcesScenario } from '../fixtures/scenario.ts';
import { type Publisher, startPublisher } from './http-fixture.ts';
import { freshTable, scenarioFolder, useFreshTable, useScenarioFolder } from './local-stack.ts';

const FAST: Partial<FetchPolicy> = { retries: 1, minDelayMs: 1, maxDelayMs: 2, timeoutMs: 2_000 };
const NOW = new Date('2024-06-01T00:00:00Z');

describe('ingest storage', () => {
  let publisher: Publisher;
  let cumulative = 'day,total\n2024-01-31,10\n2024-02-29,15\n2024-03-31,21\n';
  let failing = false;
  const secretReads: string[] = [];

  beforeAll(async () => {
    publisher = await startPublisher({
      '/totals.csv': (request, response) => {
        const etag = `"${cumulative.length}-${cumulative.at(-3)}"`;
        if (failing) return void response.writeHead(503).end();
        if (request.headers['if-none-match'] === etag) return void response.writeHead(304).end();
        response.writeHead(200, { 'content-type': 'text/csv', etag }).end(cumulative);
      },
      '/api/series': (request, response) => {
        const page = Number(new URL(request.url ?? '', 'http://x').searchParams.get('page') ?? 1);
        const rows = [
          [{ month: '2024-01', v: 1 }],
          [{ month: '2024-02', v: 2 }],
          [{ month: '2024-03', v: 3 }],
        ][page - 1];
        response
          .writeHead(200, { 'content-type': 'application/vnd.api+json' })
          .end(
            JSON.stringify({ data: rows, links: { next: page < 3 ? `/api/series?page=${page + 1}` : null } }),
          );
      },
    });
  });

  afterAll(async () => {
    await publisher.close();
  });

  /** A cumulative CSV total (per-period changes through `transforms`), a paginated JSON series, a manual source. */
  const webScenario = (transforms = '[{ kind: delta }]') =>
    scenarioYaml(
      sourcesScenario([
        `{ kind: csv, url: "${publisher.base}/totals.csv", time: day, value: total, transforms: ${transforms} }`,
        `{ kind: json, url: "${publisher.base}/api/series?page=1", records: data, next: links.next, time: month, value: v, headers: { Authorization: { env: TEST_API_TOKEN, prefix: "Bearer " }, X-Api-Key: { secret: test/api, key: apiKey } } }`,
        '{ kind: manual }',
      ]),
    );
  const folder = useScenarioFolder('storage', () => ({ 'web.yaml': webScenario() }));
  const store = useFreshTable('storage');

  const run = (ids: string[], now = NOW) =>
    ingest(store, folder.registry, ids, now, {
      policy: FAST,
      env: { TEST_API_TOKEN: 't0ken' },
      readSecret: async (id) => {
        secretReads.push(id);
        return JSON.stringify({ apiKey: 'k3y' });
      },
    });

  it('stores per-period changes of a cumulative series and records the run and the source health', async () => {
    const [report] = await run(['source-1']);

    expect(report).toMatchObject({ status: 'succeeded', read: 3, written: 2, revised: 0, rejected: 0 });
    expect((await listObservations(store, 'source-1')).map((o) => [o.period, o.value])).toEqual([
      ['2024-02-01', 5],
      ['2024-03-01', 6],
    ]);
    const [latest] = await recentFetchRuns(store, 'source-1');
    expect(latest).toMatchObject({ status: 'succeeded', read: 3, written: 2, unchanged: 0, rejected: 0 });
    expect(await getSourceHealth(store, 'source-1')).toMatchObject({
      consecutiveFailures: 0,
      lastSuccessAt: expect.any(String),
      etag: expect.stringMatching(/^"/),
    });
  });

  it('writes nothing when the publisher answers 304 to the conditional GET', async () => {
    const [report] = await run(['source-1']);

    expect(report).toMatchObject({ status: 'not-modified', written: 0 });
    expect(publisher.requests.at(-1)?.headers['if-none-match']).toMatch(/^"/);
    expect((await recentFetchRuns(store, 'source-1'))[0]?.status).toBe('not-modified');
  });

  it('refetches in full, without validators, once the source configuration has changed', async () => {
    // Arrange: the same indicator, now scaled by 10: the stored values are those of the old setup.
    const edited = await scenarioFolder('edited', {
      'web.yaml': webScenario('[{ kind: delta }, { kind: scale, by: 10 }]'),
    });
    const own = await freshTable('edited');
    await ingest(own, folder.registry, ['source-1'], NOW, { policy: FAST });

    try {
      // Act
      const [report] = await ingest(own, edited.registry, ['source-1'], NOW, { policy: FAST });

      // Assert: no If-None-Match (the publisher would have said 304), and the values recomputed.
      expect(publisher.requests.at(-1)?.headers['if-none-match']).toBeUndefined();
      expect(report).toMatchObject({ status: 'succeeded', written: 2, revised: 2 });
      expect((await listObservations(own, 'source-1')).map((o) => o.value)).toEqual([50, 60]);
      // The next run of the edited setup is conditional again.
      const [again] = await ingest(own, edited.registry, ['source-1'], NOW, { policy: FAST });
      expect(again).toMatchObject({ status: 'not-modified' });
    } finally {
      await edited.remove();
    }
  });

  it('keeps a changed value as a revision, and a fall of the cumulative series as a flagged negative change', async () => {
    // The publisher corrects March's total down: March's change becomes negative.
    cumulative = 'day,total\n2024-01-31,10\n2024-02-29,15\n2024-03-31,13\n';

    const [report] = await run(['source-1'], new Date('2024-06-02T00:00:00Z'));

    expect(report).toMatchObject({ status: 'succeeded', written: 1, unchanged: 1, revised: 1 });
    expect((await listObservations(store, 'source-1')).map((o) => o.value)).toEqual([5, -2]);
    expect(await listRevisions(store, 'source-1')).toEqual([
      expect.objectContaining({
        period: '2024-03-01',
        value: 6,
        revisedTo: -2,
        revisedAt: '2024-06-02T00:00:00.000Z',
      }),
    ]);
    const { Item } = await store.db.send(
      new GetCommand({ TableName: store.name, Key: observationKey('source-1', '2024-03-01') }),
    );
    expect(Item?.flags).toEqual(['negative-delta']);
  });

  it('counts consecutive failures and keeps the stored data when the source fails', async () => {
    failing = true;
    await run(['source-1']);
    await run(['source-1']);
    failing = false;

    expect(await getSourceHealth(store, 'source-1')).toMatchObject({
      consecutiveFailures: 2,
      lastError: expect.stringContaining('HTTP 503'),
    });
    expect((await recentFetchRuns(store, 'source-1'))[0]).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('HTTP 503 (2 attempts)'),
    });
    const { Items } = await store.db.send(
      new QueryCommand({
        TableName: store.name,
        KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
        ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#sk': TABLE_KEY.sort },
        ExpressionAttributeValues: { ':pk': 'IND#source-1', ':sk': 'RUN#' },
      }),
    );
    // Runs expire through the table's TTL attribute, 90 days after they end.
    expect(Items?.every((item) => item[TTL_ATTRIBUTE] > Date.now() / 1000 + 89 * 86_400)).toBe(true);
    expect((await listObservations(store, 'source-1')).map((o) => o.value)).toEqual([5, -2]);
  });

  it('follows next-page links with headers from the environment and a secret read once per cold start', async () => {
    clearSecretCache();

    const [first] = await run(['source-2']);
    await run(['source-2']);

    expect(first).toMatchObject({ status: 'succeeded', read: 3, written: 3 });
    const pages = publisher.requests.filter((r) => r.url?.startsWith('/api/series'));
    expect(pages.map((r) => r.url)).toEqual([
      '/api/series?page=1',
      '/api/series?page=2',
      '/api/series?page=3',
      '/api/series?page=1',
      '/api/series?page=2',
      '/api/series?page=3',
    ]);
    expect(pages.every((r) => r.headers.authorization === 'Bearer t0ken')).toBe(true);
    expect(pages.every((r) => r.headers['x-api-key'] === 'k3y')).toBe(true);
    expect(secretReads).toEqual(['test/api']);
  });

  it('skips a manual source: nothing is fetched', async () => {
    const [report] = await run(['source-3']);

    expect(report).toMatchObject({ indicatorId: 'source-3', status: 'skipped', written: 0 });
    expect(report?.error).toBeUndefined();
  });
});
