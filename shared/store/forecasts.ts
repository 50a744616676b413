// Forecasts: the latest indicator forecasts and projected path probabilities of a scenario, one item
// (`SCN#<scenarioId>`, `FORECAST`) written in the evaluation's transaction (see assessments.ts); only
// the latest is kept.
import type { Cadence } from '../domain/period.ts';
import type { Projection, ProjectionStep } from '../domain/projection.ts';
import type { ForecastStep, IndicatorForecast } from '../forecast/types.ts';
import {
  fields,
  type Item,
  list,
  nullable,
  number,
  oneOf,
  optional,
  readItem,
  record,
  string,
  toItem,
} from './item.ts';
import { getItem } from './query.ts';
import { forecastDriver } from './records.ts';
import { type Key, partition, type Table } from './table.ts';

export const forecastKey = (scenarioId: string): Key => ({
  pk: partition.scenario(scenarioId),
  sk: 'FORECAST',
});

/**
 * One indicator's part: its forecast, or why it has none (`skipped`: not forecast by design, e.g. an
 * event model; `failed`: the forecast was attempted and failed, e.g. too short a series).
 */
export interface IndicatorForecastRecord {
  indicatorId: string;
  status: 'forecast' | 'skipped' | 'failed';
  reason?: string;
  cadence: Cadence;
  /** The newest observed period: step k of the forecast is the k-th period after it. */
  lastPeriod?: string;
  lastValue?: number;
  /** How many periods (gaps included) the forecast was fitted to. */
  periods?: number;
  forecast?: IndicatorForecast;
}

export interface StoredForecast {
  scenarioId: string;
  asOf: string;
  evaluatedAt: string;
  /** Null when the projection itself failed (see `error`); the evaluation is stored regardless. */
  projection: Projection | null;
  error?: string;
  indicators: IndicatorForecastRecord[];
}

export function forecastToItem(forecast: StoredForecast): Item {
  return toItem('forecast', forecastKey(forecast.scenarioId), forecast);
}

function cadence(v: unknown, at: string): Cadence {
  return oneOf<Cadence>({ P1D: true, P1W: true, P1M: true, P3M: true, P1Y: true })(v, at);
}

function projectionStep(v: unknown, at: string): ProjectionStep {
  return fields(v, at, { step: number, asOf: string, probabilities: record(number), change: number });
}

function projection(v: unknown, at: string): Projection {
  return fields(v, at, {
    asOf: string,
    cadence,
    horizon: number,
    draws: number,
    seed: number,
    path: string,
    steps: list(projectionStep),
    change: number,
    changeTo: record(number),
    challenger: nullable(string),
    drivers: list(forecastDriver),
    projected: list(string),
    held: list(string),
  });
}

function forecastStep(v: unknown, at: string): ForecastStep {
  return fields(v, at, {
    step: number,
    point: number,
    lower80: number,
    upper80: number,
    lower95: number,
    upper95: number,
  });
}

function indicatorForecast(v: unknown, at: string): IndicatorForecast {
  return fields(v, at, {
    method: string,
    steps: list(forecastStep),
    calibration: (c, cat) =>
      fields(c, cat, {
        method: string,
        scale80: number,
        scale95: number,
        scale80ByStep: optional(list(number)),
        scale95ByStep: optional(list(number)),
      }),
  });
}

function indicatorForecastRecord(v: unknown, at: string): IndicatorForecastRecord {
  return fields(v, at, {
    indicatorId: string,
    status: oneOf<IndicatorForecastRecord['status']>({ forecast: true, skipped: true, failed: true }),
    reason: optional(string),
    cadence,
    lastPeriod: optional(string),
    lastValue: optional(number),
    periods: optional(number),
    forecast: optional(indicatorForecast),
  });
}

const forecastFromItem = (item: Item): StoredForecast =>
  readItem('forecast', item, (v, at) =>
    fields(v, at, {
      scenarioId: string,
      asOf: string,
      evaluatedAt: string,
      projection: nullable(projection),
      error: optional(string),
      indicators: list(indicatorForecastRecord),
    }),
  );

export function getLatestForecast(table: Table, scenarioId: string): Promise<StoredForecast | null> {
  return getItem(table, forecastKey(scenarioId), forecastFromItem);
}
