// How sure an assessment may be: a path above 98 % (or below 2 %) claims odds of 49 : 1 or more. The
// path filter forgets old evidence, so such a claim must rest on recent evidence, and this names the
// months where it does not (docs/scoring.md, "Extreme months").

/** Below this (or above 1 − this) a probability is extreme. */
export const EXTREME = 0.02;
/** The evidence that alone takes even odds to an extreme one: 10 log10(0.98 / 0.02) = 16.9 decibans. */
export const OVERWHELMING_DB = 10 * Math.log10((1 - EXTREME) / EXTREME);

export interface AssessedStep {
  asOf: string;
  probabilities: Record<string, number>;
  /** Per path, this step's evidence for it against the others, in decibans. */
  decibans: Record<string, number>;
}

export interface ExtremeMonth {
  asOf: string;
  path: string;
  probability: number;
  /** The evidence of this step and the `window` − 1 before it, for the path (above 98 %) or against it (below 2 %). */
  evidence: number;
  /** Whether that evidence alone is overwhelming (at least OVERWHELMING_DB). */
  backed: boolean;
}

/**
 * Every step at which a path stands above 98 % or below 2 %, with the evidence of the last `window`
 * steps (the scenario's horizon) that would justify it: overwhelming when, without the prior or
 * anything older, it would take even odds past the same extreme.
 */
export function extremeMonths(steps: readonly AssessedStep[], window: number): ExtremeMonth[] {
  const extremes: ExtremeMonth[] = [];
  steps.forEach((step, i) => {
    const recent = steps.slice(Math.max(0, i - window + 1), i + 1);
    for (const [path, p] of Object.entries(step.probabilities)) {
      const high = p > 1 - EXTREME;
      if (!high && p >= EXTREME) continue;
      const total = recent.reduce((sum, s) => sum + (s.decibans[path] ?? 0), 0);
      const evidence = high ? total : -total;
      extremes.push({ asOf: step.asOf, path, probability: p, evidence, backed: evidence >= OVERWHELMING_DB });
    }
  });
  return extremes;
}
