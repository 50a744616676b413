import { describe, expect, it } from 'vitest';
import { runIngest } from '../../cli/local/pipeline.ts';
import type { StoredAssessment } from '../../shared/store/assessments.ts';
import { CONFIRMED_SHIFT, invokeEvaluate, seedScenario, useApi, useLocalStack } from './local-stack.ts';

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('GET /v1/scenarios/{id}/assessment', () => {
  const stack = useLocalStack();
  const api = useApi(stack);

  it('answers 404 problem+json while a known scenario has no assessment yet', async () => {
    const response = await fetch(`${api.base}/v1/scenarios/kupyansk/assessment`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({ status: 404, title: 'No assessment yet' });
  });

  it('answers the latest assessment with probabilities, state, contributions and stale indicators', async () => {
    // Arrange
    await runIngest(stack.handlers);
    await invokeEvaluate(stack, CONFIRMED_SHIFT);

    // Act
    const response = await fetch(`${api.base}/v1/scenarios/kupyansk/assessment`);
    const body = (await response.json()) as StoredAssessment;

    // Assert
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(body).toMatchObject({ scenarioId: 'kupyansk', asOf: '2024-02-01T00:00:00.000Z', leader: 'risk' });
    expect(body.evaluatedAt).toMatch(ISO_UTC);
    expect(Object.keys(body.probabilities)).toEqual(['baseline', 'risk']);
    expect(body.entropy).toBeGreaterThan(0);
    expect(body.entropy).toBeLessThan(1);
    const total = Object.values(body.probabilities).reduce((a, b) => a + b, 0);
    expect(total).toBeCloseTo(1, 12);
    // December sets the path to baseline; January and February favour risk: 2 of 3 confirms the shift.
    expect(body.state).toEqual({ status: 'steady', path: 'risk', since: '2024-02-01T00:00:00.000Z' });
    expect(Object.keys(body)).toEqual([
      'scenarioId',
      'evaluatedAt',
      'asOf',
      'leader',
      'margin',
      'entropy',
      'probabilities',
      'state',
      'contributions',
      'stale',
      'events',
    ]);
    expect(Object.keys(body.contributions[0] ?? {})).toEqual([
      'indicatorId',
      'status',
      'model',
      'value',
      'period',
      'source',
      'outcome',
      'weight',
      'decibans',
    ]);
    // One contribution per indicator, in the scenario's order.
    expect(body.contributions.map((c) => c.indicatorId)).toEqual(
      seedScenario(stack).indicators.map((i) => i.id),
    );
    expect(body.contributions[1]).toMatchObject({
      status: 'used',
      model: 'bands',
      period: '2024-01-01',
      value: 1020,
    });
    // The held-area series starts with the map snapshots of mid-2024: no data yet in January 2024.
    expect(body.stale).toEqual(['ru-held-area']);
  });

  it('answers 404 problem+json for an unknown scenario id', async () => {
    const response = await fetch(`${api.base}/v1/scenarios/atlantis/assessment`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toEqual({
      type: 'about:blank',
      title: 'Scenario not found',
      status: 404,
      detail: 'There is no scenario with id "atlantis".',
      instance: '/v1/scenarios/atlantis/assessment',
    });
  });

  it('answers a malformed percent-escape in the path without failing, and keeps serving', async () => {
    const response = await fetch(`${api.base}/v1/scenarios/%E0%A4%A/assessment`);
    const after = await fetch(`${api.base}/v1/scenarios/kupyansk/assessment`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(after.status).toBe(200);
  });

  it('answers 404 problem+json for a path no route serves', async () => {
    const response = await fetch(`${api.base}/v1/nothing-here`);

    expect(response.status).toBe(404);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
  });

  it('answers 405 with the allowed methods for a method a served path does not take', async () => {
    const response = await fetch(`${api.base}/v1/scenarios/kupyansk/assessment`, { method: 'DELETE' });

    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, OPTIONS');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      status: 405,
      detail: '/v1/scenarios/kupyansk/assessment answers GET, not DELETE.',
    });
  });
});
