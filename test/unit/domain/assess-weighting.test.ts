// Assessment with weights, half-lives, group caps, missing-data policies, entropy and mixed models.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { assess } from '../../../shared/domain/assess.ts';
import type { Contribution, Observation } from '../../../shared/domain/model.ts';
import {
  BASELINE_RISK,
  buildScenario,
  FIRES,
  HOLD_PUSH_STALL,
  type IndicatorSpec,
  type ScenarioSpec,
} from '../../fixtures/scenario.ts';

const DB_PER_NAT = 10 / Math.LN10;

function obs(indicatorId: string, period: string, value: number): Observation {
  return { indicatorId, period, value, source: `data/${indicatorId}.csv` };
}

function scenarioWith(indicators: IndicatorSpec[], extra: Partial<ScenarioSpec> = {}): Scenario {
  return buildScenario({ paths: BASELINE_RISK, indicators, ...extra });
}

function contribution(result: { contributions: Contribution[] }, id: string): Contribution {
  const found = result.contributions.find((c) => c.indicatorId === id);
  if (!found) throw new Error(`no contribution for ${id}`);
  return found;
}

/** Log odds of baseline against risk, in decibans. */
function oddsDb(probabilities: Record<string, number>): number {
  return 10 * Math.log10((probabilities.baseline ?? Number.NaN) / (probabilities.risk ?? Number.NaN));
}

const PRIOR_ODDS_DB = 10 * Math.log10(0.6 / 0.4);

describe('assess: weight tempers the log-likelihoods', () => {
  const asOf = '2024-03-01T00:00:00.000Z';
  const data = [obs('fires', '2024-02-01', 90)];

  it.each([
    { weight: 1, factor: 1 },
    { weight: 0.5, factor: 0.5 },
    { weight: 0.25, factor: 0.25 },
  ])('scales the decibans and the odds shift by a weight of $weight', ({ weight, factor }) => {
    // Arrange
    const full = assess(scenarioWith([{ id: 'fires', expect: FIRES }]), data, asOf);
    const tempered = scenarioWith([{ id: 'fires', expect: FIRES, weight }]);

    // Act
    const result = assess(tempered, data, asOf);

    // Assert
    const fullDb = contribution(full, 'fires').decibans.baseline ?? Number.NaN;
    expect(contribution(result, 'fires').weight).toBe(weight);
    expect(contribution(result, 'fires').decibans.baseline).toBeCloseTo(fullDb * factor, 2);
    expect(oddsDb(result.probabilities) - PRIOR_ODDS_DB).toBeCloseTo(fullDb * factor, 2);
  });

  it('gives no evidence at a weight of 0: the priors stand', () => {
    // Arrange
    const scenario = scenarioWith([{ id: 'fires', expect: FIRES, weight: 0 }]);

    // Act
    const result = assess(scenario, data, asOf);

    // Assert
    expect(contribution(result, 'fires')).toMatchObject({ status: 'used', weight: 0, decibans: {} });
    expect(result.probabilities.baseline).toBeCloseTo(0.6, 12);
    expect(result.probabilities.risk).toBeCloseTo(0.4, 12);
  });

  it('does not count an indicator of weight 0 as informative', () => {
    // Arrange
    const scenario = scenarioWith([{ id: 'fires', expect: FIRES, weight: 0 }]);

    // Act
    const result = assess(scenario, data, asOf);

    // Assert: it gave no evidence, so it cannot help an update past minIndicators
    expect(result.informative).toBe(0);
  });
});

describe('assess: half-life ages evidence', () => {
  // January ends on 1 February; from there P1M is the 29 days to 1 March 2024.
  const data = [obs('fires', '2024-01-01', 90)];
  const fresh = () =>
    assess(scenarioWith([{ id: 'fires', expect: FIRES }]), data, '2024-02-01T00:00:00.000Z');

  it.each([
    { name: 'as soon as its period ends', asOf: '2024-02-01T00:00:00.000Z', factor: 1 },
    { name: 'half a half-life later', asOf: '2024-02-15T12:00:00.000Z', factor: Math.SQRT1_2 },
    { name: 'one half-life later', asOf: '2024-03-01T00:00:00.000Z', factor: 0.5 },
  ])('counts evidence $name at $factor of its weight', ({ asOf, factor }) => {
    // Arrange
    const scenario = scenarioWith([{ id: 'fires', expect: FIRES, halfLife: 'P1M', staleAfter: 'P6M' }]);

    // Act
    const result = assess(scenario, data, asOf);

    // Assert
    const freshDb = contribution(fresh(), 'fires').decibans.baseline ?? Number.NaN;
    expect(contribution(result, 'fires').status).toBe('used');
    expect(contribution(result, 'fires').weight).toBeCloseTo(factor, 6);
    expect(contribution(result, 'fires').decibans.baseline).toBeCloseTo(freshDb * factor, 2);
    expect(oddsDb(result.probabilities) - PRIOR_ODDS_DB).toBeCloseTo(freshDb * factor, 2);
  });

  it('multiplies the half-life ageing with the weight', () => {
    // Arrange
    const scenario = scenarioWith([{ id: 'fires', expect: FIRES, weight: 0.5, halfLife: 'P1M' }]);

    // Act
    const result = assess(scenario, data, '2024-03-01T00:00:00.000Z');

    // Assert
    expect(contribution(result, 'fires').weight).toBeCloseTo(0.25, 6);
  });

  it('does not age evidence without a half-life', () => {
    // Act
    const result = assess(scenarioWith([{ id: 'fires', expect: FIRES }]), data, '2024-03-01T00:00:00.000Z');

    // Assert
    expect(contribution(result, 'fires').weight).toBe(1);
  });
});

describe('assess: a group caps the joint evidence of correlated indicators', () => {
  const asOf = '2024-03-01T00:00:00.000Z';
  const pair = (cap: number) =>
    scenarioWith(
      [
        { id: 'fires', expect: FIRES, group: 'losses' },
        { id: 'armour', expect: FIRES, group: 'losses' },
        { id: 'aid', expect: FIRES },
      ],
      { groups: [{ id: 'losses', cap }] },
    );
  const ungrouped = scenarioWith([
    { id: 'fires', expect: FIRES },
    { id: 'armour', expect: FIRES },
  ]);

  it('scales a group whose joint spread exceeds its cap to exactly the cap', () => {
    // Arrange: each indicator alone gives (100-50)^2/200 = 12.5 nats = 54.3 dB; together 108.6 dB
    const data = [obs('fires', '2024-02-01', 100), obs('armour', '2024-02-01', 100)];

    // Act
    const result = assess(pair(20), data, asOf);

    // Assert
    const fires = contribution(result, 'fires');
    const armour = contribution(result, 'armour');
    const joint = (fires.decibans.baseline ?? 0) + (armour.decibans.baseline ?? 0);
    expect(joint).toBeCloseTo(20, 2);
    expect(fires.weight).toBeCloseTo(20 / (2 * 12.5 * DB_PER_NAT), 6);
    expect(oddsDb(result.probabilities) - PRIOR_ODDS_DB).toBeCloseTo(20, 6);
  });

  it('shares the cap in proportion to each indicator’s own evidence', () => {
    // Arrange: 100 gives 12.5 nats, 90 gives (40^2 - 10^2) / 200 = 7.5 nats, 86.9 dB together
    const data = [obs('fires', '2024-02-01', 100), obs('armour', '2024-02-01', 90)];

    // Act
    const result = assess(pair(10), data, asOf);

    // Assert
    const fires = contribution(result, 'fires').decibans.baseline ?? Number.NaN;
    const armour = contribution(result, 'armour').decibans.baseline ?? Number.NaN;
    expect(fires + armour).toBeCloseTo(10, 2);
    expect(fires / armour).toBeCloseTo(12.5 / 7.5, 2);
  });

  it('leaves a group below its cap untouched', () => {
    // Arrange: 80 gives baseline 2.5 nats, 74 gives risk 0.5 nats: 2 nats (8.7 dB) net, under 20 dB
    const data = [obs('fires', '2024-02-01', 80), obs('armour', '2024-02-01', 74)];

    // Act
    const capped = assess(pair(20), data, asOf);
    const free = assess(ungrouped, data, asOf);

    // Assert
    for (const id of ['fires', 'armour']) {
      expect(contribution(capped, id).weight).toBe(1);
      expect(contribution(capped, id).decibans).toEqual(contribution(free, id).decibans);
    }
  });

  it('does not cap indicators outside the group', () => {
    // Arrange
    const data = [
      obs('fires', '2024-02-01', 100),
      obs('armour', '2024-02-01', 100),
      obs('aid', '2024-02-01', 100),
    ];

    // Act
    const result = assess(pair(20), data, asOf);

    // Assert
    expect(contribution(result, 'aid').weight).toBe(1);
    expect(contribution(result, 'aid').decibans.baseline).toBeCloseTo(12.5 * DB_PER_NAT, 2);
  });

  it('caps the largest spread between any two of three paths', () => {
    // Arrange
    const scenario = buildScenario({
      paths: HOLD_PUSH_STALL,
      groups: [{ id: 'g', cap: 10 }],
      indicators: ['a', 'b'].map((id) => ({
        id,
        group: 'g',
        expect: { hold: { mean: 0, sd: 1 }, push: { mean: 3, sd: 1 }, stall: { mean: 6, sd: 1 } },
      })),
    });
    const data = [obs('a', '2024-02-01', 0), obs('b', '2024-02-01', 0)];

    // Act
    const result = assess(scenario, data, asOf);

    // Assert: hold against stall is the widest spread; its posterior log odds move by exactly the cap
    const { hold = Number.NaN, stall = Number.NaN } = result.probabilities;
    expect(10 * Math.log10(hold / stall) - 10 * Math.log10(0.5 / 0.2)).toBeCloseTo(10, 6);
  });
});

describe('assess: missing-data policies', () => {
  // Weekly data: the week of Monday 1 January ends on 8 January and is fresh for one week, to 15 January.
  const FRESH_AS_OF = '2024-01-08T00:00:00.000Z';
  const STALE_AS_OF = '2024-01-22T00:00:00.000Z';
  const data = [obs('fires', '2024-01-01', 90)];
  const withPolicy = (missing: IndicatorSpec['missing'], extra: Partial<IndicatorSpec> = {}) =>
    scenarioWith([{ id: 'fires', cadence: 'P1W', expect: FIRES, ...(missing ? { missing } : {}), ...extra }]);

  it.each([
    { name: 'stale data', observations: data, status: 'stale' },
    { name: 'no data at all', observations: [], status: 'missing' },
  ])(
    'ignores $name by default: status $status, no evidence, the priors stand',
    ({ observations, status }) => {
      // Act
      const result = assess(withPolicy(undefined), observations, STALE_AS_OF);

      // Assert
      expect(contribution(result, 'fires')).toMatchObject({ status, weight: 0, decibans: {} });
      expect(result.evidence).toEqual({});
      expect(result.stale).toEqual(['fires']);
      expect(result.informative).toBe(0);
      expect(result.probabilities.baseline).toBeCloseTo(0.6, 12);
    },
  );

  it.each([
    {
      name: 'one staleAfter (the default half-life)',
      extra: {},
      asOf: '2024-01-15T00:00:01.000Z',
      factor: 0.5,
    },
    { name: 'two staleAfters', extra: {}, asOf: STALE_AS_OF, factor: 0.25 },
    {
      name: 'one explicit half-life of two weeks',
      extra: { halfLife: 'P2W' },
      asOf: STALE_AS_OF,
      factor: 0.5,
    },
  ])('keeps the last data after $name, its weight halving every half-life', ({ extra, asOf, factor }) => {
    // Arrange
    const fresh = assess(withPolicy('keepLast'), data, FRESH_AS_OF);
    const freshDb = contribution(fresh, 'fires').decibans.baseline ?? Number.NaN;

    // Act
    const result = assess(withPolicy('keepLast', extra), data, asOf);

    // Assert
    const kept = contribution(result, 'fires');
    expect(kept.status).toBe('kept');
    expect(kept.weight).toBeCloseTo(factor, 5);
    expect(kept.decibans.baseline).toBeCloseTo(freshDb * factor, 2);
    expect(kept).toMatchObject({ value: 90, period: '2024-01-01', source: 'data/fires.csv' });
  });

  it('gives kept data the same evidence key as when it was fresh, so keeping it is not a new update', () => {
    // Act
    const fresh = assess(withPolicy('keepLast'), data, FRESH_AS_OF);
    const kept = assess(withPolicy('keepLast'), data, STALE_AS_OF);

    // Assert
    expect(contribution(kept, 'fires').status).toBe('kept');
    expect(kept.evidence).toEqual(fresh.evidence);
    expect(kept.evidence).toEqual({ fires: '2024-01-01=90' });
  });

  it('lists kept data as stale and not informative', () => {
    // Act
    const result = assess(withPolicy('keepLast'), data, STALE_AS_OF);

    // Assert
    expect(result.stale).toEqual(['fires']);
    expect(result.informative).toBe(0);
  });

  it('has nothing to keep when there never was data', () => {
    // Act
    const result = assess(withPolicy('keepLast'), [], STALE_AS_OF);

    // Assert
    expect(contribution(result, 'fires')).toMatchObject({ status: 'missing', weight: 0, decibans: {} });
    expect(result.evidence).toEqual({});
  });

  it.each([
    { name: 'stale data', observations: data },
    { name: 'no data at all', observations: [] },
  ])('treats the absence of $name as evidence with the stated likelihoods', ({ observations }) => {
    // Arrange
    const scenario = withPolicy({ absence: { baseline: 0.2, risk: 0.8 } });

    // Act
    const result = assess(scenario, observations, STALE_AS_OF);

    // Assert
    const absent = contribution(result, 'fires');
    expect(absent).toMatchObject({ status: 'absent', outcome: 'no current data', weight: 1 });
    expect(absent.value).toBeUndefined();
    expect(absent.decibans.risk).toBeCloseTo(10 * Math.log10(4), 2);
    expect(result.evidence).toEqual({ fires: 'absent' });
    expect(result.informative).toBe(1);
    expect(oddsDb(result.probabilities) - PRIOR_ODDS_DB).toBeCloseTo(10 * Math.log10(0.2 / 0.8), 9);
  });

  it('uses fresh data, not the absence likelihoods, while the data is fresh', () => {
    // Act
    const result = assess(withPolicy({ absence: { baseline: 0.2, risk: 0.8 } }), data, FRESH_AS_OF);

    // Assert
    expect(contribution(result, 'fires').status).toBe('used');
    expect(result.evidence).toEqual({ fires: '2024-01-01=90' });
  });

  it('tempers absence evidence by the weight', () => {
    // Act
    const result = assess(
      withPolicy({ absence: { baseline: 0.2, risk: 0.8 } }, { weight: 0.5 }),
      [],
      STALE_AS_OF,
    );

    // Assert
    expect(contribution(result, 'fires').decibans.risk).toBeCloseTo(5 * Math.log10(4), 2);
  });
});

describe('assess: entropy', () => {
  it.each([
    { name: 'two equal paths', priors: [0.5, 0.5], bits: 1 },
    { name: 'three equal paths', priors: [1 / 3, 1 / 3, 1 - 2 / 3], bits: Math.log2(3) },
    { name: 'four equal paths', priors: [0.25, 0.25, 0.25, 0.25], bits: 2 },
    { name: 'a 90/10 split', priors: [0.9, 0.1], bits: -(0.9 * Math.log2(0.9) + 0.1 * Math.log2(0.1)) },
  ])('is $bits bits for $name', ({ priors, bits }) => {
    // Arrange
    const ids = priors.map((_, i) => `p${i}`);
    const scenario = buildScenario({
      paths: ids.map((id, i) => ({ id, prior: priors[i] ?? 0 })),
      indicators: [{ id: 'x', expect: Object.fromEntries(ids.map((id, i) => [id, { mean: i, sd: 1 }])) }],
    });

    // Act
    const result = assess(scenario, [], '2024-03-01T00:00:00.000Z');

    // Assert
    expect(result.entropy).toBeCloseTo(bits, 9);
  });

  it('is 0 bits when one path is certain', () => {
    // Arrange: 1e6 is 1e5 sd from risk's mean and far nearer baseline's
    const scenario = scenarioWith([{ id: 'fires', expect: FIRES }]);

    // Act
    const result = assess(scenario, [obs('fires', '2024-02-01', 1e6)], '2024-03-01T00:00:00.000Z');

    // Assert
    expect(result.probabilities.baseline).toBe(1);
    expect(result.entropy).toBe(0);
  });
});

describe('assess: informative indicators', () => {
  it('counts used and absent indicators, and not insufficient, kept, stale or missing ones', () => {
    // Arrange
    const trend = {
      model: 'trend' as const,
      scale: 'absolute' as const,
      expect: { baseline: { slope: 1, sd: 1 }, risk: { slope: -1, sd: 1 } },
    };
    const scenario = scenarioWith([
      { id: 'used', expect: FIRES },
      { id: 'absent', expect: FIRES, missing: { absence: { baseline: 1, risk: 2 } } },
      { id: 'insufficient', evidence: trend },
      { id: 'kept', expect: FIRES, missing: 'keepLast', staleAfter: 'P1M' },
      { id: 'stale', expect: FIRES },
      { id: 'missing', expect: FIRES },
    ]);
    const data = [
      obs('used', '2024-05-01', 90),
      obs('insufficient', '2024-04-01', 1),
      obs('insufficient', '2024-05-01', 2),
      obs('kept', '2024-03-01', 90),
      obs('stale', '2024-01-01', 90),
    ];

    // Act
    const result = assess(scenario, data, '2024-06-01T00:00:00.000Z');

    // Assert
    expect(result.contributions.map((c) => [c.indicatorId, c.status])).toEqual([
      ['used', 'used'],
      ['absent', 'absent'],
      ['insufficient', 'insufficient'],
      ['kept', 'kept'],
      ['stale', 'stale'],
      ['missing', 'missing'],
    ]);
    expect(result.informative).toBe(2);
    expect(result.stale).toEqual(['absent', 'kept', 'stale', 'missing']);
    expect(Object.keys(result.evidence).sort()).toEqual(['absent', 'kept', 'used']);
  });
});

describe('assess: a three-path scenario with every model', () => {
  const scenario = buildScenario({
    paths: HOLD_PUSH_STALL,
    indicators: [
      {
        id: 'fires',
        evidence: {
          model: 'trend',
          periods: 4,
          scale: 'absolute',
          expect: { hold: { slope: 0, sd: 2 }, push: { slope: 5, sd: 2 }, stall: { slope: -5, sd: 2 } },
        },
      },
      {
        id: 'armour',
        evidence: {
          model: 'bands',
          bands: [
            { below: 10, likelihood: { hold: 0.5, push: 0.1, stall: 0.6 } },
            { likelihood: { hold: 0.5, push: 0.9, stall: 0.4 } },
          ],
        },
      },
      {
        id: 'aid',
        evidence: {
          model: 'event',
          window: 'P3M',
          threshold: 1,
          likelihood: {
            large: { hold: 0.6, push: 0.3, stall: 0.2 },
            small: { hold: 0.3, push: 0.4, stall: 0.3 },
            missed: { hold: 0.1, push: 0.3, stall: 0.5 },
          },
        },
      },
      {
        id: 'morale',
        expect: { hold: { mean: 0, sd: 1 }, push: { mean: 1, sd: 1 }, stall: { mean: -1, sd: 1 } },
      },
    ],
  });
  const data = [
    ...[10, 15, 20, 25].map((v, i) => obs('fires', `2024-0${2 + i}-01`, v)),
    obs('armour', '2024-05-01', 30),
    ...[0, 0, 0, 0].map((v, i) => obs('aid', `2024-0${2 + i}-01`, v)),
    obs('morale', '2024-05-01', 1),
  ];
  const asOf = '2024-06-01T00:00:00.000Z';

  it('multiplies the likelihoods of every model with the priors', () => {
    // Arrange: slope ~5 a month; armour in the open band; no aid since March; morale at push's mean
    const slope = assess(scenario, data, asOf).contributions[0]?.value ?? Number.NaN;
    const gauss = (x: number, mean: number, sd: number) => -0.5 * ((x - mean) / sd) ** 2 - Math.log(sd);
    const ll = {
      hold: gauss(slope, 0, 2) + Math.log(0.5) + Math.log(0.1) + gauss(1, 0, 1) + Math.log(0.5),
      push: gauss(slope, 5, 2) + Math.log(0.9) + Math.log(0.3) + gauss(1, 1, 1) + Math.log(0.3),
      stall: gauss(slope, -5, 2) + Math.log(0.4) + Math.log(0.5) + gauss(1, -1, 1) + Math.log(0.2),
    };
    const total = Math.exp(ll.hold) + Math.exp(ll.push) + Math.exp(ll.stall);

    // Act
    const result = assess(scenario, data, asOf);

    // Assert
    expect(result.contributions.map((c) => [c.indicatorId, c.model, c.status, c.outcome])).toEqual([
      ['fires', 'trend', 'used', 'slope over 4 periods'],
      ['armour', 'bands', 'used', 'band 2 (10 to inf)'],
      ['aid', 'event', 'used', 'missed'],
      ['morale', 'gaussian', 'used', 'value'],
    ]);
    expect(result.probabilities.hold).toBeCloseTo(Math.exp(ll.hold) / total, 6);
    expect(result.probabilities.push).toBeCloseTo(Math.exp(ll.push) / total, 6);
    expect(result.probabilities.stall).toBeCloseTo(Math.exp(ll.stall) / total, 6);
    expect(result.leader).toBe('push');
    expect(result.informative).toBe(4);
  });

  it('gives each contribution the weight of evidence for each of the three paths', () => {
    // Act
    const result = assess(scenario, data, asOf);

    // Assert
    for (const c of result.contributions)
      expect(Object.keys(c.decibans).sort()).toEqual(['hold', 'push', 'stall']);
    expect(contribution(result, 'armour').decibans.push).toBeGreaterThan(0);
    expect(contribution(result, 'aid').decibans.stall).toBeGreaterThan(0);
  });
});
