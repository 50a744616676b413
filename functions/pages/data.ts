// What the pages show, read from the table: per scenario its latest assessment, recent history, alerts and
// forecast; per indicator its recent observations and its source's health. Reads run in parallel and are
// bounded, so a page costs the same however long a scenario has run.
import type { Indicator, Scenario } from '../../shared/config/scenario-schema.ts';
import { historyNeeded } from '../../shared/domain/assess.ts';
import { resolveDynamics } from '../../shared/domain/dynamics.ts';
import type { Observation } from '../../shared/domain/model.ts';
import type { ScenarioListItem } from '../../shared/runtime/scenario-listing.ts';
import { type AlertRecord, listAlerts } from '../../shared/store/alerts.ts';
import {
  getLatestAssessment,
  listAssessments,
  type StoredAssessment,
} from '../../shared/store/assessments.ts';
import { getLatestForecast, type StoredForecast } from '../../shared/store/forecasts.ts';
import { recentObservations } from '../../shared/store/observations.ts';
import { getSourceHealth, type SourceHealth } from '../../shared/store/source-health.ts';
import type { Table } from '../../shared/store/table.ts';

/** The newest assessments the timeline draws (about 40 years of months; a year and a half of days). */
export const HISTORY_LIMIT = 500;
/** The newest alerts the log lists. */
export const ALERT_LIMIT = 200;
/** The newest periods an indicator's chart draws (at least what the filter needs is read). */
export const CHART_PERIODS = 60;
/** The newest assessments a sparkline on the list draws. */
export const SPARKLINE_POINTS = 36;
/** The scenarios the index shows at once (each card reads its scenario's recent assessments). */
export const INDEX_PAGE_SIZE = 24;

export interface IndicatorData {
  indicator: Indicator;
  /** Oldest first. */
  observations: Observation[];
  health: SourceHealth | null;
}

export interface ScenarioData {
  scenario: Scenario;
  latest: StoredAssessment | null;
  /** Oldest first. */
  history: StoredAssessment[];
  /** Oldest first. */
  alerts: AlertRecord[];
  forecast: StoredForecast | null;
  indicators: IndicatorData[];
}

export interface ScenarioSummary {
  scenario: ScenarioListItem;
  latest: StoredAssessment | null;
  /** The newest assessments, oldest first. */
  recent: StoredAssessment[];
}

export async function readScenario(table: Table, scenario: Scenario, now: Date): Promise<ScenarioData> {
  const dynamics = resolveDynamics(scenario);
  const [latest, history, alerts, forecast, indicators] = await Promise.all([
    getLatestAssessment(table, scenario.id),
    listAssessments(table, scenario.id, HISTORY_LIMIT),
    listAlerts(table, scenario.id, ALERT_LIMIT),
    getLatestForecast(table, scenario.id),
    Promise.all(
      scenario.indicators.map(async (indicator) => {
        const periods = Math.max(CHART_PERIODS, historyNeeded(indicator, dynamics));
        const [observations, health] = await Promise.all([
          recentObservations(table, indicator.id, now.toISOString(), periods),
          getSourceHealth(table, indicator.id),
        ]);
        return { indicator, observations: observations.reverse(), health: health ?? null };
      }),
    ),
  ]);
  return { scenario, latest, history, alerts, forecast, indicators };
}

export async function readSummary(table: Table, scenario: ScenarioListItem): Promise<ScenarioSummary> {
  const [latest, recent] = await Promise.all([
    getLatestAssessment(table, scenario.id),
    listAssessments(table, scenario.id, SPARKLINE_POINTS),
  ]);
  return { scenario, latest, recent };
}
