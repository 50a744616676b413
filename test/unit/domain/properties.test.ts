import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assess } from '../../../shared/domain/assess.ts';
import { advance } from '../../../shared/domain/hysteresis.ts';
import {
  type Assessment,
  initialPathState,
  type Observation,
  type PathState,
} from '../../../shared/domain/model.ts';
import { buildScenario } from '../build-scenario.ts';

// Invariants of the assessment and the hysteresis, over generated scenarios and data.
const AS_OF = '2024-07-01T00:00:00.000Z';

/** 2 to 6 paths with random priors (normalised), 1 to 5 gaussian indicators, one June value each. */
const world = fc
  .record({
    weights: fc.array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 }),
    indicatorCount: fc.integer({ min: 1, max: 5 }),
    seed: fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 64, maxLength: 64 }),
  })
  .map(({ weights, indicatorCount, seed }) => {
    const total = weights.reduce((a, b) => a + b, 0);
    const priors = weights.map((w) => w / total);
    // Keep the last prior as 1 - the others so the sum is exactly 1 within the schema's tolerance.
    priors[priors.length - 1] = 1 - priors.slice(0, -1).reduce((a, b) => a + b, 0);
    const pathIds = priors.map((_, i) => `p${i}`);
    let next = 0;
    const draw = () => seed[next++ % seed.length] as number;
    const indicators = Array.from({ length: indicatorCount }, (_, i) => ({
      id: `i${i}`,
      expect: Object.fromEntries(
        pathIds.map((p) => [p, { mean: draw(), sd: Math.abs(draw()) / 1000 + 0.1 }]),
      ),
    }));
    const scenario = buildScenario({
      paths: pathIds.map((id, i) => ({ id, prior: priors[i] as number })),
      indicators,
    });
    const observations: Observation[] = indicators.map((ind) => ({
      indicatorId: ind.id,
      period: '2024-06-01',
      value: draw(),
      source: 'generated',
    }));
    return { scenario, observations };
  })
  .filter(({ scenario }) => scenario.paths.every((p) => p.prior > 0 && p.prior < 1));

describe('assessment invariants', () => {
  it('gives finite probabilities that sum to 1 for any scenario of 2 to 6 paths', () => {
    fc.assert(
      fc.property(world, ({ scenario, observations }) => {
        const { probabilities } = assess(scenario, observations, AS_OF);
        const values = Object.values(probabilities);
        expect(values.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)).toBe(true);
        expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
      }),
    );
  });

  it('does not depend on the order of the indicators or of the observations', () => {
    fc.assert(
      fc.property(world, ({ scenario, observations }) => {
        const reordered = { ...scenario, indicators: [...scenario.indicators].reverse() };
        const a = assess(scenario, observations, AS_OF);
        const b = assess(reordered, [...observations].reverse(), AS_OF);
        for (const p of scenario.paths)
          expect(b.probabilities[p.id]).toBeCloseTo(a.probabilities[p.id] ?? -1, 9);
        expect(b.evidence).toEqual(a.evidence);
      }),
    );
  });

  it('leaves the priors unchanged when a value is equally likely under every path', () => {
    fc.assert(
      fc.property(world, fc.double({ min: -1e6, max: 1e6, noNaN: true }), ({ scenario }, value) => {
        const neutral = {
          ...scenario,
          indicators: scenario.indicators.map((i) => ({
            ...i,
            evidence: {
              model: 'gaussian' as const,
              expect: Object.fromEntries(scenario.paths.map((p) => [p.id, { mean: 0, sd: 1 }])),
            },
          })),
        };
        const observations = neutral.indicators.map((i) => ({
          indicatorId: i.id,
          period: '2024-06-01',
          value,
          source: 'generated',
        }));
        const { probabilities } = assess(neutral, observations, AS_OF);
        for (const p of scenario.paths) expect(probabilities[p.id]).toBeCloseTo(p.prior, 9);
      }),
    );
  });

  it('never lowers a path when a value moves towards the mean only that path expects', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (prior, start, step) => {
          // Path a expects 100, path b expects -100 (same spread): moving up favours a.
          const scenario = buildScenario({
            paths: [
              { id: 'a', prior },
              { id: 'b', prior: 1 - prior },
            ],
            indicators: [{ id: 'x', expect: { a: { mean: 100, sd: 50 }, b: { mean: -100, sd: 50 } } }],
          });
          const at = (value: number) =>
            assess(scenario, [{ indicatorId: 'x', period: '2024-06-01', value, source: 's' }], AS_OF)
              .probabilities.a ?? 0;
          expect(at(Math.min(100, start + step * 50))).toBeGreaterThanOrEqual(at(start) - 1e-12);
        },
      ),
    );
  });
});

describe('hysteresis invariants', () => {
  it('never shifts while the challenger stays below the enter margin, however the noise falls', () => {
    const rules = { enterMargin: 0.2, confirm: { m: 2, n: 3 } };
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.1999, noNaN: true }), { maxLength: 40 }), (margins) => {
        let state: PathState = {
          ...initialPathState,
          path: 'a',
          since: '2024-01-01T00:00:00.000Z',
          seen: { x: 'start' },
        };
        margins.forEach((margin, i) => {
          const assessment: Assessment = {
            scenarioId: 's',
            asOf: new Date(Date.UTC(2024, 1 + i, 1)).toISOString(),
            probabilities: { a: (1 - margin) / 2, b: (1 + margin) / 2 },
            leader: 'b',
            margin,
            contributions: [],
            stale: [],
            evidence: { x: `update-${i}` },
          };
          const step = advance(state, assessment, rules, null);
          expect(step.shift).toBeNull();
          state = step.state;
        });
        expect(state.path).toBe('a');
      }),
    );
  });
});
