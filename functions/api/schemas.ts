// The API's requests as zod schemas: the handler validates path, query and body with them, and the
// OpenAPI document is generated from them (responses.ts holds the response bodies). zod/mini, because
// these run in the function (shared/runtime/validation.ts says why).
//
// Each schema is built on first use (`lazy`): a cold start answers one request, and building every
// route's schemas at import cost ≈ 3.7 ms, an eighth of a bare DynamoDBClient's import (bench/bundles.ts).
import { SILENCEABLE_KINDS } from '../../shared/domain/alert-kinds.ts';
import * as z from '../../shared/runtime/validation.ts';
import { MAX_MANUAL_OBSERVATIONS } from '../../shared/store/manual-observations.ts';

/** The value `build` returns, built on the first call and kept. */
export function lazy<T>(build: () => T): () => T {
  let built: T | undefined;
  return () => {
    built ??= build();
    return built;
  };
}

/** A path segment id: scenarios, indicators. Unknown ids answer 404, so only the length is checked here. */
export const resourceId = lazy(() => z.string().check(z.minLength(1), z.maxLength(128)));

export const silenceId = lazy(() =>
  z.string().check(
    z.regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, `-` or `_`, at most 64'),
    z.meta({
      description: 'Chosen by the client: PUT to the same id replaces the silence.',
      example: 'maintenance',
    }),
  ),
);

/** An ISO 8601 instant with an offset, or a date (read as midnight UTC). Answered in UTC. */
const instant = lazy(() =>
  z
    .union([z.iso.datetime({ offset: true }), z.iso.date()], 'an ISO 8601 date or date-time')
    .check(z.meta({ description: 'ISO 8601 date or date-time', example: '2024-01-01T00:00:00Z' })),
);

const date = lazy(() =>
  z.iso
    .date('a date YYYY-MM-DD (a day that exists)')
    .check(z.meta({ description: 'A period start, YYYY-MM-DD (UTC)', example: '2024-01-01' })),
);

const LIMIT = 'an integer from 1 to 100';

/**
 * Query strings are strings: `limit` is read as an integer written in decimal digits only (not
 * `0x10`, `1e1`, ` 5` or `5.0`, which a number conversion would take).
 */
const limit = lazy(() =>
  z
    ._default(
      z.pipe(
        z.string().check(z.regex(/^(100|[1-9][0-9]?)$/, LIMIT)),
        z.transform((digits) => Number(digits)),
      ),
      20,
    )
    .check(z.meta({ description: 'Items per page (1-100, default 20)' })),
);

const cursor = lazy(() =>
  z
    .optional(z.string().check(z.maxLength(512)))
    .check(z.meta({ description: 'The `nextCursor` of the previous page, unchanged' })),
);

/** A page of a history: bounded by `from`/`to`, then by `limit` and `cursor`. */
export const pageQuery = lazy(() =>
  z.strictObject({
    from: z.optional(instant()),
    to: z.optional(instant()),
    limit: limit(),
    cursor: cursor(),
  }),
);

/** A page of a list in id order (the scenarios, the indicators' health). */
export const listQuery = lazy(() => z.strictObject({ limit: limit(), cursor: cursor() }));

export const noQuery = lazy(() => z.strictObject({}));
export const scenarioParams = lazy(() => z.strictObject({ id: resourceId() }));
export const indicatorParams = lazy(() => z.strictObject({ id: resourceId() }));
export const silenceParams = lazy(() => z.strictObject({ id: resourceId(), silenceId: silenceId() }));

// Requests with a body.

export const manualObservationsBody = lazy(() =>
  z
    .strictObject({
      observations: z
        .array(
          z.strictObject({
            period: date(),
            value: z
              .number('a number')
              .check(z.meta({ description: 'A finite number in the indicator unit' })),
          }),
        )
        .check(
          z.minLength(1, 'at least one observation'),
          z.maxLength(MAX_MANUAL_OBSERVATIONS, `at most ${MAX_MANUAL_OBSERVATIONS} observations per request`),
        ),
    })
    .check(
      z.refine((b) => new Set(b.observations.map((o) => o.period)).size === b.observations.length, {
        message: 'each period at most once',
        path: ['observations'],
      }),
      z.meta({ id: 'ManualObservations' }),
    ),
);

export const silenceBody = lazy(() =>
  z
    .strictObject({
      start: instant(),
      end: instant(),
      reason: z
        .string()
        .check(z.trim(), z.minLength(1, 'a reason'), z.maxLength(500, 'at most 500 characters')),
      kind: z
        .optional(z.enum(SILENCEABLE_KINDS, `one of ${SILENCEABLE_KINDS.join(', ')}`))
        .check(z.meta({ description: 'The alert kind to silence; every kind when absent' })),
    })
    .check(
      z.refine((s) => Date.parse(s.end) > Date.parse(s.start), {
        message: 'an end after the start',
        path: ['end'],
        // Checked even when other fields are invalid, so one answer names every bad field; never on a
        // body that is not an object at all (`null`), which has no start or end to compare.
        when: (payload) =>
          typeof payload.value === 'object' &&
          payload.value !== null &&
          payload.issues.every((i) => i.path?.[0] !== 'start' && i.path?.[0] !== 'end'),
      }),
      z.meta({ id: 'SilenceRequest' }),
    ),
);
