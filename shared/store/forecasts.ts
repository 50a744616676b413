// Forecasts: the latest indicator forecasts and projected path probabilities of a scenario, one item
// (`SCN#<scenarioId>`, `FORECAST`) written in the evaluation's transaction (see assessments.ts); only
// the latest is kept.
import type { Cadence } from '../domain/period.ts';
import type { Projection, ProjectionStep } from '../domain/projection.ts';
import type { ForecastStep, IndicatorForecast } from '../forecast/types.ts';
import { each, fields, list, nullable, number, oneOf, optional, record, string } from './checks.ts';
import { type Item, readItem, toItem } from './item.ts';
import { getItem } from './query.ts';
import { forecastDriver } from './records.ts';
import { type Key, key, partition, type Table } from './table.ts';

export const forecastKey = (scenarioId: string): Key => key(partition.scenario(scenarioId), 'FORECAST');

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

function cadence(v: unknown): Cadence {
  return oneOf<Cadence>({ P1D: true, P1W: true, P1M: true, P3M: true, P1Y: true })(v);
}

function projectionStep(v: unknown): ProjectionStep {
  return fields(v, { step: number, asOf: string, probabilities: record(number), change: number });
}

function projection(v: unknown): Projection {
  return fields(v, {
    ...each(string, 'asOf path'),
    cadence,
    ...each(number, 'horizon draws seed change'),
    steps: list(projectionStep),
    changeTo: record(number),
    challenger: nullable(string),
    drivers: list(forecastDriver),
    ...each(list(string), 'projected held'),
  });
}

function forecastStep(v: unknown): ForecastStep {
  return fields(v, each(number, 'step point lower80 upper80 lower95 upper95'));
}

function indicatorForecast(v: unknown): IndicatorForecast {
  return fields(v, {
    method: string,
    steps: list(forecastStep),
    calibration: (c) =>
      fields(c, {
        method: string,
        ...each(number, 'scale80 scale95'),
        ...each(optional(list(number)), 'scale80ByStep scale95ByStep'),
      }),
  });
}

function indicatorForecastRecord(v: unknown): IndicatorForecastRecord {
  return fields(v, {
    indicatorId: string,
    status: oneOf<IndicatorForecastRecord['status']>({ forecast: true, skipped: true, failed: true }),
    cadence,
    ...each(optional(string), 'reason lastPeriod'),
    ...each(optional(number), 'lastValue periods'),
    forecast: optional(indicatorForecast),
  });
}

function storedForecast(v: unknown): StoredForecast {
  return fields(v, {
    ...each(string, 'scenarioId asOf evaluatedAt'),
    projection: nullable(projection),
    error: optional(string),
    indicators: list(indicatorForecastRecord),
  });
}

export const forecastFromItem = (item: Item) => readItem('forecast', item, storedForecast);

export function getLatestForecast(table: Table, scenarioId: string): Promise<StoredForecast | null> {
  return getItem(table, forecastKey(scenarioId), forecastFromItem);
}
