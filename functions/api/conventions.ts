// HTTP conventions every response follows: CORS headers (cors.ts), ETag with If-None-Match (304), and who
// may cache it (the pages, behind the same API, follow the last two).
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

/** Adds CORS headers, then the caching conventions of {@link validated}. */
export function applyConventions(
  event: APIGatewayProxyEventV2,
  response: APIGatewayProxyStructuredResultV2,
  options: { origins: string[]; privateReads: boolean },
): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = {
    ...(response.headers as Record<string, string>),
    ...corsHeaders(options.origins, event.headers?.origin),
  };
  return validated(event, { ...response, headers }, options.privateReads);
}

/**
 * Gives a GET's 200 an ETag and answers 304 when the client already has it (the pages follow this too).
 * With `privateReads` (reads need IAM) shared caches must not keep responses.
 */
export function validated(
  event: APIGatewayProxyEventV2,
  response: APIGatewayProxyStructuredResultV2,
  privateReads: boolean,
): APIGatewayProxyStructuredResultV2 {
  const headers: Record<string, string> = { ...(response.headers as Record<string, string>) };
  const cache = headers['cache-control'];
  if (privateReads && cache?.startsWith('public'))
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
