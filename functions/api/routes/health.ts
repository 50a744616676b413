// GET /v1/health: per indicator (a page of them, in id order), the newest period that has started and
// whether it still counts as current.

import { publicText } from '../../../shared/config/public.ts';
import { isFresh, staleAt } from '../../../shared/domain/staleness.ts';
import { recentFetchRuns } from '../../../shared/store/fetch-runs.ts';
import { newestObservation } from '../../../shared/store/observations.ts';
import { getSourceHealth } from '../../../shared/store/source-health.ts';
import type { Route } from '../context.ts';
import { operations } from '../operations.ts';
import { ID, nextCursor, positionOf } from '../paging.ts';
import { json, parseRequest } from '../request.ts';

export const getHealth: Route = async (event, { table, scenarios, now, cursorKey }) => {
  const { query } = parseRequest(operations['GET /v1/health'], event);
  const list = 'health';
  const after = positionOf(cursorKey, query.cursor, list, ID);
  // A page of the declared indicators, each with the scenarios that declare it (their definitions:
  // what the indicator's staleness is judged by, and whose private strings its texts are kept from).
  const page = await scenarios.indicatorPage({
    ...(after !== undefined ? { after } : {}),
    limit: query.limit,
  });
  const at = now();
  const indicators = await Promise.all(
    page.items.map(async ({ indicator, scenarios: declaring }) => {
      const shown = (text: string) => publicText(text, declaring);
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
        scenarios: declaring.scenarios.map((s) => s.id),
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
    {
      checkedAt: at.toISOString(),
      status: indicators.some((i) => i.stale) ? 'stale' : 'ok',
      indicators,
      nextCursor: nextCursor(page, { key: cursorKey, list }, (i) => i.indicator.id),
    },
    'public, max-age=30',
  );
};
