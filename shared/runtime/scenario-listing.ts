// The published scenarios as the API and the pages read them: one scenario by id (ScenarioCatalog), the
// scenarios that declare one indicator, and the listings a page at a time from the catalog's summaries
// (shared/store/scenario-catalog.ts). What a request reads grows with its answer, never with the number
// of scenarios published. Apart from ScenarioCatalog so that the workers' bundles do not carry it.
import { ScenarioRegistry } from '../config/registry.ts';
import type { Indicator, Scenario } from '../config/scenario-schema.ts';
import type { Page } from '../store/query.ts';
import {
  declaredIndicatorPage,
  type ScenarioSummary,
  scenarioSummaryPage,
  scenariosDeclaring,
} from '../store/scenario-catalog.ts';
import { type Cached, ScenarioCatalog } from './scenarios.ts';

/** A scenario as the listings show it. */
export interface ScenarioListItem {
  id: string;
  title: string;
  description: string;
  paths: { id: string; title: string; prior: number }[];
  indicators: { id: string; title: string }[];
}

/** An indicator as the scenarios that declare it define it (a shared indicator is one series). */
export interface DeclaredIndicator {
  indicator: Indicator;
  /** The published scenarios that declare it: at least one. */
  scenarios: ScenarioRegistry;
}

/** A page's position: after the item with this id (exclusive), at most `limit` items. */
export interface PageBounds {
  after?: string;
  limit: number;
}

function listItem(scenario: Scenario): ScenarioListItem {
  return {
    id: scenario.id,
    title: scenario.title,
    description: scenario.description,
    paths: scenario.paths.map((p) => ({ id: p.id, title: p.title, prior: p.prior })),
    indicators: scenario.indicators.map((i) => ({ id: i.id, title: i.title })),
  };
}

/** The summary's listing fields, or null when an older publish wrote it without them. */
function fromSummary(s: ScenarioSummary): ScenarioListItem | null {
  const { title, description, paths } = s;
  const indicators = s.indicators.flatMap((i) =>
    i.title === undefined ? [] : [{ id: i.id, title: i.title }],
  );
  if (title === undefined || description === undefined || !paths || indicators.length < s.indicators.length)
    return null;
  return { id: s.scenarioId, title, description, paths, indicators };
}

export class ScenarioListing extends ScenarioCatalog {
  readonly #declaring = new Map<string, Cached<string[]>>();

  /**
   * One page of the published scenarios in id order, from the catalog's summaries. A summary published
   * before the listings read it is completed from its definition (one cached GetItem, for this page's
   * scenarios only) until `signpost publish` rewrites it.
   */
  async page(bounds: PageBounds): Promise<Page<ScenarioListItem>> {
    const page = await scenarioSummaryPage(this.table, bounds);
    const items = await Promise.all(
      page.items.map(async (s) => {
        const listed = fromSummary(s);
        if (listed) return [listed];
        const scenario = await this.scenario(s.scenarioId);
        return scenario ? [listItem(scenario)] : [];
      }),
    );
    return { items: items.flat(), more: page.more };
  }

  /**
   * The indicator and the published scenarios that declare it, or null when none does: the catalog's
   * entries for the indicator (kept a minute), then each one's definition (cached). The definition
   * decides: an entry may outlive its declaration for a moment.
   */
  async declaring(indicatorId: string): Promise<DeclaredIndicator | null> {
    const ids = await this.cached(
      this.#declaring.get(indicatorId),
      () => scenariosDeclaring(this.table, indicatorId),
      this.keeper(this.#declaring, indicatorId),
    );
    return this.#declaringOf(indicatorId, ids);
  }

  /** One page of the declared indicators in id order, each with the scenarios that declare it. */
  async indicatorPage(bounds: PageBounds): Promise<Page<DeclaredIndicator>> {
    const page = await declaredIndicatorPage(this.table, bounds);
    const items = await Promise.all(
      page.items.map(({ indicatorId, scenarioIds }) => this.#declaringOf(indicatorId, scenarioIds)),
    );
    return { items: items.filter((i) => i !== null), more: page.more };
  }

  async #declaringOf(indicatorId: string, scenarioIds: string[]): Promise<DeclaredIndicator | null> {
    const { loaded } = await this.registryOf(scenarioIds);
    const scenarios = new ScenarioRegistry(
      loaded.filter((l) => l.scenario.indicators.some((i) => i.id === indicatorId)),
    );
    const indicator = scenarios.indicators().find((i) => i.indicator.id === indicatorId)?.indicator;
    return indicator ? { indicator, scenarios } : null;
  }
}
