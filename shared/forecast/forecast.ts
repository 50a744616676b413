// Entry point of indicator forecasting: forecastSeries (implementation lands in the next commits).
import type { ForecastInput, IndicatorForecast } from './types.ts';

export type { ForecastInput, ForecastStep, IndicatorForecast } from './types.ts';

/** Thrown when a series has too few observed values to forecast (all gaps, or fewer than 3 values). */
export class InsufficientDataError extends Error {
  readonly observed: number;
  constructor(observed: number) {
    super(`cannot forecast: ${observed} observed value(s), at least 3 are needed`);
    this.name = 'InsufficientDataError';
    this.observed = observed;
  }
}

export function forecastSeries(input: ForecastInput): IndicatorForecast {
  void input;
  throw new Error('forecastSeries: not implemented yet');
}
