// Numbers for people, in English: digits grouped by three with commas, at most so many decimals or
// significant digits; what `Intl.NumberFormat('en', …)` prints, digit for digit (test/unit/charts/
// numbers.test.ts compares them on random values). Written by hand because the first Intl.NumberFormat
// of a process initialises ICU: ≈ 11 ms (`node -e` on this machine), which the pages function paid at
// every cold start for its formatters. Like Intl, it rounds the shortest decimal that reads back as the
// number (`String(value)`: 1.005 is "1.005", not the double's 1.00499…), half away from zero.

/** A decimal as digits (no leading zeros) and where its point goes: 123.4 is "1234" and 3. */
interface Decimal {
  digits: string;
  point: number;
}

/** `value` with at most `decimals` decimals (trailing zeros dropped): maximumFractionDigits. */
export function withDecimals(value: number, decimals: number): string {
  if (!Number.isFinite(value)) return nonFinite(value);
  const exact = decimal(value);
  return written(value, rounded(exact, exact.point + decimals));
}

/** `value` with at most `digits` significant digits (trailing zeros dropped): maximumSignificantDigits. */
export function withSignificant(value: number, digits: number): string {
  if (!Number.isFinite(value)) return nonFinite(value);
  return written(value, rounded(decimal(value), digits));
}

function decimal(value: number): Decimal {
  // "123.45", "1.5e-7", "1e+21": the digits, and the point moved by the exponent.
  const [mantissa = '', exponent = '0'] = String(Math.abs(value)).split('e');
  const [integer = '', fraction = ''] = mantissa.split('.');
  const all = integer + fraction;
  const leading = all.length - all.replace(/^0+/, '').length;
  return { digits: all.slice(leading), point: integer.length + Number(exponent) - leading };
}

/** The first `keep` digits, the next one rounding them half up (away from zero, the sign being apart). */
function rounded({ digits, point }: Decimal, keep: number): Decimal {
  if (keep >= digits.length) return { digits, point };
  if (keep < 0 || (keep === 0 && (digits[0] ?? '0') < '5')) return { digits: '', point };
  const head = digits.slice(0, keep);
  if ((digits[keep] ?? '0') < '5') return { digits: head, point };
  // Add one in the last kept place: trailing nines become zeros and carry.
  const nines = head.length - head.replace(/9+$/, '').length;
  const kept = head.slice(0, head.length - nines);
  if (kept === '') return { digits: `1${'0'.repeat(nines)}`, point: point + 1 };
  const last = Number(kept.at(-1)) + 1;
  return { digits: `${kept.slice(0, -1)}${last}${'0'.repeat(nines)}`, point };
}

/** Plain notation, trailing decimal zeros dropped, the integer part grouped; a negative sign as Intl's. */
function written(value: number, { digits, point }: Decimal): string {
  const integer = point <= 0 ? '0' : (digits.slice(0, point) || '0').padEnd(point, '0');
  const fraction = (point < 0 ? '0'.repeat(-point) + digits : digits.slice(Math.max(point, 0))).replace(
    /0+$/,
    '',
  );
  const sign = value < 0 || Object.is(value, -0) ? '-' : '';
  const body = integer.replace(/\B(?=(\d{3})+$)/g, ',');
  return `${sign}${body}${fraction && digits ? `.${fraction}` : ''}`;
}

function nonFinite(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  return value > 0 ? '∞' : '-∞';
}
