import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { assess } from '../../../shared/domain/assess.ts';
import { advance, view } from '../../../shared/domain/hysteresis.ts';
import {
  type Assessment,
  initialPathState,
  type Observation,
  type PathState,
} from '../../../shared/domain/model.ts';
import {
  buildRules,
  buildScenario,
  type EvidenceSpec,
  type IndicatorSpec,
  type MissingSpec,
} from '../../fixtures/scenario.ts';

// Invariants of the assessment and the hysteresis, over generated scenarios of every evidence model.
const AS_OF = '2024-07-01T00:00:00.000Z';
const MONTHS = ['2024-01-01', '2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01'];

const likelihood = fc.double({ min: 0.001, max: 1, noNaN: true });
const value = fc.double({ min: -1e6, max: 1e6, noNaN: true });

function perPath<T>(pathIds: string[], arb: fc.Arbitrary<T>): fc.Arbitrary<Record<string, T>> {
  return fc
    .tuple(...pathIds.map(() => arb))
    .map((values) => Object.fromEntries(pathIds.map((p, i) => [p, values[i] as T])));
}

/** Any of the four evidence models, with a table for each of `pathIds`. */
function evidenceFor(pathIds: string[]): fc.Arbitrary<EvidenceSpec> {
  const gaussian = perPath(
    pathIds,
    fc.record({
      mean: fc.double({ min: -1e3, max: 1e3, noNaN: true }),
      sd: fc.double({ min: 0.1, max: 100, noNaN: true }),
    }),
  ).map((expect): EvidenceSpec => ({ model: 'gaussian', expect }));
  const bands = fc
    .tuple(
      fc.uniqueArray(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 3 }),
      fc.array(perPath(pathIds, likelihood), { minLength: 4, maxLength: 4 }),
    )
    .map(([cuts, tables]): EvidenceSpec => {
      const sorted = [...cuts].sort((a, b) => a - b);
      return {
        model: 'bands',
        bands: [
          ...sorted.map((below, i) => ({ below, likelihood: tables[i] ?? {} })),
          { likelihood: tables[3] ?? {} },
        ],
      };
    });
  const trend = fc
    .record({
      periods: fc.integer({ min: 3, max: 6 }),
      scale: fc.constantFrom('absolute' as const, 'relative' as const),
      expect: perPath(
        pathIds,
        fc.record({
          slope: fc.double({ min: -2, max: 2, noNaN: true }),
          sd: fc.double({ min: 0.01, max: 2, noNaN: true }),
        }),
      ),
    })
    .map((t): EvidenceSpec => ({ model: 'trend', ...t }));
  const event = fc
    .record({
      timing: fc.constantFrom(
        { window: 'P3M' },
        { window: 'P2M' },
        { from: '2024-03-01', deadline: '2024-05-31' },
        { from: '2024-03-01', deadline: '2024-12-31' },
      ),
      threshold: fc.double({ min: 0, max: 1e5, noNaN: true }),
      large: perPath(pathIds, likelihood),
      small: perPath(pathIds, likelihood),
      pending: perPath(pathIds, likelihood),
      missed: perPath(pathIds, likelihood),
    })
    .map(
      ({ timing, threshold, large, small, pending, missed }): EvidenceSpec => ({
        model: 'event',
        ...timing,
        threshold,
        likelihood: { large, small, missed, ...('deadline' in timing ? { pending } : {}) },
      }),
    );
  return fc.oneof(gaussian, bands, trend, event);
}

function indicatorFor(pathIds: string[], id: string): fc.Arbitrary<IndicatorSpec> {
  return fc
    .record({
      evidence: evidenceFor(pathIds),
      weight: fc.oneof(fc.constant(1), fc.double({ min: 0, max: 1, noNaN: true })),
      halfLife: fc.constantFrom(undefined, 'P1M', 'P2W'),
      staleAfter: fc.constantFrom(undefined, 'P1M', 'P3M'),
      grouped: fc.boolean(),
      missing: fc.oneof(
        fc.constantFrom<MissingSpec>('ignore', 'keepLast'),
        perPath(pathIds, likelihood).map((absence): MissingSpec => ({ absence })),
      ),
    })
    .map(({ evidence, weight, halfLife, staleAfter, grouped, missing }) => ({
      id,
      evidence,
      weight,
      missing,
      ...(halfLife ? { halfLife } : {}),
      ...(staleAfter ? { staleAfter } : {}),
      ...(grouped ? { group: 'g' } : {}),
    }));
}

/** A monthly series of `length` months ending with the month `end` (0 = January 2024). */
function series(id: string, values: number[], end: number, model: string): Observation[] {
  return values
    .map((v, i) => ({ month: end - (values.length - 1 - i), v }))
    .filter(({ month }) => month >= 0)
    .map(({ month, v }) => ({
      indicatorId: id,
      period: MONTHS[month] as string,
      // Event series are sizes: 0 for no event, and a random size otherwise.
      value: model === 'event' ? Math.max(0, v) : v,
      source: 'generated',
    }));
}

function priorsOf(weights: number[]): number[] {
  const total = weights.reduce((a, b) => a + b, 0);
  const priors = weights.map((w) => w / total);
  // The last prior is 1 - the others, so the sum is 1 within the schema's tolerance.
  priors[priors.length - 1] = 1 - priors.slice(0, -1).reduce((a, b) => a + b, 0);
  return priors;
}

interface World {
  scenario: Scenario;
  observations: Observation[];
  pathIds: string[];
  specs: IndicatorSpec[];
}

/** 2 to 6 paths, 1 to 6 indicators of any model, policy and weight, 0 to 6 months of data each. */
const world: fc.Arbitrary<World> = fc
  .array(fc.double({ min: 0.05, max: 1, noNaN: true }), { minLength: 2, maxLength: 6 })
  .map(priorsOf)
  .filter((priors) => priors.every((p) => p > 0 && p < 1))
  .chain((priors) => {
    const pathIds = priors.map((_, i) => `p${i}`);
    return fc
      .integer({ min: 1, max: 6 })
      .chain((count) =>
        fc.record({
          specs: fc.tuple(...Array.from({ length: count }, (_, i) => indicatorFor(pathIds, `i${i}`))),
          data: fc.tuple(
            ...Array.from({ length: count }, () =>
              fc.record({ values: fc.array(value, { maxLength: 6 }), end: fc.integer({ min: 0, max: 5 }) }),
            ),
          ),
          cap: fc.double({ min: 0.5, max: 60, noNaN: true }),
        }),
      )
      .map(({ specs, data, cap }) => {
        const scenario = buildScenario({
          paths: pathIds.map((id, i) => ({ id, prior: priors[i] as number })),
          groups: [{ id: 'g', cap }],
          indicators: specs,
        });
        const observations = specs.flatMap((spec, i) =>
          series(spec.id, data[i]?.values ?? [], data[i]?.end ?? 5, spec.evidence?.model ?? 'gaussian'),
        );
        return { scenario, observations, pathIds, specs };
      });
  });

/** A world and more values drawn for it (they may depend on its paths), as `{ w, ...more }`. */
function worldWith<T>(
  more: (w: World) => { [K in keyof T]: fc.Arbitrary<T[K]> },
): fc.Arbitrary<{ w: World } & T> {
  return world.chain((w) => fc.record({ w: fc.constant(w), ...more(w) }) as fc.Arbitrary<{ w: World } & T>);
}

function expectProbabilities(result: Assessment, pathIds: string[]): void {
  const values = pathIds.map((p) => result.probabilities[p] ?? Number.NaN);
  expect(values.every((p) => Number.isFinite(p) && p >= 0 && p <= 1)).toBe(true);
  expect(values.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 9);
  expect(Number.isFinite(result.margin)).toBe(true);
  expect(result.entropy).toBeGreaterThanOrEqual(-1e-12);
  expect(result.entropy).toBeLessThanOrEqual(Math.log2(pathIds.length) + 1e-9);
}

/** The same evidence model with every path's entry replaced by the first path's: no path is favoured. */
function neutralise(spec: IndicatorSpec, pathIds: string[]): IndicatorSpec {
  const same = <T>(table: Record<string, T>): Record<string, T> => {
    const first = Object.values(table)[0] as T;
    return Object.fromEntries(pathIds.map((p) => [p, first]));
  };
  const evidence = spec.evidence as EvidenceSpec;
  const neutral: EvidenceSpec =
    evidence.model === 'gaussian'
      ? { ...evidence, expect: same(evidence.expect) }
      : evidence.model === 'trend'
        ? { ...evidence, expect: same(evidence.expect) }
        : evidence.model === 'bands'
          ? { ...evidence, bands: evidence.bands.map((b) => ({ ...b, likelihood: same(b.likelihood) })) }
          : {
              ...evidence,
              likelihood: {
                large: same(evidence.likelihood.large),
                small: same(evidence.likelihood.small),
                missed: same(evidence.likelihood.missed),
                ...(evidence.likelihood.pending ? { pending: same(evidence.likelihood.pending) } : {}),
              },
            };
  const missing = typeof spec.missing === 'object' ? { absence: same(spec.missing.absence) } : spec.missing;
  const { expect: _gaussian, ...rest } = spec;
  return { ...rest, evidence: neutral, ...(missing ? { missing } : {}) };
}

describe('assessment invariants', () => {
  it('gives finite probabilities that sum to 1 for any mix of models, policies and 2 to 6 paths', () => {
    fc.assert(
      fc.property(world, ({ scenario, observations, pathIds }) => {
        // Act
        const result = assess(scenario, observations, AS_OF);

        // Assert
        expectProbabilities(result, pathIds);
        for (const c of result.contributions) {
          expect(Object.values(c.decibans).every(Number.isFinite)).toBe(true);
          expect(c.weight).toBeGreaterThanOrEqual(0);
          expect(c.weight).toBeLessThanOrEqual(1);
        }
      }),
    );
  });

  it('leaves the priors unchanged when every indicator, of any model, is equally likely under every path', () => {
    fc.assert(
      fc.property(world, ({ scenario, observations, pathIds, specs }) => {
        // Arrange
        const neutral = buildScenario({
          paths: scenario.paths.map((p) => ({ id: p.id, prior: p.prior })),
          groups: scenario.groups,
          indicators: specs.map((s) => neutralise(s, pathIds)),
        });

        // Act
        const { probabilities } = assess(neutral, observations, AS_OF);

        // Assert
        for (const p of scenario.paths) expect(probabilities[p.id]).toBeCloseTo(p.prior, 9);
      }),
    );
  });

  it('never lowers a path when an indicator that favours it is added', () => {
    fc.assert(
      fc.property(
        worldWith((w) => ({
          favoured: fc.integer({ min: 0, max: w.pathIds.length - 1 }),
          others: perPath(w.pathIds, likelihood),
          edge: fc.double({ min: 1, max: 100, noNaN: true }),
          weight: fc.double({ min: 0, max: 1, noNaN: true }),
        })),
        ({ w, favoured, others, edge, weight }) => {
          // Arrange: the added indicator's likelihood for the favoured path is at least every other's
          const target = w.pathIds[favoured] as string;
          const top = Math.min(1, Math.max(...Object.values(others)) * edge);
          const table = { ...others, [target]: top };
          const added: IndicatorSpec = {
            id: 'added',
            weight,
            evidence: { model: 'bands', bands: [{ below: 0, likelihood: table }, { likelihood: table }] },
          };
          const before = assess(w.scenario, w.observations, AS_OF);
          const withAdded = buildScenario({
            paths: w.scenario.paths.map((p) => ({ id: p.id, prior: p.prior })),
            groups: w.scenario.groups,
            indicators: [...w.specs, added],
          });
          const observation = { indicatorId: 'added', period: '2024-06-01', value: 1, source: 'generated' };

          // Act
          const after = assess(withAdded, [...w.observations, observation], AS_OF);

          // Assert
          expect(after.probabilities[target]).toBeGreaterThanOrEqual(
            (before.probabilities[target] ?? 1) - 1e-12,
          );
        },
      ),
    );
  });

  it('never lowers a path when a value moves into a band with a higher likelihood ratio for it', () => {
    fc.assert(
      fc.property(
        world.filter((w) => w.pathIds.length === 2),
        fc.array(fc.tuple(likelihood, likelihood), { minLength: 3, maxLength: 3 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        (w, tables, from, to) => {
          // Arrange: bands below 0, below 10, and open; path p0 against p1
          const [a, b] = w.pathIds as [string, string];
          const band = (i: number) => ({ [a]: tables[i]?.[0] ?? 1, [b]: tables[i]?.[1] ?? 1 });
          const ratio = (i: number) => (tables[i]?.[0] ?? 1) / (tables[i]?.[1] ?? 1);
          const [lower, higher] = ratio(from) <= ratio(to) ? [from, to] : [to, from];
          const scenario = buildScenario({
            paths: w.scenario.paths.map((p) => ({ id: p.id, prior: p.prior })),
            groups: w.scenario.groups,
            indicators: [
              ...w.specs,
              {
                id: 'armour',
                evidence: {
                  model: 'bands',
                  bands: [
                    { below: 0, likelihood: band(0) },
                    { below: 10, likelihood: band(1) },
                    { likelihood: band(2) },
                  ],
                },
              },
            ],
          });
          const inBand = [-5, 5, 15];
          const at = (i: number) =>
            assess(
              scenario,
              [
                ...w.observations,
                { indicatorId: 'armour', period: '2024-06-01', value: inBand[i] ?? 0, source: 's' },
              ],
              AS_OF,
            ).probabilities[a] ?? Number.NaN;

          // Act
          const moved = at(higher);
          const stayed = at(lower);

          // Assert
          expect(moved).toBeGreaterThanOrEqual(stayed - 1e-12);
        },
      ),
    );
  });

  it('never lowers a path when a gaussian value moves towards the mean only that path expects', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (prior, start, step) => {
          // Arrange: path a expects 100, path b expects -100 (same spread): moving up favours a
          const scenario = buildScenario({
            paths: [
              { id: 'a', prior },
              { id: 'b', prior: 1 - prior },
            ],
            indicators: [{ id: 'x', expect: { a: { mean: 100, sd: 50 }, b: { mean: -100, sd: 50 } } }],
          });
          const at = (v: number) =>
            assess(scenario, [{ indicatorId: 'x', period: '2024-06-01', value: v, source: 's' }], AS_OF)
              .probabilities.a ?? 0;

          // Act
          const moved = at(Math.min(100, start + step * 50));

          // Assert
          expect(moved).toBeGreaterThanOrEqual(at(start) - 1e-12);
        },
      ),
    );
  });

  it('does not depend on the order of the indicators or of the observations', () => {
    fc.assert(
      fc.property(
        worldWith(() => ({ keys: fc.array(fc.double({ noNaN: true }), { minLength: 6, maxLength: 6 }) })),
        ({ w, keys }) => {
          // Arrange: a random permutation of the indicators, and the observations reversed
          const order = w.scenario.indicators
            .map((indicator, i) => ({ indicator, key: keys[i] ?? 0 }))
            .sort((x, y) => x.key - y.key)
            .map(({ indicator }) => indicator);
          const shuffled: Scenario = { ...w.scenario, indicators: order };
          const byId = (x: { indicatorId: string }, y: { indicatorId: string }) =>
            x.indicatorId < y.indicatorId ? -1 : 1;

          // Act
          const original = assess(w.scenario, w.observations, AS_OF);
          const reordered = assess(shuffled, [...w.observations].reverse(), AS_OF);

          // Assert
          for (const p of w.pathIds) {
            expect(reordered.probabilities[p]).toBeCloseTo(original.probabilities[p] ?? Number.NaN, 12);
          }
          expect(reordered.leader).toBe(original.leader);
          expect(reordered.evidence).toEqual(original.evidence);
          expect(reordered.informative).toBe(original.informative);
          expect([...reordered.stale].sort()).toEqual([...original.stale].sort());
          const statuses = (a: Assessment) =>
            [...a.contributions].sort(byId).map((c) => [c.indicatorId, c.status]);
          expect(statuses(reordered)).toEqual(statuses(original));
        },
      ),
    );
  });
});

describe('hysteresis invariants', () => {
  const noise = fc
    .record({
      paths: fc.integer({ min: 2, max: 4 }),
      enterMargin: fc.double({ min: 0.02, max: 0.9, noNaN: true }),
      exitShare: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true })),
      m: fc.integer({ min: 1, max: 4 }),
      extra: fc.integer({ min: 0, max: 3 }),
      minDwell: fc.constantFrom(undefined, 'P1M'),
      cooldown: fc.constantFrom(undefined, 'P2W'),
    })
    .chain((r) =>
      fc.record({
        r: fc.constant(r),
        updates: fc.array(
          fc.record({
            leader: fc.integer({ min: 0, max: r.paths - 1 }),
            share: fc.double({ min: 0, max: 0.999, noNaN: true }),
            informative: fc.integer({ min: 0, max: 3 }),
            newData: fc.boolean(),
            stale: fc.boolean(),
          }),
          { maxLength: 40 },
        ),
      }),
    );

  it('never shifts, and stays steady on the same path, while every lead is inside the exit margin', () => {
    fc.assert(
      fc.property(noise, ({ r, updates }) => {
        // Arrange
        const rules = buildRules({
          enterMargin: r.enterMargin,
          ...(r.exitShare === null ? {} : { exitMargin: r.enterMargin * r.exitShare }),
          confirm: { m: r.m, n: r.m + r.extra },
          ...(r.minDwell ? { minDwell: r.minDwell } : {}),
          ...(r.cooldown ? { cooldown: r.cooldown } : {}),
        });
        const exitMargin = rules.exitMargin ?? rules.enterMargin / 2;
        const pathIds = Array.from({ length: r.paths }, (_, i) => `p${i}`);
        let state: PathState = {
          ...initialPathState,
          path: 'p0',
          since: '2024-01-01T00:00:00.000Z',
          seen: { x: 'start' },
        };
        let key = 0;

        // Act
        updates.forEach((u, i) => {
          const margin = u.share * exitMargin;
          const leader = pathIds[u.leader] as string;
          const top = (1 + margin) / pathIds.length;
          if (u.newData) key += 1;
          const assessment: Assessment = {
            scenarioId: 's',
            asOf: new Date(Date.UTC(2024, 1, 1 + 7 * i)).toISOString(),
            probabilities: Object.fromEntries(
              pathIds.map((p) => [p, p === leader ? top : (1 - top) / (pathIds.length - 1)]),
            ),
            leader,
            margin,
            entropy: 1,
            contributions: [],
            stale: u.stale ? ['y'] : [],
            evidence: { x: `update-${key}` },
            informative: u.informative,
          };
          const step = advance(state, assessment, rules, null);
          state = step.state;

          // Assert
          expect(step.shift).toBeNull();
          expect(view(state, rules)).toEqual({
            status: 'steady',
            path: 'p0',
            since: '2024-01-01T00:00:00.000Z',
          });
        });
        expect(state.path).toBe('p0');
        expect(state.shifts).toBe(0);
      }),
    );
  });

  it('never shifts while the challenger stays below the enter margin, however the noise falls', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 0.1999, noNaN: true }), { maxLength: 40 }), (margins) => {
        // Arrange
        const rules = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 } });
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
            entropy: 1,
            contributions: [],
            stale: [],
            evidence: { x: `update-${i}` },
            informative: 1,
          };

          // Act
          const step = advance(state, assessment, rules, null);

          // Assert
          expect(step.shift).toBeNull();
          state = step.state;
        });
        expect(state.path).toBe('a');
      }),
    );
  });
});
