// The field types every part of a scenario file shares: ids, durations, cadences, per-path likelihoods.
import * as z from 'zod';
import { CADENCES, isDuration } from '../domain/period.ts';

export const id = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'a lower-case id of letters, digits and dashes');

export const duration = z
  .string()
  .refine(isDuration, 'an ISO 8601 calendar duration such as P1M, P2W or P45D');

export const cadence = z.enum(CADENCES, `one of ${CADENCES.join(', ')}`);

/** Per path, how likely an outcome is under that path (relative: only ratios between paths matter). */
export const likelihoods = z.record(id, z.number().positive());

/** A file inside the scenarios folder (relative to the scenario file): that folder ships in each bundle. */
export const scenarioPath = z
  .string()
  .min(1)
  .refine(
    (p) => !p.startsWith('/') && !p.split(/[\\/]/).includes('..'),
    'a path inside the scenarios folder',
  );
