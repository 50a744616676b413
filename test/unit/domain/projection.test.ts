// Projected path probabilities: seeded futures drawn from indicator forecasts, run through the real
// evidence models and alerting rules.
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../../shared/config/load-scenarios.ts';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { assess } from '../../../shared/domain/assess.ts';
import { quantile } from '../../../shared/domain/future-draws.ts';
import { advance } from '../../../shared/domain/hysteresis.ts';
import { initialPathState, type Observation } from '../../../shared/domain/model.ts';
import { type ProjectionInput, project } from '../../../shared/domain/projection.ts';
import type { ForecastStep } from '../../../shared/forecast/types.ts';
import { linearForecast } from '../../fixtures/forecast.ts';
import { AID_EVENT, BASELINE_RISK, buildScenario, eventInWindow } from '../../fixtures/scenario.ts';

const ASOF = '2024-01-01T00:00:00.000Z';

/** One bands indicator (armour) and one event indicator; baseline below 500, risk from 1000. */
function scenarioWith(forecast: Partial<Scenario['forecast']> = {}): Scenario {
  const scenario = buildScenario({
    paths: BASELINE_RISK,
    alerting: { enterMargin: 0.2, exitMargin: 0.1, confirm: { m: 2, n: 3 } },
    indicators: [
      {
        id: 'armour',
        evidence: {
          model: 'bands',
          bands: [
            { below: 500, likelihood: { baseline: 0.6, risk: 0.1 } },
            { below: 1000, likelihood: { baseline: 0.35, risk: 0.35 } },
            { likelihood: { baseline: 0.1, risk: 0.6 } },
          ],
        },
      },
      { id: 'aid', staleAfter: 'P3M', evidence: AID_EVENT },
    ],
  });
  return { ...scenario, forecast: { ...scenario.forecast, ...forecast } };
}

/** Two years of monthly data up to December 2023: armour at `armour`, a large aid package each quarter. */
function history(armour: number): Observation[] {
  return Array.from({ length: 24 }, (_, m) => {
    const period = new Date(Date.UTC(2022, m, 1)).toISOString().slice(0, 10);
    return [
      { indicatorId: 'armour', period, value: armour, source: 'test' },
      { indicatorId: 'aid', period, value: m % 3 === 0 ? 2 : 0, source: 'test' },
    ];
  }).flat();
}

function inputFor(scenario: Scenario, armour: number, forecasts: ProjectionInput['forecasts']) {
  const observations = history(armour);
  const assessment = assess(scenario, observations, ASOF);
  const state = advance(initialPathState, assessment, scenario.alerting, null).state;
  return { scenario, observations, asOf: ASOF, assessment, state, forecasts };
}

describe('project', () => {
  it('gives the same projection for the same seed, and a different one for another seed', () => {
    // Arrange
    const input = inputFor(scenarioWith({ seed: 7 }), 700, { armour: linearForecast(700, 60, 120) });

    // Act
    const first = project(input);
    const again = project(input);
    const other = project({ ...input, scenario: scenarioWith({ seed: 8 }) });

    // Assert
    expect(again).toEqual(first);
    expect(other.steps.map((s) => s.probabilities)).not.toEqual(first.steps.map((s) => s.probabilities));
  });

  it('raises P(risk) step by step when the forecast trends into the risk band', () => {
    // Arrange: armour at 400 (baseline band) forecast to climb 200 a month, into the risk band by step 3.
    const input = inputFor(scenarioWith(), 400, { armour: linearForecast(400, 200, 60) });

    // Act
    const projection = project(input);

    // Assert
    const risk = projection.steps.map((s) => s.probabilities.risk ?? 0);
    expect(input.assessment.leader).toBe('baseline');
    expect(risk.at(-1)).toBeGreaterThan((input.assessment.probabilities.risk ?? 0) + 0.2);
    for (let i = 1; i < risk.length; i++) expect(risk[i]).toBeGreaterThanOrEqual((risk[i - 1] ?? 0) - 0.01);
    expect(projection.path).toBe('baseline');
    expect(projection.challenger).toBe('risk');
    expect(projection.change).toBeGreaterThan(0.5);
    expect(projection.drivers.map((d) => d.indicatorId)).toEqual(['armour']);
  });

  it('counts a change only once the alerting rules confirm it (two of three updates)', () => {
    // Arrange: the forecast is deep in the risk band from step 1, with almost no spread.
    const input = inputFor(scenarioWith(), 400, { armour: linearForecast(1500, 0, 1) });

    // Act
    const projection = project(input);

    // Assert: the first update only votes; the second confirms.
    expect(projection.steps.map((s) => s.change)).toEqual([0, 1, 1, 1, 1, 1]);
  });

  it('keeps P(change) low for a flat forecast inside the baseline band', () => {
    // Arrange
    const input = inputFor(scenarioWith(), 300, { armour: linearForecast(300, 0, 40) });

    // Act
    const projection = project(input);

    // Assert
    expect(projection.change).toBeLessThan(0.05);
    for (const step of projection.steps) expect(step.probabilities.baseline).toBeGreaterThan(0.5);
  });

  it('holds today evidence for an indicator without a forecast, so nothing changes', () => {
    // Arrange: no forecast for armour; the event indicator has none by nature.
    const input = inputFor(scenarioWith(), 1200, {});

    // Act
    const projection = project(input);

    // Assert
    expect(projection.held.sort()).toEqual(['aid', 'armour']);
    for (const step of projection.steps) {
      expect(step.probabilities.risk).toBeCloseTo(input.assessment.probabilities.risk ?? 0, 4);
    }
    expect(projection.change).toBe(0);
  });

  it('moves a held indicator by its own periods when the steps are finer (monthly event, weekly steps)', () => {
    // Arrange: a weekly indicator that cannot tell the paths apart, forecast; a monthly event held.
    const base = buildScenario({
      paths: { baseline: 0.5, risk: 0.5 },
      indicators: [
        {
          id: 'armour',
          cadence: 'P1W',
          evidence: {
            model: 'bands',
            bands: [
              { below: 1000, likelihood: { baseline: 0.5, risk: 0.5 } },
              { likelihood: { baseline: 0.5, risk: 0.5 } },
            ],
          },
        },
        {
          id: 'aid',
          staleAfter: 'P6M',
          evidence: eventInWindow('P6M', 1, { baseline: [0.8, 0.5, 0.2], risk: [0.2, 0.5, 0.8] }),
        },
      ],
    });
    const scenario = { ...base, forecast: { ...base.forecast, draws: 50 } };
    const weeks = Array.from({ length: 40 }, (_, k) => ({
      indicatorId: 'armour',
      period: new Date(Date.UTC(2024, 0, 1) - (40 - k) * 7 * 86_400_000).toISOString().slice(0, 10),
      value: 100,
      source: 'test',
    }));
    // A large package in each of the last two months, none before.
    const months = Array.from({ length: 24 }, (_, m) => ({
      indicatorId: 'aid',
      period: new Date(Date.UTC(2022, m, 1)).toISOString().slice(0, 10),
      value: m >= 22 ? 5 : 0,
      source: 'test',
    }));
    const observations = [...weeks, ...months];
    const asOf = '2024-01-03T00:00:00.000Z';
    const assessment = assess(scenario, observations, asOf);
    const state = advance(initialPathState, assessment, scenario.alerting, null).state;

    // Act
    const projection = project({
      scenario,
      observations,
      asOf,
      assessment,
      state,
      forecasts: { armour: linearForecast(100, 0, 0.001) },
    });

    // Assert: six weekly steps, the package still as recent as today at each.
    expect(assessment.probabilities.baseline).toBeCloseTo(0.8, 6);
    expect(projection.steps.map((s) => s.asOf.slice(0, 10))).toEqual([
      '2024-01-08',
      '2024-01-15',
      '2024-01-22',
      '2024-01-29',
      '2024-02-05',
      '2024-02-12',
    ]);
    for (const step of projection.steps) expect(step.probabilities.baseline).toBeCloseTo(0.8, 4);
  });

  it('skips an indicator that opts out with forecast: false', () => {
    // Arrange
    const base = scenarioWith();
    const scenario = {
      ...base,
      indicators: base.indicators.map((i) => (i.id === 'armour' ? { ...i, forecast: false } : i)),
    };
    const input = inputFor(scenario, 400, { armour: linearForecast(400, 300, 10) });

    // Act
    const projection = project(input);

    // Assert
    expect(projection.projected).toEqual([]);
    expect(projection.change).toBe(0);
  });

  it('steps one period at a time from the end of the current period', () => {
    const projection = project(inputFor(scenarioWith({ horizon: 3, draws: 100 }), 300, {}));

    expect(projection.steps.map((s) => s.asOf)).toEqual([
      '2024-02-01T00:00:00.000Z',
      '2024-03-01T00:00:00.000Z',
      '2024-04-01T00:00:00.000Z',
    ]);
  });
});

describe('quantile', () => {
  const step: ForecastStep = { step: 1, point: 10, lower80: 6, upper80: 16, lower95: 2, upper95: 24 };

  it('passes through the point and the interval ends at their normal scores', () => {
    expect(quantile(step, 0)).toBe(10);
    expect(quantile(step, 1.2815515655446004)).toBeCloseTo(16, 9);
    expect(quantile(step, -1.2815515655446004)).toBeCloseTo(6, 9);
    expect(quantile(step, 1.959963984540054)).toBeCloseTo(24, 9);
    expect(quantile(step, -1.959963984540054)).toBeCloseTo(2, 9);
  });

  it('never decreases, beyond the 95 % ends included', () => {
    const zs = Array.from({ length: 81 }, (_, i) => -4 + i * 0.1);
    const values = zs.map((z) => quantile(step, z));

    for (let i = 1; i < values.length; i++) expect(values[i]).toBeGreaterThanOrEqual(values[i - 1] ?? 0);
    expect(quantile(step, 4)).toBeGreaterThan(24);
  });
});

describe('the forecast block of a scenario', () => {
  const yaml = (block: string) =>
    `id: s\ntitle: S\ndescription: d\npaths:\n  - { id: a, title: A, description: a, prior: 0.5 }\n  - { id: b, title: B, description: b, prior: 0.5 }\n${block}indicators:\n  - id: x\n    title: X\n    unit: u\n    cadence: P1M\n    source: { kind: manual }\n    evidence: { model: gaussian, expect: { a: { mean: 0, sd: 1 }, b: { mean: 1, sd: 1 } } }\n`;

  it('defaults to six steps, 500 draws, a fixed seed and no warning', () => {
    const scenario = parseScenario(yaml(''), 's.yaml');

    expect(scenario.forecast).toEqual({
      horizon: 6,
      rearmMargin: 0.1,
      draws: 500,
      seed: 20261125,
      history: 120,
    });
    expect(scenario.indicators[0]?.forecast).toBe(true);
  });

  it('names the file, line and field of an invalid threshold', () => {
    expect(() => parseScenario(yaml('forecast:\n  warnAbove: 1.5\n'), 's.yaml')).toThrow(
      /s\.yaml:8: forecast\.warnAbove: expected a probability below 1/,
    );
  });
});
