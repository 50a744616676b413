// Evidence models: how one indicator value becomes a log-likelihood under each path.
import type { Indicator } from '../config/scenario-schema.ts';

const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
/** Beyond this many standard deviations z² would overflow to Infinity; every path is equally wrong there. */
const MAX_Z = 1e150;

/** Natural-log likelihood of `value` under each path's expectation. */
export function logLikelihoods(indicator: Indicator, value: number): Record<string, number> {
  const result: Record<string, number> = {};
  for (const [pathId, { mean, sd }] of Object.entries(indicator.evidence.expect)) {
    const z = Math.max(-MAX_Z, Math.min(MAX_Z, (value - mean) / sd));
    result[pathId] = -0.5 * z * z - Math.log(sd) - LOG_SQRT_2PI;
  }
  return result;
}
