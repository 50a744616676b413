// The scenario file format: what an operator may write in scenarios/*.yaml, as a zod schema.
import * as z from 'zod';
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

const recordOptions = {
  time: z.string().min(1),
  value: z.string().min(1).optional(),
  aggregate: aggregate.default('last'),
  /** `zero`: the source lists events, so a period without one counts as 0 rather than missing. */
  emptyPeriods: z.enum(['missing', 'zero']).default('missing'),
};

const csvSource = z.strictObject({
  kind: z.literal('csv'),
  ...location,
  ...recordOptions,
  delimiter: z.string().length(1).default(','),
});

const jsonSource = z.strictObject({
  kind: z.literal('json'),
  ...location,
  ...recordOptions,
  /** Dot path to the array of records in the document; empty when the document is the array. */
  records: z.string().default(''),
});

const source = z
  .discriminatedUnion('kind', [csvSource, jsonSource], {
    error: (issue) => (issue.code === 'invalid_union' ? 'a source kind: csv or json' : undefined),
  })
  .refine((s) => (s.path === undefined) !== (s.url === undefined), 'exactly one of path or url')
  .refine(
    (s) => s.value !== undefined || s.aggregate === 'count',
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

/** Correlated indicators (e.g. two readings of the same front line) share one cap on their evidence. */
const group = z.strictObject({
  id,
  /** The most the group's indicators together may shift the odds between any two paths, in decibans. */
  cap: z.number().positive(),
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
    groups: z.array(group).default([]),
    indicators: z.array(indicator).min(1).max(50),
    outcomes: z.array(outcome).default([]),
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
