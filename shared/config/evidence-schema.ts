// How an indicator's data counts as evidence for each path (its evidence model), and what counts when
// it has no current data, as written in a scenario file.
import * as z from 'zod';
import { duration, id, likelihoods } from './fields.ts';

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

export const evidence = z.discriminatedUnion('model', [gaussian, bands, trend, event], {
  error: (issue) =>
    issue.code === 'invalid_union' ? 'an evidence model: gaussian, bands, trend or event' : undefined,
});

/**
 * When an indicator has no current data: `ignore` it (no evidence), `keepLast` (use the last
 * data, its weight halving every `halfLife`, by default every `staleAfter`), or treat the absence
 * itself as evidence with stated likelihoods.
 */
export const missing = z.union([z.enum(['ignore', 'keepLast']), z.strictObject({ absence: likelihoods })], {
  error: 'ignore, keepLast, or { absence: { <path>: likelihood, ... } }',
});
