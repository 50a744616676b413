// Extreme months: above 98 % or below 2 % only on overwhelming recent evidence.
import { describe, expect, it } from 'vitest';
import { extremeMonths, OVERWHELMING_DB } from '../../../shared/domain/extremes.ts';

function step(asOf: string, risk: number, riskDb: number) {
  return { asOf, probabilities: { baseline: 1 - risk, risk }, decibans: { baseline: -riskDb, risk: riskDb } };
}

describe('extremeMonths', () => {
  it('puts the overwhelming line where evidence alone takes even odds to 98 %', () => {
    expect(OVERWHELMING_DB).toBeCloseTo(16.9, 1);
  });

  it('backs an extreme month by the evidence of the window ending at it, and no older', () => {
    // Arrange: 12 dB, then 6 dB, then 1 dB for risk; a window of two steps.
    const steps = [step('m1', 0.9, 12), step('m2', 0.985, 6), step('m3', 0.99, 1)];

    // Act
    const extremes = extremeMonths(steps, 2);

    // Assert: m2 rests on 12 + 6 dB, m3 on 6 + 1 (the 12 dB of m1 has left the window); baseline is below 2 % in both.
    expect(extremes.filter((e) => e.path === 'risk')).toEqual([
      { asOf: 'm2', path: 'risk', probability: 0.985, evidence: 18, backed: true },
      { asOf: 'm3', path: 'risk', probability: 0.99, evidence: 7, backed: false },
    ]);
    expect(extremes.filter((e) => e.path === 'baseline').map((e) => [e.asOf, e.evidence, e.backed])).toEqual([
      ['m2', 18, true],
      ['m3', 7, false],
    ]);
  });

  it('finds nothing between 2 % and 98 %', () => {
    expect(extremeMonths([step('m1', 0.5, 30), step('m2', 0.97, 30)], 6)).toEqual([]);
  });
});
