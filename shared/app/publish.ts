// Publishing scenarios: the validated definitions written to the table as new versions, only those that
// changed, each with who published it and when; what was added, changed, left alone or removed.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { LoadedScenario } from '../config/load-scenarios.ts';
import type { Scenario } from '../config/scenario-schema.ts';
import { listScenarioSummaries, type ScenarioSummary } from '../store/scenario-catalog.ts';
import {
  commitScenarioVersion,
  getPublishedScenario,
  refreshCatalog,
} from '../store/scenario-definitions.ts';
import type { Table } from '../store/table.ts';
import { sourceHost } from './fan-out.ts';

export interface PublishOptions {
  /** Who publishes: recorded with every version written (the audit trail). */
  by: string;
  at: Date;
  /** Remove published scenarios that are not in `loaded` (default: keep them and report them). */
  removeMissing?: boolean;
  /** Compare only: write nothing. */
  dryRun?: boolean;
}

export interface PublishReport {
  added: string[];
  changed: { scenarioId: string; from: number; to: number }[];
  unchanged: string[];
  /**
   * Unchanged, with catalog entries of an older shape (published before the listings read them):
   * rewritten, without a new version. Also counted in `unchanged`.
   */
  refreshed: string[];
  removed: string[];
  /** Published, not in the folder, and kept (without `removeMissing`). */
  missing: string[];
}

/** Scenarios written at once: each is a small transaction of its own. */
const CONCURRENCY = 16;

/** What the dispatcher (shared/app/fan-out.ts) and the listings (the API's, the pages' index) read. */
export function scenarioSummary(scenario: Scenario, version: number): ScenarioSummary {
  return {
    scenarioId: scenario.id,
    version,
    indicators: scenario.indicators.map((i) => ({
      id: i.id,
      cadence: i.cadence,
      manual: i.source.kind === 'manual',
      host: sourceHost(i),
      title: i.title,
    })),
    title: scenario.title,
    description: scenario.description,
    paths: scenario.paths.map((p) => ({ id: p.id, title: p.title, prior: p.prior })),
  };
}

function hashOf(loaded: LoadedScenario): string {
  const body = JSON.stringify({ file: basename(loaded.file), scenario: loaded.scenario });
  return createHash('sha256').update(body).digest('hex');
}

async function inPool<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
    }),
  );
}

/**
 * Publishes every scenario of `loaded` (already validated: loadScenarios) whose definition differs from
 * the published one, as its next version. A scenario another publisher changed meanwhile fails with
 * PublishConflictError; the others are published.
 */
export async function publishScenarios(
  table: Table,
  loaded: LoadedScenario[],
  options: PublishOptions,
): Promise<PublishReport> {
  const report: PublishReport = {
    added: [],
    changed: [],
    unchanged: [],
    refreshed: [],
    removed: [],
    missing: [],
  };
  const meta = { publishedAt: options.at.toISOString(), publishedBy: options.by };
  const stored = new Map((await listScenarioSummaries(table)).map((s) => [s.scenarioId, s]));
  await inPool(loaded, async (entry) => {
    const { scenario } = entry;
    const hash = hashOf(entry);
    const current = await getPublishedScenario(table, scenario.id, true);
    if (current?.hash === hash) {
      report.unchanged.push(scenario.id);
      const summary = scenarioSummary(scenario, current.version);
      if (isDeepStrictEqual(stored.get(scenario.id), summary)) return;
      if (!options.dryRun) await refreshCatalog(table, scenario.id, current.version, summary);
      report.refreshed.push(scenario.id);
      return;
    }
    const version = (current?.version ?? 0) + 1;
    const declared = new Set(scenario.indicators.map((i) => i.id));
    if (!options.dryRun)
      await commitScenarioVersion(table, scenario.id, current?.version ?? 0, {
        ...meta,
        scenario,
        version,
        hash,
        file: basename(entry.file),
        summary: scenarioSummary(scenario, version),
        dropped: (current?.scenario.indicators ?? []).map((i) => i.id).filter((id) => !declared.has(id)),
      });
    if (current) report.changed.push({ scenarioId: scenario.id, from: current.version, to: version });
    else report.added.push(scenario.id);
  });
  const ids = new Set(loaded.map((l) => l.scenario.id));
  const gone = [...stored.values()].filter((s) => !ids.has(s.scenarioId));
  if (!options.removeMissing) report.missing.push(...gone.map((s) => s.scenarioId));
  else
    await inPool(gone, async ({ scenarioId, version, indicators }) => {
      if (!options.dryRun)
        await commitScenarioVersion(table, scenarioId, version, {
          ...meta,
          scenario: null,
          summary: null,
          dropped: indicators.map((i) => i.id),
          version: version + 1,
          hash: 'removed',
          file: '',
        });
      report.removed.push(scenarioId);
    });
  for (const list of [report.added, report.unchanged, report.refreshed, report.removed, report.missing])
    list.sort();
  report.changed.sort((a, b) => a.scenarioId.localeCompare(b.scenarioId));
  return report;
}
