// HTTP conventions every response follows: CORS headers (cors.ts), ETag with If-None-Match (304), and who
// may cache it.
import { createHash } from 'node:crypto';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { corsHeaders } from './cors.ts';

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
