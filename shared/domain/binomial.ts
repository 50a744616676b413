// Quantiles of the binomial distribution: how many of n forecasts of probability p would come true by
// chance alone, for the consistency ranges of a reliability diagram (skill.ts).
//
// Written here rather than imported: the one maintained package with a binomial quantile
// (@stdlib/stats-base-dists-binomial-quantile) installs 225 packages (25 MB) for what is a sum of
// n + 1 terms; d3 and simple-statistics have none.

/**
 * The smallest k with P(X ≤ k) ≥ q for X ~ Binomial(n, p): the usual quantile of a discrete
 * distribution. The probabilities are built outward from the mode by the ratio of neighbouring terms,
 * then normalised, so no term underflows where it matters (n in the millions stays exact to rounding).
 */
export function binomialQuantile(n: number, p: number, q: number): number {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`p must be in [0, 1], got ${p}`);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`q must be in [0, 1], got ${q}`);
  if (n === 0 || p === 0) return 0;
  if (p === 1) return n;
  const weights = new Float64Array(n + 1);
  const mode = Math.min(n, Math.floor((n + 1) * p));
  const odds = p / (1 - p);
  weights[mode] = 1;
  let total = 1;
  // Terms beyond 1e-300 of the mode's are 0 in double precision anyway; stopping there keeps it O(width).
  for (let k = mode + 1; k <= n; k++) {
    const w = (weights[k - 1] as number) * ((n - k + 1) / k) * odds;
    if (w < 1e-300) break;
    weights[k] = w;
    total += w;
  }
  for (let k = mode - 1; k >= 0; k--) {
    const w = ((weights[k + 1] as number) * ((k + 1) / (n - k))) / odds;
    if (w < 1e-300) break;
    weights[k] = w;
    total += w;
  }
  // A cumulative sum that lands a rounding error short of q must still count as reaching it.
  const target = q * total * (1 - 1e-12);
  let cumulative = 0;
  for (let k = 0; k <= n; k++) {
    cumulative += weights[k] as number;
    if (cumulative >= target) return k;
  }
  return n;
}
