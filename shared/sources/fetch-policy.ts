// The fetch policy every HTTP source kind shares: address guard, redirects, timeout, size limit,
// retries with backoff, conditional GET and a content-type check.
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import pRetry, { AbortError } from 'p-retry';
import { SourceError } from './source-error.ts';

export interface FetchPolicy {
  /** Per attempt, from the request to the last byte of the body. */
  timeoutMs: number;
  maxBytes: number;
  /** Attempts after the first, on network errors, timeouts, truncated bodies, 5xx and 429. */
  retries: number;
  /** Exponential backoff (factor 2) between these bounds, each delay randomised by x1 to x2. */
  minDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a publisher asking for more fails the run at once. */
  maxRetryAfterMs: number;
  maxRedirects: number;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  timeoutMs: 15_000,
  maxBytes: 10 * 1024 * 1024,
  retries: 2,
  minDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 30_000,
  maxRedirects: 5,
};

/** What a conditional GET sends back: the validators of the last body stored. */
export interface Validators {
  etag?: string;
  lastModified?: string;
}

export interface FetchRequest {
  url: string;
  /** How the source is named in errors: never the query string, which may carry a key. */
  label: string;
  /** Media types the kind accepts (`text/csv`); any other declared type is refused. Empty: any. */
  accept: readonly string[];
  headers?: Record<string, string>;
  validators?: Validators;
  policy?: Partial<FetchPolicy>;
}

export type FetchOutcome =
  | { notModified: true }
  | { notModified: false; text: string; contentType: string; validators: Validators };

/** A failed fetch, named by its source's label; `retryable` failures were retried before surfacing. */
export class FetchError extends SourceError {
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  constructor(location: string, message: string, retryable = false, retryAfterMs?: number) {
    super(location, message);
    this.retryable = retryable;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Link-local addresses, which include the cloud instance-metadata endpoints, and those endpoints. */
const BLOCKED = new BlockList();
BLOCKED.addSubnet('169.254.0.0', 16, 'ipv4'); // link-local; 169.254.169.254 is EC2/GCP/Azure metadata
BLOCKED.addSubnet('fe80::', 10, 'ipv6'); // link-local
BLOCKED.addAddress('fd00:ec2::254', 'ipv6'); // EC2 metadata over IPv6
BLOCKED.addAddress('100.100.100.200', 'ipv4'); // Alibaba Cloud metadata

/** Why an address may not be fetched, or undefined. Loopback stays allowed: fixtures are served there. */
export function refusedAddress(address: string): string | undefined {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  const ip = mapped ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : 'ipv4';
  return BLOCKED.check(ip, family)
    ? `refused address ${address} (link-local or instance metadata)`
    : undefined;
}

/** DNS lookup that refuses blocked addresses at connect time, so a rebinding name cannot slip past. */
const guardedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, '', 0);
    const refused = addresses.map((a) => refusedAddress(a.address)).find((r) => r !== undefined);
    if (refused) return callback(Object.assign(new Error(refused), { code: 'EREFUSED_ADDRESS' }), '', 0);
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    const first = addresses[0] as LookupAddress;
    callback(null, first.address, first.family);
  });
};

/** Fetches a URL under the policy; a 304 to a conditional GET comes back as `notModified`. */
export async function fetchSource(request: FetchRequest): Promise<FetchOutcome> {
  const policy = { ...DEFAULT_FETCH_POLICY, ...request.policy };
  let attempts = 0;
  try {
    return await pRetry(
      async () => {
        attempts++;
        try {
          return await attempt(request, policy);
        } catch (error) {
          if (error instanceof FetchError && !error.retryable) throw new AbortError(error);
          throw error;
        }
      },
      {
        retries: policy.retries,
        factor: 2,
        minTimeout: policy.minDelayMs,
        maxTimeout: policy.maxDelayMs,
        randomize: true,
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          // Retry-After replaces the backoff when it asks for longer.
          const asked = error instanceof FetchError ? error.retryAfterMs : undefined;
          if (retriesLeft > 0 && asked !== undefined && asked > retryDelay) await sleep(asked - retryDelay);
        },
      },
    );
  } catch (error) {
    if (error instanceof FetchError && error.retryable && attempts > 1) {
      throw new FetchError(
        request.label,
        `${error.message.slice(request.label.length + 2)} (${attempts} attempts)`,
      );
    }
    if (error instanceof FetchError) throw error;
    throw new FetchError(request.label, `request failed: ${(error as Error).message}`);
  }
}

async function attempt(request: FetchRequest, policy: FetchPolicy): Promise<FetchOutcome> {
  const { label } = request;
  const deadline = AbortSignal.timeout(policy.timeoutMs);
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
      // Credentials meant for one origin never follow a redirect to another.
      if (next.origin !== url.origin) delete headers.authorization;
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
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? refusedAddress(host) : undefined;
    if (refused) return reject(new FetchError(label, refused));
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      headers,
      signal,
      lookup: guardedLookup,
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

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
