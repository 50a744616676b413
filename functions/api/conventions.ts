// HTTP conventions every response follows: CORS, ETag with If-None-Match (304), and who may cache it.
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The CORS policy: `*`, or the origins allowed, comma-separated (`CORS_ORIGIN`). API Gateway applies
 * the stage's own CORS settings when deployed; these headers serve local mode and direct invocations.
 */
export function parseOrigins(setting: string): string[] {
  return setting
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== '');
}

/**
 * CORS headers for an answer to `requestOrigin`: `*` when any origin may read; else the request's
 * origin when it is allowed (with `Vary: Origin`, so caches keep one answer per origin), and no
 * allow-origin at all when it is not, which the browser then refuses.
 */
export function corsHeaders(allowed: string[], requestOrigin: string | undefined): Record<string, string> {
  const base = { 'access-control-expose-headers': 'etag' };
  if (allowed.includes('*')) return { ...base, 'access-control-allow-origin': '*' };
  const vary = { vary: 'origin' };
  if (requestOrigin && allowed.includes(requestOrigin))
    return { ...base, ...vary, 'access-control-allow-origin': requestOrigin };
  return vary;
}

/** The answer to a CORS preflight (locally; API Gateway answers them itself when deployed). */
export function preflight(
  allowed: string[],
  requestOrigin: string | undefined,
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: 204,
    headers: {
      ...corsHeaders(allowed, requestOrigin),
      'access-control-allow-methods': 'GET, POST, PUT, DELETE',
      'access-control-allow-headers': 'authorization, content-type, if-none-match',
      'access-control-max-age': '86400',
    },
  };
}

/** A strong validator of the exact body bytes. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || tag === etag);
}

/**
 * Adds CORS headers; gives a GET's 200 an ETag and answers 304 when the client already has it.
 * With `privateReads` (reads need IAM) shared caches must not keep responses.
 */
export function applyConventions(
  event: APIGatewayProxyEventV2,
  response: APIGatewayProxyStructuredResultV2,
  options: { origins: string[]; privateReads: boolean },
): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {
    ...(response.headers as Record<string, string>),
    ...corsHeaders(options.origins, event.headers?.origin),
  };
  const cache = headers['cache-control'];
  if (options.privateReads && cache?.startsWith('public'))
    headers['cache-control'] = cache.replace('public', 'private');
  if (
    event.requestContext.http.method !== 'GET' ||
    response.statusCode !== 200 ||
    response.body === undefined
  ) {
    return { ...response, headers };
  }
  const etag = etagOf(response.body);
  headers.etag = etag;
  if (matches(event.headers?.['if-none-match'], etag)) {
    const { 'content-type': _type, ...rest } = headers;
    return { statusCode: 304, headers: rest };
  }
  return { ...response, headers };
}
