// The `json` source kind: an array of records (at a dot path in the document), with time and value
// fields, and optionally the URL of the next page.
import type { Source } from '../config/source-schema.ts';
import type { RawRecord } from './records.ts';
import { SourceError } from './source-error.ts';

/** A JSON source: over HTTP(S), from a path, or a `file` in the json format. */
type JsonSource = Extract<Source, { kind: 'json' }> | Extract<Source, { format: 'json' }>;

export interface JsonPage {
  records: RawRecord[];
  /** The next page's URL as the document gives it (possibly relative), or undefined on the last page. */
  next: string | undefined;
}

function at(document: unknown, path: string): unknown {
  const keys = path === '' ? [] : path.split('.');
  return keys.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    document,
  );
}

export function readJsonPage(text: string, source: JsonSource, location: string, page = 1): JsonPage {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SourceError(location, `not valid JSON: ${(error as Error).message}`);
  }
  const records = at(document, source.records);
  if (!Array.isArray(records)) {
    throw new SourceError(
      location,
      `expected an array of records at "${source.records || '(document root)'}"${page > 1 ? ` on page ${page}` : ''}`,
    );
  }
  const name = `${page > 1 ? `page ${page} ` : ''}${source.records || ''}`;
  const next = source.next === undefined ? undefined : at(document, source.next);
  if (next !== undefined && next !== null && next !== '' && typeof next !== 'string') {
    throw new SourceError(location, `the next-page field "${source.next}" is not a URL`);
  }
  return {
    records: records.map((record, i) => {
      const fields = record !== null && typeof record === 'object' ? (record as Record<string, unknown>) : {};
      return {
        at: `${name}[${i}]`,
        time: fields[source.time],
        value: source.value === undefined ? undefined : fields[source.value],
        fields,
      };
    }),
    next: typeof next === 'string' && next !== '' ? next : undefined,
  };
}

/** One document's records (the first page). */
export function readJson(text: string, source: JsonSource, location: string): RawRecord[] {
  return readJsonPage(text, source, location).records;
}
