// When a shift is confirmed and alerted, projected and warned of, or held back, as written in a scenario
// file: the alerting rules, the forecast block and silences.
import * as z from 'zod';
import { SILENCEABLE_KINDS } from '../domain/alert-kinds.ts';
import { duration, id } from './fields.ts';

export const alerting = z
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

/** The most draws × horizon a scenario may ask for: the projection's cost is linear in both. */
export const MAX_DRAW_STEPS = 12_000;

/**
 * Projected path probabilities (docs/forecasting.md): each numeric indicator is forecast `horizon`
 * periods ahead, `draws` joint futures are sampled from the forecasts with a generator seeded by
 * `seed`, and each future is assessed and run through the alerting rules. `warnAbove` turns on the
 * forecast-warning alert: sent when the projected probability that the confirmed path changes within
 * the horizon rises to it, and re-armed once that probability falls below `warnAbove - rearmMargin`.
 */
export const forecast = z
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

/** A window in which the scenario's alerts (or one kind of them) are held back; a summary follows it. */
export const silence = z
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
