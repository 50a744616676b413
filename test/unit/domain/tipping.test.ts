// What would change the call: the next value of one indicator that puts today's runner-up in the lead,
// checked against closed forms and against a full re-assessment with that value.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { assess } from '../../../shared/domain/assess.ts';
import type { Observation } from '../../../shared/domain/model.ts';
import { type Need, tippingPoints } from '../../../shared/domain/tipping.ts';
import { completeThrough, month, series } from '../../fixtures/monthly.ts';
import {
  BASELINE_RISK,
  buildScenario,
  type DynamicsSpec,
  EVEN_AB,
  type EvidenceSpec,
  FIRES,
  HOLD_PUSH_STALL,
  type IndicatorSpec,
  type ScenarioSpec,
  SNAPSHOT,
} from '../../fixtures/scenario.ts';

/** An indicator whose data never goes stale in these tests. */
function current(id: string, evidence: EvidenceSpec): IndicatorSpec {
  return { id, staleAfter: 'P10Y', evidence };
}

/** Bands on baseline and risk: each band's upper bound (none for the last) and its two likelihoods. */
function bandsOf(rows: [number | undefined, number, number][]): EvidenceSpec {
  return {
    model: 'bands',
    bands: rows.map(([below, baseline, risk]) => ({
      ...(below === undefined ? {} : { below }),
      likelihood: { baseline, risk },
    })),
  };
}

/** The assessment of month k once it is complete, with `value` added for indicator `id` in that month. */
function nextAssessment(s: Scenario, observations: Observation[], id: string, k: number) {
  return (value: number) =>
    assess(
      s,
      [...observations, { indicatorId: id, period: month(k), value, source: 'test' }],
      completeThrough(k),
    );
}

function scenario(
  indicators: IndicatorSpec[],
  dynamics: DynamicsSpec = SNAPSHOT,
  paths: ScenarioSpec['paths'] = BASELINE_RISK,
) {
  return buildScenario({ paths, indicators, dynamics });
}

function range(need: Need | undefined): { from?: number; below?: number; move: number } {
  if (need?.kind !== 'range') throw new Error(`expected a range, got ${JSON.stringify(need)}`);
  return need;
}

const fires: IndicatorSpec = { id: 'fires', expect: FIRES, staleAfter: 'P10Y' };

describe('tippingPoints', () => {
  it('finds the value where equal-sd gaussians and the priors balance (closed form, snapshot)', () => {
    // Arrange: baseline 100 ± 10, risk 50 ± 10, priors 0.6/0.4; the last value favours baseline.
    // Risk leads when ln(0.4/0.6) + (v−100)²/200 − (v−50)²/200 > 0, i.e. v < 75 − 2·ln 1.5.
    const s = scenario([fires]);
    const observations = series('fires', [100, 98, 102]);

    // Act
    const result = tippingPoints(s, observations, completeThrough(2));

    // Assert
    expect(result).toMatchObject({ leader: 'baseline', runnerUp: 'risk', next: completeThrough(3) });
    const [point] = result.indicators;
    expect(point).toMatchObject({ indicatorId: 'fires', period: month(3), last: 102 });
    const need = range(point?.need);
    expect(need.below).toBeCloseTo(75 - 2 * Math.log(1.5), 6);
    expect(need.from).toBeUndefined();
    expect(need.move).toBeCloseTo(75 - 2 * Math.log(1.5) - 102, 6);
  });

  it('agrees with a full re-assessment of the next period under carried-over dynamics', () => {
    // Arrange: the path filter carries most of the belief over, so the next value must outweigh it.
    const s = scenario([fires, { id: 'other', expect: FIRES, staleAfter: 'P10Y' }], { switch: 0.2 });
    const observations = [...series('fires', [95, 99, 104, 97]), ...series('other', [101, 96, 99, 100])];
    const { indicators, runnerUp, leader } = tippingPoints(s, observations, completeThrough(3));
    const edge = range(indicators[0]?.need).below as number;

    // Act: the next month assessed with a value just past the edge, and one just short of it.
    const next = nextAssessment(s, observations, 'fires', 4);
    const past = next(edge - 0.01);
    const short = next(edge + 0.01);

    // Assert
    expect(runnerUp).toBe('risk');
    expect(past.leader).toBe(runnerUp);
    expect(short.leader).toBe(leader);
  });

  it('finds the value that turns a relative trend, as a re-assessment confirms', () => {
    // Arrange: a three-period relative trend (over six, Theil-Sen's median resists any one point in a
    // steady series: no single value would turn it); a flat series favours baseline.
    const tempo = current('tempo', {
      model: 'trend',
      periods: 3,
      scale: 'relative',
      expect: { baseline: { slope: 0.03, sd: 0.06 }, risk: { slope: -0.05, sd: 0.06 } },
    });
    const s = scenario([tempo], { switch: 0.3 });
    const observations = series('tempo', [500, 480, 510, 505, 512]);
    const { indicators, leader, runnerUp } = tippingPoints(s, observations, completeThrough(4));
    const need = range(indicators[0]?.need);
    const edge = need.below as number;
    const next = nextAssessment(s, observations, 'tempo', 5);

    // Act
    const past = next(edge - 0.5);
    const short = next(edge + 0.5);

    // Assert: a fall in the next value does it; the edge sits below the last value.
    expect([leader, runnerUp]).toEqual(['baseline', 'risk']);
    expect(need.move).toBeLessThan(0);
    expect(past.leader).toBe('risk');
    expect(short.leader).toBe('baseline');
  });

  it('names the nearest band that would do it, and the bands beyond it that would too', () => {
    // Arrange
    const bands = current(
      'armour',
      bandsOf([
        [500, 0.5, 0.05],
        [1000, 0.35, 0.35],
        [1500, 0.1, 0.4],
        [undefined, 0.05, 0.5],
      ]),
    );
    const s = scenario([bands]);

    // Act
    const [point] = tippingPoints(s, series('armour', [300, 420]), completeThrough(1)).indicators;

    // Assert: 500-999 leaves the priors (baseline) ahead; 1000 and above put risk ahead.
    expect(point?.need).toEqual({ kind: 'range', from: 1000, move: 580 });
  });

  it('says which event sizes would, for an event model', () => {
    // Arrange: a large package is what baseline expects; no package is what risk expects.
    const event = current('aid', {
      model: 'event',
      window: 'P1M',
      threshold: 1,
      likelihood: {
        large: { baseline: 0.8, risk: 0.1 },
        small: { baseline: 0.3, risk: 0.3 },
        missed: { baseline: 0.1, risk: 0.6 },
      },
    });
    const s = scenario([event]);

    // Act: baseline leads after a large package.
    const [point] = tippingPoints(s, series('aid', [0, 2]), completeThrough(1)).indicators;

    // Assert: only no event at all would put risk ahead (0.4·0.6 > 0.6·0.1; a small one leaves the priors).
    expect(point?.need).toEqual({ kind: 'event', sizes: ['none'], threshold: 1 });
  });

  it('says no value would when the runner-up cannot lead on one value', () => {
    // Arrange: a weak indicator (sd 100 around means 10 apart) against priors of 0.95/0.05.
    const weak = current('weak', {
      model: 'gaussian',
      expect: { a: { mean: 0, sd: 100 }, b: { mean: 10, sd: 100 } },
    });
    const s = buildScenario({ paths: { a: 0.95, b: 0.05 }, indicators: [weak], dynamics: SNAPSHOT });

    // Act
    const [point] = tippingPoints(s, series('weak', [0, 1]), completeThrough(1)).indicators;

    // Assert
    expect(point?.need).toEqual({ kind: 'none', reason: 'no-value' });
  });

  it('does not try values below zero for a series that has never been negative', () => {
    // Arrange: b leads only below −5, which a count never reaches.
    const s = buildScenario({
      paths: EVEN_AB,
      indicators: [
        { id: 'count', staleAfter: 'P10Y', expect: { a: { mean: 10, sd: 1 }, b: { mean: -20, sd: 1 } } },
      ],
      dynamics: SNAPSHOT,
    });
    const withNegative = [
      ...series('count', [3, 10]),
      { indicatorId: 'count', period: '2023-12-01', value: -1, source: 'test' },
    ];

    // Act
    const counts = tippingPoints(s, series('count', [3, 10]), completeThrough(1)).indicators[0]?.need;
    const signed = tippingPoints(s, withNegative, completeThrough(1)).indicators[0]?.need;

    // Assert
    expect(counts).toEqual({ kind: 'none', reason: 'no-value' });
    expect(range(signed).below).toBeCloseTo(-5, 6);
  });

  it('says an unmoved value would do it when the carried belief lags the evidence', () => {
    // Arrange: months of baseline values, then one that favours risk by 2.5 nats; the belief carried
    // over (switch 0.1) still favours baseline, but the same value again, for a new period, tips it.
    const s = scenario([fires], { switch: 0.1 });
    const observations = series('fires', [100, 100, 100, 100, 100, 70]);
    const today = assess(s, observations, completeThrough(5));

    // Act
    const [point] = tippingPoints(s, observations, completeThrough(5)).indicators;

    // Assert
    expect(today.leader).toBe('baseline');
    expect(point?.need).toEqual({ kind: 'already' });
  });

  it('puts the runner-up ahead of every other path, which can bound the range on both sides', () => {
    // Arrange: hold (0 ± 1, prior 0.5) leads; push (3 ± 1, 0.3) is runner-up; stall (6 ± 1, 0.2) takes
    // over above push's range. Closed form: push leads for (4.5 + ln 5/3)/3 < v < (13.5 + ln 1.5)/3.
    const three = current('tempo', {
      model: 'gaussian',
      expect: { hold: { mean: 0, sd: 1 }, push: { mean: 3, sd: 1 }, stall: { mean: 6, sd: 1 } },
    });
    const s = scenario([three], SNAPSHOT, HOLD_PUSH_STALL);
    const observations = series('tempo', [0, 0.2]);

    // Act
    const result = tippingPoints(s, observations, completeThrough(1));

    // Assert
    expect(result.runnerUp).toBe('push');
    const need = range(result.indicators[0]?.need);
    expect(need.from).toBeCloseTo((4.5 + Math.log(5 / 3)) / 3, 6);
    expect(need.below).toBeCloseTo((13.5 + Math.log(1.5)) / 3, 6);
  });

  it('leaves out an indicator that counts for nothing, and one without data', () => {
    // Arrange
    const s = scenario([
      { ...fires, weight: 0 },
      { id: 'empty', expect: FIRES },
      { id: 'other', expect: FIRES, staleAfter: 'P10Y' },
    ]);

    // Act
    const points = tippingPoints(
      s,
      [...series('fires', [100, 90]), ...series('other', [100, 100])],
      completeThrough(1),
    ).indicators;

    // Assert
    expect(points.map((p) => p.need)).toEqual([
      { kind: 'none', reason: 'no-weight' },
      { kind: 'none', reason: 'no-data' },
      expect.objectContaining({ kind: 'range' }),
    ]);
    expect(points[1]).toMatchObject({ period: null, last: null });
  });
});
