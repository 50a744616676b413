// The shape every forecast must have, whatever the series: finite figures, intervals nested in order.
import { expect } from 'vitest';
import type { IndicatorForecast } from '../../../shared/forecast/types.ts';

export function expectFiniteOrdered(f: IndicatorForecast): void {
  for (const s of f.steps) {
    for (const v of [s.point, s.lower80, s.upper80, s.lower95, s.upper95])
      expect(Number.isFinite(v)).toBe(true);
    expect(s.lower95).toBeLessThanOrEqual(s.lower80);
    expect(s.lower80).toBeLessThanOrEqual(s.point);
    expect(s.point).toBeLessThanOrEqual(s.upper80);
    expect(s.upper80).toBeLessThanOrEqual(s.upper95);
  }
}
