// The forecast block's limits: the projection's cost (draws × horizon) and a warning that could
// never come ahead of a shift (a horizon shorter than the confirmation rule).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_DRAW_STEPS } from '../../../shared/config/alerting-schema.ts';
import { parseScenario, ScenarioError, type ScenarioProblem } from '../../../shared/config/load-scenarios.ts';
import { scenarioSchema } from '../../../shared/config/scenario-schema.ts';
import { EVEN_AB, scenarioDocument } from '../../fixtures/scenario.ts';

const SEED = readFileSync(
  fileURLToPath(new URL('../../../scenarios/kupyansk.yaml', import.meta.url)),
  'utf8',
);

function withForecast(forecast: Record<string, unknown>, alerting?: Record<string, unknown>) {
  return {
    ...scenarioDocument({
      paths: EVEN_AB,
      indicators: [{ id: 'x', expect: { a: { mean: 0, sd: 1 }, b: { mean: 1, sd: 1 } } }],
      ...(alerting ? { alerting } : {}),
    }),
    forecast,
  };
}

function issues(doc: unknown): string[] {
  const result = scenarioSchema.safeParse(doc);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

function problemsOf(text: string): ScenarioProblem[] {
  try {
    parseScenario(text, 'scenarios/kupyansk.yaml');
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  return [];
}

const lineOf = (text: string, snippet: string) => text.split('\n').findIndex((l) => l.includes(snippet)) + 1;

describe('forecast block: projection cost', () => {
  it.each([
    { draws: 20_000, horizon: 24 },
    { draws: 12_001, horizon: 1 },
    { draws: 2_000, horizon: 7 },
  ])('refuses $draws draws × horizon $horizon, naming draws and the product', ({ draws, horizon }) => {
    const result = issues(withForecast({ draws, horizon }));
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^forecast\.draws: draws × horizon at most 12,000/);
    expect(result[0]).toContain(`${draws} × ${horizon}`);
  });

  it.each([
    { draws: 500, horizon: 24 },
    { draws: 12_000, horizon: 1 },
    { draws: 2_000, horizon: 6 },
  ])('accepts $draws draws × horizon $horizon (at most the cap)', ({ draws, horizon }) => {
    expect(draws * horizon).toBeLessThanOrEqual(MAX_DRAW_STEPS);
    expect(issues(withForecast({ draws, horizon }))).toEqual([]);
  });

  it('reports the file and the line of draws in the YAML', () => {
    const text = SEED.replace('  draws: 500', '  draws: 5000');
    const problems = problemsOf(text);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({
      file: 'scenarios/kupyansk.yaml',
      field: 'forecast.draws',
      line: lineOf(text, 'draws: 5000'),
    });
    expect(problems[0]?.expected).toMatch(/5000 × 6 = 30,000/);
  });
});

describe('forecast block: a warning that can come ahead of a shift', () => {
  it('refuses a horizon shorter than alerting.confirm.m when warnAbove is set', () => {
    const result = issues(withForecast({ horizon: 2, warnAbove: 0.5 }, { confirm: { m: 3, n: 4 } }));
    expect(result).toEqual([
      expect.stringMatching(/^forecast\.horizon: a horizon of at least alerting\.confirm\.m \(3\)/),
    ]);
  });

  it('checks against the default confirmation rule (m = 2) when alerting is left out', () => {
    expect(issues(withForecast({ horizon: 1, warnAbove: 0.5 }))).toHaveLength(1);
  });

  it.each([
    { name: 'a horizon equal to m', forecast: { horizon: 3, warnAbove: 0.5 } },
    { name: 'a short horizon without warnAbove (no warnings)', forecast: { horizon: 1 } },
  ])('accepts $name', ({ forecast }) => {
    expect(issues(withForecast(forecast, { confirm: { m: 3, n: 4 } }))).toEqual([]);
  });

  it('reports the file and the line of the horizon in the YAML', () => {
    const text = SEED.replace('  horizon: 6', '  horizon: 1');
    const problems = problemsOf(text);
    expect(problems).toEqual([
      expect.objectContaining({ field: 'forecast.horizon', line: lineOf(text, 'horizon: 1') }),
    ]);
  });
});
