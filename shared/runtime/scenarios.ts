// The published scenarios as the functions read them (shared/store/scenario-definitions.ts): one scenario
// by id, the catalog's summaries, or every scenario, read from the table when first asked for and kept
// for a minute. Nothing is read at cold start, so a cold start costs the same however many scenarios
// there are, and a scenario published without a deployment is seen within the minute.
import { join } from 'node:path';
import { ScenarioRegistry } from '../config/registry.ts';
import type { Scenario } from '../config/scenario-schema.ts';
import {
  getPublishedScenario,
  listScenarioSummaries,
  type PublishedScenario,
  type ScenarioSummary,
} from '../store/scenario-definitions.ts';
import type { Table } from '../store/table.ts';

/** How long a read scenario is kept before it is read again. */
export const SCENARIO_CACHE_MS = 60_000;
/** How many scenarios (or unknown ids) a process keeps at most: a few MB of definitions. */
export const MAX_CACHED = 500;

export interface Cached<T> {
  until: number;
  value: Promise<T>;
}

/** One scenario by id, or a few: what a worker needs (evaluate, ingest). */
export class ScenarioCatalog {
  protected readonly table: Table;
  /** The folder relative file sources are read from (the bundle's copy of scenarios/data). */
  readonly #dir: string;
  readonly #ttlMs: number;
  readonly #clock: () => number;
  readonly #scenarios = new Map<string, Cached<PublishedScenario | null>>();

  constructor(table: Table, dir: string, ttlMs = SCENARIO_CACHE_MS, clock: () => number = Date.now) {
    this.table = table;
    this.#dir = dir;
    this.#ttlMs = ttlMs;
    this.#clock = clock;
  }

  /** Reads through the cache; concurrent callers share one read, and a failed read is not kept. */
  protected cached<T>(
    entry: Cached<T> | undefined,
    read: () => Promise<T>,
    keep: (entry: Cached<T> | undefined) => void,
  ) {
    if (entry && entry.until > this.#clock()) return entry.value;
    const value = read();
    const fresh = { until: this.#clock() + this.#ttlMs, value };
    keep(fresh);
    value.catch(() => keep(undefined));
    return value;
  }

  #published(id: string): Promise<PublishedScenario | null> {
    return this.cached(
      this.#scenarios.get(id),
      () => getPublishedScenario(this.table, id),
      this.keeper(this.#scenarios, id),
    );
  }

  /**
   * How `cached` keeps an entry of a map under `key`: set, or deleted once its read failed. The map is
   * emptied when full, as period.ts's memos: a worker that meets thousands of scenarios in a day (or a
   * caller asking for random ids) must not keep every one it has seen.
   */
  protected keeper<T>(map: Map<string, Cached<T>>, key: string) {
    return (entry: Cached<T> | undefined) => {
      if (entry && map.size >= MAX_CACHED) map.clear();
      if (entry) map.set(key, entry);
      else map.delete(key);
    };
  }

  /** The published scenario, or undefined when none is published under that id. */
  async scenario(id: string): Promise<Scenario | undefined> {
    return (await this.#published(id))?.scenario;
  }

  /** The published scenarios among `ids` (unknown ids left out), as a registry. */
  async registryOf(ids: Iterable<string>): Promise<ScenarioRegistry> {
    const found = await Promise.all([...new Set(ids)].sort().map((id) => this.#published(id)));
    return new ScenarioRegistry(
      found
        .filter((p) => p !== null)
        .map((p) => ({ scenario: p.scenario, file: join(this.#dir, p.file), dir: this.#dir })),
    );
  }
}

/**
 * The catalog too: every published scenario's summary (dispatch; the API and the pages read a page or one
 * scenario instead: scenario-listing.ts). Apart from ScenarioCatalog so that the workers' bundles do not
 * carry it.
 */
export class ScenarioIndex extends ScenarioCatalog {
  #summaries: Cached<ScenarioSummary[]> | undefined;

  /** Every published scenario's summary: what the dispatcher fans out from. */
  summaries(): Promise<ScenarioSummary[]> {
    return this.cached(
      this.#summaries,
      () => listScenarioSummaries(this.table),
      (entry) => {
        this.#summaries = entry;
      },
    );
  }
}
