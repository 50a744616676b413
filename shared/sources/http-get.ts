// One HTTP GET of a source under the fetch policy: redirects followed by hand, the address guard on
// each connection, timeout, size limit, content-type check, conditional GET (fetch-source.ts retries).
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { guardedLookup, refusedLiteral } from './address-guard.ts';
import {
  FetchError,
  type FetchOutcome,
  type FetchPolicy,
  type FetchRequest,
  type Validators,
} from './fetch-policy.ts';
import { http } from './lazy-builtins.ts';

/** The only request headers kept on a redirect to another origin. */
const SAFE_ACROSS_ORIGINS = new Set(['accept', 'user-agent']);

/** One attempt at `request.url`: a retryable failure throws a FetchError with `retryable` set. */
export async function getOnce(
  request: FetchRequest,
  policy: FetchPolicy,
  budget: AbortSignal,
): Promise<FetchOutcome> {
  const { label } = request;
  const deadline = AbortSignal.any([AbortSignal.timeout(policy.timeoutMs), budget]);
  const headers: Record<string, string> = {
    accept: request.accept.filter((t) => !t.startsWith('+')).join(', ') || '*/*',
    'user-agent': 'signpost-ingest',
    ...request.headers,
  };
  if (request.validators?.etag) headers['if-none-match'] = request.validators.etag;
  if (request.validators?.lastModified) headers['if-modified-since'] = request.validators.lastModified;

  let url = new URL(request.url);
  for (let hop = 0; ; hop++) {
    const response = await send(url, headers, deadline, label, policy);
    const status = response.statusCode ?? 0;
    if (status >= 300 && status < 400 && status !== 304) {
      response.resume();
      const location = response.headers.location;
      if (!location) throw new FetchError(label, `HTTP ${status} without a Location`);
      if (hop >= policy.maxRedirects)
        throw new FetchError(label, `more than ${policy.maxRedirects} redirects`);
      const next = new URL(location, url);
      if (next.protocol !== 'http:' && next.protocol !== 'https:')
        throw new FetchError(label, `redirected to a ${next.protocol} URL`);
      // Nothing configured for one origin (credentials from env or Secrets Manager, validators) follows
      // a redirect to another: only accept and user-agent do.
      if (next.origin !== url.origin) {
        for (const name of Object.keys(headers)) {
          if (!SAFE_ACROSS_ORIGINS.has(name.toLowerCase())) delete headers[name];
        }
      }
      url = next;
      continue;
    }
    if (status === 304 && request.validators) {
      response.resume();
      return { notModified: true };
    }
    if (status === 429 || status >= 500) {
      response.resume();
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryAfterMs) {
        throw new FetchError(
          label,
          `HTTP ${status}, asked to retry after ${Math.ceil(retryAfterMs / 1000)} s`,
        );
      }
      throw new FetchError(label, `HTTP ${status}`, true, retryAfterMs);
    }
    if (status < 200 || status >= 300) {
      response.resume();
      throw new FetchError(label, `HTTP ${status}`);
    }
    const contentType = (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (contentType && !acceptable(contentType, request.accept)) {
      response.destroy();
      throw new FetchError(label, `content type ${contentType}, expected ${request.accept.join(' or ')}`);
    }
    const text = await readBody(response, label, policy, deadline);
    if (/^\s*<(!doctype html|html[\s>])/i.test(text.slice(0, 512))) {
      throw new FetchError(label, 'an HTML page, not data (an error page served with 200?)');
    }
    const validators: Validators = {};
    if (typeof response.headers.etag === 'string') validators.etag = response.headers.etag;
    if (typeof response.headers['last-modified'] === 'string')
      validators.lastModified = response.headers['last-modified'];
    return { notModified: false, text, contentType, validators };
  }
}

function send(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
  label: string,
  policy: FetchPolicy,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // An IP literal is never looked up: check it here; names are checked by the lookup at connect time.
    const refused = refusedLiteral(url.hostname, policy.allowLoopback);
    if (refused) return reject(new FetchError(label, refused));
    const request = (url.protocol === 'https:' ? httpsRequest : http().request)(url, {
      headers,
      signal,
      lookup: guardedLookup(policy.allowLoopback),
    });
    request.once('response', resolve);
    request.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EREFUSED_ADDRESS') return reject(new FetchError(label, error.message));
      if (signal.aborted) return reject(timedOut(label, policy));
      reject(new FetchError(label, `request failed: ${error.message}`, true));
    });
    request.end();
  });
}

function timedOut(label: string, policy: FetchPolicy): FetchError {
  return new FetchError(label, `no complete answer within ${policy.timeoutMs} ms`, true);
}

/** Reads the body while counting: a false or absent Content-Length cannot exhaust memory. */
async function readBody(
  response: IncomingMessage,
  label: string,
  policy: FetchPolicy,
  signal: AbortSignal,
): Promise<string> {
  const tooLarge = () => new FetchError(label, `larger than ${policy.maxBytes} bytes`);
  const declared = Number(response.headers['content-length'] ?? Number.NaN);
  if (declared > policy.maxBytes) {
    response.destroy();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.byteLength;
      if (size > policy.maxBytes) {
        response.destroy();
        throw tooLarge();
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof FetchError) throw error;
    if (signal.aborted) throw timedOut(label, policy);
    throw new FetchError(label, `body truncated after ${size} bytes`, true);
  }
  if (!response.complete || (Number.isFinite(declared) && size < declared)) {
    throw new FetchError(label, `body truncated after ${size} bytes`, true);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Whether a media type is accepted: listed, or its structured suffix (`+json`) is. Empty list: any. */
function acceptable(contentType: string, accept: readonly string[]): boolean {
  if (accept.length === 0 || accept.includes(contentType)) return true;
  const suffix = /\+[a-z]+$/.exec(contentType)?.[0];
  return suffix !== undefined && accept.includes(suffix);
}

/** `Retry-After` as seconds or an HTTP date, in milliseconds from now. */
export function parseRetryAfter(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
