// A local HTTP server (127.0.0.1, a free port) that stands in for publishers: each route is a handler.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Route = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export interface Publisher {
  base: string;
  /** Requests received per path. */
  hits: Map<string, number>;
  requests: IncomingMessage[];
  close(): Promise<void>;
}

export async function startPublisher(routes: Record<string, Route>): Promise<Publisher> {
  const hits = new Map<string, number>();
  const requests: IncomingMessage[] = [];
  const server: Server = createServer(async (request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    requests.push(request);
    const route = routes[path];
    if (!route) {
      response.writeHead(404).end('not found');
      return;
    }
    await route(request, response);
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    hits,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
