// What ingestion knows of an observation beyond its value, and how a rolling window's partial period
// may replace a stored one. Apart from records.ts, which parses with zod: the store reads these too,
// and the evaluate bundle, which reads observations through the store, must not load the parsers.
import type { Observation } from '../domain/model.ts';

/** An item behind a value (a feed item): what an analyst opens to check the count. */
export interface EvidenceLink {
  title: string;
  link?: string;
  time: string;
}

/**
 * What the value of a period that a rolling window covers only in part says about the whole period's
 * value: `at-least` (a sum, count or max of values ≥ 0: the records gone from the window could only add
 * to it), `latest` (`last`: a window loses a period's oldest records first, so its latest is still
 * there) or `unknown` (a mean, or negative values).
 */
export type PartialValue = 'at-least' | 'latest' | 'unknown';

/** An observation with what ingestion knows beyond its value: flags and the evidence trail. */
export interface SourcedObservation extends Observation {
  flags?: string[];
  evidence?: EvidenceLink[];
  /** Set when the source is a rolling window that covers the period only in part (never stored). */
  partial?: PartialValue;
}

/**
 * The observation to store for a period a rolling window covers only in part, given the one stored
 * (undefined: keep the stored one). A partial count never lowers a complete one as the period's
 * records leave the window; it raises it when records arrive late. The value it raises it to is still
 * only what the window holds (its evidence too): which stored records left cannot be told apart.
 */
export function partialUpdate(
  stored: { value?: unknown },
  read: SourcedObservation,
): SourcedObservation | undefined {
  const before = Number(stored.value);
  switch (read.partial) {
    case undefined:
      return read;
    case 'unknown':
      return undefined;
    case 'latest':
      return read.value === before ? undefined : read;
    case 'at-least':
      return read.value > before ? read : undefined;
  }
}
