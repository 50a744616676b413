// The one retry rule: attempts, which failures retry, the backoff between attempts, the budget.
import { describe, expect, it } from 'vitest';
import { retry } from '../../../shared/runtime/retry.ts';

class Transient extends Error {}

/** An attempt that fails with `Transient` the first `failures` times, recording each attempt's number. */
function flaky(failures: number) {
  const seen: number[] = [];
  const attempt = async (n: number) => {
    seen.push(n);
    if (seen.length <= failures) throw new Transient(`failure ${seen.length}`);
    return 'done';
  };
  return { seen, attempt };
}

const retryTransient = (error: unknown) => error instanceof Transient;

describe('retry', () => {
  it('runs a succeeding attempt once', async () => {
    // Arrange
    const { seen, attempt } = flaky(0);

    // Act
    const result = await retry(attempt, { attempts: 3, minDelayMs: 0, retryOn: retryTransient });

    // Assert
    expect([result, seen]).toEqual(['done', [1]]);
  });

  it('tries again after a failure it may retry, numbering the attempts', async () => {
    const { seen, attempt } = flaky(2);

    const result = await retry(attempt, { attempts: 3, minDelayMs: 0, retryOn: retryTransient });

    expect([result, seen]).toEqual(['done', [1, 2, 3]]);
  });

  it('throws the last failure once the attempts are spent', async () => {
    const { seen, attempt } = flaky(5);

    await expect(retry(attempt, { attempts: 3, minDelayMs: 0, retryOn: retryTransient })).rejects.toThrow(
      'failure 3',
    );
    expect(seen).toEqual([1, 2, 3]);
  });

  it.each([1, 2])('throws at once a failure the policy does not retry, on attempt %i', async (failing) => {
    // Arrange
    const fatal = new Error('fatal');
    const seen: number[] = [];
    const attempt = async (n: number) => {
      seen.push(n);
      throw n === failing ? fatal : new Transient('again');
    };

    // Act
    const result = retry(attempt, { attempts: 5, minDelayMs: 0, retryOn: retryTransient });

    // Assert
    await expect(result).rejects.toBe(fatal);
    expect(seen).toHaveLength(failing);
  });

  it('waits between attempts, from minDelayMs doubling, each wait randomised x1 to x2', async () => {
    // Arrange: waits of 20-40 ms, then 40-80 ms.
    const { attempt } = flaky(2);
    const started = performance.now();

    // Act
    await retry(attempt, { attempts: 3, minDelayMs: 20, retryOn: retryTransient });

    // Assert: timers may fire a millisecond early, and late on a busy machine.
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(58);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('stops when the budget signal aborts, with its reason', async () => {
    // Arrange
    const budget = new AbortController();
    const reason = new Error('budget spent');
    const attempt = async () => {
      budget.abort(reason);
      throw new Transient('too late');
    };

    // Act
    const result = retry(
      attempt,
      { attempts: 3, minDelayMs: 0, retryOn: retryTransient },
      { signal: budget.signal },
    );

    // Assert
    await expect(result).rejects.toBe(reason);
  });
});
