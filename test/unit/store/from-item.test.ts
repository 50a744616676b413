// Every store read goes through its entity's fromItem: a well-formed item gives back the entity's fields
// (its key, entity name and index attribute left out), a malformed one fails naming entity, key and field.
import { describe, expect, it } from 'vitest';
import { initialPathState, type PathState } from '../../../shared/domain/model.ts';
import { type AlertRecord, alertFromItem, alertToItem } from '../../../shared/store/alerts.ts';
import {
  assessmentFromItem,
  assessmentToItem,
  type StoredAssessment,
} from '../../../shared/store/assessments.ts';
import { MalformedItemError } from '../../../shared/store/checks.ts';
import { type FetchRun, fetchRunFromItem, fetchRunKey } from '../../../shared/store/fetch-runs.ts';
import { forecastFromItem, forecastToItem, type StoredForecast } from '../../../shared/store/forecasts.ts';
import { type Item, toItem } from '../../../shared/store/item.ts';
import {
  type ObservationRevision,
  revisionFromItem,
  revisionToItem,
} from '../../../shared/store/observation-revisions.ts';
import { observationFromItem, observationToItem } from '../../../shared/store/observations.ts';
import { pathStateFromItem, pathStateKey } from '../../../shared/store/path-states.ts';
import { type Silence, silenceFromItem, silenceKey } from '../../../shared/store/silences.ts';
import {
  type SourceHealth,
  sourceHealthFromItem,
  sourceHealthKey,
} from '../../../shared/store/source-health.ts';
import { TTL_ATTRIBUTE } from '../../../shared/store/table.ts';

const assessment: StoredAssessment = {
  scenarioId: 'kupyansk',
  asOf: '2024-02-01T00:00:00.000Z',
  evaluatedAt: '2024-02-01T00:00:01.000Z',
  probabilities: { baseline: 0.15, risk: 0.85 },
  leader: 'risk',
  margin: 0.7,
  entropy: 0.61,
  contributions: [
    { indicatorId: 'fires', status: 'used', model: 'bands', value: 3, weight: 1, decibans: { risk: 5 } },
    { indicatorId: 'news', status: 'stale', model: 'event', weight: 0, decibans: {} },
  ],
  stale: ['news'],
  state: { status: 'pending', path: 'baseline', since: null, pending: { path: 'risk', count: 1, of: 2 } },
  events: [{ kind: 'data-stale', sequence: 4, indicators: ['news'], at: '2024-02-01T00:00:00.000Z' }],
};

const common = {
  scenarioId: 'kupyansk',
  at: '2024-02-01T00:00:00.000Z',
  createdAt: '2024-02-01T00:00:01.000Z',
  path: 'risk',
  probabilities: { baseline: 0.15, risk: 0.85 },
  contributions: assessment.contributions,
  stale: [] as string[],
  status: 'pending' as const,
};

const alerts: AlertRecord[] = [
  {
    ...common,
    kind: 'path-shift',
    sequence: 5,
    from: 'baseline',
    to: 'risk',
    probabilitiesBefore: null,
    probabilitiesAfter: { baseline: 0.15, risk: 0.85 },
  },
  { ...common, kind: 'data-recovered', sequence: 6, indicators: ['news'], status: 'sent', sentAt: 'x' },
  {
    ...common,
    kind: 'forecast-warning',
    sequence: 7,
    probability: 0.61,
    threshold: 0.6,
    horizon: 6,
    until: '2024-08-01T00:00:00.000Z',
    from: null,
    to: 'baseline',
    projected: { baseline: 0.61, risk: 0.39 },
    drivers: [{ indicatorId: 'fires', decibans: 2.1, today: 0.4, point: 12 }],
  },
  {
    ...common,
    kind: 'silence-summary',
    sequence: 8,
    silence: { id: 'quiet', start: '2024-01-01', end: '2024-02-01', reason: 'maintenance' },
    held: [{ sequence: 3, kind: 'data-stale', at: '2024-01-15T00:00:00.000Z', indicators: ['news'] }],
  },
];

const forecast: StoredForecast = {
  scenarioId: 'kupyansk',
  asOf: '2024-02-01T00:00:00.000Z',
  evaluatedAt: '2024-02-01T00:00:01.000Z',
  projection: {
    asOf: '2024-02-01T00:00:00.000Z',
    cadence: 'P1M',
    horizon: 1,
    draws: 100,
    seed: 7,
    path: 'risk',
    steps: [{ step: 1, asOf: '2024-03-01T00:00:00.000Z', probabilities: { risk: 0.6 }, change: 0.4 }],
    change: 0.4,
    changeTo: { baseline: 0.4 },
    challenger: 'baseline',
    drivers: [],
    projected: ['fires'],
    held: ['news'],
  },
  indicators: [
    {
      indicatorId: 'fires',
      status: 'forecast',
      cadence: 'P1M',
      lastPeriod: '2024-01-01',
      lastValue: 3,
      periods: 24,
      forecast: {
        method: 'ets',
        steps: [{ step: 1, point: 3, lower80: 2, upper80: 4, lower95: 1, upper95: 5 }],
        calibration: { method: 'none', scale80: 1, scale95: 1 },
      },
    },
    { indicatorId: 'news', status: 'skipped', reason: 'event model', cadence: 'P1D' },
  ],
};

const state: PathState = {
  ...initialPathState,
  path: 'baseline',
  since: '2023-01-01T00:00:00.000Z',
  window: [null, 'risk'],
  seen: { fires: '2024-01-01' },
  alerts: 4,
  version: 3,
  votePeriod: '2024-01-01',
};

const revision: ObservationRevision = {
  indicatorId: 'fires',
  period: '2024-01-01',
  value: 3,
  source: 'fires.csv',
  fetchedAt: '2024-01-02T00:00:00.000Z',
  revisedAt: '2024-01-09T00:00:00.000Z',
  revisedTo: 4,
  flags: ['estimated'],
};

const silence: Silence = {
  scenarioId: 'kupyansk',
  silenceId: 'quiet',
  start: '2024-01-01T00:00:00.000Z',
  end: '2024-02-01T00:00:00.000Z',
  reason: 'maintenance',
  updatedAt: '2023-12-31T00:00:00.000Z',
};

const run: FetchRun = {
  indicatorId: 'fires',
  status: 'succeeded',
  source: 'fires.csv',
  startedAt: '2024-01-02T00:00:00.000Z',
  endedAt: '2024-01-02T00:00:01.000Z',
  read: 10,
  written: 2,
  unchanged: 8,
  revised: 1,
  rejected: 1,
  firstRejections: [{ at: 'line 3', reason: 'not a number' }],
};

const health: SourceHealth = {
  indicatorId: 'fires',
  source: 'fires.csv',
  lastSuccessAt: '2024-01-02T00:00:01.000Z',
  consecutiveFailures: 0,
  etag: '"abc"',
};

describe('reading a well-formed item', () => {
  it.each<[string, unknown, () => unknown]>([
    ['an assessment', assessment, () => assessmentFromItem(assessmentToItem(assessment, 'latest'))],
    ...alerts.map((a): [string, unknown, () => unknown] => [
      `a ${a.kind} alert`,
      a,
      () => alertFromItem(alertToItem(a)),
    ]),
    ['a forecast', forecast, () => forecastFromItem(forecastToItem(forecast))],
    ['a path state', state, () => pathStateFromItem(toItem('path-state', pathStateKey('kupyansk'), state))],
    ['a revision', revision, () => revisionFromItem(revisionToItem(revision))],
    [
      'a silence',
      silence,
      () => silenceFromItem(toItem('silence', silenceKey('kupyansk', 'quiet'), silence)),
    ],
    [
      'a source health',
      health,
      () => sourceHealthFromItem(toItem('source-health', sourceHealthKey('fires'), health)),
    ],
  ])(
    'gives back the fields of %s as written, without key, entity name or index attribute',
    (_, written, read) => {
      // Act
      const fields = read();

      // Assert
      expect(fields).toStrictEqual(written);
    },
  );

  it('gives back an observation with what ingestion knew of it, and when it was fetched', () => {
    // Arrange
    const sourced = {
      indicatorId: 'news',
      period: '2024-01-01',
      value: 2,
      source: 'feed',
      flags: ['partial'],
      evidence: [{ title: 'Report', time: '2024-01-01T08:00:00.000Z', link: 'https://example.org/r' }],
    };

    // Act
    const observation = observationFromItem(observationToItem({ ...sourced, partial: 'at-least' }, 'now'));

    // Assert
    expect(observation).toStrictEqual({ ...sourced, fetchedAt: 'now' });
  });

  it('leaves out the time a fetch run expires at', () => {
    // Arrange
    const item = toItem('fetch-run', fetchRunKey('fires', run.startedAt, 'abcd'), {
      ...run,
      [TTL_ATTRIBUTE]: 1,
    });

    // Act + Assert
    expect(fetchRunFromItem(item)).toStrictEqual(run);
  });

  it("reads a path state stored before a field existed with that field's initial value", () => {
    // Arrange: a state as an early version stored it, without `stale` (and with no vote fields).
    const { stale: _, ...early } = { ...state, votePeriod: undefined };

    // Act
    const read = pathStateFromItem(toItem('path-state', pathStateKey('kupyansk'), early));

    // Assert
    expect(read.stale).toEqual([]);
    expect(read).not.toHaveProperty('votePeriod');
  });
});

describe('reading a malformed item', () => {
  /** An item of a scenario's partition with these fields. */
  const stored = (fields: object): Item => ({ ...fields, pk: 'SCN#kupyansk', sk: 'X' });
  const observation = { indicatorId: 'fires', period: '2024-01-01', value: 3, source: 'fires.csv' };

  it.each<[string, () => unknown, string]>([
    [
      'a field of the wrong type',
      () => observationFromItem({ ...observationToItem(observation, 'now'), value: '3' }),
      'malformed observation item IND#fires/OBS#2024-01-01: value is not a number',
    ],
    [
      'a missing field',
      () => silenceFromItem(stored({ ...silence, reason: undefined })),
      'malformed silence item SCN#kupyansk/X: reason is missing',
    ],
    [
      'a field of a list element',
      () =>
        assessmentFromItem(
          stored({ ...assessment, contributions: [assessment.contributions[0], { indicatorId: 'news' }] }),
        ),
      'malformed assessment item SCN#kupyansk/X: contributions[1].model is missing',
    ],
    [
      'a value of a map',
      () => assessmentFromItem(stored({ ...assessment, probabilities: { baseline: 0.15, risk: 'high' } })),
      'malformed assessment item SCN#kupyansk/X: probabilities.risk is not a number',
    ],
    [
      'a value outside its set',
      () => assessmentFromItem(stored({ ...assessment, state: { ...assessment.state, status: 'calm' } })),
      'malformed assessment item SCN#kupyansk/X: state.status is not one of insufficient-data, steady, pending',
    ],
    [
      'an alert of no known kind',
      () => alertFromItem(stored({ ...alerts[0], kind: 'path-drift' })),
      'malformed alert item SCN#kupyansk/X: kind is not one of path-shift, reverted, data-stale, ' +
        'data-recovered, forecast-warning, silence-summary',
    ],
    [
      'a field deep in a forecast',
      () =>
        forecastFromItem(
          stored({
            ...forecast,
            indicators: [{ ...forecast.indicators[0], forecast: { method: 'ets', steps: [{}] } }],
          }),
        ),
      'malformed forecast item SCN#kupyansk/X: indicators[0].forecast.steps[0].step is missing',
    ],
    [
      'a list element of the wrong type',
      () => pathStateFromItem(stored({ ...state, window: [null, 3] })),
      'malformed path-state item SCN#kupyansk/X: window[1] is not a string',
    ],
  ])('names the entity, key and field of %s', (_, read, message) => {
    // Act + Assert
    expect(read).toThrow(MalformedItemError);
    expect(read).toThrow(message);
  });
});
