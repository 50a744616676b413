// Items as stored, and the checks fromItem reads them through: a malformed item fails where it is read,
// with an error naming the entity, the key and the field, instead of flowing on as a wrong type.
// Hand-written rather than zod: the checks ride in every function bundle (evaluate has a few hundred
// bytes to spare of its 300 KB budget), and zod/mini's object, array and record schemas cost ≈ 8 KB.
import type { TransactWriteCommandInput } from '@aws-sdk/lib-dynamodb';
import { ENTITY_ATTRIBUTE, type Entity, type Key, TABLE_KEY } from './table.ts';

/** A stored item, as the document client reads and writes it. */
export type Item = Record<string, unknown>;

/** One write of a transaction (entity modules give the writes of theirs a transaction takes part in). */
export type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

/** An item as stored: the entity's fields plus its key and entity name. */
export function toItem(entity: Entity, key: Key, fields: object): Item {
  return { ...fields, ...key, [ENTITY_ATTRIBUTE]: entity };
}

/**
 * A stored item without the fields of its entity: `malformed alert item SCN#x/ALERT#00000002:
 * contributions[0].weight is not a number`.
 */
export class MalformedItemError extends Error {
  override name = 'MalformedItemError';
}

/** Reads the value found at `at` (a field path) as a T, or throws a MalformedItemError naming `at`. */
export type Check<T> = (value: unknown, at: string) => T;
type Out<C> = C extends Check<infer T> ? T : never;
type Shape = Record<string, Check<unknown>>;
/** The fields a shape reads: those whose check can give undefined are optional. */
type Fields<S extends Shape> = {
  [K in keyof S as undefined extends Out<S[K]> ? never : K]: Out<S[K]>;
} & { [K in keyof S as undefined extends Out<S[K]> ? K : never]?: Out<S[K]> };

/** The entity's fields of a stored item, checked; the keys, the entity name and any other attribute are left out. */
export function readItem<T>(entity: Entity, item: Item, fields: Check<T>): T {
  try {
    return fields(item, '');
  } catch (error) {
    throw error instanceof MalformedItemError
      ? new MalformedItemError(
          `malformed ${entity} item ${item[TABLE_KEY.partition]}/${item[TABLE_KEY.sort]}: ${error.message}`,
        )
      : error;
  }
}

const fail = (at: string, expected: string, value: unknown): never => {
  throw new MalformedItemError(`${at} ${value === undefined ? 'is missing' : `is not ${expected}`}`);
};

const isKeyOf = <K extends string>(members: Record<K, unknown>, v: unknown): v is K =>
  typeof v === 'string' && Object.hasOwn(members, v);

const isMap = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const string: Check<string> = (v, at) => (typeof v === 'string' ? v : fail(at, 'a string', v));
export const number: Check<number> = (v, at) => (typeof v === 'number' ? v : fail(at, 'a number', v));
export const boolean: Check<boolean> = (v, at) => (typeof v === 'boolean' ? v : fail(at, 'a boolean', v));

/**
 * One of the keys of `members`. Give the type (`oneOf<Cadence>({ ... })`): the object must then name
 * every member, so a member added to the type cannot be forgotten here.
 */
export function oneOf<T extends string>(members: Record<T, true>): Check<T> {
  return (v, at) => (isKeyOf(members, v) ? v : fail(at, `one of ${Object.keys(members).join(', ')}`, v));
}

export function optional<T>(check: Check<T>): Check<T | undefined> {
  return (v, at) => (v === undefined ? undefined : check(v, at));
}

export function nullable<T>(check: Check<T>): Check<T | null> {
  return (v, at) => (v === null ? null : check(v, at));
}

export function list<T>(check: Check<T>): Check<T[]> {
  return (v, at) =>
    Array.isArray(v) ? v.map((value, i) => check(value, `${at}[${i}]`)) : fail(at, 'a list', v);
}

/** A map of any keys to values of one kind (probabilities by path). */
export function record<T>(check: Check<T>): Check<Record<string, T>> {
  return (v, at) =>
    isMap(v)
      ? Object.fromEntries(Object.entries(v).map(([k, value]) => [k, check(value, `${at}.${k}`)]))
      : fail(at, 'a map', v);
}

/**
 * The named fields of the map `v`, each read through its check: other attributes are left out, and an
 * absent optional field stays absent. Entity modules call it from check functions (not module-level
 * constants, which esbuild would keep in every bundle that imports the module).
 */
export function fields<S extends Shape>(v: unknown, at: string, shape: S): Fields<S> {
  if (!isMap(v)) return fail(at, 'a map', v);
  const read: Record<string, unknown> = {};
  for (const [name, check] of Object.entries(shape)) {
    const value = check(v[name], at ? `${at}.${name}` : name);
    if (value !== undefined) read[name] = value;
  }
  // Each field has been through its check: the map has the types the shape gives.
  return read as Fields<S>;
}

/** The map `v` read as the shape its `kind` names. */
export function byKind<K extends string, T>(v: unknown, at: string, kinds: Record<K, Check<T>>): T {
  const kind = isMap(v) ? v.kind : undefined;
  return isKeyOf(kinds, kind)
    ? kinds[kind](v, at)
    : fail(at ? `${at}.kind` : 'kind', `one of ${Object.keys(kinds).join(', ')}`, kind);
}
