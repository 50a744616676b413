// Retrying, one rule for all of Signpost: a set number of attempts, exponential backoff (factor 2) with
// each wait randomised x1 to x2 and capped, and only for the failures the caller names. p-retry runs it.
import type { Options } from 'p-retry';

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  attempts: number;
  /** The wait before the second attempt (randomised x1 to x2); each later one doubles. 0: retry at once. */
  minDelayMs: number;
  /** The longest wait. */
  maxDelayMs?: number;
  /** Whether another attempt may mend this failure; any other is thrown at once. */
  retryOn: (error: unknown) => boolean;
}

/** What a fetch adds to the rule: a time budget, and waits a server asks for (Retry-After). */
export type RetryBudget = Pick<Options, 'signal' | 'maxRetryTime' | 'onFailedAttempt'>;

/**
 * Runs `attempt` (given its number, from 1) until it succeeds, fails for good, or the attempts or the
 * budget run out; the error of the last attempt is thrown.
 *
 * The first attempt runs here and p-retry (5 KB) is imported only when it fails: nearly every call
 * succeeds at once, and evaluate and notify have little room left in the 300 KB that a cold start may
 * load, so p-retry waits in a chunk that loads on first use. It then replays that first failure as its
 * own first attempt and runs the rest, so its waits, budget and callbacks are as if it had run them all.
 */
export async function retry<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  budget: RetryBudget = {},
): Promise<T> {
  const started = performance.now();
  let first: unknown;
  try {
    // As p-retry does around every attempt: an attempt ending after the budget has run out counts as spent.
    budget.signal?.throwIfAborted();
    const result = await attempt(1);
    budget.signal?.throwIfAborted();
    return result;
  } catch (error) {
    budget.signal?.throwIfAborted();
    if (policy.attempts < 2 || !policy.retryOn(error)) throw error;
    first = error;
  }
  const { default: pRetry, AbortError } = await import('p-retry');
  const { maxRetryTime } = budget;
  return pRetry(
    async (n) => {
      if (n === 1) throw first;
      try {
        return await attempt(n);
      } catch (error) {
        throw policy.retryOn(error) ? error : new AbortError(error as Error);
      }
    },
    {
      ...budget,
      // The time the first attempt took is spent already.
      ...(maxRetryTime === undefined
        ? {}
        : { maxRetryTime: Math.max(0, maxRetryTime - (performance.now() - started)) }),
      retries: policy.attempts - 1,
      factor: 2,
      minTimeout: policy.minDelayMs,
      maxTimeout: policy.maxDelayMs ?? Number.POSITIVE_INFINITY,
      randomize: true,
    },
  );
}
