// Evidence models: how an indicator's series becomes a log-likelihood under each path.
import type { Indicator } from '../config/scenario-schema.ts';
import type { Observation } from './model.ts';
import { addDuration, type Cadence, dayOf, parseDuration, periodEnd } from './period.ts';

type Evidence = Indicator['evidence'];

/** What a model read from the series: the likelihoods and the figure behind them. */
export interface Reading {
  /** Natural-log likelihood of the data under each path, before weighting. */
  ll: Record<string, number>;
  /** The figure the model judged: the value (gaussian, bands), the slope (trend), the event size (event). */
  value: number;
  /** The period that figure belongs to. */
  period: string;
  /** Which band, event outcome or slope the model saw, for the explanation. */
  outcome: string;
  /** Identifies the data used, so a re-evaluation of unchanged data is not taken for new data. */
  key: string;
  /** The newest period read, and how many periods the figure depends on: the path filter's novelty. */
  through: string;
  span: number;
}

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Beyond this many standard deviations z² would overflow to Infinity; every path is equally wrong there. */
const MAX_Z = 1e150;

function gaussianLogPdf(x: number, mean: number, sd: number): number {
  const z = Math.max(-MAX_Z, Math.min(MAX_Z, (x - mean) / sd));
  return -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI;
}

function logOf(likelihood: Record<string, number>): Record<string, number> {
  const ll: Record<string, number> = {};
  for (const path in likelihood) ll[path] = Math.log(likelihood[path] as number);
  return ll;
}

/**
 * Reads `series` (the indicator's observations complete by `asOf`, oldest first, at least one) with
 * the indicator's evidence model. Null when the model cannot judge it (a trend needs three periods,
 * a rolling event window must be covered by data).
 */
export function readEvidence(
  evidence: Evidence,
  cadence: Cadence,
  series: Observation[],
  asOf: Date,
): Reading | null {
  const newest = series.at(-1);
  if (!newest) return null;
  switch (evidence.model) {
    case 'gaussian': {
      const ll: Record<string, number> = {};
      for (const [path, { mean, sd }] of Object.entries(evidence.expect))
        ll[path] = gaussianLogPdf(newest.value, mean, sd);
      return {
        ll,
        value: newest.value,
        period: newest.period,
        outcome: 'value',
        key: `${newest.period}=${newest.value}`,
        through: newest.period,
        span: 1,
      };
    }
    case 'bands': {
      const index = evidence.bands.findIndex((b) => b.below === undefined || newest.value < b.below);
      const band = evidence.bands[index] ?? evidence.bands[evidence.bands.length - 1];
      if (!band) return null;
      const lower = evidence.bands[index - 1]?.below;
      const range = `${lower ?? '-inf'} to ${band.below ?? 'inf'}`;
      return {
        ll: logOf(band.likelihood),
        value: newest.value,
        period: newest.period,
        outcome: `band ${index + 1} (${range})`,
        key: `${newest.period}=${newest.value}`,
        through: newest.period,
        span: 1,
      };
    }
    case 'trend':
      return readTrend(evidence, cadence, series);
    case 'event':
      return readEvent(evidence, series, newest, asOf);
  }
}

function readTrend(
  evidence: Extract<Evidence, { model: 'trend' }>,
  cadence: Cadence,
  series: Observation[],
): Reading | null {
  // Not copied when the series is no longer than the window: it is only read.
  const recent = series.length > evidence.periods ? series.slice(-evidence.periods) : series;
  const newest = recent.at(-1);
  if (!newest || recent.length < 3) return null;
  const origin = periodMs(recent[0]?.period ?? newest.period);
  const step = NOMINAL_MS[cadence];
  const points = recent.map((o) => ({ x: (periodMs(o.period) - origin) / step, y: o.value }));
  let slope = theilSen(points);
  if (evidence.scale === 'relative') {
    const level = median(recent.map((o) => Math.abs(o.value)));
    if (level === 0) return null;
    slope /= level;
  }
  const ll: Record<string, number> = {};
  for (const path in evidence.expect) {
    const expected = evidence.expect[path] as { slope: number; sd: number };
    ll[path] = gaussianLogPdf(slope, expected.slope, expected.sd);
  }
  return {
    ll,
    value: Number(slope.toPrecision(6)),
    period: newest.period,
    outcome: `slope over ${recent.length} periods`,
    key: dataKey(recent),
    through: newest.period,
    span: recent.length,
  };
}

/** `period=value,period=value,...`: the data a trend read (a loop, not map/join: read per projected step). */
function dataKey(recent: Observation[]): string {
  let key = '';
  for (let i = 0; i < recent.length; i++) {
    const o = recent[i] as Observation;
    key += i === 0 ? `${o.period}=${o.value}` : `,${o.period}=${o.value}`;
  }
  return key;
}

/** `newest` is the last of `series`, which readEvidence has checked is not empty. */
function readEvent(
  evidence: Extract<Evidence, { model: 'event' }>,
  series: Observation[],
  newest: Observation,
  asOf: Date,
): Reading | null {
  let from: string;
  if (evidence.window) {
    from = dayOf(addDuration(asOf, evidence.window, -1));
    // Without data from the window's start, "no event" could mean "no data yet".
    if ((series[0]?.period ?? '') > from) return null;
  } else {
    from = evidence.from ?? '0000-01-01';
  }
  // An event after the deadline came too late: it does not make the deadline met.
  const until = evidence.deadline ?? '9999-12-31';
  const inWindow = series.filter((o) => o.period >= from && o.period <= until);
  const biggest = inWindow.reduce<Observation | undefined>(
    (best, o) => (o.value > (best?.value ?? 0) ? o : best),
    undefined,
  );
  let outcome: 'large' | 'small' | 'pending' | 'missed';
  if (biggest) outcome = biggest.value >= evidence.threshold ? 'large' : 'small';
  else if (evidence.deadline && asOf < periodEnd(evidence.deadline, 'P1D')) outcome = 'pending';
  else outcome = 'missed';
  const likelihood = evidence.likelihood[outcome];
  if (!likelihood) return null;
  const value = biggest?.value ?? 0;
  const period = biggest?.period ?? newest.period;
  return {
    ll: logOf(likelihood),
    value,
    period,
    outcome,
    key: `${outcome}:${period}=${value}@${newest.period}`,
    through: newest.period,
    // The periods the window (or the time since `from`) holds data for: each new one is 1/span of it.
    span: Math.max(1, series.length - lowerBound(series, from)),
  };
}

/**
 * How many of an indicator's newest stored periods an assessment needs: the model's window, plus
 * one for a period still under way (stored, but not complete by the assessment's instant).
 */
export function periodsNeeded(evidence: Evidence, cadence: Cadence): number {
  switch (evidence.model) {
    case 'gaussian':
    case 'bands':
      return 2;
    case 'trend':
      return evidence.periods + 1;
    case 'event': {
      if (!evidence.window) return MAX_EVENT_PERIODS;
      // The longest the window can be (months of 31 days, years of 366), so no instant is short.
      const d = parseDuration(evidence.window);
      const longest = (d.years * 366 + d.months * 31 + d.days) * 86_400_000;
      return Math.min(MAX_EVENT_PERIODS, Math.ceil(longest / NOMINAL_MS[cadence]) + 2);
    }
  }
}

/** A deadline-mode event counts every period since `from`; ten years of days is plenty. */
const MAX_EVENT_PERIODS = 3660;

/**
 * Date.parse of a period id, remembered: a projection reads the same few periods' trend thousands
 * of times per evaluation. Emptied when full (see period.ts for why not an LRU package).
 */
function periodMs(period: string): number {
  let ms = parsedPeriods.get(period);
  if (ms === undefined) {
    if (parsedPeriods.size >= 4096) parsedPeriods.clear();
    ms = Date.parse(period);
    parsedPeriods.set(period, ms);
  }
  return ms;
}
const parsedPeriods = new Map<string, number>();

/** Average length of a period, to put observations of a cadence on one axis. */
export const NOMINAL_MS: Record<Cadence, number> = {
  P1D: 86_400_000,
  P1W: 7 * 86_400_000,
  P1M: 30.436875 * 86_400_000,
  P3M: 91.310625 * 86_400_000,
  P1Y: 365.2425 * 86_400_000,
};

/**
 * The Theil-Sen estimator: the median of the slopes between every pair of points. Robust to a
 * single outlier or revision, unlike least squares. Written here because it is a few lines, and the
 * statistics packages that have it (e.g. for R-like analysis) are far larger than this module.
 */
export function theilSen(points: { x: number; y: number }[]): number {
  const slopes: number[] = [];
  for (let i = 0; i < points.length; i++) {
    for (let j = i + 1; j < points.length; j++) {
      const a = points[i];
      const b = points[j];
      if (a && b && b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
    }
  }
  return median(slopes);
}

/** The median; sorts `values` in place (every caller passes an array of its own). */
function median(values: number[]): number {
  if (values.length === 0) return 0;
  const sorted = sortNumbers(values);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Sorts numbers ascending in place, as `sort((a, b) => a - b)` does: a stable insertion sort, for
 * the few dozen slopes of a trend (a projection sorts them thousands of times per evaluation and the
 * built-in sort's comparator calls dominated). With a NaN the order depends on the algorithm, so
 * that case is left to the built-in sort.
 */
function sortNumbers(values: number[]): number[] {
  if (values.length > 64 || values.some(Number.isNaN)) return values.sort((a, b) => a - b);
  for (let i = 1; i < values.length; i++) {
    const x = values[i] as number;
    let j = i - 1;
    while (j >= 0 && (values[j] as number) - x > 0) {
      values[j + 1] = values[j] as number;
      j--;
    }
    values[j + 1] = x;
  }
  return values;
}

/** The index of the first observation whose period is at or after `period` (series sorted by period). */
function lowerBound(series: Observation[], period: string): number {
  let low = 0;
  let high = series.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((series[mid] as Observation).period < period) low = mid + 1;
    else high = mid;
  }
  return low;
}
