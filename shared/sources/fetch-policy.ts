// The fetch policy every HTTP source kind shares (timeout, size limit, retries, time budget, redirects,
// loopback), and the vocabulary of a fetch: request, outcome, validators, error.
import { SourceError } from './source-error.ts';

export interface FetchPolicy {
  /** Per attempt, from the request to the last byte of the body. */
  timeoutMs: number;
  maxBytes: number;
  /** Attempts after the first, on network errors, timeouts, truncated bodies, 5xx and 429. */
  retries: number;
  /** The backoff's bounds (the retry rule of shared/runtime/retry.ts: factor 2, each wait x1 to x2). */
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
