// Ingestion: read each indicator's source and store its new or changed observations, a run record
// and the source's health.
import type { ScenarioRegistry } from '../config/registry.ts';
import { effectivePolicy, type FetchPolicy } from '../sources/fetch-policy.ts';
import { sourceFingerprint, sourceLabel } from '../sources/fetch-text.ts';
import type { SecretReader } from '../sources/headers.ts';
import { readIndicator } from '../sources/read-indicator.ts';
import type { Rejection } from '../sources/records.ts';
import { type FetchRun, saveFetchRun } from '../store/fetch-runs.ts';
import { saveObservations } from '../store/observations.ts';
import { getSourceHealth, recordFailure, recordSuccess, validatorsFor } from '../store/source-health.ts';
import type { Table } from '../store/table.ts';

/** Kept per indicator run: enough rejected records to see what is wrong with a feed. */
const REJECTIONS_KEPT = 5;
/** Kept back from a run's deadline for storing and bookkeeping after the last fetch. */
const DEADLINE_RESERVE_MS = 5_000;
/** An indicator is not started with less fetch time than this: it would only time out. */
const MIN_FETCH_MS = 3_000;

/** One indicator's ingest: the counts its fetch-run record keeps, and how it ended. */
export interface IngestReport
  extends Pick<
    FetchRun,
    'read' | 'written' | 'unchanged' | 'revised' | 'rejected' | 'firstRejections' | 'error'
  > {
  indicatorId: string;
  /** Why a deferred indicator was not fetched. */
  note?: string;
  /**
   * `skipped`: a manual source, whose values are posted through the API. `deferred`: not started,
   * the run's deadline was too near; the next scheduled run fetches it (nothing is recorded for it).
   */
  status: FetchRun['status'] | 'skipped' | 'deferred';
  /** For a run that was recorded: how many runs in a row have failed (0 after a success). */
  consecutiveFailures?: number;
  /**
   * The work is not done and should be tried again soon: deferred, or its run could not be recorded. A
   * source that failed is recorded (and alarmed after failures in a row); the next schedule retries it.
   */
  retry?: true;
}

export interface IngestOptions {
  policy?: Partial<FetchPolicy>;
  env?: NodeJS.ProcessEnv;
  readSecret?: SecretReader;
  /** The wall clock, for run end times and the deadline (`now` is the run's logical instant). */
  clock?: () => Date;
  /**
   * When the whole run must be over (the Lambda's remaining time): each indicator's fetch budget
   * is cut to what is left, and indicators that cannot get a useful budget are deferred.
   */
  deadline?: Date;
}

/**
 * Ingests the named indicators (all when `indicatorIds` is undefined). A failing indicator is
 * reported and does not stop the others; a source whose every record is rejected writes nothing.
 */
export async function ingest(
  table: Table,
  registry: ScenarioRegistry,
  indicatorIds: string[] | undefined,
  now: Date,
  options: IngestOptions = {},
): Promise<IngestReport[]> {
  const clock = options.clock ?? (() => new Date());
  // An indicator several scenarios share is fetched once.
  const wanted = [
    ...new Map(
      registry
        .indicators()
        .filter(({ indicator }) => !indicatorIds || indicatorIds.includes(indicator.id))
        .map((entry) => [entry.indicator.id, entry]),
    ).values(),
  ];
  const unknown = (indicatorIds ?? []).filter((id) => !wanted.some((w) => w.indicator.id === id));
  const reports = unknown.map((indicatorId) =>
    failed(indicatorId, 0, [], 'no scenario declares this indicator'),
  );
  const budgetMs = effectivePolicy(options.policy).budgetMs;
  for (const { indicator, dir } of wanted) {
    if (indicator.source.kind === 'manual') {
      reports.push({ ...failed(indicator.id, 0, [], ''), status: 'skipped', error: undefined });
      continue;
    }
    const leftMs = options.deadline
      ? options.deadline.getTime() - clock().getTime() - DEADLINE_RESERVE_MS
      : Number.POSITIVE_INFINITY;
    if (leftMs < MIN_FETCH_MS) {
      reports.push({
        ...failed(indicator.id, 0, [], ''),
        status: 'deferred',
        error: undefined,
        retry: true,
        note: `not fetched: the run had ${Math.max(0, Math.round((leftMs + DEADLINE_RESERVE_MS) / 1000))} s left; the next run fetches it`,
      });
      continue;
    }
    const startedAt = clock().toISOString();
    const source = sourceLabel(indicator.source);
    let report: IngestReport;
    const fingerprint = sourceFingerprint(indicator);
    let stored: Parameters<typeof recordSuccess>[4];
    try {
      const health = await getSourceHealth(table, indicator.id);
      const read = await readIndicator(indicator, dir, {
        now,
        validators: validatorsFor(health, fingerprint),
        policy: leftMs < budgetMs ? { ...options.policy, budgetMs: leftMs } : options.policy,
        env: options.env,
        readSecret: options.readSecret,
      });
      const { rejected, observations } = read;
      if (read.notModified) {
        report = { ...failed(indicator.id, 0, [], ''), status: 'not-modified', error: undefined };
      } else if (read.read > 0 && rejected.length === read.read) {
        // Only when every record was rejected: transforms (filter, delta) may leave none legitimately.
        report = failed(indicator.id, read.read, rejected, 'every record was rejected');
      } else {
        const saved = await saveObservations(table, indicator.id, observations, now.toISOString());
        stored = { validators: read.validators, fingerprint };
        report = {
          indicatorId: indicator.id,
          status: 'succeeded',
          read: read.read,
          ...saved,
          rejected: rejected.length,
          firstRejections: rejected.slice(0, REJECTIONS_KEPT),
        };
      }
    } catch (error) {
      report = failed(indicator.id, 0, [], (error as Error).message);
    }
    reports.push(await bookkeep(table, report, source, startedAt, clock().toISOString(), stored));
  }
  return reports;
}

/** Records the run and the source's health; a failure to do so is reported, not thrown. */
async function bookkeep(
  table: Table,
  report: IngestReport,
  source: string,
  startedAt: string,
  endedAt: string,
  stored: Parameters<typeof recordSuccess>[4],
): Promise<IngestReport> {
  try {
    const { status, ...counts } = report;
    await saveFetchRun(table, {
      ...counts,
      status: status as FetchRun['status'],
      source,
      startedAt,
      endedAt,
    });
    if (report.error === undefined) {
      // A 304 keeps the stored validators; a body stored replaces them.
      await recordSuccess(
        table,
        report.indicatorId,
        source,
        endedAt,
        status === 'succeeded' ? stored : undefined,
      );
      return { ...report, consecutiveFailures: 0 };
    }
    const consecutiveFailures = await recordFailure(table, report.indicatorId, source, endedAt, report.error);
    return { ...report, consecutiveFailures };
  } catch (error) {
    const message = `run not recorded: ${(error as Error).message}`;
    return { ...report, error: report.error ? `${report.error}; ${message}` : message, retry: true };
  }
}

function failed(indicatorId: string, read: number, rejected: Rejection[], error: string): IngestReport {
  return {
    indicatorId,
    status: 'failed',
    read,
    written: 0,
    unchanged: 0,
    revised: 0,
    rejected: rejected.length,
    firstRejections: rejected.slice(0, REJECTIONS_KEPT),
    error,
  };
}
