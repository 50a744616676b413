// Fetches a source URL under the fetch policy: GETs retried with backoff (and as Retry-After asks)
// within the indicator's time budget.
import { retry } from '../runtime/retry.ts';
import { effectivePolicy, FetchError, type FetchOutcome, type FetchRequest } from './fetch-policy.ts';
import { getOnce } from './http-get.ts';

/** Fetches a URL under the policy; a 304 to a conditional GET comes back as `notModified`. */
export async function fetchSource(request: FetchRequest): Promise<FetchOutcome> {
  const policy = effectivePolicy(request.policy);
  const budget = request.budget ?? AbortSignal.timeout(policy.budgetMs);
  const spent = () =>
    new FetchError(request.label, `gave up: its ${policy.budgetMs} ms time budget is spent`, true);
  let attempts = 0;
  try {
    return await retry(
      async (n) => {
        attempts = n;
        try {
          return await getOnce(request, policy, budget);
        } catch (error) {
          throw budget.aborted ? spent() : error;
        }
      },
      {
        attempts: policy.retries + 1,
        minDelayMs: policy.minDelayMs,
        maxDelayMs: policy.maxDelayMs,
        retryOn: (error) => !budget.aborted && !(error instanceof FetchError && !error.retryable),
      },
      {
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
