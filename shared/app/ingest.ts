// Ingestion: read each indicator's source and store its new or changed observations.
import type { ScenarioRegistry } from '../config/registry.ts';
import { readIndicator } from '../sources/read-indicator.ts';
import type { Rejection } from '../sources/records.ts';
import { saveObservations } from '../store/observations.ts';
import type { Table } from '../store/table.ts';

/** Kept per indicator run: enough rejected records to see what is wrong with a feed. */
const REJECTIONS_KEPT = 5;

export interface IngestReport {
  indicatorId: string;
  read: number;
  written: number;
  unchanged: number;
  rejected: number;
  firstRejections: Rejection[];
  error?: string;
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
): Promise<IngestReport[]> {
  const wanted = registry
    .indicators()
    .filter(({ indicator }) => !indicatorIds || indicatorIds.includes(indicator.id));
  const unknown = (indicatorIds ?? []).filter((id) => !wanted.some((w) => w.indicator.id === id));
  const reports = unknown.map((indicatorId) =>
    failed(indicatorId, 0, [], 'no scenario declares this indicator'),
  );
  for (const { indicator, dir } of wanted) {
    try {
      const extraction = await readIndicator(indicator, dir);
      const { read, rejected, observations } = extraction;
      if (read > 0 && observations.length === 0) {
        reports.push(failed(indicator.id, read, rejected, 'every record was rejected'));
        continue;
      }
      const saved = await saveObservations(table, indicator.id, observations, now.toISOString());
      reports.push({
        indicatorId: indicator.id,
        read,
        ...saved,
        rejected: rejected.length,
        firstRejections: rejected.slice(0, REJECTIONS_KEPT),
      });
    } catch (error) {
      reports.push(failed(indicator.id, 0, [], (error as Error).message));
    }
  }
  return reports;
}

function failed(indicatorId: string, read: number, rejected: Rejection[], error: string): IngestReport {
  return {
    indicatorId,
    read,
    written: 0,
    unchanged: 0,
    rejected: rejected.length,
    firstRejections: rejected.slice(0, REJECTIONS_KEPT),
    error,
  };
}
