// Calendar arithmetic for periods and ISO 8601 durations, all in UTC.
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  type Cadence,
  dayOf,
  dayStart,
  isDuration,
  monthOf,
  parseDuration,
  periodEnd,
  periodId,
  periodStart,
  periodsBetween,
  shiftPeriod,
} from '../../../shared/domain/period.ts';

const CADENCES: Cadence[] = ['P1D', 'P1W', 'P1M', 'P3M', 'P1Y'];
const iso = (d: Date) => d.toISOString();

describe('parseDuration', () => {
  it.each([
    { text: 'P1D', expected: { years: 0, months: 0, days: 1 } },
    { text: 'P45D', expected: { years: 0, months: 0, days: 45 } },
    { text: 'P2W', expected: { years: 0, months: 0, days: 14 } },
    { text: 'P1M', expected: { years: 0, months: 1, days: 0 } },
    { text: 'P3M', expected: { years: 0, months: 3, days: 0 } },
    { text: 'P1Y', expected: { years: 1, months: 0, days: 0 } },
    { text: 'P1Y2M', expected: { years: 1, months: 2, days: 0 } },
    { text: 'P1Y2M3W4D', expected: { years: 1, months: 2, days: 25 } },
    { text: 'P0D', expected: { years: 0, months: 0, days: 0 } },
  ])('reads $text as whole calendar units', ({ text, expected }) => {
    // Act
    const duration = parseDuration(text);

    // Assert
    expect(duration).toEqual(expected);
    expect(isDuration(text)).toBe(true);
  });

  it.each(['P', '', 'PT1H', 'P1DT2H', 'P1.5M', 'p1m', '1M', 'P1D1M', 'P-1D', ' P1M', 'P1M ', 'P1H'])(
    'rejects %j, which is not a calendar duration',
    (text) => {
      // Act
      const parse = () => parseDuration(text);

      // Assert
      expect(parse).toThrow(RangeError);
      expect(parse).toThrow(`not an ISO 8601 calendar duration: ${text}`);
      expect(isDuration(text)).toBe(false);
    },
  );
});

describe('addDuration', () => {
  it.each([
    { from: '2024-01-31T00:00:00.000Z', add: 'P1M', times: 1, to: '2024-02-29T00:00:00.000Z' },
    { from: '2023-01-31T00:00:00.000Z', add: 'P1M', times: 1, to: '2023-02-28T00:00:00.000Z' },
    { from: '2024-03-31T00:00:00.000Z', add: 'P1M', times: 1, to: '2024-04-30T00:00:00.000Z' },
    { from: '2024-02-29T00:00:00.000Z', add: 'P1Y', times: 1, to: '2025-02-28T00:00:00.000Z' },
    { from: '2024-02-29T00:00:00.000Z', add: 'P4Y', times: 1, to: '2028-02-29T00:00:00.000Z' },
    { from: '2024-01-31T00:00:00.000Z', add: 'P1M', times: 2, to: '2024-03-31T00:00:00.000Z' },
    { from: '2024-12-15T00:00:00.000Z', add: 'P1M', times: 1, to: '2025-01-15T00:00:00.000Z' },
    { from: '2024-03-15T00:00:00.000Z', add: 'P3M', times: -1, to: '2023-12-15T00:00:00.000Z' },
    { from: '2024-01-31T10:30:15.250Z', add: 'P1M', times: 1, to: '2024-02-29T10:30:15.250Z' },
    { from: '2024-02-28T00:00:00.000Z', add: 'P2D', times: 1, to: '2024-03-01T00:00:00.000Z' },
    { from: '2024-12-30T00:00:00.000Z', add: 'P1W', times: 1, to: '2025-01-06T00:00:00.000Z' },
    { from: '2024-01-31T00:00:00.000Z', add: 'P1M1D', times: 1, to: '2024-03-01T00:00:00.000Z' },
    { from: '2024-05-20T00:00:00.000Z', add: 'P0D', times: 1, to: '2024-05-20T00:00:00.000Z' },
  ])('adds $add x$times to $from giving $to (month ends clamp)', ({ from, add, times, to }) => {
    // Act
    const result = addDuration(new Date(from), add, times);

    // Assert
    expect(iso(result)).toBe(to);
  });

  it('accepts a parsed duration as well as its text', () => {
    // Arrange
    const from = new Date('2024-01-31T00:00:00.000Z');

    // Act
    const fromText = addDuration(from, 'P1Y1M');
    const fromParsed = addDuration(from, parseDuration('P1Y1M'));

    // Assert
    expect(iso(fromParsed)).toBe(iso(fromText));
    expect(iso(fromText)).toBe('2025-02-28T00:00:00.000Z');
  });

  it('keeps the time of day for instants before 1970', () => {
    // Arrange
    const from = new Date('1969-12-31T12:00:00.000Z');

    // Act
    const result = addDuration(from, 'P1M');

    // Assert
    expect(iso(result)).toBe('1970-01-31T12:00:00.000Z');
  });

  it('does not change the instant it is given', () => {
    // Arrange
    const from = new Date('2024-01-31T00:00:00.000Z');

    // Act
    addDuration(from, 'P1Y2M3D');

    // Assert
    expect(iso(from)).toBe('2024-01-31T00:00:00.000Z');
  });
});

describe('periodStart and periodId', () => {
  it.each([
    { at: '2024-03-05T23:59:59.999Z', cadence: 'P1D', id: '2024-03-05' },
    { at: '2024-03-05T00:00:00.000Z', cadence: 'P1D', id: '2024-03-05' },
    { at: '2024-03-10T12:00:00.000Z', cadence: 'P1W', id: '2024-03-04' }, // Sunday -> previous Monday
    { at: '2024-03-04T00:00:00.000Z', cadence: 'P1W', id: '2024-03-04' }, // Monday itself
    { at: '2024-03-09T23:59:59.999Z', cadence: 'P1W', id: '2024-03-04' }, // Saturday
    { at: '2025-01-01T08:00:00.000Z', cadence: 'P1W', id: '2024-12-30' }, // ISO week across the year end
    { at: '2024-02-29T23:00:00.000Z', cadence: 'P1M', id: '2024-02-01' },
    { at: '2024-03-01T00:30:00+02:00', cadence: 'P1M', id: '2024-02-01' }, // UTC, not local time
    { at: '2024-01-01T00:00:00.000Z', cadence: 'P3M', id: '2024-01-01' },
    { at: '2024-03-31T23:59:59.999Z', cadence: 'P3M', id: '2024-01-01' },
    { at: '2024-05-17T00:00:00.000Z', cadence: 'P3M', id: '2024-04-01' },
    { at: '2024-09-30T00:00:00.000Z', cadence: 'P3M', id: '2024-07-01' },
    { at: '2024-12-31T23:59:59.999Z', cadence: 'P3M', id: '2024-10-01' },
    { at: '2024-07-01T00:00:00.000Z', cadence: 'P1Y', id: '2024-01-01' },
    { at: '2024-12-31T23:59:59.999Z', cadence: 'P1Y', id: '2024-01-01' },
  ] satisfies { at: string; cadence: Cadence; id: string }[])(
    'puts $at in the $cadence period $id',
    ({ at, cadence, id }) => {
      // Act
      const start = periodStart(new Date(at), cadence);
      const name = periodId(new Date(at), cadence);

      // Assert
      expect(name).toBe(id);
      expect(iso(start)).toBe(`${id}T00:00:00.000Z`);
    },
  );

  it('places every instant inside its own period, for every cadence', () => {
    // Arrange: an instant every 37 hours and 11 minutes over four years, leap day included
    const step = (37 * 60 + 11) * 60_000;
    const instants: Date[] = [];
    for (let t = Date.UTC(2023, 0, 1); t < Date.UTC(2027, 0, 1); t += step) instants.push(new Date(t));
    const misplaced: string[] = [];

    // Act
    for (const cadence of CADENCES) {
      for (const at of instants) {
        const id = periodId(at, cadence);
        const start = periodStart(at, cadence);
        const end = periodEnd(id, cadence);
        const restarted = periodId(start, cadence);
        if (!(start <= at && at < end && restarted === id)) misplaced.push(`${cadence} ${iso(at)}`);
      }
    }

    // Assert
    expect(instants.length).toBeGreaterThan(900);
    expect(misplaced).toEqual([]);
  });

  it('starts every weekly period on a Monday', () => {
    // Arrange
    const days = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2024, 1, 1 + i, 13)));

    // Act
    const weekdays = new Set(days.map((d) => periodStart(d, 'P1W').getUTCDay()));

    // Assert
    expect([...weekdays]).toEqual([1]);
  });
});

describe('periodEnd', () => {
  it.each([
    { what: 'the eve of a leap day', period: '2024-02-28', cadence: 'P1D', end: '2024-02-29T00:00:00.000Z' },
    { what: 'the last day of 2024', period: '2024-12-31', cadence: 'P1D', end: '2025-01-01T00:00:00.000Z' },
    { what: 'a week across years', period: '2024-12-30', cadence: 'P1W', end: '2025-01-06T00:00:00.000Z' },
    { what: 'a 31-day month', period: '2024-01-01', cadence: 'P1M', end: '2024-02-01T00:00:00.000Z' },
    { what: 'a leap February', period: '2024-02-01', cadence: 'P1M', end: '2024-03-01T00:00:00.000Z' },
    { what: 'the last month of 2024', period: '2024-12-01', cadence: 'P1M', end: '2025-01-01T00:00:00.000Z' },
    { what: 'the last quarter', period: '2024-10-01', cadence: 'P3M', end: '2025-01-01T00:00:00.000Z' },
    { what: 'a leap year', period: '2024-01-01', cadence: 'P1Y', end: '2025-01-01T00:00:00.000Z' },
  ] satisfies { what: string; period: string; cadence: Cadence; end: string }[])(
    'completes $what, the $cadence period $period, at $end: the start of the next one',
    ({ period, cadence, end }) => {
      // Act
      const result = periodEnd(period, cadence);

      // Assert
      expect(iso(result)).toBe(end);
    },
  );
});

describe('periodsBetween', () => {
  it.each([
    {
      cadence: 'P1M',
      first: '2023-11-01',
      last: '2024-02-01',
      ids: ['2023-11-01', '2023-12-01', '2024-01-01', '2024-02-01'],
    },
    {
      cadence: 'P1D',
      first: '2024-02-27',
      last: '2024-03-01',
      ids: ['2024-02-27', '2024-02-28', '2024-02-29', '2024-03-01'],
    },
    {
      cadence: 'P1W',
      first: '2024-12-23',
      last: '2025-01-06',
      ids: ['2024-12-23', '2024-12-30', '2025-01-06'],
    },
    {
      cadence: 'P3M',
      first: '2024-07-01',
      last: '2025-01-01',
      ids: ['2024-07-01', '2024-10-01', '2025-01-01'],
    },
    {
      cadence: 'P1Y',
      first: '2022-01-01',
      last: '2024-01-01',
      ids: ['2022-01-01', '2023-01-01', '2024-01-01'],
    },
    { cadence: 'P1M', first: '2024-05-01', last: '2024-05-01', ids: ['2024-05-01'] },
    { cadence: 'P1M', first: '2024-06-01', last: '2024-05-01', ids: [] },
  ] satisfies { cadence: Cadence; first: string; last: string; ids: string[] }[])(
    'lists $cadence periods from $first to $last inclusive',
    ({ cadence, first, last, ids }) => {
      // Act
      const result = periodsBetween(first, last, cadence);

      // Assert
      expect(result).toEqual(ids);
    },
  );

  it('lists four years of months without gaps or repeats', () => {
    // Act
    const months = periodsBetween('2022-03-01', '2026-07-01', 'P1M');

    // Assert
    expect(months).toHaveLength(53);
    expect(new Set(months).size).toBe(53);
    expect(months.every((m) => m.endsWith('-01'))).toBe(true);
    expect(months.at(-1)).toBe('2026-07-01');
  });
});

describe('days and months as strings', () => {
  it('reads a day as its first instant and names the day and month of an instant, in UTC', () => {
    // Arrange: 23:30 on 31 December at UTC-1 is already 1 January in UTC.
    const instant = new Date('2024-12-31T23:30:00-01:00');

    // Act
    const names = [
      dayOf(instant),
      monthOf(instant),
      dayOf('2024-12-31T23:30:00.000Z'),
      monthOf('2024-12-31'),
    ];

    // Assert
    expect(dayStart('2024-02-29').toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(names).toEqual(['2025-01-01', '2025-01', '2024-12-31', '2024-12']);
  });

  it('shifts a period id by whole periods, back as well as forward', () => {
    expect(shiftPeriod('2024-01-01', 'P1M', 14)).toBe('2025-03-01');
    expect(shiftPeriod('2024-01-01', 'P3M', -1)).toBe('2023-10-01');
    expect(shiftPeriod('2024-02-26', 'P1W', 1)).toBe('2024-03-04');
  });
});
