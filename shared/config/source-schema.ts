// Where an indicator's records come from (a source kind: a file or URL, its format and options) and
// the transforms applied to them, as written in a scenario file.
import * as z from 'zod';
import { areaOfInterest } from './area-schema.ts';
import { scenarioPath } from './fields.ts';

/** Where the records come from: a file (relative to the scenario file) or an HTTP(S) URL. */
const location = {
  path: scenarioPath.optional(),
  url: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL' })
    .refine(
      (u) => !/^https?:\/\/[^/]*@/.test(u),
      'a URL without a user name or password (credentials never go in YAML)',
    )
    .optional(),
};

/** How records that fall into the same period are combined. */
const aggregate = z.enum(['last', 'sum', 'mean', 'max', 'count'], 'one of last, sum, mean, max, count');

/**
 * A request header's value, never written in the YAML: from an environment variable, or from a key of
 * a Secrets Manager secret (a JSON secret; without `key`, the whole secret string). `prefix` goes in
 * front of the value (`"Bearer "`).
 */
const headerValue = z.union(
  [
    z.strictObject({
      env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name'),
      prefix: z.string().optional(),
    }),
    z.strictObject({
      secret: z.string().min(1),
      key: z.string().min(1).optional(),
      prefix: z.string().optional(),
    }),
  ],
  { error: '{ env: NAME } or { secret: <secret id>, key: <field> } (a value never goes in YAML)' },
);

/** The transforms of an indicator's series, applied in order before the records are put into periods. */
const transform = z.discriminatedUnion(
  'kind',
  [
    /** A cumulative series to the change since the previous record; a fall is kept and flagged. */
    z.strictObject({ kind: z.literal('delta') }),
    /** Combines the records of each UTC day, ISO week or calendar month into one. */
    z.strictObject({
      kind: z.literal('aggregate'),
      fn: aggregate,
      per: z.enum(['day', 'week', 'month'], 'one of day, week, month'),
    }),
    z.strictObject({ kind: z.literal('scale'), by: z.number().refine(Number.isFinite, 'a finite number') }),
    /** Keeps the records whose `field` (by default the value) equals, is in, or lies between the bounds. */
    z
      .strictObject({
        kind: z.literal('filter'),
        field: z.string().min(1).optional(),
        equals: z.union([z.string(), z.number(), z.boolean()]).optional(),
        in: z
          .array(z.union([z.string(), z.number()]))
          .min(1)
          .optional(),
        min: z.number().optional(),
        max: z.number().optional(),
      })
      .refine(
        (f) => f.equals !== undefined || f.in !== undefined || f.min !== undefined || f.max !== undefined,
        'at least one of equals, in, min or max',
      ),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'a transform kind: delta, aggregate, scale or filter' : undefined,
  },
);

/** What every kind that yields records shares: how a period's records combine, and the transforms. */
const seriesOptions = {
  aggregate: aggregate.default('last'),
  /** `zero`: the source lists events, so a period without one counts as 0 rather than missing. */
  emptyPeriods: z.enum(['missing', 'zero']).default('missing'),
  transforms: z.array(transform).default([]),
};

const recordOptions = {
  time: z.string().min(1),
  value: z.string().min(1).optional(),
  ...seriesOptions,
};

/** Request headers for HTTP sources, by header name. */
const httpOptions = {
  headers: z.record(z.string().regex(/^[A-Za-z0-9-]+$/, 'a header name'), headerValue).optional(),
};

const csvOptions = { ...recordOptions, delimiter: z.string().length(1).default(',') };

const jsonOptions = {
  ...recordOptions,
  /** Dot path to the array of records in the document; empty when the document is the array. */
  records: z.string().default(''),
  /** Dot path to the next page's URL (absent, null or empty on the last page). */
  next: z.string().min(1).optional(),
  /** The most pages one run follows; more fails the run rather than storing a partial series. */
  maxPages: z.int().min(1).max(1000).default(50),
};

/** RSS 2.0 or Atom: per period, how many items match; the matching titles and links are kept. */
const feedOptions = {
  /** An item matches when its title or summary contains any keyword (case-insensitive) ... */
  keywords: z.array(z.string().min(1)).min(1).optional(),
  /** ... or matches this regular expression (case-insensitive). Without either, every item matches. */
  match: z
    .string()
    .min(1)
    .refine((r) => {
      try {
        new RegExp(r, 'i');
        return true;
      } catch {
        return false;
      }
    }, 'a valid regular expression')
    .optional(),
  ...seriesOptions,
  aggregate: aggregate.default('sum'),
  emptyPeriods: z.enum(['missing', 'zero']).default('zero'),
};

/** GeoJSON features: the area (km²) of the features whose properties match `where`, per period. */
const geojsonOptions = {
  where: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  /** An area of interest: only the part of each feature inside it counts. */
  within: areaOfInterest.optional(),
  /** The property holding each feature's date; without it, the features describe the time of the fetch. */
  time: z.string().min(1).optional(),
  ...seriesOptions,
  aggregate: aggregate.default('sum'),
};

const csvSource = z.strictObject({ kind: z.literal('csv'), ...location, ...httpOptions, ...csvOptions });
const jsonSource = z.strictObject({ kind: z.literal('json'), ...location, ...httpOptions, ...jsonOptions });
const feedSource = z.strictObject({ kind: z.literal('feed'), ...location, ...httpOptions, ...feedOptions });
const geojsonSource = z.strictObject({
  kind: z.literal('geojson'),
  ...location,
  ...httpOptions,
  ...geojsonOptions,
});

/** A local file (inside the scenarios folder) in any of the formats above: for examples and tests. */
const filePath = { kind: z.literal('file'), path: location.path.unwrap() };
const fileSource = z.discriminatedUnion(
  'format',
  [
    z.strictObject({ ...filePath, format: z.literal('csv'), ...csvOptions }),
    z.strictObject({ ...filePath, format: z.literal('json'), ...jsonOptions }),
    z.strictObject({ ...filePath, format: z.literal('feed'), ...feedOptions }),
    z.strictObject({ ...filePath, format: z.literal('geojson'), ...geojsonOptions }),
  ],
  {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'a file format: csv, json, feed or geojson' : undefined,
  },
);

/** Values posted through the API: nothing is fetched, ingest skips the indicator. */
const manualSource = z.strictObject({ kind: z.literal('manual') });

export const source = z
  .discriminatedUnion('kind', [csvSource, jsonSource, feedSource, geojsonSource, fileSource, manualSource], {
    error: (issue) =>
      issue.code === 'invalid_union' ? 'a source kind: csv, json, feed, geojson, file or manual' : undefined,
  })
  .refine(
    (s) => s.kind === 'file' || s.kind === 'manual' || (s.path === undefined) !== (s.url === undefined),
    'exactly one of path or url',
  )
  .refine(
    (s) =>
      !['csv', 'json'].includes(s.kind === 'file' ? s.format : s.kind) ||
      ('value' in s && s.value !== undefined) ||
      ('aggregate' in s && s.aggregate === 'count'),
    'a value field, unless aggregate is count',
  );

export type Source = z.output<typeof source>;
export type Transform = z.output<typeof transform>;
export type HeaderValue = z.output<typeof headerValue>;
