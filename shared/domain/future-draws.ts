// One drawn future of a forecast indicator: its history followed by values read off the forecast's
// quantile function along a random walk of normal scores. Pure: the generator is an argument.
import type { Indicator } from '../config/scenario-schema.ts';
import type { ForecastStep, IndicatorForecast } from '../forecast/types.ts';
import type { Observation } from './model.ts';
import { type Cadence, periodId, shiftPeriod } from './period.ts';

/** Normal quantiles of the interval ends: 10/90 % and 2.5/97.5 %. */
const Z80 = 1.2815515655446004;
const Z95 = 1.959963984540054;
const KNOTS = [-Z95, -Z80, 0, Z80, Z95];

/** A forecast indicator in a projection: what its draws start from and which periods they fill. */
export interface SampledIndicator {
  indicator: Indicator;
  series: Observation[];
  forecast: IndicatorForecast;
  newest: Observation;
  /** The future periods the projection reaches, step 1 first (at most the forecast's steps). */
  periods?: string[];
  /** Per step: how many of a drawn future's observations are complete by the step's instant. */
  complete?: number[];
}

/**
 * One future of an indicator: its history followed by values drawn for its future periods. The normal
 * scores follow a random walk scaled to unit variance (z_k = (e_1 + ... + e_k) / sqrt(k)).
 */
export function drawFuture(s: SampledIndicator, normal: () => number): Observation[] {
  const future: Observation[] = [...s.series];
  let walk = 0;
  const periods = s.periods ?? [];
  for (let k = 0; k < periods.length; k++) {
    const step = s.forecast.steps[k];
    if (!step) break;
    walk += normal();
    const value = quantile(step, walk / Math.sqrt(k + 1));
    future.push({ indicatorId: s.indicator.id, period: periods[k] as string, value, source: 'forecast' });
  }
  return future;
}

/**
 * The value at normal score z of the piecewise-linear quantile function through the step's interval
 * ends and point; beyond the 95 % ends the outer segments' slopes continue.
 */
export function quantile(step: ForecastStep, z: number): number {
  const values = [step.lower95, step.lower80, step.point, step.upper80, step.upper95];
  // Guard against crossed intervals: the quantile function must not decrease.
  for (let i = 1; i < values.length; i++) values[i] = Math.max(values[i] as number, values[i - 1] as number);
  let i = 0;
  while (i < KNOTS.length - 2 && z > (KNOTS[i + 1] as number)) i++;
  const z0 = KNOTS[i] as number;
  const z1 = KNOTS[i + 1] as number;
  const v0 = values[i] as number;
  const v1 = values[i + 1] as number;
  return v0 + ((v1 - v0) * (z - z0)) / (z1 - z0);
}

/** The period ids after `newest`, up to the last one complete by `until`. */
export function futurePeriods(newest: string, cadence: Cadence, until: Date): string[] {
  const periods: string[] = [];
  const last = periodId(until, cadence);
  for (let k = 1; ; k++) {
    const id = shiftPeriod(newest, cadence, k);
    if (id >= last) return periods;
    periods.push(id);
  }
}
