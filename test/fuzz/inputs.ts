// fast-check generators for the fuzzer: scenario files, source documents, and API requests.
import fc from 'fast-check';
import { stringify } from 'yaml';
import { ROUTE_KEYS } from '../../functions/api/operations.ts';
import { PAGE_ROUTE_KEYS } from '../../functions/pages/routes.ts';

/** Text that is mostly garbage, sometimes structured. */
export const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.string({ maxLength: 400 }),
);

/** A valid scenario with one line replaced, removed or duplicated, or one leaf replaced by anything. */
export function scenarioText(seed: string, seedObject: unknown) {
  const lines = seed.split('\n');
  const lineMutation = fc
    .tuple(
      fc.nat({ max: lines.length - 1 }),
      fc.constantFrom('replace', 'delete', 'duplicate', 'indent'),
      anyText,
    )
    .map(([i, op, text]) => {
      const copy = [...lines];
      if (op === 'replace') copy[i] = text;
      else if (op === 'delete') copy.splice(i, 1);
      else if (op === 'duplicate') copy.splice(i, 0, copy[i] ?? '');
      else copy[i] = `  ${copy[i]}`;
      return copy.join('\n');
    });
  const leafMutation = fc.tuple(fc.nat(), fc.jsonValue({ maxDepth: 2 })).map(([pick, value]) => {
    const copy = structuredClone(seedObject) as Record<string, unknown>;
    const leaves: [Record<string, unknown>, string][] = [];
    const walk = (node: unknown) => {
      if (node && typeof node === 'object') {
        for (const [k, v] of Object.entries(node)) {
          leaves.push([node as Record<string, unknown>, k]);
          walk(v);
        }
      }
    };
    walk(copy);
    const [parent, key] = leaves[pick % leaves.length] ?? [copy, 'id'];
    parent[key] = value;
    return stringify(copy);
  });
  return fc.oneof(
    lineMutation,
    leafMutation,
    anyText,
    fc.jsonValue({ maxDepth: 3 }).map((v) => stringify(v)),
  );
}

/** Numbers a table item cannot hold (shared/store/numbers.ts) and their neighbours that it can. */
export const edgeNumber = fc.constantFrom(
  2 ** 53 + 2,
  -1e16,
  8e15,
  -8.9e15,
  Number.MAX_SAFE_INTEGER,
  1e-131,
  -5e-324,
  1e-130,
  1.7976931348623157e308,
);

const cell = fc.oneof(
  edgeNumber.map(String),
  fc.constantFrom(
    '2024-01-01',
    '2024-02',
    '2024-13-01',
    '2023-12-31T23:00:00Z',
    '',
    'NaN',
    '1e309',
    '-0',
    '"',
    '""',
  ),
  fc.double().map(String),
  fc.integer().map(String),
  fc.string({ maxLength: 12 }),
);

/** CSV text: a header naming the columns the source reads (or not), then rows of odd cells. */
export const csvText = fc.oneof(
  fc
    .tuple(
      fc.constantFrom('date,value', 'date;value', 'value,date,extra', 'other', '\uFEFFdate,value', ''),
      fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { maxLength: 20 }),
      fc.constantFrom(',', ';', '\t'),
    )
    .map(([header, rows, sep]) => [header, ...rows.map((r) => r.join(sep))].join('\n')),
  anyText,
);

const record = fc.record(
  { date: cell, value: fc.oneof(cell, fc.double(), fc.constant(null)), extra: fc.jsonValue({ maxDepth: 1 }) },
  { requiredKeys: [] },
);

/** JSON text: arrays of records, records nested under a key, any JSON, or not JSON at all. */
export const jsonText = fc.oneof(
  fc.array(record, { maxLength: 20 }).map((r) => JSON.stringify(r)),
  fc.array(record, { maxLength: 20 }).map((r) => JSON.stringify({ data: { series: r } })),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  anyText,
);

const xmlText = fc.string({ maxLength: 40 }).map((s) => s.replace(/[<&]/g, ''));
/** RSS/Atom text with odd items, or garbage. */
export const feedText = fc.oneof(
  fc
    .array(fc.tuple(xmlText, fc.oneof(cell, xmlText)), { maxLength: 10 })
    .map(
      (items) =>
        `<?xml version="1.0"?><rss version="2.0"><channel>${items
          .map(([title, date]) => `<item><title>${title}</title><pubDate>${date}</pubDate></item>`)
          .join('')}</channel></rss>`,
    ),
  fc
    .array(fc.tuple(xmlText, fc.oneof(cell, xmlText)), { maxLength: 10 })
    .map(
      (items) =>
        `<feed xmlns="http://www.w3.org/2005/Atom">${items
          .map(([title, date]) => `<entry><title>${title}</title><updated>${date}</updated></entry>`)
          .join('')}</feed>`,
    ),
  anyText,
);

const coordinate = fc.tuple(fc.double({ min: -180, max: 180 }), fc.double({ min: -90, max: 90 }));
/** GeoJSON-ish documents: polygons with odd rings and properties, or any JSON. */
export const geojsonText = fc.oneof(
  fc
    .array(
      fc.record({
        ring: fc.array(coordinate, { maxLength: 6 }),
        properties: fc.record({ date: cell, kind: fc.string({ maxLength: 5 }) }, { requiredKeys: [] }),
      }),
      { maxLength: 6 },
    )
    .map((features) =>
      JSON.stringify({
        type: 'FeatureCollection',
        features: features.map((f) => ({
          type: 'Feature',
          properties: f.properties,
          geometry: { type: 'Polygon', coordinates: [[...f.ring, ...f.ring.slice(0, 1)]] },
        })),
      }),
    ),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  anyText,
);

/** Raw records as a parser hands them to toObservations. */
export const rawRecords = fc.array(
  fc.record({
    at: fc.string({ maxLength: 8 }),
    time: fc.oneof(cell, fc.jsonValue({ maxDepth: 1 }), fc.date({ noInvalidDate: false })),
    value: fc.oneof(cell, fc.double(), fc.jsonValue({ maxDepth: 1 })),
  }),
  { maxLength: 30 },
);

// API requests.

const ids = fc.oneof(
  fc.constantFrom('kupyansk', 'manual-probe', 'probe-readings', 'ua-fires', 'atlantis', '', '..', '%E0%A4%A'),
  fc.string({ maxLength: 140 }),
);
const instants = fc.oneof(
  fc.constantFrom('2024-01-01', '2024-01-01T00:00:00Z', '2024-02-30', '2024-01-01T25:00:00Z', 'now', ''),
  fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString())),
);
const queryValue = fc.oneof(
  instants,
  fc.integer().map(String),
  fc.string({ maxLength: 30 }),
  fc.base64String(),
);
const query = fc.dictionary(
  fc.oneof(fc.constantFrom('from', 'to', 'limit', 'cursor'), fc.string({ maxLength: 8 })),
  queryValue,
  { maxKeys: 4 },
);

const observationBody = fc.record(
  {
    observations: fc.oneof(
      fc.array(
        fc.record(
          {
            period: fc.oneof(instants, fc.constantFrom('2024-03-01', '2024-03-15')),
            value: fc.oneof(fc.double(), edgeNumber, fc.jsonValue({ maxDepth: 1 })),
          },
          { requiredKeys: [] },
        ),
        { maxLength: 120 },
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const silenceBody = fc.record(
  {
    start: instants,
    end: instants,
    reason: fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.string({ minLength: 490, maxLength: 520 }),
      fc.integer(),
    ),
    kind: fc.oneof(fc.constantFrom('path-shift', 'reverted', 'everything'), fc.jsonValue({ maxDepth: 1 })),
    extra: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);
const body = fc.oneof(
  observationBody.map((b) => JSON.stringify(b)),
  // Numbers JSON.stringify would never write: beyond a double, or digits past 2^53 kept as written.
  fc
    .constantFrom('1e400', '-1e400', '9007199254740993', '1e-400', '0.1e-130')
    .map((value) => `{"observations":[{"period":"2024-03-01","value":${value}}]}`),
  fc.constantFrom('null', '[]', '""', '0'),
  silenceBody.map((b) => JSON.stringify(b)),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
  anyText,
  fc.constant(undefined),
);

export interface ApiRequest {
  routeKey: string;
  method: string;
  pathParameters: Record<string, string>;
  query: Record<string, string>;
  body: string | undefined;
  base64: boolean;
  /** Bytes sent base64 instead of `body` (not always UTF-8), as API Gateway passes a binary body. */
  bytes: number[] | undefined;
  contentType: string;
  authorized: boolean | 'wrong';
  ifNoneMatch: string | undefined;
}

export const apiRequest = fc
  .record({
    routeKey: fc.oneof(
      { weight: 9, arbitrary: fc.constantFrom(...ROUTE_KEYS) },
      { weight: 2, arbitrary: fc.constantFrom(...PAGE_ROUTE_KEYS) },
      { weight: 1, arbitrary: fc.constant('$default') },
    ),
    id: ids,
    silenceId: fc.oneof(fc.constantFrom('s1', 's2', 'a_b-c'), fc.string({ maxLength: 70 })),
    query,
    body,
    base64: fc.boolean(),
    bytes: fc.option(fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }), {
      nil: undefined,
      freq: 10,
    }),
    contentType: fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', ''),
    authorized: fc.constantFrom(true, true, true, false, 'wrong' as const),
    ifNoneMatch: fc.option(fc.constantFrom('*', '"x"', 'W/"y"', ''), { nil: undefined }),
  })
  .map(
    (r): ApiRequest => ({
      routeKey: r.routeKey,
      method: r.routeKey === '$default' ? 'GET' : (r.routeKey.split(' ')[0] ?? 'GET'),
      pathParameters: r.routeKey.includes('{silenceId}')
        ? { id: r.id, silenceId: r.silenceId }
        : r.routeKey.includes('{id}')
          ? { id: r.id }
          : {},
      query: r.query,
      body: r.body,
      base64: r.base64,
      bytes: r.bytes,
      contentType: r.contentType,
      authorized: r.authorized,
      ifNoneMatch: r.ifNoneMatch,
    }),
  );
