// Optional fields of a response body: shown when set, in the order the resource lists them.

/**
 * The named fields of `source` that are not undefined, in the order named. Spread between a resource's
 * other fields, it keeps the body's field order fixed whatever the stored item's order.
 */
export function definedFields<T extends object, K extends keyof T>(
  source: T,
  ...names: K[]
): Partial<Pick<T, K>> {
  const fields: Partial<Pick<T, K>> = {};
  for (const name of names) if (source[name] !== undefined) fields[name] = source[name];
  return fields;
}
