// The alert kinds a silence may name: one list for the scenario file and the API, so both accept the same.
import type { DataEvent, ForecastWarning, PathShift } from './model.ts';

/** The kinds an evaluation issues (a silence's own summary is never held back, so it is not one). */
export type SilenceableKind = (PathShift | DataEvent | ForecastWarning)['kind'];

// A record, so a kind added to the model and not here fails the typecheck.
const kinds: Record<SilenceableKind, true> = {
  'path-shift': true,
  reverted: true,
  'data-stale': true,
  'data-recovered': true,
  'forecast-warning': true,
};

/** Every kind a silence's `kind` may be; a silence without one covers them all. */
export const SILENCEABLE_KINDS = Object.keys(kinds) as SilenceableKind[];
