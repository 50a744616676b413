// The remembered and arithmetic fast paths of the period maths give exactly what the plain Date
// arithmetic gives, on random instants, durations and periods (the projection relies on it).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  type Cadence,
  type CalendarDuration,
  periodEnd,
  periodId,
  periodStart,
  periodSteps,
  periodsBetween,
} from '../../../shared/domain/period.ts';

const DAY = 86_400_000;
const CADENCES: Cadence[] = ['P1D', 'P1W', 'P1M', 'P3M', 'P1Y'];

/** The plain calendar arithmetic, through intermediate Dates: the reference the fast path must match. */
function plainAddDuration(instant: Date, d: CalendarDuration, times: number): Date {
  const year = instant.getUTCFullYear() + d.years * times;
  const month = instant.getUTCMonth() + d.months * times;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(instant.getUTCDate(), lastDay);
  const timeOfDay = ((instant.getTime() % DAY) + DAY) % DAY;
  const shifted = new Date(Date.UTC(year, month, day) + timeOfDay);
  return new Date(shifted.getTime() + d.days * times * DAY);
}

/** Instants from year -50 to 3000 (years 0-99 take the plain path), ends of months often. */
const instant = fc.oneof(
  fc.integer({ min: Date.UTC(-50, 0, 1), max: Date.UTC(3000, 0, 1) }).map((ms) => new Date(ms)),
  fc
    .record({
      year: fc.integer({ min: 1, max: 2999 }),
      month: fc.integer({ min: 0, max: 11 }),
      day: fc.integer({ min: 28, max: 31 }),
      ms: fc.integer({ min: 0, max: DAY - 1 }),
    })
    .map(({ year, month, day, ms }) => {
      const at = new Date(Date.UTC(2000, month, day) + ms);
      at.setUTCFullYear(year);
      return at;
    }),
);
const duration = fc.record({
  years: fc.integer({ min: 0, max: 3 }),
  months: fc.integer({ min: 0, max: 40 }),
  days: fc.integer({ min: 0, max: 400 }),
});
const cadence = fc.constantFrom(...CADENCES);

describe('addDuration fast path', () => {
  it('gives the same instant as the plain Date arithmetic for any instant, duration and multiple', () => {
    fc.assert(
      fc.property(instant, duration, fc.integer({ min: -6, max: 6 }), (at, d, times) => {
        // Act
        const fast = addDuration(at, d, times);
        // Assert
        expect(fast.getTime()).toBe(plainAddDuration(at, d, times).getTime());
      }),
      { numRuns: 2000 },
    );
  });

  it('gives an invalid date where the plain arithmetic leaves the Date range', () => {
    // Arrange
    const near = new Date(8.64e15 - DAY);
    // Act
    const result = addDuration(near, { years: 0, months: 2, days: 0 });
    // Assert
    expect(Number.isNaN(result.getTime())).toBe(true);
    expect(Number.isNaN(plainAddDuration(near, { years: 0, months: 2, days: 0 }, 1).getTime())).toBe(true);
  });
});

describe('remembered periodId and periodEnd', () => {
  it('periodId names the period start, the first time and again from memory', () => {
    fc.assert(
      fc.property(instant, cadence, (at, c) => {
        const expected = periodStart(at, c).toISOString().slice(0, 10);
        // Act, twice: the second answer comes from memory
        const first = periodId(at, c);
        const again = periodId(new Date(at.getTime()), c);
        // Assert
        expect(first).toBe(expected);
        expect(again).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('periodEnd is the start of the next period, the first time and again from memory', () => {
    fc.assert(
      fc.property(instant, cadence, (at, c) => {
        const period = periodId(at, c);
        const expected = plainAddDuration(new Date(`${period}T00:00:00.000Z`), durationOf(c), 1).getTime();
        // Act
        const first = periodEnd(period, c).getTime();
        const again = periodEnd(period, c).getTime();
        // Assert
        expect(first).toBe(expected);
        expect(again).toBe(expected);
      }),
      { numRuns: 1000 },
    );
  });

  it('periodEnd hands out a new Date each time, so changing one changes no later answer', () => {
    // Arrange
    const first = periodEnd('2024-01-01', 'P1M');
    // Act
    first.setUTCFullYear(1999);
    const again = periodEnd('2024-01-01', 'P1M');
    // Assert
    expect(again).not.toBe(first);
    expect(again.toISOString()).toBe('2024-02-01T00:00:00.000Z');
  });

  it('stays right past the memory limit (the cache is emptied, not trusted)', () => {
    // Arrange: more distinct days than the caches hold
    const days = Array.from({ length: 10_000 }, (_, i) => new Date(Date.UTC(2000, 0, 1) + i * DAY));
    // Act, twice over the whole range
    const ids = [...days, ...days].map((d) => periodId(d, 'P1D'));
    const ends = ids.map((id) => periodEnd(id, 'P1D').getTime());
    // Assert
    ids.forEach((id, i) => {
      expect(id).toBe((days[i % days.length] as Date).toISOString().slice(0, 10));
      expect(ends[i]).toBe((days[i % days.length] as Date).getTime() + DAY);
    });
  });
});

describe('periodSteps', () => {
  it('counts the periods after the first up to the last as listing them does, either way round', () => {
    // Arrange: period ids of any cadence from year 100 to 9998 (periodStart reads years 0-99 as 1900-1999), the second up to six years from the first.
    const pair = fc.record({
      c: cadence,
      from: fc.integer({ min: Date.UTC(107, 0, 1), max: Date.UTC(9992, 0, 1) }),
      span: fc.integer({ min: -6 * 366 * DAY, max: 6 * 366 * DAY }),
    });
    fc.assert(
      fc.property(pair, ({ c, from, span }) => {
        const first = periodId(new Date(from), c);
        const last = periodId(new Date(from + span), c);
        // Act
        const counted = periodSteps(first, last, c);
        // Assert
        expect(counted).toBe(periodsBetween(first, last, c).length - 1);
      }),
      { numRuns: 2000 },
    );
  });

  it('is 0 for the same period, 1 for the next, and -1 for one before', () => {
    expect(periodSteps('2024-02-01', '2024-02-01', 'P1M')).toBe(0);
    expect(periodSteps('2023-12-01', '2024-01-01', 'P1M')).toBe(1);
    expect(periodSteps('2024-01-01', '2023-10-01', 'P3M')).toBe(-1);
    expect(periodSteps('2024-01-01', '2024-12-30', 'P1W')).toBe(52);
  });
});

function durationOf(c: Cadence): CalendarDuration {
  return {
    P1D: { years: 0, months: 0, days: 1 },
    P1W: { years: 0, months: 0, days: 7 },
    P1M: { years: 0, months: 1, days: 0 },
    P3M: { years: 0, months: 3, days: 0 },
    P1Y: { years: 1, months: 0, days: 0 },
  }[c];
}
