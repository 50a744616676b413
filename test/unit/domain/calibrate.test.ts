// Calibration from history: the fitted settings, the rolling origin that only fits on known outcomes, and
// the references the fit is scored against.
import { describe, expect, it } from 'vitest';
import { calibrate, MIN_TRAINING, outcomeAt } from '../../../shared/domain/calibrate.ts';
import type { Observation } from '../../../shared/domain/model.ts';
import { addDuration } from '../../../shared/domain/period.ts';
import { mulberry32, standardNormal } from '../../../shared/domain/prng.ts';
import { BASELINE_RISK, buildScenario } from '../../fixtures/scenario.ts';

function month(k: number): string {
  return addDuration(new Date('2020-01-01T00:00:00.000Z'), 'P1M', k).toISOString();
}

/**
 * A world whose true path switches by a Markov chain (re-drawn from the priors with chance `s`), with
 * one indicator drawn around the true path's mean with spread `spread`: `fires` means 100 on baseline
 * and 80 on risk.
 */
function world(months: number, s: number, spread: number, seed: number) {
  const uniform = mulberry32(seed);
  const normal = standardNormal(uniform);
  let path = 'baseline';
  const truth: string[] = [];
  const observations: Observation[] = [];
  for (let k = 0; k < months; k++) {
    if (uniform() < s) path = uniform() < 0.6 ? 'baseline' : 'risk';
    truth.push(path);
    const mean = path === 'baseline' ? 100 : 80;
    observations.push({
      indicatorId: 'fires',
      period: month(k).slice(0, 10),
      value: mean + spread * normal(),
      source: 't',
    });
  }
  // The evidence for month k is read at the start of month k + 1, about the path then (the same one
  // unless it switched): the outcome at that instant is the path of month k.
  const outcomes = truth.map((p, k) => ({ from: month(k + 1).slice(0, 10), path: p }));
  return { observations, outcomes, origins: truth.map((_, k) => month(k + 1)) };
}

/** `fires` declared 100 ± sd on baseline and 80 ± sd on risk, with the given switch chance. */
function firesScenario(sd: number, switchChance: number) {
  return buildScenario({
    paths: BASELINE_RISK,
    indicators: [
      { id: 'fires', staleAfter: 'P1Y', expect: { baseline: { mean: 100, sd }, risk: { mean: 80, sd } } },
    ],
    dynamics: { switch: switchChance },
  });
}

describe('calibrate', () => {
  it('trusts the evidence less when the declared spread is too small, and scores better for it', () => {
    // Arrange: the scenario claims sd 5 where the data scatter with sd 15, and paths that never change.
    const w = world(120, 0.05, 15, 7);
    const scenario = firesScenario(5, 1);

    // Act
    const result = calibrate({
      scenario,
      observations: w.observations,
      outcomes: w.outcomes,
      origins: w.origins,
    });

    // Assert
    expect(result.fitted.temperature).toBeLessThan(1);
    expect(result.fitted.switch).toBeLessThan(1);
    expect(result.after.scores.logScore as number).toBeLessThan(result.before.scores.logScore as number);
    expect(result.after.scores.brier as number).toBeLessThan(result.before.scores.brier as number);
  });

  it('forecasts each month with the declared settings until enough outcomes are known, then with a fit on known ones only', () => {
    // Arrange: outcomes become known three months after the month they describe.
    const w = world(40, 0.1, 10, 11);
    const outcomes = w.outcomes.map((o) => ({
      ...o,
      known: addDuration(new Date(o.from), 'P3M').toISOString().slice(0, 10),
    }));
    const scenario = firesScenario(10, 0.1);

    // Act
    const { months } = calibrate({ scenario, observations: w.observations, outcomes, origins: w.origins });

    // Assert: every fit rests on all the outcomes known by the month it forecasts, and only on those.
    for (const m of months) {
      const known = months.filter((t) => t.known <= m.asOf);
      const fittable = known.length >= MIN_TRAINING && new Set(known.map((t) => t.outcome)).size > 1;
      expect(m.trainedOn).toBe(fittable ? known.length : 0);
      if (m.trainedOn === 0) expect(m.after).toEqual(m.before);
    }
    expect(months.some((m) => m.trainedOn === 0)).toBe(true);
    expect(months.some((m) => m.trainedOn > 0)).toBe(true);
  });

  it('reports skill against the priors and against the base rate of the outcomes', () => {
    // Arrange
    const w = world(60, 0.1, 10, 3);
    const scenario = firesScenario(10, 0.1);

    // Act
    const { before } = calibrate({
      scenario,
      observations: w.observations,
      outcomes: w.outcomes,
      origins: w.origins,
    });

    // Assert
    const riskShare = w.outcomes.filter((o) => o.path === 'risk').length / w.outcomes.length;
    const climatologyBrier = 2 * riskShare * (1 - riskShare);
    expect(before.climatology.scores.brier).toBeCloseTo(climatologyBrier, 12);
    expect(before.skill.brier.climatology).toBeCloseTo(
      1 - (before.scores.brier as number) / climatologyBrier,
      12,
    );
    expect(before.skill.brier.prior).toBeGreaterThan(0);
  });
});

describe('outcomeAt', () => {
  it('names the path recorded at an instant and when it became known, and nothing where it is not known', () => {
    // Arrange
    const outcomes = [
      { from: '2024-01-01', path: 'risk', known: '2024-04-01' },
      { from: '2024-02-01', path: 'baseline' },
      { from: '2024-03-01', path: null },
    ];
    const monthly = { step: 'P1M' as const };

    // Act / Assert
    expect(outcomeAt(outcomes, '2023-12-01T00:00:00.000Z', monthly)).toBeNull();
    expect(outcomeAt(outcomes, '2024-01-01T00:00:00.000Z', monthly)).toEqual({
      path: 'risk',
      known: '2024-04-01T00:00:00.000Z',
    });
    expect(outcomeAt(outcomes, '2024-02-01T00:00:00.000Z', monthly)).toEqual({
      path: 'baseline',
      known: '2024-03-01T00:00:00.000Z',
    });
    expect(outcomeAt(outcomes, '2024-05-01T00:00:00.000Z', monthly)).toBeNull();
  });
});
