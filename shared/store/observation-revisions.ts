// Observation revisions: an observation's earlier value, kept when a source (or an operator) replaces it
// (`IND#<indicatorId>`, `REV#<period>#<revisedAt>`, sorting outside `OBS#`): the audit trail of
// docs/sources.md. Ingest and manual writes both build them here.
import { fields, type Item, list, number, optional, readItem, string, toItem } from './item.ts';
import type { StoredObservation } from './observations.ts';
import { queryPrefix } from './query.ts';
import { type Key, partition, type Table } from './table.ts';

const PREFIX = 'REV#';

export const revisionKey = (indicatorId: string, period: string, revisedAt: string): Key => ({
  pk: partition.indicator(indicatorId),
  sk: `${PREFIX}${period}#${revisedAt}`,
});

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
  const key = revisionKey(revision.indicatorId, revision.period, revision.revisedAt);
  return toItem('observation-revision', key, revision);
}

const revisionFromItem = (item: Item): ObservationRevision =>
  readItem('observation-revision', item, (v, at) =>
    fields(v, at, {
      indicatorId: string,
      period: string,
      value: number,
      source: string,
      fetchedAt: string,
      revisedAt: string,
      revisedTo: number,
      flags: optional(list(string)),
    }),
  );

/** An indicator's revisions, by period then time. */
export function listRevisions(table: Table, indicatorId: string): Promise<ObservationRevision[]> {
  return queryPrefix(table, { pk: partition.indicator(indicatorId), sk: PREFIX }, revisionFromItem);
}
