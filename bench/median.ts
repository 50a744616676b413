// The median every benchmark reports: of one figure over several runs, or the middle one of several rounds.

/** The middle value (the mean of the two middle ones for an even count), so one slow run moves nothing. */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('the median of no runs');
  const sorted = [...values].sort((a, b) => a - b);
  const upper = sorted.length >> 1;
  return sorted.length % 2 === 1
    ? (sorted[upper] ?? 0)
    : ((sorted[upper - 1] ?? 0) + (sorted[upper] ?? 0)) / 2;
}

/**
 * The round whose `figure` is the median (the upper middle one for an even count): what a benchmark shows
 * when several figures of one round (throughput, p50, p99) must come from the same round.
 */
export function medianRound<T>(rounds: readonly T[], figure: (round: T) => number): T {
  const sorted = [...rounds].sort((a, b) => figure(a) - figure(b));
  const middle = sorted[sorted.length >> 1];
  if (middle === undefined) throw new Error('the median of no rounds');
  return middle;
}
