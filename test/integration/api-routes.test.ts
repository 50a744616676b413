// The read routes over HTTP on DynamoDB Local: lists, pagination, validation, caching, CORS, errors.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { toApiEvent } from '../../cli/local/http-api.ts';
import { invoke } from '../../cli/local/lambda.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { invokeEvaluate, seedScenario, useApi, useLocalStack } from './local-stack.ts';

const MONTHS = ['2023-10-01', '2023-11-01', '2023-12-01', '2024-01-01', '2024-02-01'];

interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// IAM mode, as deployed: no local token.
const stack = useLocalStack({ ingested: true, env: { SIGNPOST_LOCAL_TOKEN: undefined } });
const api = useApi(stack);

beforeAll(async () => {
  await invokeEvaluate(stack, MONTHS);
});

async function getJson<T>(path: string): Promise<T> {
  const response = await api.get(path);
  expect(response.status, path).toBe(200);
  return (await response.json()) as T;
}

describe('scenarios', () => {
  it('lists the scenarios with their paths and indicator ids', async () => {
    const body = await getJson<{ items: { id: string; paths: { id: string }[]; indicators: string[] }[] }>(
      '/v1/scenarios',
    );

    expect(body.items.map((s) => s.id)).toEqual(['kupyansk']);
    expect(body.items[0]?.paths.map((p) => p.id)).toEqual(['baseline', 'risk']);
    expect(body.items[0]?.indicators).toEqual(seedScenario(stack).indicators.map((i) => i.id));
  });

  it('answers a scenario definition with its paths, indicators and evidence models', async () => {
    const body = await getJson<{ id: string; indicators: { id: string; evidence: { model: string } }[] }>(
      '/v1/scenarios/kupyansk',
    );

    expect(body.id).toBe('kupyansk');
    expect(body.indicators.map((i) => i.evidence.model)).toEqual(
      seedScenario(stack).indicators.map((i) => i.evidence.model),
    );
  });

  it('answers 404 problem+json for an unknown scenario', async () => {
    const response = await api.get('/v1/scenarios/atlantis');

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, title: 'Scenario not found' });
  });
});

describe('assessment history', () => {
  it('pages through the history oldest first with an opaque cursor, without gaps or repeats', async () => {
    // Act
    const first = await getJson<Page<{ asOf: string }>>('/v1/scenarios/kupyansk/assessments?limit=2');
    const second = await getJson<Page<{ asOf: string }>>(
      `/v1/scenarios/kupyansk/assessments?limit=2&cursor=${first.nextCursor}`,
    );
    const third = await getJson<Page<{ asOf: string }>>(
      `/v1/scenarios/kupyansk/assessments?limit=2&cursor=${second.nextCursor}`,
    );

    // Assert
    const asOfs = [...first.items, ...second.items, ...third.items].map((a) => a.asOf.slice(0, 10));
    expect(asOfs).toEqual(MONTHS);
    expect(first.nextCursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(first.nextCursor).not.toContain('ASSESSMENT');
    expect(third.nextCursor).toBeNull();
  });

  it('bounds the history by from and to (inclusive), given as dates or date-times with offsets', async () => {
    const body = await getJson<Page<{ asOf: string }>>(
      '/v1/scenarios/kupyansk/assessments?from=2023-11-01&to=2024-01-01T01:00:00%2B01:00',
    );

    expect(body.items.map((a) => a.asOf)).toEqual([
      '2023-11-01T00:00:00.000Z',
      '2023-12-01T00:00:00.000Z',
      '2024-01-01T00:00:00.000Z',
    ]);
    expect(body.nextCursor).toBeNull();
  });

  it('refuses a cursor that was altered, hand-built or belongs to another list', async () => {
    // Arrange: a real cursor, and ones a client could build by reading it.
    const alerts = await getJson<Page<unknown>>('/v1/scenarios/kupyansk/assessments?limit=1');
    const real = JSON.parse(Buffer.from(alerts.nextCursor ?? '', 'base64url').toString('utf8'));
    const build = (cursor: object) => Buffer.from(JSON.stringify(cursor)).toString('base64url');
    const foreign = build({ ...real, list: 'alerts:kupyansk' });
    const moved = build({ ...real, after: '2020-01-01T00:00:00.000Z' });
    const handBuilt = build({ v: 1, list: real.list, after: '2020-01-01T00:00:00.000Z' });

    // Act and assert
    for (const cursor of ['not-a-cursor', foreign, moved, handBuilt, `${alerts.nextCursor}x`, '%00']) {
      const response = await api.get(`/v1/scenarios/kupyansk/assessments?cursor=${cursor}`);
      expect(response.status, cursor).toBe(400);
      expect((await response.json()) as object).toMatchObject({ errors: [{ in: 'query', field: 'cursor' }] });
    }
  });

  it('rejects unknown query parameters and names every bad field', async () => {
    const response = await api.get('/v1/scenarios/kupyansk/assessments?limit=0&from=yesterday&colour=red');
    const body = (await response.json()) as { errors: { in: string; field: string }[] };

    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(body.errors.map((e) => `${e.in}:${e.field}`).sort()).toEqual([
      'query:colour',
      'query:from',
      'query:limit',
    ]);
  });

  it('rejects a range whose end is before its start', async () => {
    const response = await api.get('/v1/scenarios/kupyansk/assessments?from=2024-02-01&to=2024-01-01');

    expect(response.status).toBe(400);
  });

  it('rejects query parameters on a route that takes none', async () => {
    const response = await api.get('/v1/scenarios/kupyansk/assessment?debug=1');

    expect(response.status).toBe(400);
  });
});

describe('alerts and observations', () => {
  it('lists the confirmed shift as an alert, and bounds alerts by their time', async () => {
    const all = await getJson<Page<{ sequence: number; kind: string; at: string }>>(
      '/v1/scenarios/kupyansk/alerts',
    );
    const none = await getJson<Page<unknown>>('/v1/scenarios/kupyansk/alerts?to=2020-01-01');

    expect(all.items.length).toBeGreaterThan(0);
    expect(all.items.some((a) => a.kind === 'path-shift' && a.at === '2024-02-01T00:00:00.000Z')).toBe(true);
    expect(all.items.map((a) => a.sequence)).toEqual(
      [...all.items.map((a) => a.sequence)].sort((a, b) => a - b),
    );
    expect(none.items).toEqual([]);
  });

  it('pages an indicator observations by period', async () => {
    const first = await getJson<Page<{ period: string; value: number }>>(
      '/v1/indicators/ru-mechanized/observations?from=2023-10-01&to=2024-01-31&limit=3',
    );
    const rest = await getJson<Page<{ period: string }>>(
      `/v1/indicators/ru-mechanized/observations?from=2023-10-01&to=2024-01-31&limit=3&cursor=${first.nextCursor}`,
    );

    expect([...first.items, ...rest.items].map((o) => o.period)).toEqual([
      '2023-10-01',
      '2023-11-01',
      '2023-12-01',
      '2024-01-01',
    ]);
    expect(first.items[0]).toMatchObject({ indicatorId: 'ru-mechanized' });
    expect(rest.nextCursor).toBeNull();
  });

  it('answers 404 for an indicator no scenario declares', async () => {
    expect((await api.get('/v1/indicators/nope/observations')).status).toBe(404);
  });
});

describe('health', () => {
  it('reports every indicator, in id order, with its newest period and whether it is stale', async () => {
    const body = await getJson<{
      status: string;
      indicators: { indicatorId: string; newestPeriod: string; stale: boolean }[];
      nextCursor: string | null;
    }>('/v1/health');

    expect(body.indicators.map((i) => i.indicatorId)).toEqual(
      seedScenario(stack)
        .indicators.map((i) => i.id)
        .sort(),
    );
    expect(body.nextCursor).toBeNull();
    const ruMechanized = body.indicators.find((i) => i.indicatorId === 'ru-mechanized');
    expect(ruMechanized?.newestPeriod).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(body.status).toBe(body.indicators.some((i) => i.stale) ? 'stale' : 'ok');
  });
});

describe('HTTP conventions', () => {
  it('answers 304 without a body when If-None-Match carries the current ETag', async () => {
    const first = await api.get('/v1/scenarios/kupyansk/assessment');
    const etag = first.headers.get('etag') ?? '';

    const again = await api.get('/v1/scenarios/kupyansk/assessment', { 'if-none-match': etag });
    const other = await api.get('/v1/scenarios/kupyansk/assessment', { 'if-none-match': '"stale"' });

    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');
    expect(again.headers.get('etag')).toBe(etag);
    expect(other.status).toBe(200);
  });

  it('allows any origin by default, on answers and on problems, and answers preflights', async () => {
    const ok = await api.get('/v1/scenarios');
    const missing = await api.get('/v1/scenarios/atlantis');
    const preflight = await fetch(`${api.base}/v1/scenarios/kupyansk/silences/x`, { method: 'OPTIONS' });

    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(missing.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-methods')).toContain('PUT');
  });

  it('refuses unsigned writes when the API runs with IAM, before reading the body', async () => {
    const response = await api.send('PUT', '/v1/scenarios/kupyansk/silences/s1', { nonsense: true });

    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toContain('AWS4-HMAC-SHA256');
  });

  it('takes a write that came through the IAM authorizer', async () => {
    // Arrange: the event API Gateway sends after SigV4 succeeded carries the caller in the authorizer.
    const event = toApiEvent(
      'DELETE',
      new URL('http://127.0.0.1/v1/scenarios/kupyansk/silences/none'),
      { host: '127.0.0.1' },
      '',
    );
    const signed = {
      ...event,
      requestContext: {
        ...event.requestContext,
        authorizer: { iam: { userArn: 'arn:aws:iam::000000000000:user/ops', accountId: '000000000000' } },
      },
    };

    // Act
    const result = await invoke<{ statusCode: number }>(stack.handlers.api, 'api', signed);

    // Assert: past the authorizer check, the silence is simply not there.
    expect(result.statusCode).toBe(404);
  });

  it('answers 413 itself for a signed body over 256 KB that API Gateway passed on, base64-encoded', async () => {
    // Arrange: API Gateway takes bodies up to 10 MB; the handler holds its own 256 KB limit.
    const body = Buffer.from(JSON.stringify({ reason: 'x'.repeat(300 * 1024) })).toString('base64');
    const event = toApiEvent(
      'PUT',
      new URL('http://127.0.0.1/v1/scenarios/kupyansk/silences/big'),
      { host: '127.0.0.1', 'content-type': 'application/json' },
      body,
    );
    const signed = {
      ...event,
      isBase64Encoded: true,
      requestContext: {
        ...event.requestContext,
        authorizer: { iam: { userArn: 'arn:aws:iam::000000000000:user/ops', accountId: '000000000000' } },
      },
    };

    // Act
    const result = await invoke<{ statusCode: number; body: string }>(stack.handlers.api, 'api', signed);

    // Assert
    expect(result.statusCode).toBe(413);
    expect(JSON.parse(result.body)).toMatchObject({ status: 413, detail: 'The body is larger than 256 KB.' });
  });

  it('answers 413 for a body over 256 KB', async () => {
    const response = await api.send('PUT', '/v1/scenarios/kupyansk/silences/s1', 'x'.repeat(300 * 1024));

    expect(response.status).toBe(413);
  });

  it('answers a failure of DynamoDB with a bare 500 that discloses nothing', async () => {
    // Arrange: a failure DynamoDB Local cannot produce on demand.
    const mock = mockClient(DynamoDBDocumentClient);
    mock.onAnyCommand().rejects(new Error('ProvisionedThroughputExceeded at arn:aws:dynamodb:secret-table'));
    try {
      // Act
      const response = await api.get('/v1/scenarios/kupyansk/assessment');
      const text = await response.text();

      // Assert
      expect(response.status).toBe(500);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
      expect(text).not.toMatch(/secret|arn:|Provisioned|at \w+ \(/);
    } finally {
      mock.restore();
    }
  });

  it('logs an unhandled error under the API Gateway request id, which the access log also records', async () => {
    // Arrange
    const mock = mockClient(DynamoDBDocumentClient);
    mock.onAnyCommand().rejects(new Error('boom'));
    const event = toApiEvent('GET', new URL('http://127.0.0.1/v1/scenarios/kupyansk/assessment'), {}, '');
    let correlationId: unknown;
    const error = vi.spyOn(logger, 'error').mockImplementation(() => {
      correlationId = logger.getCorrelationId();
    });
    try {
      // Act
      await invoke(stack.handlers.api, 'api', event);

      // Assert
      expect(error).toHaveBeenCalledWith('unhandled API error', expect.anything());
      expect(correlationId).toBe(event.requestContext.requestId);
    } finally {
      error.mockRestore();
      mock.restore();
    }
  });
});
