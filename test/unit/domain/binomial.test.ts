// Binomial quantiles, the basis of the reliability diagram's consistency ranges.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binomialQuantile } from '../../../shared/domain/binomial.ts';

/** P(X ≤ k) for X ~ Binomial(n, p), term by term from the binomial coefficients (small n only). */
function cdf(n: number, p: number, k: number): number {
  let total = 0;
  let coefficient = 1;
  for (let i = 0; i <= k; i++) {
    total += coefficient * p ** i * (1 - p) ** (n - i);
    coefficient = (coefficient * (n - i)) / (i + 1);
  }
  return total;
}

/** A probability, and one strictly inside (0, 1) where every outcome has a chance. */
const probability = fc.double({ min: 0, max: 1, noNaN: true });
const inner = fc.double({ min: 0.001, max: 0.999, noNaN: true });

describe('binomialQuantile', () => {
  it.each([
    // Binomial(10, 0.5): P(X ≤ 1) = 11/1024 < 0.05 ≤ P(X ≤ 2) = 56/1024; P(X ≤ 7) = 968/1024 < 0.95 ≤ P(X ≤ 8)
    { n: 10, p: 0.5, q: 0.05, k: 2 },
    { n: 10, p: 0.5, q: 0.95, k: 8 },
    { n: 10, p: 0.5, q: 0.5, k: 5 },
    // Binomial(2, 0.5): P(X ≤ 0) = 0.25 reaches q = 0.25 exactly
    { n: 2, p: 0.5, q: 0.25, k: 0 },
    { n: 2, p: 0.5, q: 0.95, k: 2 },
    { n: 7, p: 0, q: 0.95, k: 0 },
    { n: 7, p: 1, q: 0.05, k: 7 },
    { n: 0, p: 0.3, q: 0.95, k: 0 },
  ])('gives $k as the $q quantile of Binomial($n, $p)', ({ n, p, q, k }) => {
    expect(binomialQuantile(n, p, q)).toBe(k);
  });

  it('agrees with the definition (smallest k whose cumulative probability reaches q) for small n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), inner, inner, (n, p, q) => {
        const k = binomialQuantile(n, p, q);
        expect(cdf(n, p, k)).toBeGreaterThanOrEqual(q - 1e-9);
        if (k > 0) expect(cdf(n, p, k - 1)).toBeLessThan(q + 1e-9);
      }),
    );
  });

  it('stays accurate for a million trials, where (1 − p)^n underflows to 0', () => {
    // Arrange: the normal approximation is within a unit or two of the exact quantile at this size
    const n = 1_000_000;
    const p = 0.3;
    const sd = Math.sqrt(n * p * (1 - p));

    // Act
    const upper = binomialQuantile(n, p, 0.95);
    const lower = binomialQuantile(n, p, 0.05);

    // Assert
    expect(Math.abs(upper - (n * p + 1.6449 * sd))).toBeLessThan(2);
    expect(Math.abs(lower - (n * p - 1.6449 * sd))).toBeLessThan(2);
  });

  it('never decreases as q grows', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 500 }), probability, probability, probability, (n, p, a, b) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(binomialQuantile(n, p, lo)).toBeLessThanOrEqual(binomialQuantile(n, p, hi));
      }),
    );
  });

  it.each([
    { n: -1, p: 0.5, q: 0.5, message: 'n must be a non-negative integer' },
    { n: 2.5, p: 0.5, q: 0.5, message: 'n must be a non-negative integer' },
    { n: 10, p: 1.1, q: 0.5, message: 'p must be in [0, 1]' },
    { n: 10, p: Number.NaN, q: 0.5, message: 'p must be in [0, 1]' },
    { n: 10, p: 0.5, q: -0.1, message: 'q must be in [0, 1]' },
  ])('rejects n $n, p $p, q $q', ({ n, p, q, message }) => {
    const call = () => binomialQuantile(n, p, q);

    expect(call).toThrow(RangeError);
    expect(call).toThrow(message);
  });
});
