// Raw records to observations: time and value parsing, rejections with positions, buckets, aggregates, zero fill.
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import type { Cadence } from '../../../shared/domain/period.ts';
import {
  type PartialValue,
  partialUpdate,
  type RawRecord,
  type SourcedObservation,
  toObservations,
} from '../../../shared/sources/records.ts';
import { buildScenario } from '../../fixtures/scenario.ts';

type Aggregate = Extract<Indicator['source'], { kind: 'csv' }>['aggregate'];

function indicator(
  options: { cadence?: Cadence; aggregate?: Aggregate; emptyPeriods?: 'missing' | 'zero' } = {},
): Indicator {
  const scenario = buildScenario({
    paths: { baseline: 0.5, risk: 0.5 },
    indicators: [
      {
        id: 'fires',
        cadence: options.cadence ?? 'P1M',
        expect: { baseline: { mean: 1, sd: 1 }, risk: { mean: 2, sd: 1 } },
        source: {
          kind: 'csv',
          path: 'data/fires.csv',
          time: 'month',
          value: 'value',
          ...(options.aggregate ? { aggregate: options.aggregate } : {}),
          ...(options.emptyPeriods ? { emptyPeriods: options.emptyPeriods } : {}),
        },
      },
    ],
  });
  const [only] = scenario.indicators;
  if (!only) throw new Error('no indicator');
  return only;
}

function records(...rows: [unknown, unknown][]): RawRecord[] {
  return rows.map(([time, value], i) => ({ at: `line ${i + 2}`, time, value }));
}

describe('toObservations: times', () => {
  it.each<[time: string, cadence: Cadence, period: string]>([
    ['2024-03', 'P1M', '2024-03-01'],
    ['2024-03-05', 'P1M', '2024-03-01'],
    ['2024-03-05', 'P1D', '2024-03-05'],
    ['2024-03-10', 'P1W', '2024-03-04'],
    ['2024-05-17', 'P3M', '2024-04-01'],
    ['2024-05-17', 'P1Y', '2024-01-01'],
    ['2024-03-31T23:30:00Z', 'P1M', '2024-03-01'],
    ['2024-03-31T23:30:00-02:00', 'P1M', '2024-04-01'],
    ['2024-04-01T01:30+02:00', 'P1M', '2024-03-01'],
    ['2024-03-05T10:00:00.123+01:00', 'P1D', '2024-03-05'],
    [' 2024-03-05 ', 'P1D', '2024-03-05'],
  ])('puts the time %s in the %s period %s (UTC)', (time, cadence, period) => {
    // Act
    const result = toObservations(indicator({ cadence }), records([time, '7']), 'data/fires.csv');

    // Assert
    expect(result.rejected).toEqual([]);
    expect(result.observations).toEqual([
      { indicatorId: 'fires', period, value: 7, source: 'data/fires.csv' },
    ]);
  });

  it.each([
    { time: '2024-03-05T10:00:00', reason: 'instant with a time zone' },
    { time: '2024-03-05 10:00:00Z', reason: 'instant with a time zone' },
    { time: '', reason: 'time "" is not a date' },
    { time: '   ', reason: 'is not a date' },
    { time: undefined, reason: 'time undefined is not a date' },
    { time: null, reason: 'time null is not a date' },
    { time: 20240305, reason: 'time 20240305 is not a date' },
    { time: '05/03/2024', reason: 'is not a date (YYYY-MM[-DD])' },
    { time: '2024', reason: 'is not a date' },
    { time: '2024-13', reason: 'time "2024-13" is not a real date' },
    { time: '2024-03-32', reason: 'time "2024-03-32" is not a real date' },
    { time: '2024-02-30', reason: 'time "2024-02-30" is not a real date' },
    { time: '2023-02-29', reason: 'time "2023-02-29" is not a real date' },
    { time: '2024-04-31', reason: 'time "2024-04-31" is not a real date' },
  ])('rejects the time $time, naming the record and the reason', ({ time, reason }) => {
    // Act
    const result = toObservations(indicator(), records(['2024-01', '1'], [time, '2']), 'data/fires.csv');

    // Assert
    expect(result.rejected).toHaveLength(1);
    expect(result.rejected[0]?.at).toBe('line 3');
    expect(result.rejected[0]?.reason).toContain(reason);
    expect(result.observations.map((o) => o.period)).toEqual(['2024-01-01']);
    expect(result.read).toBe(2);
  });

  it.each([
    { value: '12', expected: 12 },
    { value: ' 42 ', expected: 42 },
    { value: '-3.5', expected: -3.5 },
    { value: '1e3', expected: 1000 },
    { value: 0, expected: 0 },
    { value: 2.25, expected: 2.25 },
  ])('reads the value $value as $expected', ({ value, expected }) => {
    // Act
    const result = toObservations(indicator(), records(['2024-01', value]), 'data/fires.csv');

    // Assert
    expect(result.rejected).toEqual([]);
    expect(result.observations[0]?.value).toBe(expected);
  });

  it.each([
    ['abc', 'value "abc" is not a finite number'],
    ['', 'value "" is not a finite number'],
    ['  ', 'value "  " is not a finite number'],
    ['Infinity', 'value "Infinity" is not a finite number'],
    ['1,200', 'value "1,200" is not a finite number'],
    [undefined, 'value undefined is not a finite number'],
    [null, 'value null is not a finite number'],
    [true, 'value true is not a finite number'],
    [Number.NaN, 'value null is not a finite number'],
    [Number.POSITIVE_INFINITY, 'value null is not a finite number'],
    ['1e16', 'value "1e16" is beyond ±2^53 (9007199254740991), which is not stored exactly'],
    ['-1e-131', 'value "-1e-131" is nonzero and smaller in magnitude than 1e-130, which is not stored'],
  ])('rejects the value %s, naming the record and the reason', (value, reason) => {
    // Act
    const result = toObservations(indicator(), records(['2024-01', value]), 'data/fires.csv');

    // Assert
    expect(result.observations).toEqual([]);
    expect(result.rejected).toEqual([{ at: 'line 2', reason }]);
    expect(result.read).toBe(1);
  });

  it('rejects a period whose sum goes beyond ±2^53, and keeps the other periods', () => {
    // Arrange: two values that are each storable, summed in January.
    const big = String(Number.MAX_SAFE_INTEGER - 1);
    const rows = records(['2024-01-02', big], ['2024-01-03', big], ['2024-02-01', '5']);

    // Act
    const result = toObservations(indicator({ aggregate: 'sum' }), rows, 'data/fires.csv');

    // Assert
    expect(result.observations.map((o) => [o.period, o.value])).toEqual([['2024-02-01', 5]]);
    expect(result.rejected).toEqual([
      { at: 'period 2024-01-01', reason: expect.stringMatching(/^value 1801439850\d{7} is beyond ±2\^53/) },
    ]);
  });

  it('names the time problem when both time and value are bad', () => {
    // Act
    const result = toObservations(indicator(), records(['soon', 'lots']), 'data/fires.csv');

    // Assert
    expect(result.rejected).toEqual([
      { at: 'line 2', reason: 'time "soon" is not a date (YYYY-MM[-DD]) or an instant with a time zone' },
    ]);
  });
});

describe('toObservations: periods and aggregates', () => {
  // Three records in March in source order 3, 1, 2; one in April.
  const march = records(['2024-03-02', '3'], ['2024-03-15', '1'], ['2024-03-31', '2'], ['2024-04-01', '10']);

  it.each([
    { aggregate: 'last', value: 2 },
    { aggregate: 'sum', value: 6 },
    { aggregate: 'mean', value: 2 },
    { aggregate: 'max', value: 3 },
    { aggregate: 'count', value: 3 },
  ] satisfies { aggregate: Aggregate; value: number }[])(
    'combines the records of one period with $aggregate into $value',
    ({ aggregate, value }) => {
      // Act
      const result = toObservations(indicator({ aggregate }), march, 'data/fires.csv');

      // Assert
      expect(result.observations.map((o) => [o.period, o.value])).toEqual([
        ['2024-03-01', value],
        ['2024-04-01', aggregate === 'count' ? 1 : 10],
      ]);
    },
  );

  it('sums decimal figures without floating-point drift', () => {
    // Act
    const result = toObservations(
      indicator({ aggregate: 'sum' }),
      records(['2024-03-01', '0.1'], ['2024-03-02', '0.2'], ['2024-03-03', '0.7']),
      'data/fires.csv',
    );

    // Assert
    expect(result.observations[0]?.value).toBe(1);
  });

  it('averages with mean and keeps negative maxima', () => {
    // Act
    const mean = toObservations(
      indicator({ aggregate: 'mean' }),
      records(['2024-03', '1'], ['2024-03', '2']),
      'x',
    );
    const max = toObservations(
      indicator({ aggregate: 'max' }),
      records(['2024-03', '-5'], ['2024-03', '-2']),
      'x',
    );

    // Assert
    expect(mean.observations[0]?.value).toBe(1.5);
    expect(max.observations[0]?.value).toBe(-2);
  });

  it('counts records without reading a value when the aggregate is count', () => {
    // Act
    const result = toObservations(
      indicator({ aggregate: 'count' }),
      records(['2024-03-01', undefined], ['2024-03-09', 'n/a'], ['2024-05-01', undefined]),
      'data/fires.csv',
    );

    // Assert
    expect(result.rejected).toEqual([]);
    expect(result.observations.map((o) => [o.period, o.value])).toEqual([
      ['2024-03-01', 2],
      ['2024-05-01', 1],
    ]);
  });

  it('returns observations in period order whatever the record order', () => {
    // Act
    const result = toObservations(
      indicator(),
      records(['2024-05', '5'], ['2023-12', '12'], ['2024-01', '1']),
      'data/fires.csv',
    );

    // Assert
    expect(result.observations.map((o) => o.period)).toEqual(['2023-12-01', '2024-01-01', '2024-05-01']);
  });

  it('leaves periods without records out when emptyPeriods is missing', () => {
    // Act
    const result = toObservations(indicator(), records(['2024-01-10', '4'], ['2024-04-02', '5']), 'x');

    // Assert
    expect(result.observations.map((o) => [o.period, o.value])).toEqual([
      ['2024-01-01', 4],
      ['2024-04-01', 5],
    ]);
  });

  it.each([
    {
      cadence: 'P1M',
      rows: [
        ['2024-01-10', '4'],
        ['2024-04-02', '5'],
      ],
      expected: [
        ['2024-01-01', 4],
        ['2024-02-01', 0],
        ['2024-03-01', 0],
        ['2024-04-01', 5],
      ],
    },
    {
      cadence: 'P1W',
      rows: [
        ['2024-12-24', '1'],
        ['2025-01-07', '2'],
      ],
      expected: [
        ['2024-12-23', 1],
        ['2024-12-30', 0],
        ['2025-01-06', 2],
      ],
    },
    {
      cadence: 'P3M',
      rows: [
        ['2024-11-30', '1'],
        ['2025-05-01', '2'],
      ],
      expected: [
        ['2024-10-01', 1],
        ['2025-01-01', 0],
        ['2025-04-01', 2],
      ],
    },
    { cadence: 'P1M', rows: [['2024-01-10', '4']], expected: [['2024-01-01', 4]] },
    { cadence: 'P1M', rows: [], expected: [] },
  ] satisfies { cadence: Cadence; rows: [string, string][]; expected: [string, number][] }[])(
    'fills $cadence periods between the first and last record with zeros when emptyPeriods is zero',
    ({ cadence, rows, expected }) => {
      // Act
      const result = toObservations(
        indicator({ cadence, aggregate: 'sum', emptyPeriods: 'zero' }),
        records(...rows),
        'x',
      );

      // Assert
      expect(result.observations.map((o) => [o.period, o.value])).toEqual(expected);
    },
  );

  it('does not let a rejected record start or end the zero fill', () => {
    // Act
    const result = toObservations(
      indicator({ aggregate: 'sum', emptyPeriods: 'zero' }),
      records(['2023-10', 'bad'], ['2024-01', '1'], ['2024-02', '2'], ['2024-09', 'x']),
      'x',
    );

    // Assert
    expect(result.observations.map((o) => o.period)).toEqual(['2024-01-01', '2024-02-01']);
    expect(result.rejected.map((r) => r.at)).toEqual(['line 2', 'line 5']);
  });

  it('stores the source it is given on every observation', () => {
    // Act
    const result = toObservations(
      indicator({ emptyPeriods: 'zero' }),
      records(['2024-01', '1'], ['2024-03', '3']),
      'https://example.org/fires.csv',
    );

    // Assert
    expect(new Set(result.observations.map((o) => o.source))).toEqual(
      new Set(['https://example.org/fires.csv']),
    );
    expect(result.observations.every((o) => o.indicatorId === 'fires')).toBe(true);
  });
});

describe('partialUpdate: a period a rolling window covers only in part', () => {
  const read = (value: number, partial?: PartialValue): SourcedObservation => ({
    indicatorId: 'news',
    period: '2024-01-01',
    value,
    source: 'feed',
    ...(partial ? { partial } : {}),
  });

  it.each<[string, PartialValue | undefined, number, number, number | undefined]>([
    ['replaces any stored value when the period is fully covered', undefined, 3, 1, 1],
    ['keeps a stored count the partial one is lower than', 'at-least', 3, 1, undefined],
    ['keeps a stored count the partial one equals', 'at-least', 3, 3, undefined],
    ['raises a stored count when a late record makes the partial one higher', 'at-least', 3, 4, 4],
    ['never replaces a stored mean with a partial one', 'unknown', 3, 5, undefined],
    ['replaces a stored last value that changed', 'latest', 3, 1, 1],
    ['keeps a stored last value that did not change', 'latest', 3, 3, undefined],
  ])('%s', (_name, partial, stored, value, expected) => {
    expect(partialUpdate({ value: stored }, read(value, partial))?.value).toBe(expected);
  });
});
