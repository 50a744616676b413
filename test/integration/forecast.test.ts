// Forecasts on DynamoDB Local: evaluating the seed scenario stores its indicator forecasts and the
// projection with the assessment, and the two forecast routes serve them.
import { describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { runIngest } from '../../cli/local/pipeline.ts';
import { evaluate } from '../../shared/app/evaluate.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { getLatestForecast } from '../../shared/store/forecasts.ts';
import { saveObservations } from '../../shared/store/observations.ts';
import { seedScenario, useApi, useLocalStack } from './local-stack.ts';

const stack = useLocalStack();
const api = useApi(stack);

describe('forecasts stored with the assessment', () => {
  it('answers 404 problem+json on both routes before any evaluation', async () => {
    const scenario = await api.get('/v1/scenarios/kupyansk/forecast');
    const indicator = await api.get('/v1/indicators/ru-mechanized/forecast');

    expect(scenario.status).toBe(404);
    expect(scenario.headers.get('content-type')).toBe('application/problem+json');
    expect(indicator.status).toBe(404);
    expect(await indicator.json()).toMatchObject({ title: 'No forecast yet' });
  });

  it('records a failed forecast per indicator without failing the evaluation (too short a series)', async () => {
    // Arrange: two months of data only.
    await runIngest(stack.handlers);

    // Act
    const result = await evaluate(
      stack.table,
      seedScenario(stack),
      new Date('2022-05-01T00:00:00Z'),
      new Date(),
    );

    // Assert
    expect(result.applied).toBe(true);
    const armour = result.forecast?.indicators.find((i) => i.indicatorId === 'ru-mechanized');
    expect(armour?.status).toBe('failed');
    expect(armour?.reason).toMatch(/observed value/);
    expect(result.forecast?.projection?.projected).not.toContain('ru-mechanized');
  });

  it('stores the forecast of every numeric indicator and the projection, with the reason for the others', async () => {
    // Act
    await invoke(stack.handlers.evaluate, 'evaluate', {
      scenarioId: 'kupyansk',
      asOf: '2024-02-01T00:00:00Z',
    });

    // Assert
    const stored = await getLatestForecast(stack.table, 'kupyansk');
    expect(stored?.asOf).toBe('2024-02-01T00:00:00.000Z');
    const status = Object.fromEntries((stored?.indicators ?? []).map((i) => [i.indicatorId, i.status]));
    expect(status).toEqual({
      'ua-fires': 'forecast',
      'ru-mechanized': 'forecast',
      'western-assistance': 'skipped',
      'assistance-announcements': 'skipped',
      'ru-held-area': 'skipped', // no data before mid-2024: its (absent) evidence is held
    });
    const projection = stored?.projection;
    expect(projection?.steps).toHaveLength(6);
    expect(projection?.projected.sort()).toEqual(['ru-mechanized', 'ua-fires']);
    for (const step of projection?.steps ?? []) {
      expect((step.probabilities.baseline ?? 0) + (step.probabilities.risk ?? 0)).toBeCloseTo(1, 3);
    }
    expect(JSON.stringify(stored).length).toBeLessThan(40_000);
  });

  it('serves the scenario forecast with an ETag, a 304 on If-None-Match, and a public cache lifetime', async () => {
    // Act
    const response = await api.get('/v1/scenarios/kupyansk/forecast');
    const body = (await response.json()) as Record<string, unknown>;
    const again = await api.get('/v1/scenarios/kupyansk/forecast', {
      'if-none-match': response.headers.get('etag') ?? '',
    });

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('public, max-age=60');
    expect(body).toMatchObject({ scenarioId: 'kupyansk', asOf: '2024-02-01T00:00:00.000Z' });
    expect((body.projection as { steps: { asOf: string }[] }).steps.map((s) => s.asOf)).toEqual([
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
      '2024-05-01T00:00:00.000Z',
      '2024-06-01T00:00:00.000Z',
      '2024-07-01T00:00:00.000Z',
      '2024-08-01T00:00:00.000Z',
    ]);
    expect(again.status).toBe(304);
  });

  it("serves an indicator's forecast with each step dated by the period it forecasts", async () => {
    // Act
    const response = await api.get('/v1/indicators/ru-mechanized/forecast');
    const body = (await response.json()) as {
      lastPeriod: string;
      steps: { step: number; period: string; lower95: number; point: number; upper95: number }[];
    };

    // Assert
    expect(response.status).toBe(200);
    expect(body.lastPeriod).toBe('2024-01-01');
    expect(body.steps.slice(0, 3).map((s) => s.period)).toEqual(['2024-02-01', '2024-03-01', '2024-04-01']);
    for (const s of body.steps) {
      expect(s.lower95).toBeLessThanOrEqual(s.point);
      expect(s.point).toBeLessThanOrEqual(s.upper95);
    }
  });

  it('answers 404 with the reason for an indicator that is not forecast', async () => {
    const response = await api.get('/v1/indicators/western-assistance/forecast');

    expect(response.status).toBe(404);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/event model/);
  });
});

describe('forecasts of absurd series', () => {
  it('holds a forecast running past what DynamoDB can store at the limit, stores it and commits the evaluation', async () => {
    // Arrange: an indicator climbing towards Number.MAX_SAFE_INTEGER (the largest number the document
    // client stores): its forecast goes beyond it.
    const seed = seedScenario(stack);
    const template = seed.indicators.find((i) => i.id === 'ru-mechanized');
    if (!template) throw new Error('the seed scenario lost ru-mechanized');
    const indicator = { ...template, id: 'absurd-armour', group: undefined };
    const scenario: Scenario = { ...seed, id: 'absurd', groups: [], indicators: [indicator] };
    const observations = Array.from({ length: 36 }, (_, m) => ({
      indicatorId: indicator.id,
      period: new Date(Date.UTC(2021, m, 1)).toISOString().slice(0, 10),
      value: 5e15 + m * 1e14,
      source: 'test',
    }));
    await saveObservations(stack.table, indicator.id, observations, '2024-01-15T00:00:00.000Z');

    // Act
    const result = await evaluate(stack.table, scenario, new Date('2024-02-01T00:00:00Z'), new Date());

    // Assert
    expect(result.applied).toBe(true);
    const stored = await getLatestForecast(stack.table, 'absurd');
    const record = stored?.indicators.find((i) => i.indicatorId === 'absurd-armour');
    expect(record?.status).toBe('forecast');
    const bounds = record?.forecast?.steps.flatMap((s) => [
      s.point,
      s.lower80,
      s.upper80,
      s.lower95,
      s.upper95,
    ]);
    expect(bounds?.length).toBeGreaterThan(0);
    expect(bounds?.every((v) => Math.abs(v) <= Number.MAX_SAFE_INTEGER)).toBe(true);
    // The series climbs past the limit within the horizon: its upper bound is held there.
    expect(record?.forecast?.steps.at(-1)?.upper95).toBe(Number.MAX_SAFE_INTEGER);
  });
});
