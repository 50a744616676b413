// GET /v1/health: per indicator, the newest period that has started and whether it still counts as current.

import { publicText } from '../../../shared/config/public.ts';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import { isFresh, staleAt } from '../../../shared/domain/staleness.ts';
import { recentFetchRuns } from '../../../shared/store/fetch-runs.ts';
import { newestObservation } from '../../../shared/store/observations.ts';
import { getSourceHealth } from '../../../shared/store/source-health.ts';
import type { Route } from '../context.ts';
import { operations } from '../operations.ts';
import { json, parseRequest } from '../request.ts';

export const getHealth: Route = async (event, { table, registry, now }) => {
  const shown = (text: string) => publicText(text, registry);
  parseRequest(operations['GET /v1/health'], event);
  const at = now();
  const byId = new Map<string, { indicator: Indicator; scenarios: string[] }>();
  for (const { indicator, scenario } of registry.indicators()) {
    const entry = byId.get(indicator.id) ?? { indicator, scenarios: [] };
    entry.scenarios.push(scenario.id);
    byId.set(indicator.id, entry);
  }
  const indicators = await Promise.all(
    [...byId.values()].map(async ({ indicator, scenarios }) => {
      const [newest, runs, source] = await Promise.all([
        // A period that has not started yet (a mistyped year) does not make the indicator current.
        newestObservation(table, indicator.id, at.toISOString()),
        recentFetchRuns(table, indicator.id, 1),
        getSourceHealth(table, indicator.id),
      ]);
      const run = runs[0];
      const until = newest ? staleAt(indicator, newest.period) : null;
      return {
        indicatorId: indicator.id,
        scenarios,
        cadence: indicator.cadence,
        sourceKind: indicator.source.kind as string,
        newestPeriod: newest?.period ?? null,
        fetchedAt: newest?.fetchedAt ?? null,
        staleAt: until?.toISOString() ?? null,
        stale: !isFresh(indicator, newest?.period, at),
        // What the ingestion recorded, its texts as a public route may show them (public.ts).
        lastRun: run
          ? {
              status: run.status,
              startedAt: run.startedAt,
              endedAt: run.endedAt,
              written: run.written,
              rejected: run.rejected,
              firstRejections: run.firstRejections.map((r) => ({ at: r.at, reason: shown(r.reason) })),
              ...(run.error ? { error: shown(run.error) } : {}),
            }
          : null,
        lastSuccessAt: source?.lastSuccessAt ?? null,
        lastErrorAt: source?.lastErrorAt ?? null,
        lastError: source?.lastError === undefined ? null : shown(source.lastError),
        consecutiveFailures: source?.consecutiveFailures ?? 0,
      };
    }),
  );
  return json(
    200,
    { checkedAt: at.toISOString(), status: indicators.some((i) => i.stale) ? 'stale' : 'ok', indicators },
    'public, max-age=30',
  );
};
