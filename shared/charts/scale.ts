// Scales and paths for the charts: d3-array's tick steps and d3-time's calendar intervals, with the
// mapping and the path strings written here. d3-scale and d3-shape would bring d3-color, d3-interpolate,
// d3-format and d3-time-format with them, ~53 KB of the pages function's 300 KB bundle budget, which they
// do not fit, for what the charts use of them: a linear map, its ticks, and straight lines between points.
import { tickStep, ticks } from 'd3-array';
import { type CountableTimeInterval, utcDay, utcMonth, utcWeek, utcYear } from 'd3-time';

export interface LinearScale {
  (value: number): number;
  /** About `count` round values across the domain (d3-array's ticks). */
  ticks(count: number): number[];
  /** The domain, widened to round values by `nice`. */
  domain: [number, number];
}

/** A linear map of `domain` onto `range`; `nice` widens the domain to round values for about that many ticks. */
export function linearScale(
  domain: [number, number],
  range: [number, number],
  options: { nice?: number; clamp?: boolean } = {},
): LinearScale {
  let [d0, d1] = domain;
  if (options.nice !== undefined && d1 > d0) {
    // As d3-scale's nice(): round outwards to the tick step, until the step no longer changes.
    for (let i = 0; i < 10; i++) {
      const step = tickStep(d0, d1, options.nice);
      const [n0, n1] = [Math.floor(d0 / step) * step, Math.ceil(d1 / step) * step];
      if (n0 === d0 && n1 === d1) break;
      [d0, d1] = [n0, n1];
    }
  }
  const [r0, r1] = range;
  const span = d1 - d0 || 1;
  const scale = ((value: number) => {
    const t = (value - d0) / span;
    return r0 + (options.clamp ? Math.min(1, Math.max(0, t)) : t) * (r1 - r0);
  }) as LinearScale;
  scale.ticks = (count) => ticks(d0, d1, count);
  scale.domain = [d0, d1];
  return scale;
}

export interface TimeScale {
  (instant: Date): number;
  /** At most `count` calendar-aligned instants (days, weeks, months, quarters or years), as many as fit. */
  ticks(count: number): Date[];
  /** The label of a tick: its year when it starts one, else its month (or day, for finer ticks). */
  label(tick: Date): string;
}

const DAY = 86_400_000;
/** The calendar steps a time axis may take, by nominal length, as d3-scale's time ticks choose them. */
const INTERVALS: [CountableTimeInterval, number][] = [
  [utcDay, DAY],
  [utcDay.every(2) as CountableTimeInterval, 2 * DAY],
  [utcWeek, 7 * DAY],
  [utcMonth, 30 * DAY],
  [utcMonth.every(3) as CountableTimeInterval, 90 * DAY],
  [utcYear, 365 * DAY],
];

export function timeScale(domain: [Date, Date], range: [number, number]): TimeScale {
  const [start, stop] = domain;
  const linear = linearScale([start.getTime(), stop.getTime()], range);
  const scale = ((instant: Date) => linear(instant.getTime())) as TimeScale;
  scale.ticks = (count) => {
    const span = Math.abs(stop.getTime() - start.getTime());
    // The finest interval that gives at most `count` ticks (d3-scale takes the nearest, which can give
    // nearly twice as many: labels that overlap); beyond that, whole years by d3-array's step.
    const fits = INTERVALS.find(([, length]) => span / length <= count);
    let interval: CountableTimeInterval;
    if (fits && fits[1] < 365 * DAY) interval = fits[0];
    else {
      const years = tickStep(start.getUTCFullYear(), stop.getUTCFullYear(), count);
      interval = (utcYear.every(Math.max(1, Math.ceil(years))) ?? utcYear) as CountableTimeInterval;
    }
    return interval.range(start, new Date(stop.getTime() + 1));
  };
  scale.label = (tick) => {
    const iso = tick.toISOString();
    if (iso.slice(5, 10) === '01-01') return iso.slice(0, 4);
    return iso.slice(8, 10) === '01' ? iso.slice(0, 7) : iso.slice(0, 10);
  };
  return scale;
}

/** Points to two decimals: enough for a screen, and a smaller file that diffs well. */
function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A polyline through the points (`M x,y L x,y …`); empty for no point. */
export function linePath(points: [number, number][]): string {
  return points.map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${round(x)},${round(y)}`).join('');
}

/** The area between two polylines over the same x values: along `top`, back along `bottom`. */
export function areaPath(top: [number, number][], bottom: [number, number][]): string {
  if (top.length === 0) return '';
  return `${linePath([...top, ...[...bottom].reverse()])}Z`;
}
