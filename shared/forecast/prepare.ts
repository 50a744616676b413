// Turns an indicator history with gaps into a clean series to fit: trims leading gaps, fills
// interior gaps by linear interpolation, and reports trailing gaps (periods to forecast through).

export interface PreparedSeries {
  /** Observed values from the first observation to the last, interior gaps filled. */
  values: number[];
  /** Interior gaps filled by interpolation. */
  filled: number;
  /** Gaps after the last observation: the forecast starts that many periods before the series end. */
  trailingGaps: number;
  /** How many values were observed (not null). */
  observed: number;
  /** Index in the input of values[0] (leading gaps dropped). */
  offset: number;
}

export function prepareSeries(input: readonly (number | null)[]): PreparedSeries {
  const first = input.findIndex((v) => v !== null);
  if (first === -1)
    return { values: [], filled: 0, trailingGaps: input.length, observed: 0, offset: input.length };
  let last = input.length - 1;
  while (input[last] === null) last--;
  const values: number[] = [];
  let filled = 0;
  let observed = 0;
  let prevIndex = first;
  for (let i = first; i <= last; i++) {
    const v = input[i];
    if (v !== null && v !== undefined) {
      // Linear interpolation across the gap that ends here.
      const prev = input[prevIndex] as number;
      for (let j = prevIndex + 1; j < i; j++) {
        values.push(prev + ((v - prev) * (j - prevIndex)) / (i - prevIndex));
        filled++;
      }
      values.push(v);
      observed++;
      prevIndex = i;
    }
  }
  return { values, filled, trailingGaps: input.length - 1 - last, observed, offset: first };
}

/**
 * Replaces isolated interior spikes for fitting only (as R's tsclean does, in a simpler form): a
 * point further than 6 robust standard deviations (MAD of the differences to a centred running
 * median of 5; trimmed mean absolute deviation when the MAD is 0) from that median is replaced by the median. The last three observations are never
 * touched: a jump at the end may be the very signal an analyst is waiting for, and the intervals
 * should show it rather than hide it. Written by hand: augurs' outlier detectors compare series with
 * each other, not points within one series.
 */
export function cleanOutliers(y: readonly number[]): { values: number[]; replaced: number } {
  const n = y.length;
  if (n < 10) return { values: [...y], replaced: 0 };
  const median = (a: number[]): number => {
    const s = [...a].sort((p, q) => p - q);
    const mid = s.length >> 1;
    return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  };
  const smooth = y.map((_, t) => median(y.slice(Math.max(0, t - 2), Math.min(n, t + 3)) as number[]));
  const dev = y.map((v, t) => v - (smooth[t] as number));
  // MAD is 0 when most points sit on the running median (plateaus, two-valued series): fall back to
  // the mean absolute deviation without its largest 10 % (the spikes themselves would inflate it).
  const absDev = dev.map(Math.abs).sort((p, q) => p - q);
  const mad = median(absDev);
  const kept = absDev.slice(0, n - Math.ceil(n / 10));
  const scale = mad > 0 ? 1.4826 * mad : (1.2533 * kept.reduce((a, b) => a + b, 0)) / kept.length;
  if (!(scale > 0)) return { values: [...y], replaced: 0 };
  let replaced = 0;
  const values = y.map((v, t) => {
    if (t >= n - 3 || Math.abs(dev[t] as number) <= 6 * scale) return v;
    replaced++;
    return smooth[t] as number;
  });
  return { values, replaced };
}
