// Scoring path probabilities against recorded outcomes: Brier, log score and the calibration table.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  brierScore,
  type CalibrationBin,
  calibrationTable,
  LOG_SCORE_FLOOR,
  logScore,
  realizedPath,
  type ScoredForecast,
  ScoringError,
  score,
} from '../../../shared/domain/scoring.ts';

let issued = 0;

/** A forecast with a distinct asOf per call, so error messages can be told apart. */
function forecast(probabilities: Record<string, number>, outcome: string): ScoredForecast {
  issued += 1;
  return { asOf: new Date(Date.UTC(2024, 0, issued)).toISOString(), probabilities, outcome };
}

const FLOORED = -Math.log(LOG_SCORE_FLOOR);

/** The bins of a table that hold any pairs, keyed by their lower edge. */
function occupied(table: CalibrationBin[]): Record<string, Omit<CalibrationBin, 'from' | 'to'>> {
  return Object.fromEntries(
    table.filter((b) => b.count > 0).map(({ from, to: _, ...rest }) => [from.toFixed(2), rest]),
  );
}

describe('brierScore and logScore', () => {
  it.each([
    {
      name: 'gives 0 and 0 to perfect forecasts',
      forecasts: [
        forecast({ baseline: 1, escalation: 0 }, 'baseline'),
        forecast({ baseline: 0, escalation: 0, collapse: 1 }, 'collapse'),
      ],
      brier: 0,
      log: 0,
    },
    {
      name: 'gives 2 and the floored log score to a confident wrong forecast',
      forecasts: [forecast({ baseline: 1, escalation: 0 }, 'escalation')],
      brier: 2,
      log: FLOORED,
    },
    {
      name: 'gives 0.5 and ln 2 to a uniform 2-path forecast',
      forecasts: [forecast({ baseline: 0.5, escalation: 0.5 }, 'escalation')],
      brier: 0.5,
      log: Math.LN2,
    },
    {
      // Worked by hand:
      //   1st: (0.5 - 0)² + (0.3 - 1)² + (0.2 - 0)² = 0.25 + 0.49 + 0.04 = 0.78;  -ln 0.3 = 1.203973
      //   2nd: (0.1 - 0)² + (0.1 - 0)² + (0.8 - 1)² = 0.01 + 0.01 + 0.04 = 0.06;  -ln 0.8 = 0.223144
      //   mean Brier (0.78 + 0.06) / 2 = 0.42;  mean log (1.203973 + 0.223144) / 2 = 0.713558
      name: 'averages a worked 3-path example over its forecasts',
      forecasts: [
        forecast({ baseline: 0.5, escalation: 0.3, collapse: 0.2 }, 'escalation'),
        forecast({ baseline: 0.1, escalation: 0.1, collapse: 0.8 }, 'collapse'),
      ],
      brier: 0.42,
      log: 0.713558,
    },
  ])('$name', ({ forecasts, brier, log }) => {
    // Act
    const b = brierScore(forecasts);
    const l = logScore(forecasts);

    // Assert
    expect(b).toBeCloseTo(brier, 6);
    expect(l).toBeCloseTo(log, 6);
  });

  it('returns null for both scores when there are no forecasts', () => {
    // Act
    const b = brierScore([]);
    const l = logScore([]);

    // Assert
    expect(b).toBeNull();
    expect(l).toBeNull();
  });

  it('gives a zero probability on the outcome a large but finite log score', () => {
    // Arrange: one hopeless forecast among good ones must not make the mean infinite.
    const forecasts = [
      forecast({ baseline: 0.9, escalation: 0.1 }, 'baseline'),
      forecast({ baseline: 1, escalation: 0 }, 'escalation'),
    ];

    // Act
    const l = logScore(forecasts);

    // Assert
    expect(l).toBeCloseTo((-Math.log(0.9) + 27.631021) / 2, 5);
  });
});

describe('calibrationTable', () => {
  it('puts ten 0.7/0.3 forecasts with seven hits into the 0.7 and 0.3 bins at the observed rates', () => {
    // Arrange: each forecast adds one pair per path: 0.7 on escalation and 0.3 on baseline.
    const forecasts = Array.from({ length: 10 }, (_, i) =>
      forecast({ escalation: 0.7, baseline: 0.3 }, i < 7 ? 'escalation' : 'baseline'),
    );

    // Act
    const table = calibrationTable(forecasts);

    // Assert
    expect(occupied(table)).toEqual({
      '0.30': { count: 10, meanForecast: expect.closeTo(0.3, 12), observedFrequency: 0.3 },
      '0.70': { count: 10, meanForecast: expect.closeTo(0.7, 12), observedFrequency: 0.7 },
    });
  });

  it('has equal-width bins from 0 to 1 with empty ones kept at count 0 and null rates', () => {
    // Arrange
    const forecasts = [forecast({ baseline: 0.5, escalation: 0.5 }, 'baseline')];

    // Act
    const table = calibrationTable(forecasts, 4);

    // Assert
    expect(table).toEqual([
      { from: 0, to: 0.25, count: 0, meanForecast: null, observedFrequency: null },
      { from: 0.25, to: 0.5, count: 0, meanForecast: null, observedFrequency: null },
      { from: 0.5, to: 0.75, count: 2, meanForecast: 0.5, observedFrequency: 0.5 },
      { from: 0.75, to: 1, count: 0, meanForecast: null, observedFrequency: null },
    ]);
  });

  it.each([
    { p: 0, bin: '0.00' },
    { p: 0.05, bin: '0.00' },
    { p: 0.1, bin: '0.10' },
    { p: 0.3, bin: '0.30' },
    { p: 0.1 + 0.2, bin: '0.30' },
    { p: 0.7, bin: '0.70' },
    { p: 0.7 - 1e-15, bin: '0.60' },
    // The double just below 0.9: 10 p rounds up to 9, yet it is below the bin's lower edge.
    { p: 0.8999999999999999, bin: '0.80' },
    { p: 0.95, bin: '0.90' },
    { p: 1, bin: '0.90' },
  ])('puts p = $p in the bin starting at $bin', ({ p, bin }) => {
    // Arrange: the other path gets 1 - p; only the outcome's pair is looked at.
    const forecasts = [forecast({ baseline: p, escalation: 1 - p }, 'baseline')];

    // Act
    const table = calibrationTable(forecasts);

    // Assert
    const hits = table.filter((b) => (b.observedFrequency ?? 0) > 0).map((b) => b.from.toFixed(2));
    expect(hits).toEqual([bin]);
  });

  it('keeps every bin empty when there are no forecasts', () => {
    // Act
    const table = calibrationTable([]);

    // Assert
    expect(table).toHaveLength(10);
    expect(table.every((b) => b.count === 0 && b.meanForecast === null && b.observedFrequency === null)).toBe(
      true,
    );
  });

  it.each([0, -1, 2.5, Number.NaN])('rejects %s bins', (bins) => {
    // Act & Assert
    expect(() => calibrationTable([], bins)).toThrow(RangeError);
  });
});

describe('score', () => {
  it('reports count, both scores and the calibration table together', () => {
    // Arrange
    const forecasts = [
      forecast({ baseline: 0.5, escalation: 0.3, collapse: 0.2 }, 'escalation'),
      forecast({ baseline: 0.1, escalation: 0.1, collapse: 0.8 }, 'collapse'),
    ];

    // Act
    const scores = score(forecasts, 5);

    // Assert
    expect(scores.count).toBe(2);
    expect(scores.brier).toBeCloseTo(0.42, 9);
    expect(scores.logScore).toBeCloseTo(0.713558, 6);
    expect(scores.calibration).toEqual(calibrationTable(forecasts, 5));
  });

  it('gives count 0, null scores and empty bins for no forecasts', () => {
    // Act
    const scores = score([]);

    // Assert
    expect(scores).toEqual({
      count: 0,
      brier: null,
      logScore: null,
      calibration: calibrationTable([]),
    });
  });
});

describe('invalid forecasts', () => {
  const good = forecast({ baseline: 0.6, escalation: 0.4 }, 'baseline');

  it.each([
    {
      name: 'an outcome that is not one of the paths',
      bad: {
        asOf: '2024-03-01T00:00:00.000Z',
        probabilities: { baseline: 0.6, escalation: 0.4 },
        outcome: 'collapse',
      },
      message:
        'forecast 1 (asOf 2024-03-01T00:00:00.000Z): outcome collapse is not one of its paths (baseline, escalation)',
    },
    {
      name: 'probabilities summing to less than 1',
      bad: {
        asOf: '2024-03-01T00:00:00.000Z',
        probabilities: { baseline: 0.6, escalation: 0.3 },
        outcome: 'baseline',
      },
      message:
        'forecast 1 (asOf 2024-03-01T00:00:00.000Z): probabilities sum to 0.8999999999999999, not 1 (±0.000001)',
    },
    {
      name: 'probabilities summing to more than 1 by more than the tolerance',
      bad: {
        asOf: '2024-03-01T00:00:00.000Z',
        probabilities: { baseline: 0.6, escalation: 0.400002 },
        outcome: 'baseline',
      },
      message: /probabilities sum to 1\.00000\d+, not 1/,
    },
    {
      name: 'a negative probability',
      bad: {
        asOf: '2024-03-01T00:00:00.000Z',
        probabilities: { baseline: 1.5, escalation: -0.5 },
        outcome: 'baseline',
      },
      message:
        'forecast 1 (asOf 2024-03-01T00:00:00.000Z): the probability of baseline is 1.5, not in [0, 1]',
    },
    {
      name: 'a probability that is not a number',
      bad: {
        asOf: '2024-03-01T00:00:00.000Z',
        probabilities: { baseline: Number.NaN, escalation: 1 },
        outcome: 'escalation',
      },
      message:
        'forecast 1 (asOf 2024-03-01T00:00:00.000Z): the probability of baseline is NaN, not in [0, 1]',
    },
  ])('rejects $name, naming the forecast', ({ bad, message }) => {
    // Arrange
    const forecasts = [good, bad];

    // Act & Assert
    for (const run of [brierScore, logScore, calibrationTable, score]) {
      expect(() => run(forecasts)).toThrow(ScoringError);
      expect(() => run(forecasts)).toThrow(message);
    }
  });

  it('carries the index and asOf of the offending forecast', () => {
    // Arrange
    const bad = forecast({ baseline: 0.6, escalation: 0.4 }, 'collapse');

    // Act & Assert
    expect(() => score([good, good, bad])).toThrow(
      expect.objectContaining({ name: 'ScoringError', index: 2, asOf: bad.asOf }),
    );
  });

  it('accepts probabilities that sum to 1 within the tolerance', () => {
    // Arrange: 1/3 three times sums to 1 only up to rounding.
    const forecasts = [forecast({ baseline: 1 / 3, escalation: 1 / 3, collapse: 1 / 3 }, 'collapse')];

    // Act
    const b = brierScore(forecasts);

    // Assert
    expect(b).toBeCloseTo(2 / 3, 9);
  });
});

// Invariants over generated forecast sets.

/** A set of 2 to 6 paths and 1 to 30 forecasts on them, with exact zeros and ones among the probabilities. */
const forecastSets = fc.integer({ min: 2, max: 6 }).chain((pathCount) => {
  const paths = Array.from({ length: pathCount }, (_, i) => `p${i}`);
  const one = fc
    .record({
      weights: fc
        .array(fc.integer({ min: 0, max: 100 }), { minLength: pathCount, maxLength: pathCount })
        .filter((w) => w.some((x) => x > 0)),
      outcome: fc.constantFrom(...paths),
      day: fc.integer({ min: 0, max: 3650 }),
    })
    .map(({ weights, outcome, day }): ScoredForecast => {
      const total = weights.reduce((a, b) => a + b, 0);
      return {
        asOf: new Date(Date.UTC(2020, 0, 1 + day)).toISOString(),
        probabilities: Object.fromEntries(paths.map((p, i) => [p, (weights[i] as number) / total])),
        outcome,
      };
    });
  return fc.record({ paths: fc.constant(paths), forecasts: fc.array(one, { minLength: 1, maxLength: 30 }) });
});

describe('scoring invariants', () => {
  it('keeps the Brier score within [0, 2] and the log score at or above 0', () => {
    fc.assert(
      fc.property(forecastSets, ({ forecasts }) => {
        const { brier, logScore: log } = score(forecasts);
        expect(brier).toBeGreaterThanOrEqual(0);
        expect(brier).toBeLessThanOrEqual(2);
        expect(log).toBeGreaterThanOrEqual(0);
        expect(log).toBeLessThanOrEqual(-Math.log(LOG_SCORE_FLOOR));
      }),
    );
  });

  it('never worsens either score when probability moves from another path to the outcome', () => {
    // Any move of mass towards the outcome is a sequence of such single-donor moves, so this covers all.
    fc.assert(
      fc.property(
        forecastSets,
        fc.nat(),
        fc.double({ min: 0, max: 1, noNaN: true }),
        ({ paths, forecasts }, pick, fraction) => {
          const [original] = forecasts as [ScoredForecast];
          const donors = paths.filter((p) => p !== original.outcome);
          const donor = donors[pick % donors.length] as string;
          const moved = (original.probabilities[donor] as number) * fraction;
          const better: ScoredForecast = {
            ...original,
            probabilities: {
              ...original.probabilities,
              [donor]: (original.probabilities[donor] as number) - moved,
              [original.outcome]: (original.probabilities[original.outcome] as number) + moved,
            },
          };
          // A few ulps of slack: a tiny move can round either way, which is not a worse forecast.
          expect(brierScore([better]) as number).toBeLessThanOrEqual(
            (brierScore([original]) as number) + 1e-12,
          );
          expect(logScore([better]) as number).toBeLessThanOrEqual((logScore([original]) as number) + 1e-12);
        },
      ),
    );
  });

  it('does not depend on the order of the forecasts', () => {
    fc.assert(
      fc.property(
        forecastSets.chain(({ forecasts }) =>
          fc.tuple(
            fc.constant(forecasts),
            fc.shuffledSubarray(forecasts, { minLength: forecasts.length, maxLength: forecasts.length }),
          ),
        ),
        ([forecasts, shuffled]) => {
          const a = score(forecasts);
          const b = score(shuffled);
          expect(b.count).toBe(a.count);
          expect(b.brier).toBeCloseTo(a.brier as number, 12);
          expect(b.logScore).toBeCloseTo(a.logScore as number, 12);
          a.calibration.forEach((bin, i) => {
            const other = b.calibration[i] as CalibrationBin;
            expect(other.count).toBe(bin.count);
            expect(other.observedFrequency).toBe(bin.observedFrequency);
            if (bin.meanForecast === null) expect(other.meanForecast).toBeNull();
            else expect(other.meanForecast).toBeCloseTo(bin.meanForecast, 12);
          });
        },
      ),
    );
  });

  it('counts every (forecast, path) pair exactly once in the calibration table', () => {
    fc.assert(
      fc.property(forecastSets, fc.integer({ min: 1, max: 20 }), ({ paths, forecasts }, bins) => {
        const table = calibrationTable(forecasts, bins);
        expect(table).toHaveLength(bins);
        expect(table.reduce((total, b) => total + b.count, 0)).toBe(forecasts.length * paths.length);
      }),
    );
  });

  it('puts each probability in the bin whose edges contain it', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 20 }), (p, bins) => {
        const table = calibrationTable([forecast({ a: p, b: 1 - p }, 'a')], bins);
        const bin = table.find((b) => (b.observedFrequency ?? 0) > 0) as CalibrationBin;
        expect(p).toBeGreaterThanOrEqual(bin.from);
        if (bin.to < 1) expect(p).toBeLessThan(bin.to);
      }),
    );
  });
});

describe('realizedPath', () => {
  const outcomes = [
    { from: '2024-06-01', path: 'baseline' },
    { from: '2023-11-01', path: 'risk' },
  ];

  it.each([
    { asOf: '2023-10-31T23:59:59.000Z', expected: null },
    { asOf: '2023-11-01T00:00:00.000Z', expected: 'risk' },
    { asOf: '2024-05-31T12:00:00.000Z', expected: 'risk' },
    { asOf: '2024-06-01T00:00:00.000Z', expected: 'baseline' },
    { asOf: '2026-01-01T00:00:00.000Z', expected: 'baseline' },
  ])(
    'gives $expected as the realized path at $asOf, whatever the order outcomes are listed in',
    ({ asOf, expected }) => {
      expect(realizedPath(outcomes, asOf)).toBe(expected);
    },
  );
});
