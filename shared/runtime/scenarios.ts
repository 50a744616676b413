// Loads the scenarios bundled with a function once, at cold start.
import { loadScenarios } from '../config/load-scenarios.ts';
import { ScenarioRegistry } from '../config/registry.ts';

export async function loadRegistry(dir: string): Promise<ScenarioRegistry> {
  return new ScenarioRegistry(await loadScenarios(dir));
}
