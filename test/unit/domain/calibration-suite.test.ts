// The synthetic calibration suite, small: each kind of world once, as `npm run bench:calibration` runs them
// at scale. The filter must know what the oracle knows when the world is as declared, and calibrate must
// rescue it when the world breaks the declaration.
import { describe, expect, it } from 'vitest';
import { filterAt } from '../../../shared/domain/assess.ts';
import { score } from '../../../shared/domain/scoring.ts';
import { runWorld } from '../../fixtures/calibration-suite.ts';
import { makeWorld, WORLD_KINDS } from '../../fixtures/worlds.ts';

const MONTHS = 600;

describe('the synthetic calibration suite', () => {
  it('scores the declared filter exactly as the oracle in a well-specified world, far ahead of the snapshot', () => {
    // Arrange
    const world = makeWorld({ kind: 'well-specified', months: MONTHS, switch: 0.109, seed: 1 });

    // Act
    const { reports } = runWorld(world);

    // Assert
    expect(reports.filter.scores.brier).toBeCloseTo(reports.oracle.scores.brier as number, 12);
    expect(reports.filter.scores.brier as number).toBeLessThan(
      (reports.snapshot.scores.brier as number) * 0.7,
    );
  });

  it('says 20 % about as often as it happens one time in five, on well-specified worlds', () => {
    // Arrange: 4 worlds of 1200 months, every month's forecast against the true path.
    const forecasts = [1, 2, 3, 4].flatMap((seed) => {
      const world = makeWorld({ kind: 'well-specified', months: 1200, switch: 0.109, seed });
      return filterAt(world.scenario, world.observations, world.origins).map((p, k) => ({
        asOf: world.origins[k] as string,
        probabilities: p,
        outcome: world.truth[k] as string,
      }));
    });

    // Act
    const bins = score(forecasts, 5).calibration;

    // Assert: every fifth with enough pairs is within 6 points (about 2.5 standard errors at 300 pairs).
    for (const bin of bins.filter((b) => b.count >= 300)) {
      expect(Math.abs((bin.observedFrequency as number) - (bin.meanForecast as number))).toBeLessThan(0.06);
    }
  });

  it.each(WORLD_KINDS.filter((k) => k !== 'well-specified'))(
    'beats the prior and the snapshot engine after calibrate in a %s world',
    (kind) => {
      // Arrange
      const world = makeWorld({
        kind,
        months: MONTHS,
        switch: kind === 'wrong-switch' ? 0.2 : 0.109,
        seed: 2,
      });

      // Act
      const { reports } = runWorld(world);

      // Assert
      expect(reports.calibrated.skill.brier.prior as number).toBeGreaterThan(0);
      expect(reports.calibrated.scores.brier as number).toBeLessThan(reports.snapshot.scores.brier as number);
    },
  );
});
