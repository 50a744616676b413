import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { countForIndicator, countForScenario, METRIC, metrics } from '../../../shared/runtime/metrics.ts';
import { capturePerIdMetrics } from '../../fixtures/metrics.ts';

/** The functions that emit metrics (the api emits none). */
const FUNCTIONS = ['ingest', 'evaluate', 'notify'] as const;

describe('the metrics the functions emit', () => {
  it.each(FUNCTIONS)('names every metric %s emits from its own METRIC entry, as the alarms do', (name) => {
    // Arrange
    const source = readFileSync(new URL(`../../../functions/${name}/handler.ts`, import.meta.url), 'utf8');

    // Act: the first argument of every count() and countForScenario() call.
    const names = [...source.matchAll(/\bcount(?:ForScenario)?\(\s*([^,]+),/g)].map((m) => m[1]?.trim());

    // Assert: METRIC.<this function>.<a declared metric>, never a literal.
    const declared = Object.keys(METRIC[name]).map((key) => `METRIC.${name}.${key}`);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !declared.includes(n ?? ''))).toEqual([]);
  });
});

describe('a state reported per id', () => {
  it("goes on the id's own series and on the function's series without the id, which the alarm watches", () => {
    // Arrange
    const perId = capturePerIdMetrics();
    const shared = vi.spyOn(metrics, 'addMetric').mockImplementation(() => metrics);
    try {
      // Act
      countForScenario(METRIC.evaluate.evaluationFailures, 'kupyansk', 1);
      countForIndicator(METRIC.ingest.consecutiveFetchFailures, 'ua-fires', 3);

      // Assert
      expect(perId.emitted).toEqual([
        ['kupyansk', 'EvaluationFailures', 1],
        ['ua-fires', 'ConsecutiveFetchFailures', 3],
      ]);
      expect(shared.mock.calls.map(([name, , value]) => [name, value])).toEqual([
        ['EvaluationFailures', 1],
        ['ConsecutiveFetchFailures', 3],
      ]);
    } finally {
      perId.restore();
      shared.mockRestore();
    }
  });
});
