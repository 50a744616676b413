// Forecasts: the latest indicator forecasts and projected path probabilities of a scenario, one item
// written in the evaluation's transaction (see assessments.ts); only the latest is kept.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Cadence } from '../domain/period.ts';
import type { Projection } from '../domain/projection.ts';
import type { IndicatorForecast } from '../forecast/types.ts';
import { fieldsOf, keys, toItem } from './keys.ts';
import type { Table } from './table.ts';

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

export function forecastToItem(forecast: StoredForecast): Record<string, unknown> {
  return toItem('forecast', keys.forecast(forecast.scenarioId), forecast);
}

export async function getLatestForecast(table: Table, scenarioId: string): Promise<StoredForecast | null> {
  const { Item } = await table.db.send(
    new GetCommand({ TableName: table.name, Key: keys.forecast(scenarioId) }),
  );
  return Item ? fieldsOf<StoredForecast>(Item) : null;
}
