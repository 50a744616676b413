// The fetch policy against a local publisher misbehaving in every documented way, one fault per test.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { refusedAddress } from '../../shared/sources/address-guard.ts';
import { DEFAULT_FETCH_POLICY, type FetchPolicy } from '../../shared/sources/fetch-policy.ts';
import { readIndicator } from '../../shared/sources/read-indicator.ts';
import { indicatorWithSource } from '../fixtures/scenario.ts';
import { type Publisher, startPublisher } from './http-fixture.ts';

/** Tiny backoff so retries cost milliseconds, not seconds. */
const FAST: Partial<FetchPolicy> = { retries: 2, minDelayMs: 1, maxDelayMs: 5, timeoutMs: 2_000 };

const CSV = 'month,value\n2024-01,1\n2024-02,2\n';

describe('fetch policy against a misbehaving publisher', () => {
  let publisher: Publisher;
  let flaky = 0;

  beforeAll(async () => {
    publisher = await startPublisher({
      '/always-500.csv': (_q, r) => void r.writeHead(500).end('boom'),
      '/rate-limited.csv': (_q, r) => {
        flaky++;
        if (flaky === 1) r.writeHead(429, { 'retry-after': '1' }).end();
        else r.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
      },
      '/rate-limited-long.csv': (_q, r) => void r.writeHead(429, { 'retry-after': '3600' }).end(),
      '/slow.csv': async (_q, r) => {
        await new Promise((resolve) => setTimeout(resolve, 400));
        if (!r.destroyed) r.writeHead(200, { 'content-type': 'text/csv' }).end(CSV);
      },
      '/truncated.csv': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/csv', 'content-length': '1000' });
        r.write('month,value\n2024-01,1\n');
        setTimeout(() => r.socket?.destroy(), 20);
      },
      '/image.csv': (_q, r) => void r.writeHead(200, { 'content-type': 'image/png' }).end('\x89PNG'),
      '/huge.csv': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/csv', 'content-length': String(50 * 1024 * 1024) });
        r.write('month,value\n');
      },
      '/loop.csv': (_q, r) => void r.writeHead(302, { location: '/loop.csv' }).end(),
      '/error-page.csv': (_q, r) =>
        void r.writeHead(200, { 'content-type': 'text/html' }).end('<html><body>Oops</body></html>'),
      '/error-page-as-csv.csv': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/csv' })
          .end('<!DOCTYPE html><html><body>Service unavailable</body></html>'),
      '/messy.csv': (_q, r) =>
        void r
          .writeHead(200, { 'content-type': 'text/csv; charset=utf-8' })
          .end(
            'month,value\n2024-03,3\n2024-01,1\n2024-03,3\n2024-02,lots\n2024-02,\n2024-02-10T10:00:00,9\n2024-02-11T10:00:00Z,2\n',
          ),
      '/moved.csv': (_q, r) => void r.writeHead(301, { location: '/messy.csv' }).end(),
      '/rate-limited-10s.csv': (_q, r) => void r.writeHead(503, { 'retry-after': '10' }).end(),
      '/to-metadata.csv': (_q, r) =>
        void r.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-private.csv': (_q, r) => void r.writeHead(301, { location: 'http://[fd00:ec2::254]/x.csv' }).end(),
      '/elsewhere.csv': (_q, r) =>
        void r.writeHead(302, { location: `${other.base}/data.csv?from=elsewhere` }).end(),
    });
    other = await startPublisher({
      '/data.csv': (_q, r) => void r.writeHead(200, { 'content-type': 'text/csv' }).end(CSV),
    });
  });

  afterAll(async () => {
    await publisher.close();
    await other.close();
  });

  let other: Publisher;

  const csv = (path: string) =>
    indicatorWithSource(`{ kind: csv, url: "${publisher.base}${path}", time: month, value: value }`);

  it('retries a 500 with backoff, then fails naming the URL without its query, the status and the attempts', async () => {
    const read = readIndicator(csv('/always-500.csv?api_key=SECRETKEY123'), '.', { policy: FAST });

    const error = await read.then(
      () => null,
      (e: Error) => e,
    );

    expect(error?.message).toContain(`${publisher.base}/always-500.csv: HTTP 500 (3 attempts)`);
    expect(error?.message).not.toContain('SECRETKEY123');
    expect(publisher.hits.get('/always-500.csv')).toBe(3);
  });

  it('waits as long as a 429 Retry-After asks, then succeeds', async () => {
    const started = Date.now();

    const result = await readIndicator(csv('/rate-limited.csv'), '.', { policy: FAST });

    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(result.observations.map((o) => o.value)).toEqual([1, 2]);
    expect(publisher.hits.get('/rate-limited.csv')).toBe(2);
  });

  it('fails at once when Retry-After asks for longer than the policy allows', async () => {
    await expect(readIndicator(csv('/rate-limited-long.csv'), '.', { policy: FAST })).rejects.toThrow(
      'HTTP 429, asked to retry after 3600 s',
    );
    expect(publisher.hits.get('/rate-limited-long.csv')).toBe(1);
  });

  it('abandons an answer slower than the timeout, retries, then fails', async () => {
    // Arrange: the publisher answers after 400 ms; each attempt gives up at 100.
    const read = readIndicator(csv('/slow.csv'), '.', { policy: { ...FAST, timeoutMs: 100, retries: 1 } });

    // Act / Assert: two attempts, each abandoned at its timeout (the error is the timeout's).
    await expect(read).rejects.toThrow('/slow.csv: no complete answer within 100 ms (2 attempts)');
    expect(publisher.hits.get('/slow.csv')).toBe(2);
  });

  it('rejects a body cut short of its Content-Length as truncated, after retrying', async () => {
    await expect(readIndicator(csv('/truncated.csv'), '.', { policy: FAST })).rejects.toThrow(
      /truncated\.csv: body truncated after \d+ bytes \(3 attempts\)/,
    );
  });

  it('refuses a content type the kind does not accept, without retrying', async () => {
    await expect(readIndicator(csv('/image.csv'), '.', { policy: FAST })).rejects.toThrow(
      'content type image/png, expected text/csv or',
    );
    expect(publisher.hits.get('/image.csv')).toBe(1);
  });

  it('refuses a 50 MB body from its Content-Length, without reading it', async () => {
    const started = Date.now();

    await expect(readIndicator(csv('/huge.csv'), '.', { policy: FAST })).rejects.toThrow(
      `/huge.csv: larger than ${10 * 1024 * 1024} bytes`,
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(publisher.hits.get('/huge.csv')).toBe(1);
  });

  it('stops a redirect loop at the redirect limit', async () => {
    await expect(
      readIndicator(csv('/loop.csv'), '.', { policy: { ...FAST, maxRedirects: 3 } }),
    ).rejects.toThrow('/loop.csv: more than 3 redirects');
    expect(publisher.hits.get('/loop.csv')).toBe(4);
  });

  it('follows a redirect within the limit', async () => {
    const result = await readIndicator(csv('/moved.csv'), '.', { policy: FAST });

    expect(result.read).toBe(7);
  });

  it('refuses an HTML error page served with 200, by its type or by its content', async () => {
    await expect(readIndicator(csv('/error-page.csv'), '.', { policy: FAST })).rejects.toThrow(
      'content type text/html',
    );
    await expect(readIndicator(csv('/error-page-as-csv.csv'), '.', { policy: FAST })).rejects.toThrow(
      'an HTML page, not data',
    );
  });

  it('sorts out-of-order rows, rejects duplicates, non-numeric values and times without a zone', async () => {
    const result = await readIndicator(csv('/messy.csv'), '.', { policy: FAST });

    expect(result.observations.map((o) => [o.period, o.value])).toEqual([
      ['2024-01-01', 1],
      ['2024-02-01', 2],
      ['2024-03-01', 3],
    ]);
    expect(result.rejected).toEqual([
      { at: 'line 4', reason: 'duplicate of line 2' },
      { at: 'line 5', reason: 'value "lots" is not a finite number' },
      { at: 'line 6', reason: 'value "" is not a finite number' },
      { at: 'line 7', reason: expect.stringContaining('an instant with a time zone') },
    ]);
  });

  it('refuses instance-metadata and link-local addresses before connecting', async () => {
    const metadata = indicatorWithSource(
      '{ kind: json, url: "http://169.254.169.254/latest/meta-data/", time: t, value: v }',
    );

    await expect(readIndicator(metadata, '.', { policy: FAST })).rejects.toThrow(
      'refused address 169.254.169.254 (link-local or instance metadata)',
    );
    expect(refusedAddress('fd00:ec2::254')).toBeDefined();
    expect(refusedAddress('fe80::1')).toBeDefined();
    expect(refusedAddress('::ffff:169.254.169.254')).toBeDefined();
    expect(refusedAddress('127.0.0.1', true)).toBeUndefined();
    expect(refusedAddress('::1', true)).toBeUndefined();
  });

  it('puts every redirect hop through the address guard: a redirect to a refused address is refused', async () => {
    await expect(readIndicator(csv('/to-metadata.csv'), '.', { policy: FAST })).rejects.toThrow(
      '/to-metadata.csv: refused address 169.254.169.254 (link-local or instance metadata)',
    );
    await expect(readIndicator(csv('/to-private.csv'), '.', { policy: FAST })).rejects.toThrow(
      '/to-private.csv: refused address fd00:ec2::254 (private)',
    );
    // Refused, not retried: the publisher was asked once.
    expect(publisher.hits.get('/to-metadata.csv')).toBe(1);
  });

  it('sends no configured header but accept and user-agent after a redirect to another origin', async () => {
    const withKey = indicatorWithSource(
      `{ kind: csv, url: "${publisher.base}/elsewhere.csv", time: month, value: value, headers: { X-Api-Key: { env: FEED_KEY }, Authorization: { env: FEED_KEY, prefix: "Bearer " } } }`,
    );

    const result = await readIndicator(withKey, '.', { policy: FAST, env: { FEED_KEY: 's3cret' } });

    expect(result.read).toBe(2);
    const first = publisher.requests.find((q) => q.url === '/elsewhere.csv');
    expect(first?.headers['x-api-key']).toBe('s3cret');
    const second = other.requests.find((q) => q.url?.startsWith('/data.csv'));
    expect(second?.headers['x-api-key']).toBeUndefined();
    expect(second?.headers.authorization).toBeUndefined();
    expect(second?.headers['user-agent']).toBe('signpost-ingest');
    expect(second?.headers.accept).toContain('text/csv');
  });

  it('refuses loopback unless the policy allows it, by literal and by name', async () => {
    const closed = { ...FAST, allowLoopback: false };

    await expect(readIndicator(csv('/messy.csv'), '.', { policy: closed })).rejects.toThrow(
      'refused address 127.0.0.1 (loopback)',
    );
    const byName = indicatorWithSource(
      `{ kind: csv, url: "${publisher.base.replace('127.0.0.1', 'localhost')}/messy.csv", time: month, value: value }`,
    );
    await expect(readIndicator(byName, '.', { policy: closed })).rejects.toThrow(
      /refused address .* \(loopback\)/,
    );
    expect(publisher.hits.get('/messy.csv') ?? 0).toBeLessThanOrEqual(2); // only the earlier, allowed tests
  });

  it('fails at once on a Retry-After over the default 5 s cap', async () => {
    const started = Date.now();

    await expect(readIndicator(csv('/rate-limited-10s.csv'), '.', { policy: FAST })).rejects.toThrow(
      'HTTP 503, asked to retry after 10 s',
    );
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(publisher.hits.get('/rate-limited-10s.csv')).toBe(1);
  });

  it('gives up on a source when its total time budget is spent, retries left or not', async () => {
    const started = Date.now();
    const policy = { ...FAST, timeoutMs: 250, retries: 10, budgetMs: 600 };

    await expect(readIndicator(csv('/slow.csv'), '.', { policy })).rejects.toThrow(
      /\/slow\.csv: (gave up: its 600 ms time budget is spent|no complete answer within 250 ms) \(\d attempts\)/,
    );
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('defaults to a 30 s budget per source and a 5 s Retry-After cap', () => {
    expect(DEFAULT_FETCH_POLICY).toMatchObject({
      budgetMs: 30_000,
      maxRetryAfterMs: 5_000,
      allowLoopback: false,
    });
  });
});
