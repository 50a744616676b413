// What of a forecast goes into the FORECAST item: rounded, storable, capped and within budget.
import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { forecastSeries } from '../../../shared/forecast/forecast.ts';
import {
  FORECAST_ITEM_BUDGET,
  fitForecastBudget,
  forecastSteps,
  MAX_FORECAST_STEPS,
  roundForecast,
  unstorableReason,
} from '../../../shared/forecast/storage.ts';
import type { IndicatorForecast } from '../../../shared/forecast/types.ts';
import type { IndicatorForecastRecord } from '../../../shared/store/forecasts.ts';

const noisy = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => 100 + 10 * Math.sin(i / 3 + seed) + ((i * 7919 + seed) % 13));

function forecastWith(steps: IndicatorForecast['steps'], scale = 1): IndicatorForecast {
  return {
    method: 'test',
    steps,
    calibration: {
      method: 'test',
      scale80: scale,
      scale95: scale,
      scale80ByStep: [scale],
      scale95ByStep: [scale],
    },
  };
}

describe('roundForecast', () => {
  it('rounds the per-step calibration scales to six significant digits, like the steps', () => {
    const f = roundForecast(forecastSeries({ values: noisy(120, 1), period: 7, horizon: 6 }));

    for (const v of [...(f.calibration.scale80ByStep ?? []), ...(f.calibration.scale95ByStep ?? [])]) {
      expect(v).toBe(Number(v.toPrecision(6)));
    }
    expect(f.calibration.scale80ByStep).toHaveLength(6);
  });

  it('stores dust below DynamoDB’s smallest magnitude (1e-130) as 0', () => {
    const step = { step: 1, point: 1e-200, lower80: 0, upper80: 2e-200, lower95: 0, upper95: 3e-131 };
    const f = roundForecast(forecastWith([step]));
    expect(f.steps[0]).toEqual({ step: 1, point: 0, lower80: 0, upper80: 0, lower95: 0, upper95: 0 });
  });

  it('holds bounds past ±2^53 at the limit instead of leaving the forecast unstorable', () => {
    // Arrange: a series near the limit, whose interval (or its rounding) reaches past it.
    const step = {
      step: 1,
      point: 9.0071992547409e15,
      lower80: -2e16,
      upper80: 9.007199254740991e15,
      lower95: -3e16,
      upper95: 4e16,
    };

    // Act
    const f = roundForecast(forecastWith([step]));

    // Assert
    expect(f.steps[0]).toEqual({
      step: 1,
      point: Number.MAX_SAFE_INTEGER, // 9.0071992547409e15 rounds to 9.00720e15, past the limit
      lower80: -Number.MAX_SAFE_INTEGER,
      upper80: Number.MAX_SAFE_INTEGER,
      lower95: -Number.MAX_SAFE_INTEGER,
      upper95: Number.MAX_SAFE_INTEGER,
    });
    expect(unstorableReason(f)).toBeNull();
    expect(() => marshall(f)).not.toThrow();
  });
});

describe('unstorableReason', () => {
  it.each([
    ['NaN', Number.NaN],
    ['an infinity', Number.POSITIVE_INFINITY],
    ['a number beyond MAX_SAFE_INTEGER', 1e16],
  ])('names the step and field holding %s', (_name, bad) => {
    const f = forecastWith([{ step: 1, point: 1, lower80: 0, upper80: bad, lower95: 0, upper95: 3 }]);
    expect(unstorableReason(f)).toMatch(/step 1 upper80/);
    expect(() => marshall(f)).toThrow(); // what the reason stands in for
  });

  it('accepts a forecast the document client can marshall', () => {
    const f = roundForecast(forecastSeries({ values: noisy(60, 2), period: 12, horizon: 6 }));
    expect(unstorableReason(f)).toBeNull();
    expect(() => marshall(f, { removeUndefinedValues: true })).not.toThrow();
  });
});

describe('forecastSteps', () => {
  it('forecasts horizon + lag steps while they fit', () => {
    expect(forecastSteps(6, 3)).toEqual({ steps: 9 });
  });

  it('caps a long lag at MAX_FORECAST_STEPS and says which periods go unforecast', () => {
    const { steps, capped } = forecastSteps(24, 90);
    expect(steps).toBe(MAX_FORECAST_STEPS);
    expect(capped).toMatch(/90 period\(s\) behind/);
    expect(capped).toMatch(new RegExp(`last ${24 + 90 - MAX_FORECAST_STEPS} period`));
  });
});

describe('fitForecastBudget', () => {
  const records = (indicators: number, steps: number): IndicatorForecastRecord[] =>
    Array.from({ length: indicators }, (_, i) => ({
      indicatorId: `indicator-with-a-long-identifier-${i}`,
      status: 'forecast',
      cadence: 'P1D',
      lastPeriod: '2026-01-01',
      lastValue: 123.4,
      periods: 120,
      forecast: roundForecast(forecastSeries({ values: noisy(120, i), period: 7, horizon: steps })),
    }));

  it('leaves an item within the budget untouched', () => {
    const item = { scenarioId: 's', indicators: records(3, 6) };
    expect(fitForecastBudget(item, 6)).toBe(item);
  });

  it('keeps 50 indicators at the longest forecast under the budget, dropping the steps after the horizon', () => {
    // Arrange: the worst case the caps allow: 50 indicators, MAX_FORECAST_STEPS steps each.
    const item = { scenarioId: 's', indicators: records(50, MAX_FORECAST_STEPS) };
    expect(JSON.stringify(item).length).toBeGreaterThan(FORECAST_ITEM_BUDGET);

    // Act
    const fitted = fitForecastBudget(item, 24);

    // Assert
    expect(JSON.stringify(fitted).length).toBeLessThan(FORECAST_ITEM_BUDGET);
    for (const r of fitted.indicators) {
      expect(r.forecast?.steps).toHaveLength(24);
      expect(r.forecast?.calibration.scale95ByStep).toHaveLength(24);
      expect(r.reason).toMatch(
        /steps after 24 not stored: the forecast item was \d+ KB, over its 300 KB budget/,
      );
    }
  });
});
