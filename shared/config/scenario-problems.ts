// Turns YAML parser errors and zod issues on a scenario file into problems an operator can act on:
// each at its own line, with the field path, and a plain reason (missing, unknown, did you mean).
import { type Document, isMap, isSeq, type LineCounter, type YAMLError } from 'yaml';
import type * as z from 'zod';
import type { ScenarioProblem } from './load-scenarios.ts';
import { scenarioSchema } from './scenario-schema.ts';

/** Parser error codes that, in a hand-written scenario, almost always mean a line is mis-indented. */
const INDENTATION_CODES = new Set(['BAD_INDENT', 'BLOCK_AS_IMPLICIT_KEY', 'MULTILINE_IMPLICIT_KEY']);

/** The first YAML error of a document, in plain words, at the line most likely at fault. */
export function yamlProblem(
  first: YAMLError,
  all: readonly YAMLError[],
  lines: LineCounter,
  file: string,
): ScenarioProblem {
  const parserText = first.message.split('\n')[0] ?? first.code;
  // A line indented too far joins the line above as a multi-line key: the parser reports that key's
  // start, but the line to fix is where the key ends.
  const multiline = all.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY' && e.pos[0] === first.pos[0]);
  const line = lines.linePos((multiline ?? first).pos[multiline ? 1 : 0]).line;
  let reason: string;
  if (first.code === 'DUPLICATE_KEY') reason = 'a key written twice in the same mapping';
  else if (first.code === 'TAB_AS_INDENT') reason = 'a tab used for indentation; indent with spaces';
  else if (first.code === 'MISSING_CHAR' && /quote/i.test(parserText))
    reason = `${parserText.toLowerCase()} (a quoted value is not closed)`;
  else if (/^flow (sequence|mapping|collection)/i.test(parserText))
    reason = 'a [ or { opened on the line above is not closed (or the line is not indented enough)';
  else if (INDENTATION_CODES.has(first.code) || parserText.startsWith('Sequence item without'))
    reason =
      'this line does not fit the lines around it; check the indentation of this line or the one above';
  else reason = `${parserText}; check this line or the one above`;
  return {
    file,
    line,
    field: '',
    expected: `valid YAML (${parserText})`,
    message: `not valid YAML: ${reason}`,
  };
}

/**
 * The zod issues of a parsed document as problems. An unknown key becomes one problem at its own
 * line, suggesting a known field of the same object spelt alike; when that suggestion is a missing
 * required field, its "missing" issue is folded into the unknown key's problem.
 */
export function schemaProblems(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  doc: Document,
  lines: LineCounter,
  file: string,
): ScenarioProblem[] {
  const unknown: { path: PropertyKey[]; key: string; suggestion: string | undefined }[] = [];
  for (const issue of issues) {
    if (issue.code !== 'unrecognized_keys') continue;
    const present = Object.keys(asRecord(valueAt(data, issue.path)));
    const absent = knownFieldsAt(data, issue.path).filter((k) => !present.includes(k));
    for (const key of issue.keys)
      unknown.push({ path: [...issue.path], key, suggestion: closest(key, absent) });
  }
  const folded = new Set(
    unknown.flatMap((u) => (u.suggestion === undefined ? [] : [fieldPath([...u.path, u.suggestion])])),
  );
  const problems: ScenarioProblem[] = [];
  for (const issue of issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const u of unknown.filter((x) => samePath(x.path, issue.path))) {
        const at = [...u.path, u.key];
        problems.push({
          file,
          line: lineOf(doc, lines, at),
          field: fieldPath(at),
          expected: `no unknown field (${u.key})`,
          message:
            u.suggestion === undefined
              ? `unknown field \`${u.key}\``
              : `unknown field \`${u.key}\`; did you mean \`${u.suggestion}\`?`,
        });
      }
      continue;
    }
    const field = fieldPath(issue.path);
    const missing = issue.code !== 'custom' && isMissing(data, issue.path);
    if (missing && folded.has(field)) continue;
    const expected = describeExpectation(issue, missing);
    problems.push({
      file,
      line: lineOf(doc, lines, issue.path),
      field,
      expected,
      ...(missing ? { message: `missing (expected ${expected})` } : {}),
    });
  }
  return problems;
}

export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((k, i) => k === b[i]);
}

function describeExpectation(issue: z.core.$ZodIssue, missing: boolean): string {
  // zod's default texts start with "Invalid input: expected ..."; keep only what was expected.
  let message = issue.message
    .replace(/^Invalid (input|option): expected /, '')
    .replace(/^Invalid input: /, '');
  if (missing) message = message.replace(/, received undefined$/, '');
  if (issue.code === 'too_small' || issue.code === 'too_big')
    return message.replace(/^Too (small|big): expected /, '');
  return message;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** True when the issue is about a key its (existing) parent mapping does not have at all. */
function isMissing(data: unknown, path: readonly PropertyKey[]): boolean {
  const key = path.at(-1);
  if (typeof key !== 'string') return false;
  const parent = valueAt(data, path.slice(0, -1));
  return parent !== null && typeof parent === 'object' && !Array.isArray(parent) && !(key in parent);
}

/** The parts of a zod schema's definition that lead from a value to the schemas of its fields. */
interface SchemaDef {
  type: string;
  innerType?: z.core.$ZodType;
  in?: z.core.$ZodType;
  options?: z.core.$ZodType[];
  discriminator?: string;
  shape?: Record<string, z.core.$ZodType>;
  element?: z.core.$ZodType;
  valueType?: z.core.$ZodType;
  /** A literal's accepted values. */
  values?: unknown[];
}

const defOf = (schema: z.core.$ZodType): SchemaDef => schema._zod.def as unknown as SchemaDef;

/** The object schemas `schema` may be for `value`: wrappers unwrapped, union options narrowed by discriminator. */
function objectShapes(schema: z.core.$ZodType, value: unknown, depth = 0): Record<string, z.core.$ZodType>[] {
  if (depth > 20) return [];
  const def = defOf(schema);
  if (def.type === 'object' && def.shape) return [def.shape];
  if (def.innerType) return objectShapes(def.innerType, value, depth + 1);
  if (def.type === 'pipe' && def.in) return objectShapes(def.in, value, depth + 1);
  if (def.type === 'union' && def.options) {
    const shapes = def.options.flatMap((o) => objectShapes(o, value, depth + 1));
    const tag = def.discriminator === undefined ? undefined : asRecord(value)[def.discriminator];
    if (def.discriminator === undefined || tag === undefined) return shapes;
    const discriminator = def.discriminator;
    const matching = shapes.filter((s) => {
      const field = s[discriminator];
      return field !== undefined && (defOf(field).values ?? []).includes(tag);
    });
    return matching.length > 0 ? matching : shapes;
  }
  return [];
}

/** The schemas that apply at `path` in `data`, following objects, arrays, records and unions. */
function schemasAt(data: unknown, path: readonly PropertyKey[]): z.core.$ZodType[] {
  let schemas: z.core.$ZodType[] = [scenarioSchema];
  let value = data;
  for (const key of path) {
    const next: z.core.$ZodType[] = [];
    for (const schema of schemas) {
      if (typeof key === 'number') next.push(...elementSchemas(schema));
      if (typeof key !== 'string') continue;
      for (const shape of objectShapes(schema, value)) {
        const field = shape[key];
        if (field) next.push(field);
      }
      next.push(...recordValueSchemas(schema));
    }
    schemas = next;
    value = valueAt(value, [key]);
  }
  return schemas;
}

function elementSchemas(schema: z.core.$ZodType, depth = 0): z.core.$ZodType[] {
  const def = defOf(schema);
  if (depth > 20) return [];
  if (def.type === 'array' && def.element) return [def.element];
  if (def.innerType) return elementSchemas(def.innerType, depth + 1);
  if (def.type === 'pipe' && def.in) return elementSchemas(def.in, depth + 1);
  return [];
}

function recordValueSchemas(schema: z.core.$ZodType, depth = 0): z.core.$ZodType[] {
  const def = defOf(schema);
  if (depth > 20) return [];
  if (def.type === 'record' && def.valueType) return [def.valueType];
  if (def.innerType) return recordValueSchemas(def.innerType, depth + 1);
  return [];
}

/** Every field name the schema knows for the mapping at `path`. */
function knownFieldsAt(data: unknown, path: readonly PropertyKey[]): string[] {
  const value = valueAt(data, path);
  const names = schemasAt(data, path).flatMap((s) =>
    objectShapes(s, value).flatMap((shape) => Object.keys(shape)),
  );
  return [...new Set(names)];
}

/** The candidate nearest to `key` in spelling, if near enough to be a plausible typo. */
function closest(key: string, candidates: readonly string[]): string | undefined {
  const limit = Math.max(1, Math.min(2, Math.floor(key.length / 3)));
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = editDistance(key.toLowerCase(), name.toLowerCase());
    if (distance <= limit && (best === undefined || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

/**
 * Optimal string alignment distance (insertions, deletions, substitutions, adjacent swaps). Written
 * here because none of the installed packages exports one (commander's "did you mean" is internal),
 * and a dozen lines do not justify a new dependency.
 */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number): number => d[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        best = Math.min(best, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = best;
    }
  }
  return at(a.length, b.length);
}

/** The 1-based line of the deepest node on `path` that exists in the document. */
export function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as { range?: [number] } | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? null : lines.linePos(offset).line;
}
