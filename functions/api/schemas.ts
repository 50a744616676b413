// The API's contract as zod schemas: the handlers validate requests with them, the OpenAPI document
// is generated from them, and the contract test validates responses against them.
import * as z from 'zod';
import { scenarioSchema } from '../../shared/config/scenario-schema.ts';

/** A path segment id: scenarios, indicators. Unknown ids answer 404, so only the length is checked here. */
export const resourceId = z.string().min(1).max(128);

export const silenceId = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'letters, digits, `-` or `_`, at most 64')
  .meta({
    description: 'Chosen by the client: PUT to the same id replaces the silence.',
    example: 'maintenance',
  });

/** An ISO 8601 instant with an offset, or a date (read as midnight UTC). Answered in UTC. */
const instant = z
  .union([z.iso.datetime({ offset: true }), z.iso.date()], 'an ISO 8601 date or date-time')
  .meta({ description: 'ISO 8601 date or date-time', example: '2024-01-01T00:00:00Z' });

const utc = z.iso
  .datetime()
  .meta({ description: 'ISO 8601 UTC instant', example: '2024-02-01T00:00:00.000Z' });
const date = z.iso.date().meta({ description: 'A period start, YYYY-MM-DD (UTC)', example: '2024-01-01' });

/** Query strings are strings: `limit` is read as an integer. */
export const pageQuery = z.strictObject({
  from: instant.optional(),
  to: instant.optional(),
  limit: z.coerce
    .number<string>()
    .int('an integer')
    .min(1, 'at least 1')
    .max(100, 'at most 100')
    .default(20)
    .meta({ description: 'Items per page (1-100, default 20)' }),
  cursor: z
    .string()
    .max(512)
    .optional()
    .meta({ description: 'The `nextCursor` of the previous page, unchanged' }),
});

export const noQuery = z.strictObject({});
export const scenarioParams = z.strictObject({ id: resourceId });
export const indicatorParams = z.strictObject({ id: resourceId });
export const silenceParams = z.strictObject({ id: resourceId, silenceId });

// Requests with a body.

export const manualObservationsBody = z
  .strictObject({
    observations: z
      .array(
        z.strictObject({
          period: date,
          value: z.number().meta({ description: 'A finite number in the indicator unit' }),
        }),
      )
      .min(1, 'at least one observation')
      .max(100, 'at most 100 observations per request'),
  })
  .refine((b) => new Set(b.observations.map((o) => o.period)).size === b.observations.length, {
    message: 'each period at most once',
    path: ['observations'],
  })
  .meta({ id: 'ManualObservations' });

export const silenceBody = z
  .strictObject({
    start: instant,
    end: instant,
    reason: z.string().trim().min(1, 'a reason').max(500, 'at most 500 characters'),
    kind: z
      .enum(['path-shift', 'reverted'], 'path-shift or reverted')
      .optional()
      .meta({ description: 'The alert kind to silence; every kind when absent' }),
  })
  .refine((s) => Date.parse(s.end) > Date.parse(s.start), {
    message: 'an end after the start',
    path: ['end'],
    // Checked even when other fields are invalid, so one answer names every bad field.
    when: (payload) => payload.issues.every((i) => i.path?.[0] !== 'start' && i.path?.[0] !== 'end'),
  })
  .meta({ id: 'SilenceRequest' });

// Responses.

const probabilities = z
  .record(z.string(), z.number())
  .meta({ description: 'Per path, in the scenario path order' });

export const assessmentResource = z
  .object({
    scenarioId: z.string(),
    evaluatedAt: utc,
    asOf: utc,
    leader: z.string(),
    margin: z.number(),
    entropy: z.number(),
    probabilities,
    state: z.object({
      status: z.enum(['insufficient-data', 'steady', 'pending']),
      path: z.string().nullable(),
      since: utc.nullable(),
      pending: z.object({ path: z.string(), count: z.int(), of: z.int() }).optional(),
    }),
    contributions: z.array(
      z.object({
        indicatorId: z.string(),
        status: z.enum(['used', 'kept', 'absent', 'stale', 'missing', 'insufficient']),
        model: z.string(),
        value: z.number().optional(),
        period: z.string().optional(),
        source: z.string().optional(),
        outcome: z.string().optional(),
        weight: z.number(),
        decibans: z.record(z.string(), z.number()),
      }),
    ),
    stale: z.array(z.string()),
    events: z.array(
      z.object({
        kind: z.enum(['data-stale', 'data-recovered']),
        indicators: z.array(z.string()),
        at: utc,
      }),
    ),
  })
  .meta({ id: 'Assessment' });

const nextCursor = z
  .string()
  .nullable()
  .meta({ description: 'Pass as `cursor` for the next page; null on the last page' });

export const assessmentPage = z
  .object({ items: z.array(assessmentResource), nextCursor })
  .meta({ id: 'AssessmentPage' });

export const alertResource = z
  .object({
    scenarioId: z.string(),
    sequence: z.int(),
    kind: z
      .string()
      .meta({ description: 'path-shift, reverted, or a data event (data-stale, data-recovered)' }),
    at: utc,
    from: z.string().optional().meta({ description: 'Path alerts: the path left' }),
    to: z.string().optional().meta({ description: 'Path alerts: the path confirmed' }),
    probabilitiesBefore: probabilities.nullable().optional(),
    probabilitiesAfter: probabilities.optional(),
    indicators: z.array(z.string()).optional().meta({ description: 'Data alerts: the indicators concerned' }),
    path: z.string().nullable().optional(),
    probabilities: probabilities.optional(),
    status: z.enum(['pending', 'sent']),
    createdAt: utc,
    sentAt: utc.optional(),
    stale: z.array(z.string()),
  })
  .meta({ id: 'Alert' });

export const alertPage = z.object({ items: z.array(alertResource), nextCursor }).meta({ id: 'AlertPage' });

export const observationResource = z
  .object({
    indicatorId: z.string(),
    period: date,
    value: z.number(),
    source: z.string(),
    fetchedAt: utc.optional(),
  })
  .meta({ id: 'Observation' });

export const observationPage = z
  .object({ items: z.array(observationResource), nextCursor })
  .meta({ id: 'ObservationPage' });

export const manualObservationsResult = z
  .object({ indicatorId: z.string(), written: z.int(), fetchedAt: utc })
  .meta({ id: 'ManualObservationsResult' });

export const scenarioSummary = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    paths: z.array(z.object({ id: z.string(), title: z.string(), prior: z.number() })),
    indicators: z.array(z.string()),
  })
  .meta({ id: 'ScenarioSummary' });

export const scenarioList = z.object({ items: z.array(scenarioSummary) }).meta({ id: 'ScenarioList' });

/** The definition as loaded (defaults filled in): the scenario file's own schema. */
export const scenarioDefinition = scenarioSchema.meta({ id: 'Scenario' });

export const healthResource = z
  .object({
    checkedAt: utc,
    status: z.enum(['ok', 'stale']).meta({ description: '`stale` when any indicator is stale' }),
    indicators: z.array(
      z.object({
        indicatorId: z.string(),
        scenarios: z.array(z.string()),
        cadence: z.string(),
        sourceKind: z.string(),
        newestPeriod: date.nullable(),
        fetchedAt: utc.nullable(),
        staleAt: utc.nullable().meta({ description: 'When the newest period stops counting as current' }),
        stale: z.boolean(),
        lastRun: z
          .object({
            status: z.enum(['succeeded', 'not-modified', 'failed']),
            startedAt: utc,
            endedAt: utc,
            written: z.int(),
            rejected: z.int(),
          })
          .nullable()
          .meta({ description: 'The last ingestion run of the indicator, if any' }),
        lastSuccessAt: utc.nullable(),
        lastErrorAt: utc.nullable(),
        consecutiveFailures: z.int(),
      }),
    ),
  })
  .meta({ id: 'Health' });

export const silenceResource = z
  .object({
    scenarioId: z.string(),
    silenceId: z.string(),
    start: utc,
    end: utc,
    reason: z.string(),
    kind: z.string().optional(),
    updatedAt: utc,
  })
  .meta({ id: 'Silence' });

export const problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string().optional(),
    instance: z.string().optional(),
    errors: z
      .array(
        z.object({
          in: z.enum(['path', 'query', 'body', 'header']),
          field: z.string(),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'One entry per invalid field (400 only)' }),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details' });

export const openApiDocument = z.record(z.string(), z.unknown()).meta({ id: 'OpenApiDocument' });
