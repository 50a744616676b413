import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// Each test imports a fresh copy of the module: the loaded WebAssembly is cached per module instance.
describe('augurs WebAssembly loading', () => {
  let dir: string;
  beforeEach(() => {
    vi.resetModules();
    dir = mkdtempSync(join(tmpdir(), 'augurs-wasm-'));
  });
  afterEach(() => {
    vi.unstubAllEnvs();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads ets_bg.wasm and mstl_bg.wasm from AUGURS_WASM_DIR when it is set', async () => {
    const packageDir = dirname(createRequire(import.meta.url).resolve('@bsull/augurs'));
    for (const file of ['ets_bg.wasm', 'mstl_bg.wasm']) copyFileSync(join(packageDir, file), join(dir, file));
    vi.stubEnv('AUGURS_WASM_DIR', dir);
    const { forecastSeries } = await import('../../../shared/forecast/forecast.ts');

    const seasonal = Array.from(
      { length: 48 },
      (_, t) => 100 + 20 * Math.sin((2 * Math.PI * t) / 12) + (t % 5),
    );
    const f = forecastSeries({ values: seasonal, period: 12, horizon: 3 });

    expect(f.method).toMatch(/^mstl-ets\+theta/);
  });

  it('fails with the path and the variable to set when the files are missing', async () => {
    vi.stubEnv('AUGURS_WASM_DIR', dir);
    const { augursEts } = await import('../../../shared/forecast/wasm.ts');

    expect(() => augursEts()).toThrow(new RegExp(`cannot load ${join(dir, 'ets_bg.wasm')}.*AUGURS_WASM_DIR`));
  });
});
