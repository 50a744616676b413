// The only place table keys are built. One table: `pk` groups an entity's items, `sk` orders them.

export const TABLE_KEY = { partition: 'pk', sort: 'sk' } as const;

/**
 * A sparse index of the alerts still open: pending (not yet published) or held by a silence and not
 * yet summarized. Only those items carry `openPk` (their scenario's partition), so the notify sweep and
 * the silence summary read the few open alerts, never a scenario's whole alert history.
 */
export const OPEN_ALERTS_INDEX = { name: 'open-alerts', partition: 'openPk', sort: 'sk' } as const;

/** Every item carries its entity name; the stream triggers filter on it. */
export type Entity =
  | 'observation'
  | 'assessment'
  | 'path-state'
  | 'alert'
  | 'silence'
  | 'observation-revision'
  | 'fetch-run'
  | 'source-health'
  | 'forecast';

export interface Key {
  pk: string;
  sk: string;
}

const indicator = (indicatorId: string) => `IND#${indicatorId}`;
const scenario = (scenarioId: string) => `SCN#${scenarioId}`;

export const keys = {
  observation: (indicatorId: string, period: string): Key => ({
    pk: indicator(indicatorId),
    sk: `OBS#${period}`,
  }),
  /** Bounds for querying an indicator's observations by period. */
  observationPrefix: (indicatorId: string) => ({ pk: indicator(indicatorId), sk: 'OBS#' }),
  /** The latest assessment sorts apart from the history (a `begins_with` on the prefix skips it). */
  latestAssessment: (scenarioId: string): Key => ({ pk: scenario(scenarioId), sk: 'ASSESSMENT' }),
  assessment: (scenarioId: string, asOf: string): Key => ({
    pk: scenario(scenarioId),
    sk: `ASSESSMENT#${asOf}`,
  }),
  assessmentPrefix: (scenarioId: string) => ({ pk: scenario(scenarioId), sk: 'ASSESSMENT#' }),
  pathState: (scenarioId: string): Key => ({ pk: scenario(scenarioId), sk: 'STATE' }),
  /** The latest indicator forecasts and projected path probabilities, written with the assessment. */
  forecast: (scenarioId: string): Key => ({ pk: scenario(scenarioId), sk: 'FORECAST' }),
  alert: (scenarioId: string, sequence: number): Key => ({
    pk: scenario(scenarioId),
    sk: `ALERT#${String(sequence).padStart(8, '0')}`,
  }),
  alertPrefix: (scenarioId: string) => ({ pk: scenario(scenarioId), sk: 'ALERT#' }),
  /** An observation's earlier value, kept when a source revises it (sorts outside `OBS#`). */
  observationRevision: (indicatorId: string, period: string, revisedAt: string): Key => ({
    pk: indicator(indicatorId),
    sk: `REV#${period}#${revisedAt}`,
  }),
  observationRevisionPrefix: (indicatorId: string) => ({ pk: indicator(indicatorId), sk: 'REV#' }),
  /** One ingest run of an indicator's source (expires through `expiresAt`). */
  fetchRun: (indicatorId: string, startedAt: string, runId: string): Key => ({
    pk: indicator(indicatorId),
    sk: `RUN#${startedAt}#${runId}`,
  }),
  fetchRunPrefix: (indicatorId: string) => ({ pk: indicator(indicatorId), sk: 'RUN#' }),
  /** An indicator source's health and conditional-GET validators. */
  sourceHealth: (indicatorId: string): Key => ({ pk: indicator(indicatorId), sk: 'SOURCE' }),
  /** An operator's silence of a scenario's alerts (set through the API). */
  silence: (scenarioId: string, silenceId: string): Key => ({
    pk: scenario(scenarioId),
    sk: `SILENCE#${silenceId}`,
  }),
  silencePrefix: (scenarioId: string) => ({ pk: scenario(scenarioId), sk: 'SILENCE#' }),
};

/** An item as stored: the entity's fields plus its key and entity name. */
export function toItem<T extends object>(entity: Entity, key: Key, fields: T): Record<string, unknown> {
  return { ...fields, ...key, entity };
}

/** The entity's fields of a stored item, without the keys (table and index) and entity name. */
export function fieldsOf<T>(item: Record<string, unknown>): T {
  const { pk: _pk, sk: _sk, entity: _entity, openPk: _open, ...fields } = item;
  return fields as T;
}
