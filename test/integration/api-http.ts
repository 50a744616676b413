// API tests: the local HTTP adapter on a free port in front of a local stack's API handler (and its pages
// handler, for the page routes).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serveApi } from '../../cli/local/http-api.ts';
import type { Invocable } from '../../cli/local/lambda.ts';

export interface ApiClient {
  base: string;
  server: Server;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
  send(method: string, path: string, body: unknown, headers?: Record<string, string>): Promise<Response>;
  close(): Promise<void>;
}

export async function serveForTest(handler: Invocable, pages?: Invocable): Promise<ApiClient> {
  const server = serveApi(handler, pages).server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    base,
    server,
    get: (path, headers = {}) => fetch(`${base}${path}`, { headers }),
    send: (method, path, body, headers = {}) =>
      fetch(`${base}${path}`, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
