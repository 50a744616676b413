// The pieces of the assessment the projection calls directly (judge, combine without the
// explanation) and the hand-written sort behind Theil-Sen give exactly what the plain paths give.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess } from '../../../shared/domain/assess.ts';
import { theilSen } from '../../../shared/domain/evidence.ts';
import type { Observation } from '../../../shared/domain/model.ts';
import { periodId } from '../../../shared/domain/period.ts';
import { combine, completeSeries, judge } from '../../../shared/domain/update.ts';
import { buildScenario, type EvidenceSpec, type IndicatorSpec } from '../../fixtures/scenario.ts';

const AS_OF = '2024-09-01T00:00:00.000Z';
const MONTHS = Array.from({ length: 10 }, (_, m) =>
  new Date(Date.UTC(2023, 11 + m, 1)).toISOString().slice(0, 10),
);
const PATHS = ['a', 'b', 'c'];

const likelihood = fc.double({ min: 0.01, max: 1, noNaN: true });
const perPath = <T>(arb: fc.Arbitrary<T>) =>
  fc.tuple(arb, arb, arb).map((v) => Object.fromEntries(PATHS.map((p, i) => [p, v[i] as T])));
const evidence: fc.Arbitrary<EvidenceSpec> = fc.oneof(
  perPath(fc.record({ mean: fc.integer({ min: -50, max: 50 }), sd: fc.integer({ min: 1, max: 30 }) })).map(
    (expect): EvidenceSpec => ({ model: 'gaussian', expect }),
  ),
  fc.tuple(perPath(likelihood), perPath(likelihood)).map(
    ([low, high]): EvidenceSpec => ({
      model: 'bands',
      bands: [{ below: 0, likelihood: low }, { likelihood: high }],
    }),
  ),
  fc
    .record({
      periods: fc.integer({ min: 3, max: 6 }),
      scale: fc.constantFrom('absolute' as const, 'relative' as const),
      expect: perPath(
        fc.record({ slope: fc.double({ min: -2, max: 2, noNaN: true }), sd: fc.constant(0.5) }),
      ),
    })
    .map((t): EvidenceSpec => ({ model: 'trend', ...t })),
  fc
    .record({
      threshold: fc.integer({ min: 0, max: 40 }),
      large: perPath(likelihood),
      small: perPath(likelihood),
    })
    .map(
      ({ threshold, large, small }): EvidenceSpec => ({
        model: 'event',
        window: 'P3M',
        threshold,
        likelihood: { large, small, missed: small },
      }),
    ),
);
const indicator = (id: string): fc.Arbitrary<IndicatorSpec> =>
  fc
    .record({
      evidence,
      weight: fc.double({ min: 0, max: 1, noNaN: true }),
      grouped: fc.boolean(),
      halfLife: fc.constantFrom(undefined, 'P2M'),
      missing: fc.constantFrom<'ignore' | 'keepLast'>('ignore', 'keepLast'),
    })
    .map(({ grouped, halfLife, ...rest }) => ({
      id,
      ...rest,
      staleAfter: 'P2M',
      ...(grouped ? { group: 'g' } : {}),
      ...(halfLife ? { halfLife } : {}),
    }));
/** Up to four indicators of any model, each with up to ten months of data in any order. */
const world = fc.integer({ min: 1, max: 4 }).chain((count) =>
  fc.record({
    specs: fc.tuple(...Array.from({ length: count }, (_, i) => indicator(`i${i}`))),
    values: fc.array(
      fc.array(fc.option(fc.integer({ min: -60, max: 60 })), { minLength: 10, maxLength: 10 }),
      {
        minLength: count,
        maxLength: count,
      },
    ),
    cap: fc.integer({ min: 1, max: 40 }),
  }),
);

describe('judge and combine', () => {
  it('combine without the explanation gives the assessment assess gives, contributions left out', () => {
    fc.assert(
      fc.property(world, ({ specs, values, cap }) => {
        // Arrange
        const scenario = buildScenario({
          paths: { a: 0.5, b: 0.3, c: 0.2 },
          groups: [{ id: 'g', cap }],
          indicators: specs,
        });
        const observations: Observation[] = specs.flatMap((spec, i) =>
          (values[i] ?? []).flatMap((v, m) =>
            v === null ? [] : [{ indicatorId: spec.id, period: MONTHS[m] as string, value: v, source: 't' }],
          ),
        );
        observations.reverse();
        const at = new Date(AS_OF);
        // Act
        const judged = scenario.indicators.map((ind) =>
          judge(
            ind,
            completeSeries(
              observations.filter((o) => o.indicatorId === ind.id),
              periodId(at, ind.cadence),
            ),
            at,
          ),
        );
        const quick = combine(scenario, judged, AS_OF, { explain: false });
        const full = assess(scenario, observations, AS_OF);
        // Assert
        expect(quick).toEqual({ ...full, contributions: [] });
        expect(combine(scenario, judged, AS_OF)).toEqual(full);
      }),
      { numRuns: 300 },
    );
  });

  it('names the leader and margin as sorting every path would, ties going to the first id', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(1, 2, 3), { minLength: 2, maxLength: 6 }),
        fc.array(fc.integer({ min: -60, max: 60 }), { maxLength: 3 }),
        (weights, values) => {
          // Arrange: priors from few distinct weights, so ties are common
          const total = weights.reduce((a, b) => a + b, 0);
          const ids = weights.map((_, i) => `p${(i * 7) % weights.length}-${i}`);
          const priors = weights.map((w) => w / total);
          priors[priors.length - 1] = 1 - priors.slice(0, -1).reduce((a, b) => a + b, 0);
          const scenario = buildScenario({
            paths: ids.map((id, i) => ({ id, prior: priors[i] as number })),
            indicators: [
              { id: 'x', expect: Object.fromEntries(ids.map((id, i) => [id, { mean: i * 10, sd: 20 }])) },
            ],
          });
          const observations = values.map((value, m) => ({
            indicatorId: 'x',
            period: MONTHS[m + 5] as string,
            value,
            source: 't',
          }));
          // Act
          const result = assess(scenario, observations, AS_OF);
          // Assert
          const sorted = Object.entries(result.probabilities).sort(
            (a, b) => b[1] - a[1] || a[0].localeCompare(b[0]),
          );
          expect(result.leader).toBe(sorted[0]?.[0]);
          expect(result.margin).toBe((sorted[0]?.[1] ?? 0) - (sorted[1]?.[1] ?? 0));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('completeSeries keeps the periods before the current one, oldest first, ties in their order', () => {
    // Arrange
    const obs = (period: string, value: number): Observation => ({
      indicatorId: 'x',
      period,
      value,
      source: 't',
    });
    const series = [obs('2024-03-01', 3), obs('2024-01-01', 1), obs('2024-02-01', 2), obs('2024-01-01', 9)];
    // Act
    const complete = completeSeries(series, '2024-03-01');
    // Assert
    expect(complete.map((o) => o.value)).toEqual([1, 9, 2]);
  });
});

/** The median of the pairwise slopes, sorted by the built-in sort: the plain Theil-Sen. */
function plainTheilSen(points: { x: number; y: number }[]): number {
  const slopes: number[] = [];
  points.forEach((a, i) => {
    for (const b of points.slice(i + 1)) if (b.x !== a.x) slopes.push((b.y - a.y) / (b.x - a.x));
  });
  if (slopes.length === 0) return 0;
  const sorted = [...slopes].sort((p, q) => p - q);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

describe('theilSen sort', () => {
  it('gives exactly the plain median of slopes, ties, signed zeros and infinities included', () => {
    const y = fc.oneof(
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom(0, -0, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
      fc.double({ noNaN: true }),
    );
    const points = fc.array(fc.record({ x: fc.integer({ min: 0, max: 8 }), y }), { maxLength: 13 });
    fc.assert(
      fc.property(points, (p) => {
        // Act, Assert: Object.is, so -0 and +0 are told apart
        expect(Object.is(theilSen(p), plainTheilSen(p))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
});
