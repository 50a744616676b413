// Seeded series generators for the forecasting tests (reproducible noise, no Math.random).

/** mulberry32: a small, well-known 32-bit PRNG, enough for test noise. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws (Box-Muller) from a seeded generator. */
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
