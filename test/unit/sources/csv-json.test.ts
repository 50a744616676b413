// The csv and json source kinds: columns and fields to raw records, positions, and errors that name the problem.
import { describe, expect, it } from 'vitest';
import type { Source } from '../../../shared/config/source-schema.ts';
import { readCsv as readCsvRecords } from '../../../shared/sources/csv.ts';
import { SourceError } from '../../../shared/sources/fetch-text.ts';
import { readJson as readJsonRecords } from '../../../shared/sources/json.ts';
import type { RawRecord } from '../../../shared/sources/records.ts';
import { indicatorWithSource } from '../../fixtures/scenario.ts';

/** The records without their `fields` (the whole row, for filters), which these tests do not check. */
function withoutFields(records: RawRecord[]): Omit<RawRecord, 'fields'>[] {
  return records.map(({ fields: _fields, ...record }) => record);
}
const readCsv = (...args: Parameters<typeof readCsvRecords>) => withoutFields(readCsvRecords(...args));
const readJson = (...args: Parameters<typeof readJsonRecords>) => withoutFields(readJsonRecords(...args));

type CsvSource = Extract<Source, { kind: 'csv' }>;
type JsonSource = Extract<Source, { kind: 'json' }>;

/** A source as the scenario loader fills it in (defaults and all), with `options` over it. */
function csvSource(options: Partial<CsvSource> = {}): CsvSource {
  const { source } = indicatorWithSource('{ kind: csv, path: data/x.csv, time: month, value: value }');
  return { ...(source as CsvSource), ...options };
}

function jsonSource(options: Partial<JsonSource> = {}): JsonSource {
  const { source } = indicatorWithSource(
    '{ kind: json, path: data/x.json, time: month, value: value, records: series }',
  );
  return { ...(source as JsonSource), ...options };
}

function sourceError(read: () => unknown): SourceError {
  try {
    read();
  } catch (error) {
    if (error instanceof SourceError) return error;
    throw error;
  }
  throw new Error('expected a SourceError');
}

describe('readCsv', () => {
  it('maps the time and value columns of each row, numbering lines from the header as line 1', () => {
    // Arrange
    const text = 'month,value,note\n2024-01,10,a\n2024-02,11,b\n';

    // Act
    const rows = readCsv(text, csvSource(), 'data/x.csv');

    // Assert
    expect(rows).toEqual([
      { at: 'line 2', time: '2024-01', value: '10' },
      { at: 'line 3', time: '2024-02', value: '11' },
    ]);
  });

  it.each([
    ['a semicolon delimiter', 'month;value\n2024-01;10\n', ';'],
    ['a byte-order mark', '\uFEFFmonth,value\n2024-01,10\n', ','],
    ['Windows line endings', 'month,value\r\n2024-01,10\r\n', ','],
    ['quoted cells and padding', 'month , "value"\n "2024-01" , "10"\n', ','],
    ['no final newline', 'month,value\n2024-01,10', ','],
  ] satisfies [name: string, text: string, delimiter: string][])(
    'reads a file with %s',
    (_name, text, delimiter) => {
      // Act
      const rows = readCsv(text, csvSource({ delimiter }), 'data/x.csv');

      // Assert
      expect(rows).toEqual([{ at: 'line 2', time: '2024-01', value: '10' }]);
    },
  );

  it('leaves the value undefined when the source counts records', () => {
    // Arrange
    const source = csvSource({ value: undefined, aggregate: 'count', time: 'date' });

    // Act
    const rows = readCsv('date,event\n2024-01-03,strike\n', source, 'data/x.csv');

    // Assert
    expect(rows).toEqual([{ at: 'line 2', time: '2024-01-03', value: undefined }]);
  });

  it.each([
    { column: 'time', text: 'date,value\n2024-01,1\n', missing: 'month', columns: 'date, value' },
    { column: 'value', text: 'month,amount\n2024-01,1\n', missing: 'value', columns: 'month, amount' },
  ])(
    'rejects a file without the $column column, listing the columns it has',
    ({ text, missing, columns }) => {
      // Act
      const error = sourceError(() => readCsv(text, csvSource(), 'data/x.csv'));

      // Assert
      expect(error.location).toBe('data/x.csv');
      expect(error.message).toBe(`data/x.csv: no column "${missing}" (columns: ${columns})`);
    },
  );

  it.each([
    { name: 'an unclosed quote', text: 'month,value\n2024-01,"10\n' },
    { name: 'a row with too many cells', text: 'month,value\n2024-01,10,extra\n' },
  ])('rejects $name as not valid CSV', ({ text }) => {
    // Act
    const error = sourceError(() => readCsv(text, csvSource(), 'data/x.csv'));

    // Assert
    expect(error.name).toBe('SourceError');
    expect(error.message).toMatch(/^data\/x\.csv: not valid CSV: /);
  });

  it('returns no records for a file with only a header', () => {
    // Act
    const rows = readCsv('month,value\n', csvSource(), 'data/x.csv');

    // Assert
    expect(rows).toEqual([]);
  });

  it.each([
    {
      name: 'a blank line',
      text: 'month,value\n2024-01,10\n\n2024-02,x\n',
      line: 4,
    },
    {
      name: 'a quoted cell spanning two lines',
      text: 'month,value,note\n2024-01,10,"two\nlines"\n2024-02,x,\n',
      line: 4,
    },
  ])('gives the file line of a record after $name', ({ text, line }) => {
    // Act
    const rows = readCsv(text, csvSource(), 'data/x.csv');

    // Assert
    expect(rows.find((r) => r.value === 'x')?.at).toBe(`line ${line}`);
  });
});

describe('readJson', () => {
  it('maps the time and value fields of each record at the dot path, naming positions name[i]', () => {
    // Arrange
    const text = JSON.stringify({
      data: {
        series: [
          { month: '2024-01', value: 10 },
          { month: '2024-02', value: '11' },
        ],
      },
    });

    // Act
    const rows = readJson(text, jsonSource({ records: 'data.series' }), 'data/x.json');

    // Assert
    expect(rows).toEqual([
      { at: 'data.series[0]', time: '2024-01', value: 10 },
      { at: 'data.series[1]', time: '2024-02', value: '11' },
    ]);
  });

  it('reads a document that is itself the array when the path is empty', () => {
    // Act
    const rows = readJson('[{"month":"2024-01","value":1}]', jsonSource({ records: '' }), 'data/x.json');

    // Assert
    expect(rows).toEqual([{ at: '[0]', time: '2024-01', value: 1 }]);
  });

  it('passes records that are not objects, or lack fields, through as undefined for the records step to reject', () => {
    // Act
    const rows = readJson('{"series":[null, 3, "x", {"month":"2024-01"}]}', jsonSource(), 'data/x.json');

    // Assert
    expect(rows).toEqual([
      { at: 'series[0]', time: undefined, value: undefined },
      { at: 'series[1]', time: undefined, value: undefined },
      { at: 'series[2]', time: undefined, value: undefined },
      { at: 'series[3]', time: '2024-01', value: undefined },
    ]);
  });

  it.each([
    {
      name: 'a path to an object',
      text: '{"series":{"month":"2024-01"}}',
      records: 'series',
      shown: 'series',
    },
    { name: 'a path that does not exist', text: '{"data":[]}', records: 'series', shown: 'series' },
    { name: 'a path through a scalar', text: '{"data":5}', records: 'data.series', shown: 'data.series' },
    { name: 'a path through null', text: '{"data":null}', records: 'data.series', shown: 'data.series' },
    { name: 'a root that is an object', text: '{"series":[]}', records: '', shown: '(document root)' },
  ])('rejects $name, naming the path', ({ text, records, shown }) => {
    // Act
    const error = sourceError(() => readJson(text, jsonSource({ records }), 'data/x.json'));

    // Assert
    expect(error.location).toBe('data/x.json');
    expect(error.message).toBe(`data/x.json: expected an array of records at "${shown}"`);
  });

  it('rejects a document that is not JSON', () => {
    // Act
    const error = sourceError(() => readJson('{"series": [', jsonSource(), 'data/x.json'));

    // Assert
    expect(error.message).toMatch(/^data\/x\.json: not valid JSON: /);
  });
});
