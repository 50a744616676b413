import { describe, expect, it } from 'vitest';
import { evaluate } from '../../shared/app/evaluate.ts';
import { isPathAlert, listAlerts } from '../../shared/store/alerts.ts';
import { getPathState } from '../../shared/store/path-states.ts';
import { evaluateMonths, seedScenario, useLocalStack } from './local-stack.ts';

describe('two evaluators racing on the same scenario', () => {
  const stack = useLocalStack({ ingested: true });

  it('records the confirming shift once and stores a single alert', async () => {
    // Arrange: December 2023 sets baseline, January favours risk; February's data would confirm the shift.
    const scenario = seedScenario(stack);
    const now = new Date('2026-01-01T00:00:00Z');
    await evaluateMonths(stack, ['2023-12-01', '2024-01-01'], now);
    const before = await getPathState(stack.table, 'kupyansk');

    // Act: both read the same state; one commit wins, the other re-reads and finds nothing new.
    const february = new Date('2024-02-01T00:00:00Z');
    const results = await Promise.all([
      evaluate(stack.table, scenario, february, now),
      evaluate(stack.table, scenario, february, now),
    ]);

    // Assert
    expect(results.filter((r) => r.shift !== null)).toHaveLength(1);
    const after = await getPathState(stack.table, 'kupyansk');
    expect(after).toMatchObject({ path: 'risk', shifts: before.shifts + 1, version: before.version + 2 });
    const alerts = await listAlerts(stack.table, 'kupyansk');
    expect(alerts.filter(isPathAlert).map((a) => [a.from, a.to])).toEqual([['baseline', 'risk']]);
    // Every alert (the seed also sends forecast warnings) exactly once: numbered 1..n without a repeat.
    expect(alerts.map((a) => a.sequence)).toEqual(Array.from({ length: after.alerts }, (_, i) => i + 1));
  });
});
