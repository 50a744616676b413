// What of a forecast goes into the FORECAST item: rounded, clamped to what an item can hold
// (shared/store/numbers.ts), and small enough that the item never fails the evaluation's transaction
// (DynamoDB refuses items over 400 KB).
import type { IndicatorForecastRecord } from '../store/forecasts.ts';
import { clampToStorable, unstorable } from '../store/numbers.ts';
import type { IndicatorForecast } from './types.ts';

/**
 * The most steps one indicator is forecast: the horizon (≤ 24) plus the complete periods since its
 * newest value (the lag), which is capped to fit. At ~100 bytes a step, 50 indicators stay ~250 KB.
 */
export const MAX_FORECAST_STEPS = 48;

/** The FORECAST item's budget (JSON characters, a little above its DynamoDB size): 400 KB is the hard limit. */
export const FORECAST_ITEM_BUDGET = 300_000;

/** How far ahead to forecast an indicator `lag` periods behind, and why it is less than asked, if it is. */
export function forecastSteps(horizon: number, lag: number): { steps: number; capped?: string } {
  const steps = Math.min(horizon + lag, MAX_FORECAST_STEPS);
  if (steps === horizon + lag) return { steps };
  return {
    steps,
    capped:
      `newest value ${lag} period(s) behind: forecast ${steps} steps (at most ${MAX_FORECAST_STEPS}), ` +
      `so the last ${horizon + lag - steps} period(s) of the horizon are not forecast`,
  };
}

/**
 * Six significant digits are plenty for a forecast, and keep the item small. Then each number is
 * clamped to what an item holds: a bound of a series near ±2^53 is held at the limit (rounding alone
 * can carry it past), dust below 1e-130 becomes 0, so such a series is still forecast and stored.
 */
export function roundForecast(forecast: IndicatorForecast): IndicatorForecast {
  const r = (v: number) => clampToStorable(Number(v.toPrecision(6)));
  const { scale80ByStep, scale95ByStep } = forecast.calibration;
  return {
    ...forecast,
    steps: forecast.steps.map((s) => ({
      step: s.step,
      point: r(s.point),
      lower80: r(s.lower80),
      upper80: r(s.upper80),
      lower95: r(s.lower95),
      upper95: r(s.upper95),
    })),
    calibration: {
      method: forecast.calibration.method,
      scale80: r(forecast.calibration.scale80),
      scale95: r(forecast.calibration.scale95),
      ...(scale80ByStep ? { scale80ByStep: scale80ByStep.map(r) } : {}),
      ...(scale95ByStep ? { scale95ByStep: scale95ByStep.map(r) } : {}),
    },
  };
}

const storable = (v: number) => unstorable(v) === undefined;

/**
 * Why a forecast cannot be stored (NaN or an infinity, which no clamp makes a number; beyond the limits
 * when it was not rounded), or null when every number can be.
 */
export function unstorableReason(forecast: IndicatorForecast): string | null {
  for (const s of forecast.steps) {
    for (const [field, v] of Object.entries(s)) {
      if (!storable(v)) {
        return `forecast step ${s.step} ${field} is ${v}: ${unstorable(v)}, so it cannot be stored`;
      }
    }
  }
  const { scale80, scale95, scale80ByStep = [], scale95ByStep = [] } = forecast.calibration;
  const scale = [scale80, scale95, ...scale80ByStep, ...scale95ByStep].find((v) => !storable(v));
  if (scale !== undefined)
    return `forecast calibration scale is ${scale}, not a finite number that can be stored`;
  return null;
}

/**
 * Keeps the item under `budget`: when the whole item is over it, each indicator keeps only its first
 * `horizon` steps (the lag steps beyond them are what makes an item large), with the reason recorded.
 * The projection was computed from the full forecasts before this, so it is unaffected.
 */
export function fitForecastBudget<T extends { indicators: IndicatorForecastRecord[] }>(
  item: T,
  horizon: number,
  budget: number = FORECAST_ITEM_BUDGET,
): T {
  const size = JSON.stringify(item).length;
  if (size <= budget) return item;
  const note = `steps after ${horizon} not stored: the forecast item was ${Math.round(size / 1000)} KB, over its ${Math.round(budget / 1000)} KB budget`;
  const indicators = item.indicators.map((r): IndicatorForecastRecord => {
    if (!r.forecast || r.forecast.steps.length <= horizon) return r;
    const { scale80ByStep, scale95ByStep } = r.forecast.calibration;
    const forecast: IndicatorForecast = {
      ...r.forecast,
      steps: r.forecast.steps.slice(0, horizon),
      calibration: {
        ...r.forecast.calibration,
        ...(scale80ByStep ? { scale80ByStep: scale80ByStep.slice(0, horizon) } : {}),
        ...(scale95ByStep ? { scale95ByStep: scale95ByStep.slice(0, horizon) } : {}),
      },
    };
    return { ...r, forecast, reason: r.reason ? `${r.reason}; ${note}` : note };
  });
  return { ...item, indicators };
}
