// Observation revisions: an observation's earlier value, kept when a source (or an operator) replaces it
// (`IND#<indicatorId>`, `REV#<period>#<revisedAt>`, sorting outside `OBS#`): the audit trail of
// docs/sources.md. Ingest and manual writes both build them here.
import { each, fields, list, number, optional, string } from './checks.ts';
import { type Item, readItem, toItem } from './item.ts';
import type { StoredObservation } from './observations.ts';
import { queryPrefix } from './query.ts';
import { type Key, key, partition, type Table } from './table.ts';

export const revisionKey = (indicatorId: string, period: string, revisedAt: string): Key =>
  key(partition.indicator(indicatorId), 'REV', period, revisedAt);

/** An earlier value of an observation, kept when its source revised it. */
export interface ObservationRevision {
  indicatorId: string;
  period: string;
  value: number;
  source: string;
  /** When the replaced value was fetched, and when the revision was seen. */
  fetchedAt: string;
  revisedAt: string;
  revisedTo: number;
  flags?: string[];
}

/** The revision that keeps `stored` when `revisedTo` replaces its value at `revisedAt`. */
export function revisionOf(
  stored: StoredObservation,
  revisedTo: number,
  revisedAt: string,
): ObservationRevision {
  return {
    indicatorId: stored.indicatorId,
    period: stored.period,
    value: stored.value,
    source: stored.source,
    // Both writers store a fetch time with every value; one stored by hand without it reads 'undefined'.
    fetchedAt: String(stored.fetchedAt),
    revisedAt,
    revisedTo,
    ...(stored.flags ? { flags: stored.flags } : {}),
  };
}

export function revisionToItem(revision: ObservationRevision): Item {
  const { indicatorId, period, revisedAt } = revision;
  return toItem('observation-revision', revisionKey(indicatorId, period, revisedAt), revision);
}

function observationRevision(v: unknown): ObservationRevision {
  return fields(v, {
    ...each(string, 'indicatorId period source fetchedAt revisedAt'),
    ...each(number, 'value revisedTo'),
    flags: optional(list(string)),
  });
}

export const revisionFromItem = (item: Item) => readItem('observation-revision', item, observationRevision);

/** An indicator's revisions, by period then time. */
export function listRevisions(table: Table, indicatorId: string): Promise<ObservationRevision[]> {
  return queryPrefix(table, key(partition.indicator(indicatorId), 'REV', ''), revisionFromItem);
}
