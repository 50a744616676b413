// Figures Signpost computes itself never make a write fail: values an entrance accepts can still give a
// trend's slope, decibans or a probability beyond what a table stores (a relative slope from 1e-100 to 1,
// an absolute one across ±9e15, a value far out in a gaussian's tail). The evaluation stores them held
// at the nearest storable number instead of failing on every run.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateRequested } from '../../shared/app/evaluate-requested.ts';
import { getLatestAssessment } from '../../shared/store/assessments.ts';
import { LARGEST_STORED, SMALLEST_STORED, unstorable } from '../../shared/store/numbers.ts';
import { observationToItem } from '../../shared/store/observations.ts';
import { EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { useLocalStack } from './local-stack.ts';

const MANUAL = { kind: 'manual' } as const;
const SLOPES = { a: { slope: 0, sd: 0.1 }, b: { slope: 1, sd: 0.1 } };

function scenarioFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signpost-extreme-'));
  const indicators = [
    {
      id: 'relative-trend',
      source: MANUAL,
      staleAfter: 'P10Y',
      evidence: { model: 'trend', periods: 3, scale: 'relative', expect: SLOPES },
    },
    {
      id: 'absolute-trend',
      source: MANUAL,
      staleAfter: 'P10Y',
      evidence: { model: 'trend', periods: 3, scale: 'absolute', expect: SLOPES },
    },
    {
      id: 'far-tail',
      source: MANUAL,
      staleAfter: 'P10Y',
      expect: { a: { mean: 0, sd: 1e-6 }, b: { mean: 1, sd: 1e-6 } },
    },
  ] as const;
  writeFileSync(
    join(dir, 'extreme.yaml'),
    scenarioYaml({ id: 'extreme', paths: EVEN_AB, indicators: [...indicators] }),
  );
  return dir;
}

/** Every number in `value`, with where it is. */
function numbersIn(value: unknown, at = ''): [string, number][] {
  if (typeof value === 'number') return [[at, value]];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => numbersIn(inner, `${at}.${key}`));
}

describe('an evaluation whose own figures run beyond what a table stores', () => {
  const stack = useLocalStack({ scenariosDir: scenarioFiles() });

  beforeAll(async () => {
    // Arrange: values each entrance accepts (storable), three months of each.
    const values: Record<string, number[]> = {
      'relative-trend': [1e-100, 1e-100, 1],
      'absolute-trend': [-9e15, 9e15, 9e15],
      'far-tail': [9e15, 9e15, 9e15],
    };
    for (const [indicatorId, series] of Object.entries(values))
      for (const [i, value] of series.entries()) {
        expect(unstorable(value)).toBeUndefined();
        const period = `2024-0${i + 1}-01`;
        const item = observationToItem(
          { indicatorId, period, value, source: 'manual:api' },
          '2024-04-02T00:00:00Z',
        );
        await stack.table.db.send(new PutCommand({ TableName: stack.table.name, Item: item }));
      }
  });

  it('stores the assessment with every figure held within the storable range', async () => {
    // Act
    const outcomes = await evaluateRequested(
      stack.table,
      stack.registry,
      { asOf: '2024-04-01T00:00:00Z' },
      new Date('2024-04-02T00:00:00Z'),
    );

    // Assert
    expect(outcomes.map((o) => o.error?.message ?? 'evaluated')).toEqual(['evaluated']);
    const stored = await getLatestAssessment(stack.table, 'extreme');
    const values = Object.fromEntries(stored?.contributions.map((c) => [c.indicatorId, c.value]) ?? []);
    expect(values['relative-trend']).toBe(LARGEST_STORED);
    expect(values['absolute-trend']).toBeGreaterThan(1e15);
    const unstored = numbersIn(stored).filter(([, n]) => unstorable(n) !== undefined);
    expect(unstored).toEqual([]);
    expect(numbersIn(stored).every(([, n]) => n === 0 || Math.abs(n) >= SMALLEST_STORED)).toBe(true);
  });
});
