// The numbers an item can hold, the one rule for every entrance: ingest refuses a record's value by it,
// the API a posted value, and every figure Signpost computes itself is clamped to it where an item is
// built (store/item.ts). The document client refuses NaN, the
// infinities and magnitudes beyond ±Number.MAX_SAFE_INTEGER (it would lose digits); DynamoDB refuses
// nonzero magnitudes below 1e-130.

/** The largest magnitude stored: beyond it the document client refuses to marshal a number. */
export const LARGEST_STORED = Number.MAX_SAFE_INTEGER;

/** DynamoDB's smallest nonzero magnitude. */
export const SMALLEST_STORED = 1e-130;

/** Why `value` cannot be stored (what an entrance answers), or undefined when it can. */
export function unstorable(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'not a finite number';
  const magnitude = Math.abs(value);
  if (magnitude > LARGEST_STORED) return `beyond ±2^53 (${LARGEST_STORED}), which is not stored exactly`;
  if (magnitude !== 0 && magnitude < SMALLEST_STORED)
    return `nonzero and smaller in magnitude than ${SMALLEST_STORED}, which is not stored`;
  return undefined;
}

/**
 * The storable number nearest to `value`, for figures Signpost computes itself (forecast bounds): a
 * magnitude beyond the largest is held at it, dust becomes 0. NaN and the infinities stay as they are:
 * no number is near them, and the caller must say why it has none.
 */
export function clampToStorable(value: number): number {
  if (!Number.isFinite(value)) return value;
  if (Math.abs(value) < SMALLEST_STORED) return 0;
  return Math.max(-LARGEST_STORED, Math.min(LARGEST_STORED, value));
}

/**
 * `fields` with every number in it (nested in arrays and plain objects too) clamped to a storable one:
 * what toItem applies to every item, so that a figure Signpost computed (a trend's slope from values
 * 1e-100 and 1, decibans of a value far out in a tail, a probability of 1e-140) can never make a write
 * fail. Values that entered from outside were refused already if unstorable, so for them it changes
 * nothing.
 */
export function clampNumbers<T>(fields: T): T {
  if (typeof fields === 'number') return clampToStorable(fields) as T;
  if (Array.isArray(fields)) return fields.map(clampNumbers) as T;
  if (fields !== null && typeof fields === 'object' && Object.getPrototypeOf(fields) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) out[key] = clampNumbers(value);
    return out as T;
  }
  return fields;
}
