// Loads the augurs WebAssembly modules (ETS, MSTL) synchronously, once per process, on first use.
//
// Contract with the Lambda bundle: the `.wasm` files are read from AUGURS_WASM_DIR when it is set
// (the bundle copies ets_bg.wasm and mstl_bg.wasm next to the handler), else from the installed
// package's own directory.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as ets from '@bsull/augurs/ets';
import * as mstl from '@bsull/augurs/mstl';

export class ForecastWasmError extends Error {
  constructor(file: string, cause: unknown) {
    super(
      `cannot load ${file}: ${cause instanceof Error ? cause.message : String(cause)} ` +
        '(set AUGURS_WASM_DIR to the folder holding the augurs .wasm files, or install @bsull/augurs)',
      { cause },
    );
    this.name = 'ForecastWasmError';
  }
}

function wasmDir(): string {
  const fromEnv = process.env.AUGURS_WASM_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  return dirname(createRequire(import.meta.url).resolve('@bsull/augurs'));
}

function load(file: string, init: (input: { module: Uint8Array }) => unknown): void {
  const path = join(wasmDir(), file);
  try {
    init({ module: readFileSync(path) });
  } catch (error) {
    throw new ForecastWasmError(path, error);
  }
}

let etsReady = false;
let mstlReady = false;

/** The AutoETS class, its WebAssembly initialised. */
export function augursEts(): typeof ets {
  if (!etsReady) {
    load('ets_bg.wasm', ets.initSync);
    etsReady = true;
  }
  return ets;
}

/** The MSTL class, its WebAssembly initialised. */
export function augursMstl(): typeof mstl {
  if (!mstlReady) {
    load('mstl_bg.wasm', mstl.initSync);
    mstlReady = true;
  }
  return mstl;
}
