// The loaded scenarios, looked up by scenario or indicator id.
import type { LoadedScenario } from './load-scenarios.ts';
import type { Indicator, Scenario } from './scenario-schema.ts';

export class ScenarioRegistry {
  readonly loaded: LoadedScenario[];
  constructor(loaded: LoadedScenario[]) {
    this.loaded = loaded;
  }

  get scenarios(): Scenario[] {
    return this.loaded.map((l) => l.scenario);
  }

  scenario(id: string): Scenario | undefined {
    return this.loaded.find((l) => l.scenario.id === id)?.scenario;
  }

  /** Every indicator with the scenario folder its relative source paths start from. */
  indicators(): { indicator: Indicator; scenario: Scenario; dir: string }[] {
    return this.loaded.flatMap(({ scenario, dir }) =>
      scenario.indicators.map((indicator) => ({ indicator, scenario, dir })),
    );
  }

  /** The scenarios that use any of the given indicators. */
  scenariosUsing(indicatorIds: Iterable<string>): Scenario[] {
    const ids = new Set(indicatorIds);
    return this.scenarios.filter((s) => s.indicators.some((i) => ids.has(i.id)));
  }
}
