// Serves the API and pages handlers over HTTP the way API Gateway's HTTP API does: a route key, path
// parameters and a payload-2.0 event per request, to the function the route belongs to.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { overBodyLimit } from '../../functions/api/request.ts';
import { ROUTE_TEMPLATES } from '../../functions/api/route-match.ts';
import { type Invocable, invoke } from './lambda.ts';

/** The route a request matches, if any: its template (with the function that serves it). */
function routeOf(method: string, url: URL) {
  return ROUTE_TEMPLATES.find((r) => r.method === method && r.pattern.test(url.pathname));
}

/**
 * `body` as API Gateway passes it: text when it is valid UTF-8, else base64 with `isBase64Encoded` (so
 * the handler sees the bytes and can refuse them, instead of text with replacement characters).
 */
export function toApiEvent(method: string, url: URL, headers: Record<string, string>, body: string | Buffer) {
  const route = routeOf(method, url);
  const match = route?.pattern.exec(url.pathname);
  const pathParameters = route
    ? Object.fromEntries(route.params.map((p, i) => [p, decodePathParameter(match?.[i + 1] ?? '')]))
    : undefined;
  const now = new Date();
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: route?.key ?? '$default',
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    ...(url.search ? { queryStringParameters: Object.fromEntries(url.searchParams) } : {}),
    ...(pathParameters ? { pathParameters } : {}),
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      domainName: headers.host ?? '127.0.0.1',
      domainPrefix: 'local',
      http: {
        method,
        path: url.pathname,
        protocol: 'HTTP/1.1',
        sourceIp: '127.0.0.1',
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: randomUUID(),
      routeKey: route?.key ?? '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    ...bodyOf(body),
  };
  return event;
}

function bodyOf(body: string | Buffer): { body?: string; isBase64Encoded: boolean } {
  if (typeof body === 'string' || body.length === 0)
    return { ...(body.length > 0 ? { body: String(body) } : {}), isBase64Encoded: false };
  const text = body.toString('utf8');
  return Buffer.from(text, 'utf8').equals(body)
    ? { body: text, isBase64Encoded: false }
    : { body: body.toString('base64'), isBase64Encoded: true };
}

/** API Gateway passes a malformed escape (`%E0%A4%A`) through as it is rather than failing. */
function decodePathParameter(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function problem(
  response: ServerResponse,
  status: number,
  title: string,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  response.end(JSON.stringify({ type: 'about:blank', title, status }));
}

async function readBody(request: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (overBodyLimit(size)) return null;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

export interface ApiServer {
  server: Server;
  /**
   * Starts answering with the API handler (and the pages handler for the page routes); until then every
   * request gets 503 with Retry-After.
   */
  ready(handler: Invocable, pages?: Invocable): void;
}

export function serveApi(initial?: Invocable, initialPages?: Invocable): ApiServer {
  let handler = initial;
  let pages = initialPages;
  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      const body = await readBody(request);
      if (body === null) return problem(response, 413, 'Payload Too Large');
      if (!handler) return problem(response, 503, 'Starting', { 'retry-after': '2' });
      const headers = Object.fromEntries(
        Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(',') : (v ?? '')]),
      );
      const method = request.method ?? 'GET';
      const event = toApiEvent(method, url, headers, body);
      // Like API Gateway: a page route goes to the pages function, everything else ($default too) to api.
      const target = routeOf(method, url)?.target === 'pages' && pages ? 'pages' : 'api';
      const result = await invoke<APIGatewayProxyStructuredResultV2>(
        target === 'pages' ? (pages as Invocable) : handler,
        target,
        event,
      );
      response.writeHead(result.statusCode ?? 200, result.headers as Record<string, string>);
      response.end(result.body ?? '');
    } catch (error) {
      // Like API Gateway: a request the adapter cannot turn into an event gets an answer, never a crash.
      process.stderr.write(`local API: ${(error as Error).message}\n`);
      if (!response.headersSent) problem(response, 400, 'Bad Request');
      else response.end();
    }
  });
  return {
    server,
    ready(next, nextPages) {
      handler = next;
      pages = nextPages;
    },
  };
}
