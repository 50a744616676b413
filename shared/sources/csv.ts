// The `csv` source kind: a header row names the columns; `time` and `value` pick two of them.
import { parse } from 'csv-parse/sync';
import type { Source } from '../config/scenario-schema.ts';
import { SourceError } from './fetch-text.ts';
import type { RawRecord } from './records.ts';

type CsvSource = Extract<Source, { kind: 'csv' }>;

export function readCsv(text: string, source: CsvSource, location: string): RawRecord[] {
  let rows: Record<string, string>[];
  try {
    rows = parse(text, {
      columns: true,
      delimiter: source.delimiter,
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw new SourceError(location, `not valid CSV: ${(error as Error).message}`);
  }
  const header = rows[0] ? Object.keys(rows[0]) : [];
  for (const column of [source.time, source.value]) {
    if (column !== undefined && rows.length > 0 && !header.includes(column)) {
      throw new SourceError(location, `no column "${column}" (columns: ${header.join(', ')})`);
    }
  }
  // Line numbers count the header as line 1.
  return rows.map((row, i) => ({
    at: `line ${i + 2}`,
    time: row[source.time],
    value: source.value === undefined ? undefined : row[source.value],
  }));
}
