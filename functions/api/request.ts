// Reads a request the way every route does: path, query and body validated by the operation's schemas.
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dayStart } from '../../shared/domain/period.ts';
import type * as z from '../../shared/runtime/validation.ts';
import { HttpProblem, invalidRequest } from './problem.ts';

/** The largest body a write accepts, in bytes (API Gateway passes up to 10 MB on). */
const MAX_BODY_BYTES = 256 * 1024;

/** What a client is told of a body over the limit (the 413's detail, the OpenAPI document's description). */
export const BODY_TOO_LARGE = `The body is larger than ${MAX_BODY_BYTES / 1024} KB`;

/** The body limit's one check: the handler's, and the local adapter's as it reads a request. */
export function overBodyLimit(bytes: number): boolean {
  return bytes > MAX_BODY_BYTES;
}

/** An operation's schemas, each built on its first call. */
interface Schemas {
  params: () => z.ZodMiniType;
  query: () => z.ZodMiniType;
  body?: () => z.ZodMiniType;
}

export interface ParsedRequest<S extends Schemas> {
  params: z.output<ReturnType<S['params']>>;
  query: z.output<ReturnType<S['query']>>;
  body: S['body'] extends () => z.ZodMiniType ? z.output<ReturnType<S['body']>> : undefined;
}

export function parseRequest<S extends Schemas>(schemas: S, event: APIGatewayProxyEventV2): ParsedRequest<S> {
  const params = schemas.params().safeParse(event.pathParameters ?? {});
  if (!params.success) throw invalidRequest('path', params.error.issues);
  const query = schemas.query().safeParse(queryOf(event));
  if (!query.success) throw invalidRequest('query', query.error.issues);
  let body: unknown;
  if (schemas.body) {
    const parsed = schemas.body().safeParse(jsonBody(event));
    if (!parsed.success) throw invalidRequest('body', parsed.error.issues);
    body = parsed.data;
  }
  return { params: params.data, query: query.data, body } as ParsedRequest<S>;
}

/** Every query parameter, including ones given without a value (`?limit`), which API Gateway drops. */
function queryOf(event: APIGatewayProxyEventV2): Record<string, string> {
  const query: Record<string, string> = { ...event.queryStringParameters } as Record<string, string>;
  for (const pair of (event.rawQueryString ?? '').split('&')) {
    if (!pair) continue;
    const name = safeDecode(pair.split('=')[0] ?? '');
    if (!(name in query)) query[name] = '';
  }
  return query;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/** The body as text: its bytes must be UTF-8 (RFC 8259), never read with replacement characters. */
function bodyText(event: APIGatewayProxyEventV2): string {
  const raw = event.body ?? '';
  const bytes = event.isBase64Encoded ? Buffer.from(raw, 'base64') : undefined;
  if (overBodyLimit(bytes ? bytes.length : Buffer.byteLength(raw)))
    throw new HttpProblem(413, 'Payload Too Large', `${BODY_TOO_LARGE}.`);
  try {
    const text = bytes ? new TextDecoder('utf-8', { fatal: true }).decode(bytes) : raw;
    // Text with a lone surrogate has no UTF-8 form: it came from bytes that were not UTF-8.
    if (text.isWellFormed()) return text;
  } catch {
    // Not UTF-8: answered below.
  }
  throw new HttpProblem(400, 'Invalid request', 'The body is not valid UTF-8.', {
    errors: [{ in: 'body', field: '', message: 'UTF-8 text' }],
  });
}

function jsonBody(event: APIGatewayProxyEventV2): unknown {
  const text = bodyText(event);
  const type = (event.headers?.['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new HttpProblem(400, 'Invalid request', 'The body must be JSON (content-type: application/json).', {
      errors: [{ in: 'header', field: 'content-type', message: 'application/json' }],
    });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new HttpProblem(400, 'Invalid request', 'The body is not valid JSON.', {
      errors: [{ in: 'body', field: '', message: 'valid JSON' }],
    });
  }
}

export function json(
  status: number,
  body: unknown,
  cacheControl = 'no-store',
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': 'application/json', 'cache-control': cacheControl },
    body: JSON.stringify(body),
  };
}

/** ISO 8601 date or date-time to the UTC instant it names (`2024-01-01` is midnight UTC). */
export function toUtc(instant: string): string {
  return (instant.length === 10 ? dayStart(instant) : new Date(instant)).toISOString();
}

/** Checks `from` <= `to` and turns both into UTC instants. */
export function utcRange(query: { from?: string; to?: string }): { from?: string; to?: string } {
  const from = query.from === undefined ? undefined : toUtc(query.from);
  const to = query.to === undefined ? undefined : toUtc(query.to);
  if (from !== undefined && to !== undefined && from > to) {
    throw new HttpProblem(400, 'Invalid request', 'query to: not before from', {
      errors: [{ in: 'query', field: 'to', message: 'not before from' }],
    });
  }
  return { ...(from !== undefined ? { from } : {}), ...(to !== undefined ? { to } : {}) };
}
