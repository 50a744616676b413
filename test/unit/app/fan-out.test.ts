import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  changedScenarios,
  evaluationMessages,
  HOST_SPACING_SECONDS,
  ingestMessages,
} from '../../../shared/app/fan-out.ts';
import { scenarioSummary } from '../../../shared/app/publish.ts';
import type { ScenarioSummary } from '../../../shared/store/scenario-definitions.ts';
import { AB_EXPECT, buildScenario, EVEN_AB, type IndicatorSpec } from '../../fixtures/scenario.ts';

const http = (url: string) => ({ kind: 'csv', url, time: 'date', value: 'value' });
const file = (path: string) => ({ kind: 'csv', path, time: 'date', value: 'value' });

/** The catalog's summaries of these scenarios, as publishing writes them. */
function registry(scenarios: Record<string, IndicatorSpec[]>): ScenarioSummary[] {
  return Object.entries(scenarios).map(([id, indicators]) =>
    scenarioSummary(buildScenario({ id, paths: EVEN_AB, indicators }), 1),
  );
}

const indicator = (id: string, source: Record<string, unknown>): IndicatorSpec => ({
  id,
  source,
  expect: AB_EXPECT,
});

/** A stream record of an observation of `indicatorId`, with its sequence number. */
function changed(indicatorId: string, sequence: string): DynamoDBRecord {
  return {
    eventName: 'INSERT',
    dynamodb: {
      NewImage: { entity: { S: 'observation' }, indicatorId: { S: indicatorId } },
      SequenceNumber: sequence,
    },
  };
}

describe('the ingest messages of a schedule', () => {
  it('enqueues each fetched indicator once, even when several scenarios share it, and no manual one', () => {
    // Arrange
    const shared = indicator('shared', file('data/shared.csv'));
    const scenarios = registry({
      one: [shared, indicator('typed', { kind: 'manual' })],
      two: [shared, indicator('own', file('data/own.csv'))],
    });

    // Act
    const { messages, unknown } = ingestMessages(scenarios);

    // Assert
    expect(messages.map((m) => m.body)).toEqual([
      { indicatorId: 'shared', scenarioId: 'one' },
      { indicatorId: 'own', scenarioId: 'two' },
    ]);
    expect(unknown).toEqual([]);
  });

  it("spaces one host's indicators by the spacing, and other hosts' and files' not at all", () => {
    // Arrange
    const scenarios = registry({
      one: [
        indicator('a1', http('https://a.example/1.csv')),
        indicator('a2', http('https://a.example/2.csv')),
        indicator('b1', http('https://b.example/1.csv')),
        indicator('a3', http('https://a.example/3.csv')),
        indicator('f1', file('data/f1.csv')),
        indicator('f2', file('data/f2.csv')),
      ],
    });

    // Act
    const { messages } = ingestMessages(scenarios, {}, 3);

    // Assert
    expect(
      messages.map((m) => [(m.body as { indicatorId: string }).indicatorId, m.delaySeconds ?? 0]),
    ).toEqual([
      ['a1', 0],
      ['a2', 3],
      ['b1', 0],
      ['a3', 6],
      ['f1', 0],
      ['f2', 0],
    ]);
  });

  it('never delays a message past the 15 minutes SQS allows', () => {
    // Arrange: more indicators on one host than 15 minutes of spacing hold.
    // (50 per scenario at most.)
    const count = Math.ceil(900 / HOST_SPACING_SECONDS) + 5;
    const scenarios = registry(
      Object.fromEntries(
        Array.from({ length: Math.ceil(count / 50) }, (_, s) => [
          `s${s}`,
          Array.from({ length: 50 }, (_, i) =>
            indicator(`x${s}-${i}`, http(`https://a.example/${s}/${i}.csv`)),
          ),
        ]),
      ),
    );

    // Act
    const { messages } = ingestMessages(scenarios);

    // Assert
    expect(Math.max(...messages.map((m) => m.delaySeconds ?? 0))).toBe(900);
  });

  it('enqueues only the named indicators and returns the ids no scenario declares', () => {
    // Arrange
    const scenarios = registry({ one: [indicator('a', file('a.csv')), indicator('b', file('b.csv'))] });

    // Act
    const { messages, unknown } = ingestMessages(scenarios, { indicators: ['b', 'nope'] });

    // Assert
    expect(messages.map((m) => m.body)).toEqual([{ indicatorId: 'b', scenarioId: 'one' }]);
    expect(unknown).toEqual(['nope']);
  });
  it("enqueues only the named cadences' indicators, and an indicator on each cadence it is declared with", () => {
    // Arrange
    const monthly: IndicatorSpec = { ...indicator('m', file('m.csv')), cadence: 'P1M' };
    const daily: IndicatorSpec = { ...indicator('d', file('d.csv')), cadence: 'P1D' };
    const dailyElsewhereMonthly: IndicatorSpec = { ...daily, cadence: 'P1M' };
    const scenarios = registry({
      one: [monthly, daily],
      two: [dailyElsewhereMonthly],
    });

    // Act
    const onMonthly = ingestMessages(scenarios, { cadences: ['P1M', 'P1Y'] });
    const onDaily = ingestMessages(scenarios, { cadences: ['P1D'] });
    const onWeekly = ingestMessages(scenarios, { cadences: ['P1W'] });

    // Assert
    expect(onMonthly.messages.map((m) => m.body)).toEqual([
      { indicatorId: 'm', scenarioId: 'one' },
      { indicatorId: 'd', scenarioId: 'two' },
    ]);
    expect(onDaily.messages.map((m) => m.body)).toEqual([{ indicatorId: 'd', scenarioId: 'one' }]);
    expect(onWeekly.messages).toEqual([]);
  });
});

describe('the evaluation messages', () => {
  it('groups by scenario and deduplicates by scenario and version, within the 128 characters SQS allows', () => {
    // Act
    const [first, again, newer, other] = evaluationMessages([
      { scenarioId: 'one', version: 'v1' },
      { scenarioId: 'one', version: 'v1' },
      { scenarioId: 'one', version: 'v2' },
      { scenarioId: 'two', version: 'v1' },
    ]);

    // Assert
    expect(first).toMatchObject({ body: { scenarioId: 'one' }, groupId: 'one' });
    expect(other?.groupId).toBe('two');
    expect(again?.deduplicationId).toBe(first?.deduplicationId);
    expect(newer?.deduplicationId).not.toBe(first?.deduplicationId);
    expect(other?.deduplicationId).not.toBe(first?.deduplicationId);
    expect(first?.deduplicationId?.length).toBeLessThanOrEqual(128);
  });

  it('carries an asOf only when one was asked for', () => {
    const [now, then] = evaluationMessages([
      { scenarioId: 'one', version: 'daily' },
      { scenarioId: 'one', version: 'x', asOf: '2024-01-01T00:00:00.000Z' },
    ]);
    expect(now?.body).toEqual({ scenarioId: 'one' });
    expect(then?.body).toEqual({ scenarioId: 'one', asOf: '2024-01-01T00:00:00.000Z' });
  });
});

describe('the scenarios changed observations concern', () => {
  const scenarios = registry({
    one: [indicator('shared', file('s.csv')), indicator('a', file('a.csv'))],
    two: [indicator('shared', file('s.csv'))],
    three: [indicator('b', file('b.csv'))],
  });

  it('names every scenario using a changed indicator, once each', () => {
    const requests = changedScenarios(scenarios, [
      changed('shared', '1'),
      changed('a', '2'),
      changed('a', '3'),
    ]);
    expect(requests.map((r) => r.scenarioId)).toEqual(['one', 'two']);
  });

  it('versions each scenario by its own changes: the same records give the same version, others another', () => {
    // Act
    const first = changedScenarios(scenarios, [changed('shared', '1'), changed('a', '2')]);
    const redelivered = changedScenarios(scenarios, [changed('a', '2'), changed('shared', '1')]);
    const later = changedScenarios(scenarios, [changed('shared', '4')]);

    // Assert
    expect(redelivered).toEqual(first);
    expect(first.find((r) => r.scenarioId === 'two')?.version).toBe('shared@1');
    expect(later.find((r) => r.scenarioId === 'two')?.version).toBe('shared@4');
  });

  it('ignores records that are not observations of a known indicator', () => {
    expect(
      changedScenarios(scenarios, [changed('unknown', '1'), { eventName: 'INSERT', dynamodb: {} }]),
    ).toEqual([]);
  });
});
