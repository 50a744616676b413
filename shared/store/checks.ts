// The checks fromItem reads an item's fields through: each takes a value and gives it back typed, or
// throws a MalformedItemError saying what is wrong and (filled in as it unwinds) where. Hand-written
// rather than zod: they ride in every function bundle, and zod/mini's number, array and record schemas
// would add ≈ 6 KB to evaluate's cold start, which is at its 300 KB budget.

/**
 * A stored item without the fields of its entity: `malformed alert item SCN#x/ALERT#00000002:
 * contributions[0].weight is not a number`.
 */
export class MalformedItemError extends Error {
  override name = 'MalformedItemError';
  /** Where in the item, outermost first: field names and list indexes. */
  readonly path: (string | number)[] = [];
}

/** Reads a value as a T, or throws a MalformedItemError. */
export type Check<T> = (value: unknown) => T;
type Out<C> = C extends Check<infer T> ? T : never;
type Shape = Record<string, Check<unknown>>;
/** The fields a shape reads: those whose check can give undefined are optional. */
type Fields<S extends Shape> = {
  [K in keyof S as undefined extends Out<S[K]> ? never : K]: Out<S[K]>;
} & { [K in keyof S as undefined extends Out<S[K]> ? K : never]?: Out<S[K]> };

const fail = (expected: string, value: unknown): never => {
  throw new MalformedItemError(value === undefined ? 'is missing' : `is not ${expected}`);
};

/** Reads `value`, found at `step` (a field name, a list index) of the value around it, with `check`. */
function at<T>(step: string | number, check: Check<T>, value: unknown): T {
  try {
    return check(value);
  } catch (error) {
    if (error instanceof MalformedItemError) error.path.unshift(step);
    throw error;
  }
}

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const string: Check<string> = (v) => (typeof v === 'string' ? v : fail('a string', v));
export const number: Check<number> = (v) => (typeof v === 'number' ? v : fail('a number', v));
export const boolean: Check<boolean> = (v) => (typeof v === 'boolean' ? v : fail('a boolean', v));

/**
 * One of the keys of `members`. Give the type (`oneOf<Cadence>({ ... })`): the object must then name
 * every member, so a member added to the type cannot be forgotten here.
 */
export function oneOf<T extends string>(members: Record<T, unknown>): Check<T> {
  const isMember = (v: unknown): v is T => typeof v === 'string' && Object.hasOwn(members, v);
  return (v) => (isMember(v) ? v : fail(`one of ${Object.keys(members).join(', ')}`, v));
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v) => (v === undefined ? undefined : check(v));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v) => (v === null ? null : check(v));
}

export function list<T>(check: Check<T>): Check<T[]> {
  return (v) => (Array.isArray(v) ? v.map((value, i) => at(i, check, value)) : fail('a list', v));
}

/** A map of any keys to values of one kind (probabilities by path). */
export function record<T>(check: Check<T>): Check<Record<string, T>> {
  return (v) =>
    isMap(v)
      ? Object.fromEntries(Object.entries(v).map(([k, value]) => [k, at(k, check, value)]))
      : fail('a map', v);
}

/** The names in a space-separated list, as a union: `'asOf leader'` gives `'asOf' | 'leader'`. */
type Names<S extends string> = S extends `${infer Name} ${infer Rest}` ? Name | Names<Rest> : S;

/** Fields that share a check, to spread into a shape: `...each(string, 'scenarioId asOf leader')`. */
export function each<T, const S extends string>(check: Check<T>, names: S): Record<Names<S>, Check<T>> {
  // Every name is given the check.
  return Object.fromEntries(names.split(' ').map((name) => [name, check])) as Record<Names<S>, Check<T>>;
}

/**
 * The named fields of the map `v`, each read through its check: other attributes are left out, and an
 * absent optional field stays absent. Entity modules call it from check functions (not module-level
 * constants, which esbuild would keep in every bundle that imports the module).
 */
export function fields<S extends Shape>(v: unknown, shape: S): Fields<S> {
  if (!isMap(v)) return fail('a map', v);
  const read: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(shape)) {
    const value = at(name, check, v[name]);
    if (value !== undefined) read[name] = value;
  }
  // Each field has been through its check: the map has the types the shape gives.
  return read as Fields<S>;
}

/** The map `v` read as the shape its `kind` names. */
export function byKind<K extends string, T>(v: unknown, kinds: Record<K, Check<T>>): T {
  return kinds[at('kind', oneOf(kinds), isMap(v) ? v.kind : undefined)](v);
}
