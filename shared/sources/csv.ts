// The `csv` source kind: a header row names the columns; `time` and `value` pick two of them.
import { parse } from 'csv-parse/sync';
import type { Source } from '../config/source-schema.ts';
import { SourceError } from './fetch-text.ts';
import type { RawRecord } from './records.ts';

/** A CSV source: over HTTP(S), from a path, or a `file` in the csv format. */
type CsvSource = Extract<Source, { kind: 'csv' }> | Extract<Source, { format: 'csv' }>;

export function readCsv(text: string, source: CsvSource, location: string): RawRecord[] {
  let rows: { record: Record<string, string>; info: { lines: number } }[];
  try {
    // `info` gives each record's line in the file (its last line, for a quoted cell spanning lines).
    rows = parse(text, {
      columns: true,
      delimiter: source.delimiter,
      skip_empty_lines: true,
      trim: true,
      bom: true,
      info: true,
    });
  } catch (error) {
    throw new SourceError(location, `not valid CSV: ${(error as Error).message}`);
  }
  const header = rows[0] ? Object.keys(rows[0].record) : [];
  for (const column of [source.time, source.value]) {
    if (column !== undefined && rows.length > 0 && !header.includes(column)) {
      throw new SourceError(location, `no column "${column}" (columns: ${header.join(', ')})`);
    }
  }
  return rows.map(({ record, info }) => ({
    at: `line ${info.lines}`,
    time: record[source.time],
    value: source.value === undefined ? undefined : record[source.value],
    fields: record,
  }));
}
