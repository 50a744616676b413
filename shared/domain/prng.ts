// A small seeded random number generator, so projected probabilities are reproducible.
//
// Written by hand: Math.random cannot be seeded, and the seedable packages (seedrandom, pure-rand via
// fast-check) are a dependency or a test library for what is a dozen lines. mulberry32 (Tommy
// Ettinger, public domain) has a 32-bit state and a period of 2^32; its output passes the usual
// statistical batteries at the sample sizes used here (a few hundred thousand numbers per projection).

/** A uniform generator on [0, 1). */
export type Uniform = () => number;

/** mulberry32 seeded with a 32-bit unsigned integer: the same seed always gives the same sequence. */
export function mulberry32(seed: number): Uniform {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator of standard normal numbers (Box-Muller; the second number of each pair is kept). */
export function standardNormal(uniform: Uniform): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) {
      const z = spare;
      spare = null;
      return z;
    }
    const u = 1 - uniform(); // (0, 1]: the logarithm stays finite
    const v = uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}
