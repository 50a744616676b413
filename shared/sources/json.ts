// The `json` source kind: an array of records (at a dot path in the document), with time and value fields.
import type { Source } from '../config/scenario-schema.ts';
import { SourceError } from './fetch-text.ts';
import type { RawRecord } from './records.ts';

type JsonSource = Extract<Source, { kind: 'json' }>;

export function readJson(text: string, source: JsonSource, location: string): RawRecord[] {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SourceError(location, `not valid JSON: ${(error as Error).message}`);
  }
  const keys = source.records === '' ? [] : source.records.split('.');
  const records = keys.reduce<unknown>(
    (node, key) =>
      node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[key] : undefined,
    document,
  );
  if (!Array.isArray(records)) {
    throw new SourceError(
      location,
      `expected an array of records at "${source.records || '(document root)'}"`,
    );
  }
  const name = source.records || '';
  return records.map((record, i) => {
    const fields = record !== null && typeof record === 'object' ? (record as Record<string, unknown>) : {};
    return {
      at: `${name}[${i}]`,
      time: fields[source.time],
      value: source.value === undefined ? undefined : fields[source.value],
    };
  });
}
