// The only place table keys are built. One table: `pk` groups an entity's items, `sk` orders them.

export const TABLE_KEY = { partition: 'pk', sort: 'sk' } as const;

export type Entity = 'observation' | 'assessment' | 'path-state' | 'alert';

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
  latestAssessment: (scenarioId: string): Key => ({ pk: scenario(scenarioId), sk: 'ASSESSMENT#LATEST' }),
  assessment: (scenarioId: string, asOf: string): Key => ({
    pk: scenario(scenarioId),
    sk: `ASSESSMENT#${asOf}`,
  }),
  pathState: (scenarioId: string): Key => ({ pk: scenario(scenarioId), sk: 'STATE' }),
  alert: (scenarioId: string, sequence: number): Key => ({
    pk: scenario(scenarioId),
    sk: `ALERT#${String(sequence).padStart(8, '0')}`,
  }),
};
