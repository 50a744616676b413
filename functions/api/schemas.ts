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
    kind: z.string().meta({
      description: 'path-shift, reverted, a data event (data-stale, data-recovered), forecast-warning',
    }),
    at: utc,
    from: z
      .string()
      .nullable()
      .optional()
      .meta({ description: 'Path alerts: the path left; forecast-warning: the confirmed path' }),
    to: z
      .string()
      .optional()
      .meta({ description: 'Path alerts: the path confirmed; forecast-warning: the path projected' }),
    probability: z
      .number()
      .optional()
      .meta({ description: 'forecast-warning: P(a confirmed change within the horizon)' }),
    threshold: z.number().optional().meta({ description: 'forecast-warning: the scenario warnAbove' }),
    horizon: z.int().optional().meta({ description: 'forecast-warning: periods projected' }),
    until: utc.optional().meta({ description: 'forecast-warning: the end of the last projected period' }),
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

const forecastStep = z.object({
  step: z.int().meta({ description: '1 = the first period after lastPeriod' }),
  period: date.nullable().meta({ description: 'The start of the period this step forecasts' }),
  point: z.number(),
  lower80: z.number(),
  upper80: z.number(),
  lower95: z.number(),
  upper95: z.number(),
});

const indicatorForecastPart = {
  indicatorId: z.string(),
  status: z.enum(['forecast', 'skipped', 'failed']).meta({
    description: 'skipped: not forecast by design; failed: see reason',
  }),
  reason: z.string().optional(),
  cadence: z.string(),
  lastPeriod: date.optional().meta({ description: 'The newest observed period the steps follow' }),
  lastValue: z.number().optional(),
  method: z.string().optional().meta({ description: 'The forecasting method, e.g. ets+theta' }),
  calibration: z
    .object({ method: z.string(), scale80: z.number(), scale95: z.number() })
    .optional()
    .meta({ description: 'How the model intervals were rescaled from backtest residuals' }),
  steps: z.array(forecastStep).optional(),
};

export const scenarioForecastResource = z
  .object({
    scenarioId: z.string(),
    asOf: utc,
    evaluatedAt: utc,
    projection: z
      .object({
        cadence: z.string(),
        horizon: z.int(),
        draws: z.int(),
        seed: z.int(),
        path: z.string().meta({ description: 'The confirmed path changes are counted from' }),
        change: z.number().meta({ description: 'P(the confirmed path changes within the horizon)' }),
        challenger: z.string().nullable(),
        changeTo: probabilities.meta({ description: 'Per other path: P(the first change goes to it)' }),
        steps: z.array(
          z.object({
            step: z.int(),
            asOf: utc,
            probabilities,
            change: z.number().meta({ description: 'P(a confirmed change by this step)' }),
          }),
        ),
        drivers: z.array(
          z.object({
            indicatorId: z.string(),
            decibans: z
              .number()
              .meta({ description: 'Mean weight of evidence for the challenger at the horizon' }),
            today: z.number(),
            point: z.number().optional(),
            last: z.number().optional(),
          }),
        ),
        projected: z.array(z.string()).meta({ description: 'Indicators drawn from their forecasts' }),
        held: z.array(z.string()).meta({ description: 'Indicators holding their current evidence' }),
      })
      .nullable()
      .meta({ description: 'Null when the projection failed (see error)' }),
    error: z.string().optional(),
    indicators: z.array(z.object(indicatorForecastPart)),
  })
  .meta({ id: 'ScenarioForecast' });

export const indicatorForecastResource = z
  .object({
    scenarioId: z.string().meta({ description: 'The scenario whose evaluation made the forecast' }),
    asOf: utc,
    evaluatedAt: utc,
    unit: z.string(),
    ...indicatorForecastPart,
  })
  .meta({ id: 'IndicatorForecast' });

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
