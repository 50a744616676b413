// The scenario file format: what an operator may write in scenarios/*.yaml, as a zod schema.
import * as z from 'zod';
import { alerting, forecast, silence } from './alerting-schema.ts';
import { dynamics } from './dynamics-schema.ts';
import { evidence, missing } from './evidence-schema.ts';
import { cadence, duration, id } from './fields.ts';
import { crossFieldChecks } from './scenario-checks.ts';
import { source } from './source-schema.ts';

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

/** Correlated indicators (e.g. two readings of the same front line) share one cap on their evidence. */
const group = z.strictObject({
  id,
  /** The most the group's indicators together may shift the odds between any two paths, in decibans. */
  cap: z.number().positive(),
});

/**
 * What actually happened, for scoring and calibration: from each date on (until the next entry), the
 * path that turned out true; `null` when it is not known (yet). `known`: when it became known, if
 * later than `from` (an outcome judged over the following months): calibration by rolling origin
 * fits each month only on outcomes known by then.
 */
const outcome = z.strictObject({ from: z.iso.date(), path: id.nullable(), known: z.iso.date().optional() });

export const scenarioSchema = z
  .strictObject({
    id,
    title: z.string().min(1),
    description: z.string().min(1),
    paths: z.array(path).min(2).max(6),
    alerting,
    forecast,
    dynamics: dynamics.default({ temperature: 1 }),
    groups: z.array(group).default([]),
    indicators: z.array(indicator).min(1).max(50),
    outcomes: z.array(outcome).default([]),
    silences: z.array(silence).default([]),
  })
  // Runs even when fields above are invalid, so an operator sees every problem in one pass; the data
  // may then be partly malformed, so it is read defensively.
  .superRefine((s, ctx) => crossFieldChecks(s as unknown, ctx), { when: () => true });

export type Scenario = z.output<typeof scenarioSchema>;
export type Indicator = Scenario['indicators'][number];
export type Path = Scenario['paths'][number];
