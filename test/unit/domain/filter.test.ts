// The path filter: the belief carries over between periods through the declared dynamics, each period's
// evidence counts once, and full mixing is the snapshot of one period's evidence.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess, filterAt } from '../../../shared/domain/assess.ts';
import { defaultSwitch, lookbackSteps, predict, resolveDynamics } from '../../../shared/domain/dynamics.ts';
import { completeThrough, series } from '../../fixtures/monthly.ts';
import {
  BASELINE_RISK,
  buildScenario,
  type DynamicsSpec,
  FIRES,
  type IndicatorSpec,
  SNAPSHOT,
} from '../../fixtures/scenario.ts';

function scenarioWith(indicators: IndicatorSpec[], dynamics: DynamicsSpec) {
  return buildScenario({ paths: BASELINE_RISK, indicators, dynamics });
}

function logOdds(probabilities: Record<string, number>): number {
  return Math.log((probabilities.risk as number) / (probabilities.baseline as number));
}

const fires: IndicatorSpec = { id: 'fires', expect: FIRES, staleAfter: 'P10Y' };
/** Per period, log P(x | risk) − log P(x | baseline) for the `fires` gaussian (equal sds). */
function firesLlr(x: number): number {
  return (-((x - 50) ** 2) + (x - 100) ** 2) / (2 * 10 ** 2);
}

describe('path dynamics', () => {
  it('defaults the switch chance to half-weight evidence one horizon old', () => {
    expect(defaultSwitch(6)).toBeCloseTo(0.1091, 4);
    expect((1 - defaultSwitch(6)) ** 6).toBeCloseTo(0.5, 12);
  });

  it('re-draws from the priors, which stay where the chain rests', () => {
    // Arrange
    const dynamics = resolveDynamics(scenarioWith([fires], { switch: 0.2 }));

    // Act
    const moved = predict([1, 0], dynamics.transition);
    const rest = predict([0.6, 0.4], dynamics.transition, 25);

    // Assert
    expect(moved[0]).toBeCloseTo(0.8 + 0.2 * 0.6, 12);
    expect(rest[0]).toBeCloseTo(0.6, 12);
    expect(dynamics.mixing).toBeCloseTo(0.2, 12);
  });

  it('measures what a transition table carries over by its contraction', () => {
    // Arrange: leave baseline 5 %, leave risk 15 %: rows differ by 1 - 0.05 - 0.15 in total variation.
    const dynamics = resolveDynamics(
      scenarioWith([fires], { transitions: { baseline: { risk: 0.05 }, risk: { baseline: 0.15 } } }),
    );

    // Assert
    expect(dynamics.transition).toEqual([
      [0.95, 0.05],
      [0.15, 0.85],
    ]);
    expect(dynamics.mixing).toBeCloseTo(0.2, 12);
  });

  it('looks back until the starting point weighs less than the tolerance', () => {
    expect(lookbackSteps(1)).toBe(1);
    expect(0.9 ** (lookbackSteps(0.1) - 1)).toBeLessThan(1e-3);
    expect(0.9 ** (lookbackSteps(0.1) - 2)).toBeGreaterThan(1e-3);
  });
});

describe('the path filter', () => {
  it('is the priors times the last period alone when nothing carries over', () => {
    // Arrange
    const values = [95, 60, 70, 55];
    const snapshot = scenarioWith([fires], SNAPSHOT);

    // Act
    const result = assess(snapshot, series('fires', values), completeThrough(3));

    // Assert
    expect(logOdds(result.probabilities)).toBeCloseTo(Math.log(0.4 / 0.6) + firesLlr(55), 9);
    expect(result.carried).toEqual(BASELINE_RISK);
  });

  it('adds every period’s evidence when the paths never change (the forward algorithm)', () => {
    // Arrange
    const values = [95, 60, 70, 55];
    const fixed = scenarioWith([fires], { switch: 0 });

    // Act
    const result = assess(fixed, series('fires', values), completeThrough(3));

    // Assert
    const total = values.reduce((sum, x) => sum + firesLlr(x), Math.log(0.4 / 0.6));
    expect(logOdds(result.probabilities)).toBeCloseTo(total, 9);
  });

  it('carries yesterday’s belief through one step of the chain before today’s evidence', () => {
    // Arrange
    const s = 0.3;
    const scenario = scenarioWith([fires], { switch: s });
    const data = series('fires', [60, 100]);

    // Act
    const first = assess(scenario, data.slice(0, 1), completeThrough(0));
    const second = assess(scenario, data, completeThrough(1));

    // Assert: P(risk) carried = (1 - s) * yesterday + s * prior, then times today's likelihood.
    const carried = (1 - s) * (first.probabilities.risk as number) + s * 0.4;
    expect(second.carried?.risk).toBeCloseTo(carried, 9);
    expect(logOdds(second.probabilities)).toBeCloseTo(Math.log(carried / (1 - carried)) + firesLlr(100), 9);
  });

  it('counts a trend window re-read every period once per period, not once per reading', () => {
    // Arrange: a steady 5 % monthly fall, read as a relative slope over 3 periods, paths never change.
    const k = 3;
    const trend: IndicatorSpec = {
      id: 'tempo',
      staleAfter: 'P10Y',
      evidence: {
        model: 'trend',
        periods: k,
        scale: 'relative',
        expect: { baseline: { slope: 0, sd: 0.1 }, risk: { slope: -0.1, sd: 0.1 } },
      },
    };
    const values = Array.from({ length: 12 }, (_, i) => 1000 * 0.95 ** i);
    const fixed = scenarioWith([trend], { switch: 0 });
    const snapshot = scenarioWith([trend], SNAPSHOT);

    // Act: each month's reading alone (the snapshot), and the filter after 12 months (10 readings).
    const prior = Math.log(0.4 / 0.6);
    const readings = Array.from(
      { length: values.length - k + 1 },
      (_, r) =>
        logOdds(assess(snapshot, series('tempo', values), completeThrough(k - 1 + r)).probabilities) - prior,
    );
    const filtered =
      logOdds(assess(fixed, series('tempo', values), completeThrough(11)).probabilities) - prior;

    // Assert: the first reading counts in full (3 new periods), each later one for its 1 new period of 3.
    // Counting every reading in full would give their plain sum, about 10 times one reading.
    const [first = 0, ...later] = readings;
    const onceEach = first + later.reduce((sum, r) => sum + r / k, 0);
    expect(filtered).toBeCloseTo(onceEach, 9);
    expect(Math.abs(filtered)).toBeLessThan(Math.abs(readings.reduce((a, b) => a + b, 0)) * 0.5);
  });

  it('does not count the same kept reading again while its indicator is stale', () => {
    // Arrange: two months of data, then the indicator stops; keepLast holds its last reading.
    const kept: IndicatorSpec = { ...fires, staleAfter: 'P1M', missing: 'keepLast' };
    const fixed = scenarioWith([kept], { switch: 0 });
    const data = series('fires', [60, 55]);

    // Act
    const fresh = assess(fixed, data, completeThrough(1));
    const later = assess(fixed, data, completeThrough(6));

    // Assert
    expect(later.probabilities.risk).toBeCloseTo(fresh.probabilities.risk as number, 12);
  });

  it('keeps probabilities summing to 1 and leaves a path no likelier when its evidence falls', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 200, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (values, s, drop) => {
          // Arrange
          const scenario = scenarioWith([fires], { switch: s });
          const n = values.length - 1;
          const lower = [...values.slice(0, n), (values[n] as number) - drop];

          // Act
          const base = assess(scenario, series('fires', values), completeThrough(n));
          const less = assess(scenario, series('fires', lower), completeThrough(n));

          // Assert: a lower last value is evidence for risk (mean 50) over baseline (mean 100).
          const total = Object.values(base.probabilities).reduce((a, b) => a + b, 0);
          expect(total).toBeCloseTo(1, 12);
          expect(less.probabilities.risk as number).toBeGreaterThanOrEqual(
            (base.probabilities.risk as number) - 1e-12,
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives in one pass the probabilities assess gives at each month', () => {
    // Arrange
    const scenario = scenarioWith([fires], { switch: 0.3 });
    const data = series('fires', [95, 60, 70, 55, 80, 100, 45]);
    const origins = [2, 4, 6].map(completeThrough);

    // Act
    const pass = filterAt(scenario, data, origins);

    // Assert
    expect(pass).toHaveLength(3);
    origins.forEach((origin, i) => {
      const one = assess(scenario, data, origin).probabilities;
      expect(pass[i]?.risk).toBeCloseTo(one.risk as number, 9);
    });
  });
});
