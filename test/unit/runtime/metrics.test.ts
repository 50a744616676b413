import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METRIC } from '../../../shared/runtime/metrics.ts';

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
