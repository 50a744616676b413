// Which files of a split function bundle a cold start loads: `index.mjs` and the chunks it imports
// statically, transitively. The chunks behind a dynamic import load on first use. Used by the bundle
// benchmark (bench/bundles.ts) and the stack tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const STATIC_CHUNK_IMPORT = /(?:from|import)\s*["']\.\/([^"']+\.mjs)["']/g;

export interface BundleFiles {
  coldStart: string[];
  onUse: string[];
}

export function bundleFiles(dir: string): BundleFiles {
  const loaded = new Set<string>();
  const visit = (file: string): void => {
    if (loaded.has(file)) return;
    loaded.add(file);
    for (const [, chunk] of readFileSync(join(dir, file), 'utf8').matchAll(STATIC_CHUNK_IMPORT))
      visit(chunk as string);
  };
  visit('index.mjs');
  const all = readdirSync(dir).filter((f) => f.endsWith('.mjs'));
  return { coldStart: [...loaded], onUse: all.filter((f) => !loaded.has(f)) };
}
