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

const gaussian = z.strictObject({
  model: z.literal('gaussian'),
  /** Per path: the mean and standard deviation the path expects for one period's value. */
  expect: z.record(id, z.strictObject({ mean: z.number(), sd: z.number().positive() })),
});

const evidence = z.discriminatedUnion('model', [gaussian], {
  error: (issue) => (issue.code === 'invalid_union' ? 'an evidence model: gaussian' : undefined),
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
});

const path = z.strictObject({
  id,
  title: z.string().min(1),
  description: z.string().min(1),
  prior: z.number().gt(0).lt(1),
});

const alerting = z
  .strictObject({
    /** The leader must be ahead of the runner-up by this much for an evaluation to count for it. */
    enterMargin: z.number().min(0).lt(1).default(0.1),
    /** A shift is confirmed when m of the last n data updates favour the same new path. */
    confirm: z
      .strictObject({ m: z.int().min(1), n: z.int().min(1) })
      .refine((c) => c.m <= c.n, 'm no larger than n')
      .default({ m: 2, n: 3 }),
  })
  .default({ enterMargin: 0.1, confirm: { m: 2, n: 3 } });

export const scenarioSchema = z
  .strictObject({
    id,
    title: z.string().min(1),
    description: z.string().min(1),
    paths: z.array(path).min(2).max(6),
    alerting,
    indicators: z.array(indicator).min(1).max(50),
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
  indicators.forEach((indicator, i) => {
    const expect = record(record(indicator.evidence).expect);
    const expected = Object.keys(expect);
    if (expected.length === 0) return; // already reported as a missing or invalid field
    for (const pathId of pathIds.filter((p) => !expected.includes(p))) {
      ctx.addIssue({
        code: 'custom',
        path: ['indicators', i, 'evidence', 'expect', pathId],
        message: `an expectation for path ${pathId}`,
      });
    }
    for (const extra of expected.filter((p) => !pathIds.includes(p))) {
      ctx.addIssue({
        code: 'custom',
        path: ['indicators', i, 'evidence', 'expect', extra],
        message: `one of the scenario's paths (${pathIds.join(', ')})`,
      });
    }
  });
}

function duplicates(values: string[]): number[] {
  return values.flatMap((v, i) => (values.indexOf(v) < i ? [i] : []));
}

export type Scenario = z.output<typeof scenarioSchema>;
export type Indicator = Scenario['indicators'][number];
export type Path = Scenario['paths'][number];
export type Source = Indicator['source'];
