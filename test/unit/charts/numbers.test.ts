import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { withDecimals, withSignificant } from '../../../shared/charts/numbers.ts';

/** Doubles a page may show: any magnitude below 1e21, both signs, zeros, and round numbers. */
const figures = fc.oneof(
  fc.double({ min: -1e21, max: 1e21, noNaN: true, noDefaultInfinity: true }),
  fc.double({ min: -1000, max: 1000, noNaN: true }),
  fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 1000),
  fc.integer({ min: -2e6, max: 2e6 }).map((n) => n * 0.5),
  fc.constantFrom(0, -0, 0.5, -0.5, 999.5, 99.95, 0.0001235, 123_456_789),
);

describe('numbers for people', () => {
  it('prints with at most so many decimals what Intl.NumberFormat prints', () => {
    fc.assert(
      fc.property(figures, fc.integer({ min: 0, max: 6 }), (value, decimals) => {
        const intl = new Intl.NumberFormat('en', { maximumFractionDigits: decimals });
        expect(withDecimals(value, decimals)).toBe(intl.format(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('prints with at most so many significant digits what Intl.NumberFormat prints', () => {
    fc.assert(
      fc.property(figures, fc.integer({ min: 1, max: 6 }), (value, digits) => {
        const intl = new Intl.NumberFormat('en', { maximumSignificantDigits: digits });
        expect(withSignificant(value, digits)).toBe(intl.format(value));
      }),
      { numRuns: 3000 },
    );
  });

  it('groups thousands and drops trailing zeros', () => {
    expect(withDecimals(1234567.5, 0)).toBe('1,234,568');
    expect(withDecimals(-1234.5, 3)).toBe('-1,234.5');
    expect(withSignificant(0.000123456, 3)).toBe('0.000123');
    expect(withSignificant(98765, 2)).toBe('99,000');
    expect(withDecimals(Number.POSITIVE_INFINITY, 0)).toBe('∞');
  });
});
