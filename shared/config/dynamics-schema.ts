// How a scenario's paths move over time (docs/evidence-models.md, "The path filter"): how likely the world
// is to change path from one period to the next, and how far each period's evidence is trusted.
import * as z from 'zod';
import { id } from './fields.ts';

const probability = z.number().min(0).max(1);

export const dynamics = z.strictObject({
  /**
   * The chance, each period, that the world re-draws its path from the priors (so it may land on the
   * same one). 0: the paths never change and evidence accumulates for ever; 1: nothing carries over,
   * each assessment is the priors times that period's evidence alone. Default: from the horizon.
   */
  switch: probability.optional(),
  /** Instead of `switch`: per path, the chance each period of moving to each other path (the rest stays). */
  transitions: z.record(id, z.record(id, probability)).optional(),
  /** Each period's evidence counts as likelihood^temperature: below 1 trusts it less, above 1 more. */
  temperature: z.number().gt(0).max(4).default(1),
});

/** Adds an issue for each inconsistency between `dynamics` and the scenario's paths; data may be malformed. */
export function dynamicsChecks(
  block: Record<string, unknown>,
  pathIds: string[],
  ctx: z.RefinementCtx,
): void {
  if (block.switch !== undefined && block.transitions !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['dynamics', 'transitions'],
      message: 'either switch or transitions, not both',
    });
  }
  const table = block.transitions;
  if (table === null || typeof table !== 'object') return;
  for (const [from, row] of Object.entries(table as Record<string, unknown>)) {
    const at = ['dynamics', 'transitions', from];
    if (!pathIds.includes(from)) {
      ctx.addIssue({
        code: 'custom',
        path: at,
        message: `one of the scenario's paths (${pathIds.join(', ')})`,
      });
      continue;
    }
    if (row === null || typeof row !== 'object') continue;
    let total = 0;
    for (const [to, p] of Object.entries(row as Record<string, unknown>)) {
      if (to === from || !pathIds.includes(to)) {
        const others = pathIds.filter((p) => p !== from).join(', ');
        ctx.addIssue({
          code: 'custom',
          path: [...at, to],
          message: `another of the scenario's paths (${others})`,
        });
      }
      if (typeof p === 'number') total += p;
    }
    if (total > 1 + 1e-9) {
      ctx.addIssue({
        code: 'custom',
        path: at,
        message: `chances of leaving ${from} summing to at most 1 (they sum to ${Number(total.toFixed(6))})`,
      });
    }
  }
}
