// The fetch policy every HTTP source kind shares: address guard, redirects, timeout, size limit,
// retries with backoff, conditional GET and a content-type check.
import type { LookupAddress } from 'node:dns';
import type { IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { createRequire } from 'node:module';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import pRetry, { AbortError } from 'p-retry';
import { SourceError } from './source-error.ts';

// node:http and node:dns load on first use, through require. Importing node:http as ESM builds its
// module facade, which reads every export, and one of them loads undici (measured 17 ms of each ingest
// cold start). The SDK's first DynamoDB request loads both modules anyway (checked with
// process.moduleLoadList), so loading them on first use takes them out of every import without adding
// to any invocation (bench/bundles.ts: ingest 1.39 to 1.35 times the baseline in instructions).
// node:https, which the SDK imports statically, stays a static import.
const nodeRequire = createRequire(import.meta.url);
let httpModule: typeof import('node:http') | undefined;
let dnsModule: typeof import('node:dns') | undefined;
const http = () => (httpModule ??= nodeRequire('node:http') as typeof import('node:http'));
const dns = () => (dnsModule ??= nodeRequire('node:dns') as typeof import('node:dns'));

export interface FetchPolicy {
  /** Per attempt, from the request to the last byte of the body. */
  timeoutMs: number;
  maxBytes: number;
  /** Attempts after the first, on network errors, timeouts, truncated bodies, 5xx and 429. */
  retries: number;
  /** Exponential backoff (factor 2) between these bounds, each delay randomised by x1 to x2. */
  minDelayMs: number;
  maxDelayMs: number;
  /** The longest `Retry-After` honoured; a publisher asking for more fails the attempt at once. */
  maxRetryAfterMs: number;
  /**
   * The whole time one indicator's fetches may take, attempts, backoff and waits included: a few
   * slow feeds must not run ingest past its Lambda timeout.
   */
  budgetMs: number;
  maxRedirects: number;
  /**
   * Whether loopback addresses (127.0.0.0/8, ::1) may be fetched: only for local runs and tests,
   * whose fixtures are served there. Defaults to `SIGNPOST_ALLOW_LOOPBACK_SOURCES=true`.
   */
  allowLoopback: boolean;
}

export const DEFAULT_FETCH_POLICY: FetchPolicy = {
  timeoutMs: 15_000,
  maxBytes: 10 * 1024 * 1024,
  retries: 2,
  minDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 5_000,
  budgetMs: 30_000,
  maxRedirects: 5,
  allowLoopback: false,
};

/** The policy in force: the defaults, loopback from the environment, then the caller's overrides. */
export function effectivePolicy(overrides: Partial<FetchPolicy> = {}): FetchPolicy {
  return {
    ...DEFAULT_FETCH_POLICY,
    allowLoopback: process.env.SIGNPOST_ALLOW_LOOPBACK_SOURCES === 'true',
    ...overrides,
  };
}

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
  /** Aborts when the indicator's time budget is spent; shared by all its fetches (pages). */
  budget?: AbortSignal;
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

/** IPv4 ranges never fetched: not the public internet, or the cloud's instance metadata. */
const REFUSED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'unspecified'],
  ['10.0.0.0', 8, 'private'],
  ['172.16.0.0', 12, 'private'],
  ['192.168.0.0', 16, 'private'],
  ['169.254.0.0', 16, 'link-local or instance metadata'], // 169.254.169.254: EC2/GCP/Azure metadata
  ['100.100.100.200', 32, 'link-local or instance metadata'], // Alibaba Cloud metadata
  // Listed after the metadata address inside it, so that address keeps its more telling reason.
  ['100.64.0.0', 10, 'shared address space'], // carrier-grade NAT (RFC 6598): a provider's inside network
  ['192.0.0.0', 24, 'IETF protocol assignments'], // RFC 6890: NAT64 discovery, DS-Lite, not a public host
  ['198.18.0.0', 15, 'benchmarking'], // RFC 2544 test networks, routed only inside a lab
  ['224.0.0.0', 4, 'multicast'], // a group, not a server: no HTTP source lives there
  ['240.0.0.0', 4, 'reserved'], // class E (RFC 1112), with 255.255.255.255, the limited broadcast
];
const REFUSED_V6: [string, number, string][] = [
  ['::', 128, 'unspecified'],
  ['fc00::', 7, 'private'], // unique local; includes fd00:ec2::254, EC2 metadata over IPv6
  ['fe80::', 10, 'link-local or instance metadata'],
  ['fec0::', 10, 'private'], // deprecated site-local
  ['64:ff9b:1::', 48, 'private'], // local-use NAT64
  ['ff00::', 8, 'multicast'],
];
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** The 16 bytes of an IPv6 address (a trailing dotted quad allowed), or undefined. */
function ipv6Bytes(address: string): number[] | undefined {
  if (isIP(address) !== 6) return undefined;
  let text = address.replace(/%.*$/, '');
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const groups = (part: string) => (part ? part.split(':').map((g) => Number.parseInt(g, 16)) : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const words = [...left, ...Array(8 - left.length - right.length).fill(0), ...right] as number[];
  return words.flatMap((w) => [w >> 8, w & 0xff]);
}

/** The IPv4 address an IPv6 address carries (mapped, compatible, SIIT, NAT64, 6to4, Teredo), if any. */
function embeddedV4(bytes: number[]): string | undefined {
  const zero = (from: number, to: number) => bytes.slice(from, to).every((b) => b === 0);
  const v4 = (at: number) => bytes.slice(at, at + 4).join('.');
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible, deprecated; `::a9fe:a9fe` is 169.254.169.254)
  if (zero(0, 10) && ((bytes[10] === 0xff && bytes[11] === 0xff) || zero(10, 12))) return v4(12);
  // ::ffff:0:a.b.c.d, the IPv4-translated form of SIIT (RFC 2765, ::ffff:0:0:0/96)
  if (zero(0, 8) && bytes[8] === 0xff && bytes[9] === 0xff && zero(10, 12)) return v4(12);
  // 64:ff9b::/96, the well-known NAT64 prefix
  if (bytes[0] === 0 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && zero(4, 12))
    return v4(12);
  // 2002::/16, 6to4
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return v4(2);
  // 2001::/32, Teredo (RFC 4380): the client's IPv4 address is the last 32 bits, each bit inverted
  if (bytes[0] === 0x20 && bytes[1] === 0x01 && zero(2, 4))
    return bytes
      .slice(12, 16)
      .map((b) => b ^ 0xff)
      .join('.');
  return undefined;
}

// The family comes from the table each range is in, not from net.isIP: its first call compiles Node's
// IPv6 pattern (3 ms), which belongs to the first address check of an http source, not to every cold
// start (file and manual sources check none).
const REFUSED = new Map<string, BlockList>();
for (const [family, ranges] of [
  ['ipv4', REFUSED_V4],
  ['ipv6', REFUSED_V6],
] as const) {
  for (const [address, prefix, reason] of ranges) {
    const list = REFUSED.get(reason) ?? new BlockList();
    list.addSubnet(address, prefix, family);
    REFUSED.set(reason, list);
  }
}

/**
 * Why an address may not be fetched, or undefined: unspecified, private, link-local and metadata
 * addresses always, loopback unless allowed, in IPv4 or any IPv6 form that carries an IPv4 address.
 */
export function refusedAddress(address: string, allowLoopback = false): string | undefined {
  const bytes = ipv6Bytes(address);
  const v4 = bytes && !LOOPBACK.check(address, 'ipv6') ? embeddedV4(bytes) : undefined;
  const ip = v4 ?? address;
  const family = isIP(ip) === 6 ? 'ipv6' : isIP(ip) === 4 ? 'ipv4' : undefined;
  if (!family) return `refused address ${address} (not an IP address)`;
  if (LOOPBACK.check(ip, family)) return allowLoopback ? undefined : `refused address ${address} (loopback)`;
  for (const [reason, list] of REFUSED) {
    if (list.check(ip, family)) return `refused address ${address} (${reason})`;
  }
  return undefined;
}

/** DNS lookup that refuses blocked addresses at connect time, so a rebinding name cannot slip past. */
export function guardedLookup(allowLoopback: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dns().lookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, '', 0);
      const refused = addresses
        .map((a) => refusedAddress(a.address, allowLoopback))
        .find((r) => r !== undefined);
      if (refused) return callback(Object.assign(new Error(refused), { code: 'EREFUSED_ADDRESS' }), '', 0);
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      const first = addresses[0] as LookupAddress;
      callback(null, first.address, first.family);
    });
  };
}

/** Fetches a URL under the policy; a 304 to a conditional GET comes back as `notModified`. */
export async function fetchSource(request: FetchRequest): Promise<FetchOutcome> {
  const policy = effectivePolicy(request.policy);
  const budget = request.budget ?? AbortSignal.timeout(policy.budgetMs);
  const spent = () =>
    new FetchError(request.label, `gave up: its ${policy.budgetMs} ms time budget is spent`, true);
  let attempts = 0;
  try {
    return await pRetry(
      async () => {
        attempts++;
        try {
          return await attempt(request, policy, budget);
        } catch (error) {
          if (budget.aborted) throw new AbortError(spent());
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
        maxRetryTime: policy.budgetMs,
        signal: budget,
        onFailedAttempt: async ({ error, retriesLeft, retryDelay }) => {
          // Retry-After replaces the backoff when it asks for longer (never past the budget).
          const asked = error instanceof FetchError ? error.retryAfterMs : undefined;
          if (retriesLeft > 0 && asked !== undefined && asked > retryDelay)
            await sleep(asked - retryDelay, budget);
        },
      },
    );
  } catch (caught) {
    // An abort through the signal rejects with its reason, not a FetchError.
    const error = budget.aborted && !(caught instanceof FetchError) ? spent() : caught;
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

/** The only request headers kept on a redirect to another origin. */
const SAFE_ACROSS_ORIGINS = new Set(['accept', 'user-agent']);

async function attempt(
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
    const host = url.hostname.replace(/^\[|\]$/g, '');
    const refused = isIP(host) ? refusedAddress(host, policy.allowLoopback) : undefined;
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

/** Waits, or stops early (without throwing: the retry loop sees the abort) when `signal` aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
