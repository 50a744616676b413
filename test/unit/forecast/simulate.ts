// Seeded series generators for the forecasting tests (reproducible noise, no Math.random).
import { mulberry32 } from '../../../shared/domain/prng.ts';

/** The projection's seeded uniform generator (shared/domain/prng.ts), for reproducible test noise. */
export const seededRandom = mulberry32;

/** Standard normal draws (Box-Muller, one per pair of uniforms) from a seeded generator. */
export function seededNormal(seed: number): () => number {
  const uniform = seededRandom(seed);
  return () => {
    const u = Math.max(uniform(), 1e-12);
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * uniform());
  };
}

/** AR(1) around a level: x_t = level + phi (x_{t-1} - level) + sigma e_t. */
export function ar1(
  length: number,
  phi: number,
  sigma: number,
  level: number,
  normal: () => number,
): number[] {
  const out: number[] = [];
  let x = level;
  for (let t = 0; t < length; t++) {
    x = level + phi * (x - level) + sigma * normal();
    out.push(x);
  }
  return out;
}
