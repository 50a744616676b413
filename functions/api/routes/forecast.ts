// GET /v1/scenarios/{id}/forecast and GET /v1/indicators/{id}/forecast: the forecasts and projected
// path probabilities stored with the latest assessment (one GetItem per scenario).
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { shiftPeriod } from '../../../shared/domain/period.ts';
import {
  getLatestForecast,
  type IndicatorForecastRecord,
  type StoredForecast,
} from '../../../shared/store/forecasts.ts';
import type { Route } from '../context.ts';
import { definedFields } from '../defined-fields.ts';
import { operations } from '../operations.ts';
import { HttpProblem } from '../problem.ts';
import { json, parseRequest } from '../request.ts';
import { declaringOr404, inPathOrder, scenarioOr404 } from './scenarios.ts';

/** Like the latest assessment: it changes with each evaluation. */
const FORECAST_CACHE = 'public, max-age=60';

export const getScenarioForecast: Route = async (event, { table, scenarios }) => {
  const { params } = parseRequest(operations['GET /v1/scenarios/{id}/forecast'], event);
  const scenario = await scenarioOr404(scenarios, params.id);
  const forecast = await getLatestForecast(table, scenario.id);
  if (!forecast) {
    throw new HttpProblem(404, 'No forecast yet', `Scenario "${scenario.id}" has not been evaluated yet.`);
  }
  return json(200, toScenarioForecast(forecast, scenario), FORECAST_CACHE);
};

export const getIndicatorForecast: Route = async (event, { table, scenarios: published }) => {
  const { params } = parseRequest(operations['GET /v1/indicators/{id}/forecast'], event);
  const id = params.id;
  const { indicator, scenarios: declaring } = await declaringOr404(published, id);
  const { scenarios } = declaring;
  // An indicator shared by scenarios is forecast with each; the most recent evaluation answers.
  const found = (await Promise.all(scenarios.map((s) => getLatestForecast(table, s.id))))
    .flatMap((f) => {
      const record = f?.indicators.find((i) => i.indicatorId === id);
      return f && record ? [{ forecast: f, record }] : [];
    })
    .sort((a, b) => (a.forecast.asOf < b.forecast.asOf ? 1 : a.forecast.asOf > b.forecast.asOf ? -1 : 0));
  const latest = found[0];
  if (!latest) {
    throw new HttpProblem(404, 'No forecast yet', `Indicator "${id}" has not been evaluated yet.`);
  }
  const { forecast, record } = latest;
  if (record.status !== 'forecast' || !record.forecast) {
    throw new HttpProblem(
      404,
      'No forecast',
      `Indicator "${id}" has no forecast as of ${forecast.asOf}: ${record.reason ?? record.status}.`,
    );
  }
  return json(
    200,
    {
      scenarioId: forecast.scenarioId,
      asOf: forecast.asOf,
      evaluatedAt: forecast.evaluatedAt,
      unit: indicator.unit ?? '',
      ...indicatorPart(record),
    },
    FORECAST_CACHE,
  );
};

/** The stored forecast in a fixed field order, probabilities in the scenario's path order. */
function toScenarioForecast(f: StoredForecast, scenario: Scenario) {
  const byPath = (values: Record<string, number>) => inPathOrder(scenario, values);
  const p = f.projection;
  return {
    scenarioId: f.scenarioId,
    asOf: f.asOf,
    evaluatedAt: f.evaluatedAt,
    projection: p
      ? {
          cadence: p.cadence,
          horizon: p.horizon,
          draws: p.draws,
          seed: p.seed,
          path: p.path,
          change: p.change,
          challenger: p.challenger,
          changeTo: byPath(p.changeTo),
          steps: p.steps.map((s) => ({
            step: s.step,
            asOf: s.asOf,
            probabilities: byPath(s.probabilities),
            change: s.change,
          })),
          drivers: p.drivers.map((d) => ({
            indicatorId: d.indicatorId,
            decibans: d.decibans,
            today: d.today,
            ...definedFields(d, 'point', 'last'),
          })),
          projected: p.projected,
          held: p.held,
        }
      : null,
    ...definedFields(f, 'error'),
    indicators: f.indicators.map(indicatorPart),
  };
}

/** One indicator's forecast, its steps dated by the period each one forecasts. */
function indicatorPart(r: IndicatorForecastRecord) {
  return {
    indicatorId: r.indicatorId,
    status: r.status,
    ...definedFields(r, 'reason'),
    cadence: r.cadence,
    ...definedFields(r, 'lastPeriod', 'lastValue'),
    ...(r.forecast
      ? {
          method: r.forecast.method,
          calibration: {
            method: r.forecast.calibration.method,
            scale80: r.forecast.calibration.scale80,
            scale95: r.forecast.calibration.scale95,
          },
          steps: r.forecast.steps.map((s) => ({
            step: s.step,
            period: r.lastPeriod ? shiftPeriod(r.lastPeriod, r.cadence, s.step) : null,
            point: s.point,
            lower80: s.lower80,
            upper80: s.upper80,
            lower95: s.lower95,
            upper95: s.upper95,
          })),
        }
      : {}),
  };
}
