// Bayesian assessment: priors, the newest complete and fresh value per indicator, and weights of evidence.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { assess } from '../../../shared/domain/assess.ts';
import type { Assessment, Observation } from '../../../shared/domain/model.ts';
import { BASELINE_RISK, buildScenario, FIRES, HOLD_PUSH_STALL } from '../../fixtures/scenario.ts';

const DB_PER_NAT = 10 / Math.LN10;

/** Two paths; `fires` expects 100 +- 10 on baseline and 50 +- 10 on risk. */
const twoPaths: Scenario = buildScenario({
  paths: BASELINE_RISK,
  indicators: [{ id: 'fires', expect: FIRES }],
});

/** Three paths and three indicators with different cadences and standard deviations. */
const threePaths: Scenario = buildScenario({
  paths: HOLD_PUSH_STALL,
  indicators: [
    {
      id: 'fires',
      cadence: 'P1M',
      expect: { hold: { mean: 100, sd: 20 }, push: { mean: 160, sd: 30 }, stall: { mean: 40, sd: 15 } },
    },
    {
      id: 'armour',
      cadence: 'P1W',
      staleAfter: 'P4W',
      expect: { hold: { mean: 10, sd: 4 }, push: { mean: 25, sd: 6 }, stall: { mean: 5, sd: 3 } },
    },
    {
      id: 'aid',
      cadence: 'P3M',
      expect: { hold: { mean: 1.2, sd: 1 }, push: { mean: 0.4, sd: 0.5 }, stall: { mean: 0.1, sd: 0.3 } },
    },
  ],
});

function obs(indicatorId: string, period: string, value: number): Observation {
  return { indicatorId, period, value, source: `data/${indicatorId}.csv` };
}

const threePathObservations: Observation[] = [
  obs('fires', '2024-05-01', 130),
  obs('fires', '2024-06-01', 140),
  obs('armour', '2024-06-17', 18),
  obs('armour', '2024-06-24', 21),
  obs('aid', '2024-01-01', 0.6),
  obs('aid', '2024-04-01', 0.5),
];
const THREE_PATH_AS_OF = '2024-07-02T00:00:00.000Z';

function gaussianLogPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
}

function sum(values: number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function expectProbabilities(assessment: Assessment, pathIds: string[]): void {
  const values = Object.values(assessment.probabilities);
  expect(Object.keys(assessment.probabilities).sort()).toEqual([...pathIds].sort());
  for (const p of values) {
    expect(Number.isFinite(p)).toBe(true);
    expect(p).toBeGreaterThanOrEqual(0);
    expect(p).toBeLessThanOrEqual(1);
  }
  expect(sum(values)).toBeCloseTo(1, 12);
  expect(Number.isFinite(assessment.margin)).toBe(true);
}

describe('assess with two paths', () => {
  it.each([
    { value: 95, favoured: 'baseline', against: 'risk' },
    { value: 100, favoured: 'baseline', against: 'risk' },
    { value: 80, favoured: 'baseline', against: 'risk' },
    { value: 55, favoured: 'risk', against: 'baseline' },
    { value: 20, favoured: 'risk', against: 'baseline' },
  ])(
    'gives the path whose mean is nearer $value positive decibans and more probability',
    ({ value, favoured, against }) => {
      // Arrange
      const prior = Object.fromEntries(twoPaths.paths.map((p) => [p.id, p.prior]));

      // Act
      const result = assess(twoPaths, [obs('fires', '2024-02-01', value)], '2024-03-01T00:00:00.000Z');

      // Assert
      const [contribution] = result.contributions;
      expect(contribution?.status).toBe('used');
      expect(contribution?.decibans[favoured]).toBeGreaterThan(0);
      expect(contribution?.decibans[against]).toBeLessThan(0);
      expect(result.probabilities[favoured]).toBeGreaterThan(prior[favoured] ?? 1);
      expect(result.probabilities[favoured]).toBeGreaterThan(result.probabilities[against] ?? 1);
      expect(result.leader).toBe(favoured);
    },
  );

  it('gives equal weight to both paths at the midpoint of their means, leaving the priors', () => {
    // Act
    const result = assess(twoPaths, [obs('fires', '2024-02-01', 75)], '2024-03-01T00:00:00.000Z');

    // Assert
    expect(result.contributions[0]?.decibans).toEqual({ baseline: 0, risk: 0 });
    expect(result.probabilities.baseline).toBeCloseTo(0.6, 12);
    expect(result.probabilities.risk).toBeCloseTo(0.4, 12);
  });

  it('matches Bayes rule and reports the log-likelihood ratio in decibans', () => {
    // Arrange: a value of 100 is 0 sd from baseline and 5 sd from risk, a ratio of e^12.5
    const value = 100;
    const llBaseline = gaussianLogPdf(value, 100, 10);
    const llRisk = gaussianLogPdf(value, 50, 10);
    const weightBaseline = 0.6 * Math.exp(llBaseline);
    const weightRisk = 0.4 * Math.exp(llRisk);

    // Act
    const result = assess(twoPaths, [obs('fires', '2024-02-01', value)], '2024-03-01T00:00:00.000Z');

    // Assert
    expect(result.probabilities.baseline).toBeCloseTo(weightBaseline / (weightBaseline + weightRisk), 12);
    expect(result.probabilities.risk).toBeCloseTo(weightRisk / (weightBaseline + weightRisk), 12);
    expect(result.contributions[0]?.decibans.baseline).toBeCloseTo(12.5 * DB_PER_NAT, 3);
    expect(result.contributions[0]?.decibans.risk).toBeCloseTo(-12.5 * DB_PER_NAT, 3);
    expect(result.margin).toBeCloseTo(
      (result.probabilities.baseline ?? 0) - (result.probabilities.risk ?? 0),
      12,
    );
  });

  it('raises a path probability as the value moves towards that path mean', () => {
    // Arrange
    const values = [0, 20, 40, 60, 75, 90, 100];

    // Act
    const baseline = values.map(
      (v) =>
        assess(twoPaths, [obs('fires', '2024-02-01', v)], '2024-03-01T00:00:00.000Z').probabilities
          .baseline ?? Number.NaN,
    );

    // Assert
    for (let i = 1; i < baseline.length; i++) expect(baseline[i]).toBeGreaterThan(baseline[i - 1] ?? 1);
  });

  it.each([
    { name: '1e12', value: 1e12, leader: 'baseline' },
    { name: '-1e12', value: -1e12, leader: 'risk' },
    { name: '1000 sd above the baseline mean', value: 100 + 1000 * 10, leader: 'baseline' },
    { name: '1000 sd below the risk mean', value: 50 - 1000 * 10, leader: 'risk' },
    { name: 'Number.MAX_SAFE_INTEGER', value: Number.MAX_SAFE_INTEGER, leader: 'baseline' },
  ])('keeps probabilities finite and summing to 1 for the extreme value $name', ({ value, leader }) => {
    // Act
    const result = assess(twoPaths, [obs('fires', '2024-02-01', value)], '2024-03-01T00:00:00.000Z');

    // Assert
    expectProbabilities(result, ['baseline', 'risk']);
    expect(result.leader).toBe(leader);
    expect(result.margin).toBeCloseTo(1, 6);
    for (const db of Object.values(result.contributions[0]?.decibans ?? {})) {
      expect(Number.isFinite(db)).toBe(true);
    }
  });

  it('keeps probabilities finite even for a value so far out that its squared z-score overflows', () => {
    // Arrange: records accept any finite number; (1e200 / 10)^2 is beyond Number.MAX_VALUE
    const value = 1e200;

    // Act
    const result = assess(twoPaths, [obs('fires', '2024-02-01', value)], '2024-03-01T00:00:00.000Z');

    // Assert
    expectProbabilities(result, ['baseline', 'risk']);
  });

  it('returns the priors, and lists every indicator as stale and missing, when there is no data', () => {
    // Act
    const result = assess(threePaths, [], '2024-07-02T00:00:00.000Z');

    // Assert
    expect(result.probabilities.hold).toBeCloseTo(0.5, 12);
    expect(result.probabilities.push).toBeCloseTo(0.3, 12);
    expect(result.probabilities.stall).toBeCloseTo(0.2, 12);
    expect(result.leader).toBe('hold');
    expect(result.margin).toBeCloseTo(0.2, 12);
    expect(result.stale).toEqual(['fires', 'armour', 'aid']);
    expect(result.contributions).toEqual([
      { indicatorId: 'fires', status: 'missing', model: 'gaussian', weight: 0, decibans: {} },
      { indicatorId: 'armour', status: 'missing', model: 'gaussian', weight: 0, decibans: {} },
      { indicatorId: 'aid', status: 'missing', model: 'gaussian', weight: 0, decibans: {} },
    ]);
    expect(result.evidence).toEqual({});
  });

  it('ignores observations of indicators the scenario does not have', () => {
    // Act
    const result = assess(twoPaths, [obs('other', '2024-01-01', 100)], '2024-03-01T00:00:00.000Z');

    // Assert
    expect(result.contributions).toEqual([
      { indicatorId: 'fires', status: 'missing', model: 'gaussian', weight: 0, decibans: {} },
    ]);
    expect(result.evidence).toEqual({});
  });

  it('names the scenario and normalises asOf to an ISO instant', () => {
    // Act
    const result = assess(twoPaths, [], '2024-03-01T02:00:00+02:00');

    // Assert
    expect(result.scenarioId).toBe('test-scenario');
    expect(result.asOf).toBe('2024-03-01T00:00:00.000Z');
  });

  it('breaks a tie between equal probabilities by path id', () => {
    // Arrange
    const even = buildScenario({
      paths: { zulu: 0.5, alpha: 0.5 },
      indicators: [{ id: 'x', expect: { zulu: { mean: 1, sd: 1 }, alpha: { mean: 2, sd: 1 } } }],
    });

    // Act
    const result = assess(even, [], '2024-03-01T00:00:00.000Z');

    // Assert
    expect(result.leader).toBe('alpha');
    expect(result.margin).toBe(0);
  });
});

describe('assess: which observation is used', () => {
  // February (value 55, favours risk) is complete on 1 March; March (value 95, favours baseline) on 1 April.
  const febAndMarch = [obs('fires', '2024-02-01', 55), obs('fires', '2024-03-01', 95)];

  it.each([
    { asOf: '2024-02-29T23:59:59.999Z', status: 'missing', period: undefined },
    { asOf: '2024-03-01T00:00:00.000Z', status: 'used', period: '2024-02-01' },
    { asOf: '2024-03-15T00:00:00.000Z', status: 'used', period: '2024-02-01' },
    { asOf: '2024-03-31T23:59:59.999Z', status: 'used', period: '2024-02-01' },
    { asOf: '2024-04-01T00:00:00.000Z', status: 'used', period: '2024-03-01' },
  ])('at $asOf uses only periods complete by then ($status $period)', ({ asOf, status, period }) => {
    // Act
    const result = assess(twoPaths, febAndMarch, asOf);

    // Assert
    expect(result.contributions[0]?.status).toBe(status);
    expect(result.contributions[0]?.period).toBe(period);
  });

  it('does not let a period still in progress move the probabilities', () => {
    // Arrange
    const asOf = '2024-03-15T00:00:00.000Z';

    // Act
    const withPartial = assess(twoPaths, febAndMarch, asOf);
    const withoutPartial = assess(twoPaths, [obs('fires', '2024-02-01', 55)], asOf);

    // Assert
    expect(withPartial).toEqual(withoutPartial);
    expect(withPartial.leader).toBe('risk');
  });

  it('uses the newest complete period whatever the order of the observations', () => {
    // Arrange
    const shuffled = [
      obs('fires', '2024-01-01', 10),
      obs('fires', '2024-03-01', 95),
      obs('fires', '2023-12-01', 10),
      obs('fires', '2024-02-01', 55),
    ];

    // Act
    const result = assess(twoPaths, shuffled, '2024-04-02T00:00:00.000Z');

    // Assert
    expect(result.contributions[0]).toEqual({
      indicatorId: 'fires',
      status: 'used',
      model: 'gaussian',
      outcome: 'value',
      weight: 1,
      value: 95,
      period: '2024-03-01',
      source: 'data/fires.csv',
      decibans: expect.any(Object),
    });
    expect(result.evidence).toEqual({ fires: '2024-03-01=95' });
  });

  it.each([
    // Default staleAfter is one cadence: January ends 1 Feb and stays fresh until 1 March.
    { staleAfter: undefined, asOf: '2024-03-01T00:00:00.000Z', status: 'used' },
    { staleAfter: undefined, asOf: '2024-03-01T00:00:00.001Z', status: 'stale' },
    { staleAfter: 'P6M', asOf: '2024-08-01T00:00:00.000Z', status: 'used' },
    { staleAfter: 'P6M', asOf: '2024-08-01T00:00:00.001Z', status: 'stale' },
    { staleAfter: 'P10D', asOf: '2024-02-11T00:00:00.000Z', status: 'used' },
    { staleAfter: 'P10D', asOf: '2024-02-12T00:00:00.000Z', status: 'stale' },
  ])(
    'treats January data at $asOf with staleAfter $staleAfter as $status',
    ({ staleAfter, asOf, status }) => {
      // Arrange
      const scenario = buildScenario({
        paths: BASELINE_RISK,
        indicators: [
          {
            id: 'fires',
            ...(staleAfter ? { staleAfter } : {}),
            expect: FIRES,
          },
        ],
      });

      // Act
      const result = assess(scenario, [obs('fires', '2024-01-01', 55)], asOf);

      // Assert
      expect(result.contributions[0]?.status).toBe(status);
      expect(result.stale).toEqual(status === 'stale' ? ['fires'] : []);
    },
  );

  it('reports a stale value with its period and source but does not use it', () => {
    // Act
    const result = assess(twoPaths, [obs('fires', '2024-01-01', 55)], '2024-06-01T00:00:00.000Z');

    // Assert
    expect(result.contributions).toEqual([
      {
        indicatorId: 'fires',
        status: 'stale',
        model: 'gaussian',
        weight: 0,
        value: 55,
        period: '2024-01-01',
        source: 'data/fires.csv',
        decibans: {},
      },
    ]);
    expect(result.stale).toEqual(['fires']);
    expect(result.probabilities.baseline).toBeCloseTo(0.6, 12);
    expect(result.evidence).toEqual({});
  });

  it('changes the evidence key when a value is revised, and keeps it when only asOf moves on', () => {
    // Arrange
    const first = assess(twoPaths, [obs('fires', '2024-02-01', 55)], '2024-03-01T00:00:00.000Z');

    // Act
    const later = assess(twoPaths, [obs('fires', '2024-02-01', 55)], '2024-03-20T00:00:00.000Z');
    const revised = assess(twoPaths, [obs('fires', '2024-02-01', 56)], '2024-03-20T00:00:00.000Z');

    // Assert
    expect(later.evidence).toEqual(first.evidence);
    expect(revised.evidence).not.toEqual(first.evidence);
  });
});

describe('assess with three paths', () => {
  it('gives finite probabilities that sum to 1 and uses every fresh indicator', () => {
    // Act
    const result = assess(threePaths, threePathObservations, THREE_PATH_AS_OF);

    // Assert
    expectProbabilities(result, ['hold', 'push', 'stall']);
    expect(result.contributions.map((c) => [c.indicatorId, c.status, c.period])).toEqual([
      ['fires', 'used', '2024-06-01'],
      ['armour', 'used', '2024-06-24'],
      ['aid', 'used', '2024-04-01'],
    ]);
    expect(result.stale).toEqual([]);
  });

  it('combines indicators as a product of likelihoods times the priors', () => {
    // Arrange
    const used = { fires: 140, armour: 21, aid: 0.5 };
    const weights = threePaths.paths.map((path) => {
      const ll = threePaths.indicators.map((indicator) => {
        if (indicator.evidence.model !== 'gaussian') throw new Error('a gaussian indicator');
        const { mean, sd } = indicator.evidence.expect[path.id] ?? { mean: 0, sd: 1 };
        return gaussianLogPdf(used[indicator.id as keyof typeof used], mean, sd);
      });
      return [path.id, path.prior * Math.exp(sum(ll))] as const;
    });
    const total = sum(weights.map(([, w]) => w));

    // Act
    const result = assess(threePaths, threePathObservations, THREE_PATH_AS_OF);

    // Assert
    for (const [pathId, w] of weights) expect(result.probabilities[pathId]).toBeCloseTo(w / total, 10);
  });

  it('gives each path the weight of evidence against the prior-weighted others, in decibans', () => {
    // Arrange: with one indicator, posterior odds for a path = prior odds x 10^(dB/10)
    const fires = obs('fires', '2024-06-01', 140);

    // Act
    const result = assess(threePaths, [fires], THREE_PATH_AS_OF);

    // Assert
    const decibans = result.contributions[0]?.decibans ?? {};
    for (const path of threePaths.paths) {
      const posterior = result.probabilities[path.id] ?? Number.NaN;
      const posteriorOdds = posterior / (1 - posterior);
      const priorOdds = path.prior / (1 - path.prior);
      const db = decibans[path.id] ?? Number.NaN;
      expect(10 * Math.log10(posteriorOdds / priorOdds)).toBeCloseTo(db, 2);
    }
    expect(Object.keys(decibans).sort()).toEqual(['hold', 'push', 'stall']);
  });

  it('gives the same result whatever the order of the observations', () => {
    // Arrange
    const reversed = [...threePathObservations].reverse();
    const interleaved = [...threePathObservations].sort((a, b) => a.value - b.value);

    // Act
    const original = assess(threePaths, threePathObservations, THREE_PATH_AS_OF);
    const fromReversed = assess(threePaths, reversed, THREE_PATH_AS_OF);
    const fromInterleaved = assess(threePaths, interleaved, THREE_PATH_AS_OF);

    // Assert
    expect(fromReversed).toEqual(original);
    expect(fromInterleaved).toEqual(original);
  });

  it('gives the same probabilities, contributions and evidence key whatever the order of the indicators', () => {
    // Arrange
    const reordered: Scenario = { ...threePaths, indicators: [...threePaths.indicators].reverse() };
    const byId = (a: { indicatorId: string }, b: { indicatorId: string }) =>
      a.indicatorId.localeCompare(b.indicatorId);

    // Act
    const original = assess(threePaths, threePathObservations, THREE_PATH_AS_OF);
    const fromReordered = assess(reordered, threePathObservations, THREE_PATH_AS_OF);

    // Assert
    for (const path of threePaths.paths) {
      expect(fromReordered.probabilities[path.id]).toBeCloseTo(original.probabilities[path.id] ?? 0, 12);
    }
    expect(fromReordered.leader).toBe(original.leader);
    expect(fromReordered.margin).toBeCloseTo(original.margin, 12);
    expect([...fromReordered.contributions].sort(byId)).toEqual([...original.contributions].sort(byId));
    expect([...fromReordered.stale].sort()).toEqual([...original.stale].sort());
    // The key tells hysteresis whether the data is new; reordering the YAML is not new data.
    expect(fromReordered.evidence).toEqual(original.evidence);
  });

  it('returns deep-equal assessments for the same inputs and leaves the inputs untouched', () => {
    // Arrange
    const observations = Object.freeze(threePathObservations.map((o) => Object.freeze({ ...o })));
    const snapshot = structuredClone(threePaths);

    // Act
    const first = assess(threePaths, observations as Observation[], THREE_PATH_AS_OF);
    const second = assess(threePaths, observations as Observation[], THREE_PATH_AS_OF);

    // Assert
    expect(second).toEqual(first);
    expect(second).not.toBe(first);
    expect(threePaths).toEqual(snapshot);
  });

  it('leaves a weekly indicator with no week complete by asOf out of the evidence', () => {
    // Arrange: the week of Monday 2024-07-01 is complete only on 2024-07-08
    const observations = [obs('armour', '2024-07-01', 25), obs('fires', '2024-06-01', 100)];

    // Act
    const result = assess(threePaths, observations, THREE_PATH_AS_OF);

    // Assert
    expect(result.contributions.find((c) => c.indicatorId === 'armour')?.status).toBe('missing');
    expect(result.stale).toEqual(['armour', 'aid']);
    expect(result.evidence).toEqual({ fires: '2024-06-01=100' });
    expectProbabilities(result, ['hold', 'push', 'stall']);
  });

  it.each([2, 3, 4, 5, 6])('keeps probabilities summing to 1 with %i paths and extreme values', (count) => {
    // Arrange
    const ids = Array.from({ length: count }, (_, i) => `p${i}`);
    const priors = ids.map((_, i) => (i + 1) / ((count * (count + 1)) / 2));
    const scenario = buildScenario({
      paths: ids.map((id, i) => ({ id, prior: priors[i] ?? 0 })),
      indicators: ['a', 'b'].map((id) => ({
        id,
        expect: Object.fromEntries(ids.map((p, i) => [p, { mean: i * 10, sd: 1 + i }])),
      })),
    });
    const observations = [obs('a', '2024-01-01', 1e12), obs('b', '2024-01-01', -1e12)];

    // Act
    const result = assess(scenario, observations, '2024-02-01T00:00:00.000Z');

    // Assert
    expectProbabilities(result, ids);
    expect(result.contributions.every((c) => c.status === 'used')).toBe(true);
  });
});
