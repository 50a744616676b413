// The scenario file format: what an operator may write in scenarios/*.yaml, as a zod schema.
import * as z from 'zod';
import { SILENCEABLE_KINDS } from '../domain/alert-kinds.ts';
import { CADENCES, isDuration } from '../domain/period.ts';

const id = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'a lower-case id of letters, digits and dashes');

const duration = z.string().refine(isDuration, 'an ISO 8601 calendar duration such as P1M, P2W or P45D');

const cadence = z.enum(CADENCES, `one of ${CADENCES.join(', ')}`);

/** Where the records come from: a file (relative to the scenario file) or an HTTP(S) URL. */
const location = {
  // Inside the scenarios folder: that folder is what ships in each function bundle.
  path: z
    .string()
    .min(1)
    .refine(
      (p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
      'a path inside the scenarios folder',
    )
    .optional(),
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

const source = z
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

/** Per path, how likely an outcome is under that path (relative: only ratios between paths matter). */
const likelihoods = z.record(id, z.number().positive());

const gaussian = z.strictObject({
  model: z.literal('gaussian'),
  /** Per path: the mean and standard deviation the path expects for one period's value. */
  expect: z.record(id, z.strictObject({ mean: z.number(), sd: z.number().positive() })),
});

/** Value ranges: each band runs from the previous band's `below` up to its own; the last is open. */
const bands = z.strictObject({
  model: z.literal('bands'),
  bands: z
    .array(z.strictObject({ below: z.number().optional(), likelihood: likelihoods }))
    .min(2)
    .refine(
      (list) => list.every((b, i) => (i === list.length - 1 ? b.below === undefined : b.below !== undefined)),
      'a `below` on every band except the last, which is open-ended',
    )
    .refine(
      (list) =>
        list.every((b, i) => i === 0 || b.below === undefined || b.below > (list[i - 1]?.below ?? -Infinity)),
      'bands in increasing order of `below`',
    ),
});

/** The robust (Theil-Sen) slope over the last `periods` periods, against the slope each path expects. */
const trend = z.strictObject({
  model: z.literal('trend'),
  periods: z.int().min(3).max(120).default(6),
  /** `relative`: the slope as a fraction of the series' median level per period (0.05 = +5 % a period). */
  scale: z.enum(['absolute', 'relative']).default('relative'),
  expect: z.record(id, z.strictObject({ slope: z.number(), sd: z.number().positive() })),
});

/**
 * An expected event, read from a per-period series of event sizes (0 = no event): by a fixed
 * `deadline` (counting events from `from`), or within every rolling `window` (the latest window
 * before the assessment). Outcomes: `large` (happened, size >= threshold), `small` (happened, below),
 * `pending` (not yet, deadline ahead; deadline mode only), `missed` (no event in time).
 */
const event = z
  .strictObject({
    model: z.literal('event'),
    window: duration.optional(),
    from: z.iso.date().optional(),
    deadline: z.iso.date().optional(),
    threshold: z.number(),
    likelihood: z.strictObject({
      large: likelihoods,
      small: likelihoods,
      pending: likelihoods.optional(),
      missed: likelihoods,
    }),
  })
  .refine((e) => (e.window === undefined) !== (e.deadline === undefined), 'exactly one of window or deadline')
  .refine(
    (e) => e.deadline === undefined || e.likelihood.pending !== undefined,
    'a `pending` likelihood with a deadline',
  );

const evidence = z.discriminatedUnion('model', [gaussian, bands, trend, event], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'an evidence model: gaussian, bands, trend or event' : undefined,
});

/**
 * When an indicator has no current data: `ignore` it (no evidence), `keepLast` (use the last
 * data, its weight halving every `halfLife`, by default every `staleAfter`), or treat the absence
 * itself as evidence with stated likelihoods.
 */
const missing = z.union([z.enum(['ignore', 'keepLast']), z.strictObject({ absence: likelihoods })], {
  error: 'ignore, keepLast, or { absence: { <path>: likelihood, ... } }',
});

const indicator = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().optional(),
  unit: z.string().min(1),
  cadence,
  /** An indicator whose newest period ended longer ago than this is stale; default one period. */
  staleAfter: duration.optional(),
  source,
  evidence,
  /** Tempering: 1 counts the evidence in full, 0.5 as its square root, 0 not at all. */
  weight: z.number().min(0).max(1).default(1),
  /** Older evidence counts less: its weight halves every halfLife after its period ends. */
  halfLife: duration.optional(),
  /** A group of correlated indicators whose joint evidence is capped (see the scenario's groups). */
  group: id.optional(),
  missing: missing.default('ignore'),
  /**
   * Whether the indicator's series is forecast for the projected path probabilities (gaussian, bands
   * and trend models only: an event model's outcome is not a number to extrapolate). `false` holds
   * today's evidence through the horizon instead, as event models always do.
   */
  forecast: z.boolean().default(true),
});

const path = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().min(1),
  prior: z.number().gt(0).lt(1),
});

const alerting = z
  .strictObject({
    /** A challenger must lead by at least this for a data update to count towards a shift to it. */
    enterMargin: z.number().min(0).lt(1).default(0.1),
    /**
     * Below this lead (or when the current path leads) an update counts against the challenger;
     * between exitMargin and enterMargin it counts neither way. Default: half the enter margin.
     */
    exitMargin: z.number().min(0).lt(1).optional(),
    /** A shift is confirmed when m of the last n data updates favour the same new path. */
    confirm: z
      .strictObject({ m: z.int().min(1), n: z.int().min(1) })
      .refine((c) => c.m <= c.n, 'm no larger than n')
      .default({ m: 2, n: 3 }),
    /** How many indicators an update must use to count at all (and to leave insufficient-data). */
    minIndicators: z.int().min(1).default(1),
    /** The least time a path is held before the state may move away from it. */
    minDwell: duration.optional(),
    /** The least time between two path alerts (shifts or reversals). */
    cooldown: duration.optional(),
    /** A shift back to the previous path within this time of the last shift is reported as `reverted`. */
    revertWindow: duration.default('P3M'),
  })
  .refine((a) => a.exitMargin === undefined || a.exitMargin <= a.enterMargin, {
    message: 'an exit margin no larger than the enter margin',
    path: ['exitMargin'],
  })
  .default({ enterMargin: 0.1, confirm: { m: 2, n: 3 }, minIndicators: 1, revertWindow: 'P3M' });

/**
 * Projected path probabilities (docs/forecasting.md): each numeric indicator is forecast `horizon`
 * periods ahead, `draws` joint futures are sampled from the forecasts with a generator seeded by
 * `seed`, and each future is assessed and run through the alerting rules. `warnAbove` turns on the
 * forecast-warning alert: sent when the projected probability that the confirmed path changes within
 * the horizon rises to it, and re-armed once that probability falls below `warnAbove - rearmMargin`.
 */
/** The most draws × horizon a scenario may ask for: the projection's cost is linear in both. */
export const MAX_DRAW_STEPS = 12_000;

const forecast = z
  .strictObject({
    horizon: z.int('a whole number of periods').min(1).max(24).default(6),
    /** Off unless set: a warning pages people, so its threshold is the analyst's call. */
    warnAbove: z.number().gt(0, 'a probability above 0').lt(1, 'a probability below 1').optional(),
    rearmMargin: z.number().min(0).lt(1).default(0.1),
    draws: z.int('a whole number of draws').min(100).max(20_000).default(500),
    seed: z.int('a whole number').min(0).max(0xffff_ffff).default(20_261_125),
    /** How many of the newest periods of each indicator the forecasts are fitted to. */
    history: z.int('a whole number of periods').min(12).max(600).default(120),
  })
  .refine((f) => f.warnAbove === undefined || f.rearmMargin < f.warnAbove, {
    message: 'a re-arm margin smaller than warnAbove',
    path: ['rearmMargin'],
  })
  // Each draw assesses every step, so the cost is draws × horizon × (a cost per indicator): the cap
  // keeps a projection of 50 indicators to a few seconds, well inside evaluate's 60 s timeout
  // (docs/forecasting.md, Cost).
  .refine((f) => f.draws * f.horizon <= MAX_DRAW_STEPS, {
    error: (issue) => {
      const f = issue.input as { draws: number; horizon: number };
      return `draws × horizon at most ${MAX_DRAW_STEPS.toLocaleString('en')} (${f.draws} × ${f.horizon} = ${(f.draws * f.horizon).toLocaleString('en')}): a projection assesses every draw at every step, and evaluate has 60 s; lower draws or horizon`;
    },
    path: ['draws'],
  })
  .default({ horizon: 6, rearmMargin: 0.1, draws: 500, seed: 20_261_125, history: 120 });

/** Correlated indicators (e.g. two readings of the same front line) share one cap on their evidence. */
const group = z.strictObject({
  id,
  /** The most the group's indicators together may shift the odds between any two paths, in decibans. */
  cap: z.number().positive(),
});

/** A window in which the scenario's alerts (or one kind of them) are held back; a summary follows it. */
const silence = z
  .strictObject({
    id,
    start: z.iso.datetime({ offset: true }),
    end: z.iso.datetime({ offset: true }),
    reason: z.string().min(1).max(500),
    kind: z.enum(SILENCEABLE_KINDS).optional(),
  })
  .refine((s) => Date.parse(s.start) < Date.parse(s.end), {
    message: 'an end after the start',
    path: ['end'],
  });

/** What actually happened, for scoring replays: from each date on, the path that turned out true. */
const outcome = z.strictObject({ from: z.iso.date(), path: id });

export const scenarioSchema = z
  .strictObject({
    id,
    title: z.string().min(1),
    description: z.string().min(1),
    paths: z.array(path).min(2).max(6),
    alerting,
    forecast,
    groups: z.array(group).default([]),
    indicators: z.array(indicator).min(1).max(50),
    outcomes: z.array(outcome).default([]),
    silences: z.array(silence).default([]),
  })
  // Runs even when fields above are invalid, so an operator sees every problem in one pass; the data
  // may then be partly malformed, so it is read defensively.
  .superRefine((s, ctx) => crossFieldChecks(s as unknown, ctx), { when: () => true });

function crossFieldChecks(data: unknown, ctx: z.RefinementCtx): void {
  const record = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  const scenario = record(data);
  const paths = list(scenario.paths).map(record);
  const indicators = list(scenario.indicators).map(record);
  const pathIds = paths.map((p) => p.id).filter((id): id is string => typeof id === 'string');

  for (const i of duplicates(paths.map((p) => String(p.id)))) {
    ctx.addIssue({ code: 'custom', path: ['paths', i, 'id'], message: 'a path id not used before' });
  }
  for (const i of duplicates(list(scenario.groups).map((g) => String(record(g).id)))) {
    ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: 'a group id not used before' });
  }
  const minIndicators = record(scenario.alerting).minIndicators;
  if (typeof minIndicators === 'number' && indicators.length > 0 && minIndicators > indicators.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['alerting', 'minIndicators'],
      message: `at most the number of indicators (${indicators.length}), or the state could never leave insufficient-data`,
    });
  }
  // A warning needs a projected confirmed change within the horizon. From a steady state that takes
  // m updates; a shorter horizon could warn only once a shift is already pending (votes in hand),
  // i.e. never ahead of one: refused as a configuration mistake.
  const forecastBlock = record(scenario.forecast);
  const confirmM = record(record(scenario.alerting).confirm).m;
  const horizon = forecastBlock.horizon ?? 6;
  if (
    forecastBlock.warnAbove !== undefined &&
    typeof horizon === 'number' &&
    typeof confirmM === 'number' &&
    horizon < confirmM
  ) {
    ctx.addIssue({
      code: 'custom',
      path: ['forecast', 'horizon'],
      message: `a horizon of at least alerting.confirm.m (${confirmM}) periods when warnAbove is set: a shorter one cannot project a confirmed change from a steady state, so the warning could only come once a shift is already pending`,
    });
  }
  for (const i of duplicates(indicators.map((indicator) => String(indicator.id)))) {
    ctx.addIssue({
      code: 'custom',
      path: ['indicators', i, 'id'],
      message: 'an indicator id not used before',
    });
  }
  const priors = paths.map((p) => p.prior);
  // The sum is only worth reporting when each prior on its own is valid.
  if (priors.length > 0 && priors.every((p) => typeof p === 'number' && p > 0 && p < 1)) {
    const priorSum = (priors as number[]).reduce((sum, p) => sum + p, 0);
    if (Math.abs(priorSum - 1) > 1e-6) {
      ctx.addIssue({
        code: 'custom',
        path: ['paths'],
        message: `priors summing to 1 (they sum to ${priorSum})`,
      });
    }
  }
  // Every per-path table (expectations, likelihoods) must name each path of the scenario, and only those.
  indicators.forEach((indicator, i) => {
    for (const { at, table } of perPathTables(indicator, record, list)) {
      const named = Object.keys(table);
      for (const pathId of pathIds.filter((p) => !named.includes(p))) {
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', i, ...at, pathId],
          message: `an entry for path ${pathId}`,
        });
      }
      for (const extra of named.filter((p) => !pathIds.includes(p))) {
        ctx.addIssue({
          code: 'custom',
          path: ['indicators', i, ...at, extra],
          message: `one of the scenario's paths (${pathIds.join(', ')})`,
        });
      }
    }
    const groupIds = list(scenario.groups).map((g) => record(g).id);
    if (indicator.group !== undefined && !groupIds.includes(indicator.group)) {
      ctx.addIssue({
        code: 'custom',
        path: ['indicators', i, 'group'],
        message: `a group declared under groups (${groupIds.join(', ') || 'none are'})`,
      });
    }
  });
  list(scenario.outcomes).forEach((o, i) => {
    const pathId = record(o).path;
    if (typeof pathId === 'string' && !pathIds.includes(pathId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['outcomes', i, 'path'],
        message: `one of the scenario's paths (${pathIds.join(', ')})`,
      });
    }
  });
}

/** The per-path tables of an indicator, with where they sit; absent or malformed ones are skipped. */
function perPathTables(
  indicator: Record<string, unknown>,
  record: (value: unknown) => Record<string, unknown>,
  list: (value: unknown) => unknown[],
): { at: (string | number)[]; table: Record<string, unknown> }[] {
  const evidence = record(indicator.evidence);
  const tables: { at: (string | number)[]; table: Record<string, unknown> }[] = [];
  if (evidence.model === 'gaussian' || evidence.model === 'trend') {
    tables.push({ at: ['evidence', 'expect'], table: record(evidence.expect) });
  }
  if (evidence.model === 'bands') {
    list(evidence.bands).forEach((band, b) => {
      tables.push({ at: ['evidence', 'bands', b, 'likelihood'], table: record(record(band).likelihood) });
    });
  }
  if (evidence.model === 'event') {
    const likelihood = record(evidence.likelihood);
    for (const outcome of ['large', 'small', 'pending', 'missed']) {
      if (likelihood[outcome] !== undefined) {
        tables.push({ at: ['evidence', 'likelihood', outcome], table: record(likelihood[outcome]) });
      }
    }
  }
  const missing = record(indicator.missing);
  if (missing.absence !== undefined)
    tables.push({ at: ['missing', 'absence'], table: record(missing.absence) });
  // An empty table was already reported by its own schema; naming every path again adds nothing.
  return tables.filter(({ table }) => Object.keys(table).length > 0);
}

function duplicates(values: string[]): number[] {
  return values.flatMap((v, i) => (values.indexOf(v) < i ? [i] : []));
}

export type Scenario = z.output<typeof scenarioSchema>;
export type Indicator = Scenario['indicators'][number];
export type Path = Scenario['paths'][number];
export type Source = Indicator['source'];
export type Transform = z.output<typeof transform>;
export type HeaderValue = z.output<typeof headerValue>;
