// Scores against references (the priors, climatology), skill, sharpness and the consistency ranges of
// the reliability diagram.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ScoredForecast, score } from '../../../shared/domain/scoring.ts';
import {
  baseRates,
  CONSISTENCY_LEVEL,
  consistencyRange,
  knownBaseRates,
  sharpness,
  skillReport,
} from '../../../shared/domain/skill.ts';

const forecast = (asOf: string, a: number, outcome: 'a' | 'b'): ScoredForecast => ({
  asOf,
  probabilities: { a, b: 1 - a },
  outcome,
});

// Three forecasts over two paths: a came true once, b twice.
const FORECASTS = [
  forecast('2024-01-01', 0.8, 'a'),
  forecast('2024-02-01', 0.6, 'b'),
  forecast('2024-03-01', 0.1, 'b'),
];
const PRIORS = { a: 0.5, b: 0.5 };

describe('knownBaseRates', () => {
  it('is the priors with nothing known, and counts each outcome from when it became known', () => {
    // Arrange
    const priors = { calm: 0.5, storm: 0.5 };
    const known = [
      { path: 'storm', known: '2025-03-01T00:00:00.000Z' },
      { path: 'storm', known: '2025-04-01T00:00:00.000Z' },
      { path: 'calm', known: '2025-06-01T00:00:00.000Z' },
    ];

    // Act / Assert: (outcomes on the path + its prior) / (outcomes known + 1)
    expect(knownBaseRates(known, '2025-02-01T00:00:00.000Z', priors)).toEqual(priors);
    expect(knownBaseRates(known, '2025-04-01T00:00:00.000Z', priors)).toEqual({
      calm: 0.5 / 3,
      storm: 2.5 / 3,
    });
    expect(knownBaseRates(known, '2025-07-01T00:00:00.000Z', priors)).toEqual({
      calm: 1.5 / 4,
      storm: 2.5 / 4,
    });
  });
});

describe('baseRates', () => {
  it('gives each path its share of the outcomes, 0 for a path that never came true', () => {
    expect(baseRates(FORECASTS, ['a', 'b', 'c'])).toEqual({ a: 1 / 3, b: 2 / 3, c: 0 });
  });

  it('falls back to the uniform when there is nothing to count', () => {
    expect(baseRates([], ['a', 'b'])).toEqual({ a: 0.5, b: 0.5 });
  });
});

describe('sharpness', () => {
  it('is the mean probability of the leading path, whichever came true', () => {
    expect(sharpness(FORECASTS)).toBeCloseTo((0.8 + 0.6 + 0.9) / 3, 12);
  });

  it('is null without forecasts', () => {
    expect(sharpness([])).toBeNull();
  });
});

describe('skillReport', () => {
  it('scores the priors and the base rate of the outcomes on the same outcomes', () => {
    // Act
    const report = skillReport(FORECASTS, PRIORS);

    // Assert: the references issue the same forecast every time
    expect(report.prior.probabilities).toEqual(PRIORS);
    expect(report.climatology.probabilities).toEqual({ a: 1 / 3, b: 2 / 3 });
    expect(report.prior.scores.brier).toBeCloseTo(0.5, 12);
    // Brier of (1/3, 2/3): 8/9 when a comes true, 2/9 when b does; a once, b twice
    expect(report.climatology.scores.brier).toBeCloseTo((8 / 9 + 2 * (2 / 9)) / 3, 12);
    expect(report.climatology.scores.logScore).toBeCloseTo(-(Math.log(1 / 3) + 2 * Math.log(2 / 3)) / 3, 12);
    expect(report.prior.sharpness).toBe(0.5);
    expect(report.climatology.sharpness).toBeCloseTo(2 / 3, 12);
  });

  it('reports skill as 1 − score / reference against both references', () => {
    // Arrange: Brier per forecast 2 × 0.2², 2 × 0.6², 2 × 0.1²
    const brier = (0.08 + 0.72 + 0.02) / 3;
    const log = -(Math.log(0.8) + Math.log(0.4) + Math.log(0.9)) / 3;

    // Act
    const { scores, skill } = skillReport(FORECASTS, PRIORS);

    // Assert
    expect(scores.brier).toBeCloseTo(brier, 12);
    expect(skill.brier.prior).toBeCloseTo(1 - brier / 0.5, 12);
    expect(skill.brier.climatology).toBeCloseTo(1 - brier / (12 / 27), 12);
    expect(skill.log.prior).toBeCloseTo(1 - log / Math.log(2), 12);
  });

  it('gives the reference itself a skill of 0 and a perfect forecaster a skill of 1', () => {
    const asPrior = FORECASTS.map((f) => ({ ...f, probabilities: PRIORS }));
    const perfect = FORECASTS.map((f) => ({ ...f, probabilities: { a: 0, b: 0, [f.outcome]: 1 } }));

    expect(skillReport(asPrior, PRIORS).skill.brier.prior).toBe(0);
    expect(skillReport(perfect, PRIORS).skill.brier.prior).toBe(1);
    expect(skillReport(perfect, PRIORS).skill.log.climatology).toBe(1);
  });

  it('has no skill against climatology when one path came true throughout (climatology is perfect)', () => {
    const allB = FORECASTS.map((f) => ({ ...f, outcome: 'b' }));

    const report = skillReport(allB, PRIORS);

    expect(report.climatology.scores.brier).toBe(0);
    expect(report.skill.brier.climatology).toBeNull();
    expect(report.skill.brier.prior).not.toBeNull();
  });

  it('gives every bin of the calibration table its consistency range, none to an empty bin', () => {
    // Act
    const report = skillReport(FORECASTS, PRIORS, 5);

    // Assert
    expect(report.reliability.map(({ consistency: _, ...bin }) => bin)).toEqual(
      score(FORECASTS, 5).calibration,
    );
    for (const bin of report.reliability) {
      if (bin.count === 0) expect(bin.consistency).toBeNull();
      else expect(bin.consistency).toEqual(consistencyRange(bin.count, bin.meanForecast as number));
    }
  });

  it('reports no scores, sharpness or skill for no forecasts', () => {
    const report = skillReport([], PRIORS);

    expect(report.scores.brier).toBeNull();
    expect(report.sharpness).toBeNull();
    expect(report.skill).toEqual({
      brier: { prior: null, climatology: null, known: null },
      log: { prior: null, climatology: null, known: null },
    });
    expect(report.reliability.every((b) => b.consistency === null)).toBe(true);
  });
});

describe('consistencyRange', () => {
  it('spans the central 90 % of the hits calibrated forecasts would score', () => {
    // Binomial(10, 0.5): 5 % and 95 % quantiles 2 and 8
    expect(CONSISTENCY_LEVEL).toBe(0.9);
    expect(consistencyRange(10, 0.5)).toEqual({ low: 0.2, high: 0.8 });
  });

  it('narrows as the bin fills: the same departure is noise in a small bin and a finding in a large one', () => {
    const small = consistencyRange(10, 0.3);
    const large = consistencyRange(1000, 0.3);

    expect(small?.high).toBeGreaterThanOrEqual(0.5);
    expect(large?.high).toBeLessThan(0.35);
  });

  it('is one point for forecasts of exactly 0 or 1: any miss of a certain forecast is a finding', () => {
    expect(consistencyRange(2, 0)).toEqual({ low: 0, high: 0 });
    expect(consistencyRange(2, 1)).toEqual({ low: 1, high: 1 });
  });

  it('takes a mean a rounding error past 1 as 1', () => {
    expect(consistencyRange(3, 1 + 1e-15)).toEqual({ low: 1, high: 1 });
  });

  it('is null for an empty bin', () => {
    expect(consistencyRange(0, 0.5)).toBeNull();
  });

  it('always holds the bin mean, rounded to a whole number of hits', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2000 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, p) => {
        const range = consistencyRange(n, p);
        expect(range?.low).toBeLessThanOrEqual(Math.ceil(n * p) / n);
        expect(range?.high).toBeGreaterThanOrEqual(Math.floor(n * p) / n);
      }),
    );
  });
});
