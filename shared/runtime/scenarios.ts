// Loads the scenarios bundled with a function once, at cold start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadedScenario } from '../config/load-scenarios.ts';
import { ScenarioRegistry } from '../config/registry.ts';

/**
 * The scenarios as validated at synth, written into each bundle beside the YAML files by
 * infra/constructs/signpost-function.ts: `[{ file, scenario }]`.
 */
export const SCENARIO_SNAPSHOT = 'scenarios.json';

export async function loadRegistry(dir: string): Promise<ScenarioRegistry> {
  // The bundler defines SIGNPOST_BUNDLE, so a deployed function reads the snapshot and ships neither the
  // YAML parser nor the scenario schema (half its size and cold start); from source (tests, local mode)
  // the YAML files are parsed and validated. A bad scenario still fails: `cdk synth` refuses it.
  // (The import sits inside the branch so that esbuild drops it with the branch.)
  if (process.env.SIGNPOST_BUNDLE !== 'true') {
    const { loadScenarios } = await import('../config/load-scenarios.ts');
    return new ScenarioRegistry(await loadScenarios(dir));
  }
  // Read synchronously: nothing else runs during a cold start, and fs/promises' open, stat, read and
  // close are four thread-pool round trips (≈ 1.5 ms of every import in bench/bundles.ts).
  const snapshot = JSON.parse(readFileSync(join(dir, SCENARIO_SNAPSHOT), 'utf8')) as Pick<
    LoadedScenario,
    'file' | 'scenario'
  >[];
  return new ScenarioRegistry(
    snapshot.map(({ file, scenario }) => ({ file: join(dir, file), scenario, dir })),
  );
}
