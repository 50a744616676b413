// The CORS policy, once: API Gateway's CORS configuration (infra/constructs/http-api.ts) and the answers
// the handler gives itself (local mode, direct invocations) are both built from these lists.
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** Request headers a browser may send: SigV4 signing (authorization, x-amz-*), JSON bodies, ETags. */
export const CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'if-none-match',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
];

/** The methods of the routes (functions/api/operations.ts), and OPTIONS, which every path answers. */
export const CORS_ALLOW_METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'] as const;

/** Response headers a browser lets scripts read: the ETag, to send back in If-None-Match. */
export const CORS_EXPOSE_HEADERS = ['etag'];

/** How long a browser may keep a preflight's answer. */
export const CORS_MAX_AGE_SECONDS = 86_400;

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
  const base = { 'access-control-expose-headers': CORS_EXPOSE_HEADERS.join(', ') };
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
      'access-control-allow-methods': CORS_ALLOW_METHODS.join(', '),
      'access-control-allow-headers': CORS_ALLOW_HEADERS.join(', '),
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    },
  };
}
