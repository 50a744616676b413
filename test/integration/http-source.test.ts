import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readIndicator } from '../../shared/sources/read-indicator.ts';
import { indicatorWithSource } from '../fixtures/scenario.ts';

// A local HTTP server stands in for a publisher; the shipped example files are its feed.
describe('csv and json sources over HTTP', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    const files: Record<string, [string, string]> = {
      '/artillery.csv': ['scenarios/data/kupyansk/artillery-systems.csv', 'text/csv'],
      '/armour.json': ['scenarios/data/kupyansk/armoured-vehicles.json', 'application/json'],
    };
    server = createServer(async (request, response) => {
      if (request.url === '/endless.csv') {
        // Chunked, with no Content-Length: only counting while reading can stop it.
        response.writeHead(200, { 'content-type': 'text/csv' });
        const row = Buffer.alloc(64 * 1024, 'a');
        for (let sent = 0; sent <= 11 * 1024 * 1024 && !response.destroyed; sent += row.length) {
          if (!response.write(row)) await new Promise((r) => response.once('drain', r));
        }
        response.end();
        return;
      }
      const file = files[new URL(request.url ?? '/', 'http://x').pathname];
      if (!file) {
        response.writeHead(404).end('not found');
        return;
      }
      response.writeHead(200, { 'content-type': file[1] }).end(await readFile(file[0]));
    }).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('reads a CSV source from a URL into monthly observations that name the URL', async () => {
    const url = `${base}/artillery.csv`;
    const result = await readIndicator(
      indicatorWithSource(`{ kind: csv, url: "${url}", time: month, value: systems_destroyed }`),
      '.',
    );

    expect(result.read).toBe(53);
    expect(result.rejected).toEqual([]);
    expect(result.observations[0]).toEqual({
      indicatorId: 'source-1',
      period: '2022-03-01',
      value: 312,
      source: url,
    });
  });

  it('reads a JSON source from a URL through its records path', async () => {
    const url = `${base}/armour.json`;
    const result = await readIndicator(
      indicatorWithSource(`{ kind: json, url: "${url}", records: series, time: month, value: value }`),
      '.',
    );

    expect(result.observations).toHaveLength(53);
    expect(result.observations.at(-1)).toEqual({
      indicatorId: 'source-1',
      period: '2026-07-01',
      value: 369,
      source: url,
    });
  });

  it('names a URL source without its query string, which may carry an API key', async () => {
    const url = `${base}/artillery.csv?api_key=s3cret`;
    const result = await readIndicator(
      indicatorWithSource(`{ kind: csv, url: "${url}", time: month, value: systems_destroyed }`),
      '.',
    );

    expect(result.observations[0]?.source).toBe(`${base}/artillery.csv`);
  });

  it('stops reading a body without Content-Length once it passes the size limit', async () => {
    const url = `${base}/endless.csv`;

    await expect(
      readIndicator(indicatorWithSource(`{ kind: csv, url: "${url}", time: month, value: v }`), '.'),
    ).rejects.toThrow(`${url}: larger than ${10 * 1024 * 1024} bytes`);
  });

  it('fails with the URL and the HTTP status when the publisher answers an error', async () => {
    const url = `${base}/missing.csv`;

    const failure = readIndicator(
      indicatorWithSource(`{ kind: csv, url: "${url}?token=s3cret", time: month, value: v }`),
      '.',
    );

    await expect(failure).rejects.toThrow(`${url}: HTTP 404`);
    await expect(failure).rejects.not.toThrow('s3cret');
  });
});
