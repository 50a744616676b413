// Evidence models: how a series becomes a log-likelihood per path (gaussian, bands, trend, event).
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import { periodsNeeded, readEvidence, theilSen } from '../../../shared/domain/evidence.ts';
import type { Observation } from '../../../shared/domain/model.ts';
import { addDuration, type Cadence, periodEnd, periodId } from '../../../shared/domain/period.ts';
import { AID_EVENT, BASELINE_RISK, buildScenario, type EvidenceSpec } from '../../fixtures/scenario.ts';

type Evidence = Indicator['evidence'];

/** An evidence model through the real schema, so its defaults (trend periods, scale) apply. */
function model(evidence: EvidenceSpec): Evidence {
  const scenario = buildScenario({ paths: BASELINE_RISK, indicators: [{ id: 'x', evidence }] });
  const [indicator] = scenario.indicators;
  if (!indicator) throw new Error('no indicator');
  return indicator.evidence;
}

function obs(period: string, value: number): Observation {
  return { indicatorId: 'x', period, value, source: 'data/x.csv' };
}

/** Weekly observations from Monday 2024-01-01, one per value (weeks are all 7 days: exact x steps). */
function weekly(values: number[]): Observation[] {
  return values.map((value, i) =>
    obs(new Date(Date.UTC(2024, 0, 1 + 7 * i)).toISOString().slice(0, 10), value),
  );
}

/** Monthly observations from `start` (YYYY-MM), one per value. */
function monthly(start: string, values: number[]): Observation[] {
  const [y, m] = start.split('-').map(Number) as [number, number];
  return values.map((value, i) => obs(new Date(Date.UTC(y, m - 1 + i, 1)).toISOString().slice(0, 10), value));
}

function gaussianLogPdf(x: number, mean: number, sd: number): number {
  const z = (x - mean) / sd;
  return -0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI);
}

const AS_OF = new Date('2024-07-01T00:00:00.000Z');

describe('gaussian evidence', () => {
  const gaussian = model({
    model: 'gaussian',
    expect: { baseline: { mean: 100, sd: 10 }, risk: { mean: 50, sd: 20 } },
  });

  it.each([{ value: 100 }, { value: 50 }, { value: 75 }, { value: -3 }])(
    'gives the normal log-density of the newest value $value under each path',
    ({ value }) => {
      // Arrange
      const series = [obs('2024-05-01', 1), obs('2024-06-01', value)];

      // Act
      const reading = readEvidence(gaussian, 'P1M', series, AS_OF);

      // Assert
      expect(reading?.ll.baseline).toBeCloseTo(gaussianLogPdf(value, 100, 10), 12);
      expect(reading?.ll.risk).toBeCloseTo(gaussianLogPdf(value, 50, 20), 12);
      expect(reading).toMatchObject({
        value,
        period: '2024-06-01',
        outcome: 'value',
        key: `2024-06-01=${value}`,
      });
    },
  );

  it('reads nothing from an empty series', () => {
    // Act
    const reading = readEvidence(gaussian, 'P1M', [], AS_OF);

    // Assert
    expect(reading).toBeNull();
  });
});

describe('bands evidence', () => {
  const bands = model({
    model: 'bands',
    bands: [
      { below: 500, likelihood: { baseline: 0.5, risk: 0.15 } },
      { below: 1000, likelihood: { baseline: 0.35, risk: 0.35 } },
      { likelihood: { baseline: 0.15, risk: 0.5 } },
    ],
  });

  it.each([
    { value: -1e9, band: 1, range: '-inf to 500', baseline: 0.5, risk: 0.15 },
    { value: 499.999, band: 1, range: '-inf to 500', baseline: 0.5, risk: 0.15 },
    { value: 500, band: 2, range: '500 to 1000', baseline: 0.35, risk: 0.35 },
    { value: 750, band: 2, range: '500 to 1000', baseline: 0.35, risk: 0.35 },
    { value: 1000, band: 3, range: '1000 to inf', baseline: 0.15, risk: 0.5 },
    { value: 1e12, band: 3, range: '1000 to inf', baseline: 0.15, risk: 0.5 },
  ])('puts $value in band $band ($range) with its likelihoods', ({ value, band, range, baseline, risk }) => {
    // Act
    const reading = readEvidence(bands, 'P1M', [obs('2024-06-01', value)], AS_OF);

    // Assert
    expect(reading?.outcome).toBe(`band ${band} (${range})`);
    expect(reading?.ll.baseline).toBeCloseTo(Math.log(baseline), 12);
    expect(reading?.ll.risk).toBeCloseTo(Math.log(risk), 12);
    expect(reading?.key).toBe(`2024-06-01=${value}`);
  });

  it('judges only the newest value of the series', () => {
    // Act
    const reading = readEvidence(bands, 'P1M', [obs('2024-05-01', 2000), obs('2024-06-01', 100)], AS_OF);

    // Assert
    expect(reading?.outcome).toBe('band 1 (-inf to 500)');
    expect(reading?.period).toBe('2024-06-01');
  });
});

describe('trend evidence', () => {
  const expectSlopes = { baseline: { slope: 2, sd: 1 }, risk: { slope: -2, sd: 1 } };
  const absolute = model({ model: 'trend', periods: 6, scale: 'absolute', expect: expectSlopes });
  const relative = model({
    model: 'trend',
    periods: 6,
    scale: 'relative',
    expect: { baseline: { slope: 0.02, sd: 0.01 }, risk: { slope: -0.02, sd: 0.01 } },
  });

  it.each([
    { name: 'a rising line', values: [100, 102, 104, 106, 108, 110], slope: 2 },
    { name: 'a falling line', values: [110, 107, 104, 101, 98, 95], slope: -3 },
    { name: 'a flat line', values: [5, 5, 5, 5, 5, 5], slope: 0 },
    { name: 'a rising line with one outlier', values: [100, 102, 9000, 106, 108, 110], slope: 2 },
    { name: 'a rising line with one negative outlier', values: [100, 102, 104, -5000, 108, 110], slope: 2 },
  ])('reads the Theil-Sen slope of $name as $slope per period', ({ values, slope }) => {
    // Act
    const reading = readEvidence(absolute, 'P1W', weekly(values), AS_OF);

    // Assert
    expect(reading?.value).toBeCloseTo(slope, 9);
    expect(reading?.ll.baseline).toBeCloseTo(gaussianLogPdf(slope, 2, 1), 9);
    expect(reading?.ll.risk).toBeCloseTo(gaussianLogPdf(slope, -2, 1), 9);
    expect(reading?.outcome).toBe('slope over 6 periods');
    expect(reading?.period).toBe(weekly(values).at(-1)?.period);
  });

  it('divides the slope by the median level of the window on a relative scale', () => {
    // Arrange: +2 a week around a median of 105
    const series = weekly([100, 102, 104, 106, 108, 110]);

    // Act
    const reading = readEvidence(relative, 'P1W', series, AS_OF);

    // Assert
    expect(reading?.value).toBeCloseTo(2 / 105, 5);
    expect(reading?.ll.baseline).toBeCloseTo(gaussianLogPdf(2 / 105, 0.02, 0.01), 6);
  });

  it('gives the same relative slope for a series scaled by any positive factor', () => {
    // Act
    const small = readEvidence(relative, 'P1W', weekly([10, 11, 12, 13, 14, 15]), AS_OF);
    const large = readEvidence(relative, 'P1W', weekly([1000, 1100, 1200, 1300, 1400, 1500]), AS_OF);

    // Assert
    expect(large?.value).toBeCloseTo(small?.value ?? Number.NaN, 9);
  });

  it('uses only the last `periods` periods', () => {
    // Arrange: a steep fall, then six periods rising by 2
    const series = weekly([900, 500, 100, 100, 102, 104, 106, 108, 110]);

    // Act
    const reading = readEvidence(absolute, 'P1W', series, AS_OF);

    // Assert
    expect(reading?.value).toBeCloseTo(2, 9);
    expect(reading?.key).toBe(
      series
        .slice(-6)
        .map((o) => `${o.period}=${o.value}`)
        .join(','),
    );
  });

  it('measures monthly slopes per average month', () => {
    // Arrange: +10 a month over six calendar months
    const series = monthly('2024-01', [100, 110, 120, 130, 140, 150]);

    // Act
    const reading = readEvidence(absolute, 'P1M', series, AS_OF);

    // Assert: months of 29 to 31 days against a 30.44-day average month
    expect(reading?.value).toBeGreaterThan(9.5);
    expect(reading?.value).toBeLessThan(10.5);
  });

  it.each([
    { name: 'two periods', evidence: absolute, values: [100, 102] },
    { name: 'one period', evidence: absolute, values: [100] },
    { name: 'a zero median level on a relative scale', evidence: relative, values: [0, 0, 0, 0, 0, 0] },
    { name: 'a mostly zero series on a relative scale', evidence: relative, values: [0, 0, 0, 0, 5] },
  ])('cannot judge $name', ({ evidence, values }) => {
    // Act
    const reading = readEvidence(evidence, 'P1W', weekly(values), AS_OF);

    // Assert
    expect(reading).toBeNull();
  });

  it('judges three periods, the fewest it needs', () => {
    // Act
    const reading = readEvidence(absolute, 'P1W', weekly([1, 3, 5]), AS_OF);

    // Assert
    expect(reading?.value).toBeCloseTo(2, 9);
    expect(reading?.outcome).toBe('slope over 3 periods');
  });

  it('gives a zero median level no trouble on an absolute scale', () => {
    // Act
    const reading = readEvidence(absolute, 'P1W', weekly([0, 0, 0, 0, 0, 0]), AS_OF);

    // Assert
    expect(reading?.value).toBe(0);
  });
});

describe('theilSen', () => {
  it.each([
    { name: 'a line', points: [0, 1, 2, 3].map((x) => ({ x, y: 3 * x + 1 })), slope: 3 },
    {
      name: 'unevenly spaced points on a line',
      points: [0, 0.5, 4, 10].map((x) => ({ x, y: -x })),
      slope: -1,
    },
    {
      name: 'a line with one wild point',
      points: [0, 1, 2, 3, 4].map((x) => ({ x, y: x === 2 ? 1e6 : 2 * x })),
      slope: 2,
    },
    {
      name: 'two points',
      points: [
        { x: 0, y: 0 },
        { x: 4, y: 2 },
      ],
      slope: 0.5,
    },
    {
      name: 'points sharing one x',
      points: [
        { x: 1, y: 0 },
        { x: 1, y: 5 },
      ],
      slope: 0,
    },
    { name: 'no points', points: [], slope: 0 },
  ])('gives the median pairwise slope of $name: $slope', ({ points, slope }) => {
    // Act
    const result = theilSen(points);

    // Assert
    expect(result).toBeCloseTo(slope, 12);
  });
});

describe('event evidence in a rolling window', () => {
  const event = model(AID_EVENT);

  it.each([
    { name: 'a large event in the window', values: [0, 0, 0, 0.2, 1.5, 0], outcome: 'large', value: 1.5 },
    { name: 'an event exactly at the threshold', values: [0, 0, 0, 0, 0, 1], outcome: 'large', value: 1 },
    { name: 'only small events in the window', values: [0, 0, 0, 0.2, 0.4, 0], outcome: 'small', value: 0.4 },
    { name: 'no event in the window', values: [0, 0, 0, 0, 0, 0], outcome: 'missed', value: 0 },
    { name: 'a large event only before the window', values: [0, 5, 0, 0, 0, 0], outcome: 'missed', value: 0 },
  ])('reads $name as $outcome', ({ values, outcome, value }) => {
    // Arrange: January to June; as of 1 July the window runs from 1 April
    const series = monthly('2024-01', values);

    // Act
    const reading = readEvidence(event, 'P1M', series, AS_OF);

    // Assert
    expect(reading?.outcome).toBe(outcome);
    expect(reading?.value).toBe(value);
    if (event.model !== 'event') throw new Error('an event model');
    const likelihood = event.likelihood[outcome as 'large' | 'small' | 'missed'];
    expect(reading?.ll.baseline).toBeCloseTo(Math.log(likelihood.baseline ?? Number.NaN), 12);
    expect(reading?.ll.risk).toBeCloseTo(Math.log(likelihood.risk ?? Number.NaN), 12);
  });

  it('names the period of the largest event, and the newest period in its key', () => {
    // Act
    const reading = readEvidence(event, 'P1M', monthly('2024-03', [0, 2, 0, 0]), AS_OF);

    // Assert
    expect(reading?.period).toBe('2024-04-01');
    expect(reading?.key).toBe('large:2024-04-01=2@2024-06-01');
  });

  it('changes its key when a new period of no event arrives, so each period is a data update', () => {
    // Act
    const june = readEvidence(event, 'P1M', monthly('2024-03', [0, 0, 0, 0]), AS_OF);
    const july = readEvidence(
      event,
      'P1M',
      monthly('2024-04', [0, 0, 0, 0]),
      new Date('2024-08-01T00:00:00.000Z'),
    );

    // Assert
    expect(june?.outcome).toBe('missed');
    expect(july?.outcome).toBe('missed');
    expect(july?.key).not.toBe(june?.key);
  });

  it.each([
    { name: 'data that starts after the window opens', series: monthly('2024-05', [0, 0]) },
    { name: 'a single recent period', series: monthly('2024-06', [0]) },
    { name: 'no data', series: [] },
  ])('cannot judge $name: no event could mean no data', ({ series }) => {
    // Act
    const reading = readEvidence(event, 'P1M', series, AS_OF);

    // Assert
    expect(reading).toBeNull();
  });
});

/** The likelihoods of an event expected by a deadline: still pending before it says nothing. */
const BY_DEADLINE = {
  large: { baseline: 0.6, risk: 0.2 },
  small: { baseline: 0.3, risk: 0.3 },
  pending: { baseline: 0.5, risk: 0.5 },
  missed: { baseline: 0.1, risk: 0.5 },
};

describe('event evidence by a deadline', () => {
  const event = model({
    model: 'event',
    from: '2024-04-01',
    deadline: '2024-09-30',
    threshold: 1,
    likelihood: BY_DEADLINE,
  });

  it.each([
    { name: 'a large event since from', values: [0, 0, 0, 3, 0, 0], asOf: '2024-07-01', outcome: 'large' },
    { name: 'a small event since from', values: [0, 0, 0, 0.5, 0, 0], asOf: '2024-07-01', outcome: 'small' },
    {
      name: 'no event before the deadline',
      values: [0, 0, 0, 0, 0, 0],
      asOf: '2024-07-01',
      outcome: 'pending',
    },
    {
      name: 'no event on the deadline day itself',
      values: [0, 0, 0, 0, 0, 0, 0, 0],
      asOf: '2024-09-30T23:59:59.999Z',
      outcome: 'pending',
    },
    {
      name: 'no event by the end of the deadline day',
      values: [0, 0, 0, 0, 0, 0, 0, 0, 0],
      asOf: '2024-10-01',
      outcome: 'missed',
    },
    {
      name: 'a large event only before from',
      values: [0, 9, 0, 0, 0, 0],
      asOf: '2024-07-01',
      outcome: 'pending',
    },
    {
      name: 'a large event only before from, after the deadline',
      values: [0, 9, 0, 0, 0, 0, 0, 0, 0],
      asOf: '2024-10-01',
      outcome: 'missed',
    },
    {
      name: 'a large event before the deadline, read after it',
      values: [0, 0, 0, 0, 0, 0, 4, 0, 0],
      asOf: '2024-11-01',
      outcome: 'large',
    },
  ])('reads $name as $outcome', ({ values, asOf, outcome }) => {
    // Arrange: monthly from January 2024
    const series = monthly('2024-01', values);

    // Act
    const reading = readEvidence(event, 'P1M', series, new Date(asOf));

    // Assert
    expect(reading?.outcome).toBe(outcome);
    if (event.model !== 'event') throw new Error('an event model');
    const likelihood = event.likelihood[outcome as 'large' | 'small' | 'pending' | 'missed'];
    expect(reading?.ll.baseline).toBeCloseTo(Math.log(likelihood?.baseline ?? Number.NaN), 12);
  });

  it('counts an event that comes only after the deadline as a missed deadline', () => {
    // Arrange: nothing from April to September, a large package in October
    const series = monthly('2024-01', [0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);

    // Act
    const reading = readEvidence(event, 'P1M', series, new Date('2024-11-01T00:00:00.000Z'));

    // Assert: the event was expected *by* 30 September
    expect(reading?.outcome).toBe('missed');
  });

  it('judges a deadline with no from over the whole series', () => {
    // Arrange
    const noFrom = model({ model: 'event', deadline: '2024-09-30', threshold: 1, likelihood: BY_DEADLINE });

    // Act
    const reading = readEvidence(noFrom, 'P1M', monthly('2024-01', [2, 0, 0]), AS_OF);

    // Assert
    expect(reading?.outcome).toBe('large');
    expect(reading?.period).toBe('2024-01-01');
  });
});

describe('periodsNeeded', () => {
  const gaussian = model({
    model: 'gaussian',
    expect: { baseline: { mean: 0, sd: 1 }, risk: { mean: 1, sd: 1 } },
  });
  const bands = model({
    model: 'bands',
    bands: [{ below: 0, likelihood: { baseline: 1, risk: 2 } }, { likelihood: { baseline: 2, risk: 1 } }],
  });
  const trendOf = (periods?: number) =>
    model({
      model: 'trend',
      ...(periods ? { periods } : {}),
      expect: { baseline: { slope: 0, sd: 1 }, risk: { slope: 1, sd: 1 } },
    });
  const windowed = (window: string) =>
    model({ model: 'event', window, threshold: 1, likelihood: BY_DEADLINE });

  it.each([
    { name: 'gaussian', evidence: gaussian, cadence: 'P1M', needed: 2 },
    { name: 'bands', evidence: bands, cadence: 'P1D', needed: 2 },
    { name: 'trend of the default 6 periods', evidence: trendOf(), cadence: 'P1M', needed: 7 },
    { name: 'trend of 12 periods', evidence: trendOf(12), cadence: 'P1W', needed: 13 },
    { name: 'event in a monthly 3-month window', evidence: windowed('P3M'), cadence: 'P1M', needed: 6 },
    { name: 'event in a weekly 3-month window', evidence: windowed('P3M'), cadence: 'P1W', needed: 16 },
    {
      name: 'event by a deadline',
      evidence: model({ model: 'event', deadline: '2024-09-30', threshold: 1, likelihood: BY_DEADLINE }),
      cadence: 'P1M',
      needed: 3660,
    },
  ] as { name: string; evidence: Evidence; cadence: Cadence; needed: number }[])(
    'asks for $needed periods for $name',
    ({ evidence, cadence, needed }) => {
      // Act
      const result = periodsNeeded(evidence, cadence);

      // Assert
      expect(result).toBe(needed);
    },
  );

  /** Every asOf day of 2024, midnight and noon: the newest stored periods the store would return. */
  const asOfs = Array.from({ length: 366 * 2 }, (_, i) => new Date(Date.UTC(2024, 0, 1) + i * 43_200_000));

  it.each<[cadence: Cadence, window: string]>([
    ['P1D', 'P1M'],
    ['P1D', 'P2M'],
    ['P1D', 'P3M'],
    ['P1W', 'P1M'],
    ['P1W', 'P3M'],
    ['P1M', 'P3M'],
    ['P1M', 'P1Y'],
    ['P3M', 'P1Y'],
  ])('asks for enough %s periods to cover a %s window at any instant', (cadence, window) => {
    // Arrange
    const evidence = windowed(window);
    const limit = periodsNeeded(evidence, cadence);
    const uncovered: string[] = [];

    for (const asOf of asOfs) {
      // The store returns the newest `limit` periods starting on or before asOf, one a period, no gaps.
      const stored: Observation[] = [];
      let start = periodId(asOf, cadence);
      while (stored.length < limit) {
        stored.unshift(obs(start, 0));
        start = periodId(addDuration(new Date(`${start}T00:00:00.000Z`), 'P1D', -1), cadence);
      }
      const complete = stored.filter((o) => periodEnd(o.period, cadence) <= asOf);

      // Act
      const reading = readEvidence(evidence, cadence, complete, asOf);

      if (reading === null) uncovered.push(asOf.toISOString());
    }

    // Assert
    expect(uncovered, `${uncovered.length} instants not covered, first ${uncovered[0]}`).toEqual([]);
  });
});
