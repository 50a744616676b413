// The API's response bodies as zod schemas: the OpenAPI document is generated from them (at synth for
// the deployed API, see openapi.ts) and the contract test checks every response against that document.
// Classic zod is fine here: nothing the function imports at run time reaches this module.
import * as z from 'zod';
import { scenarioSchema } from '../../shared/config/scenario-schema.ts';
import type { RouteKey } from './operations.ts';

const utc = z.iso
  .datetime()
  .meta({ description: 'ISO 8601 UTC instant', example: '2024-02-01T00:00:00.000Z' });
const date = z.iso.date().meta({ description: 'A period start, YYYY-MM-DD (UTC)', example: '2024-01-01' });

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

/** A page of a list: its items, and the cursor of the next page. */
const page = (item: z.ZodType, id: string) => z.object({ items: z.array(item), nextCursor }).meta({ id });

export const assessmentPage = page(assessmentResource, 'AssessmentPage');

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

export const alertPage = page(alertResource, 'AlertPage');

export const observationResource = z
  .object({
    indicatorId: z.string(),
    period: date,
    value: z.number(),
    source: z.string(),
    fetchedAt: utc.optional(),
    flags: z.array(z.string()).optional().meta({ description: 'What ingestion noted, e.g. negative-delta' }),
    evidence: z
      .array(z.object({ title: z.string(), link: z.string().optional(), time: z.string() }))
      .optional()
      .meta({ description: 'Feed sources: the items counted in this period (the first few)' }),
  })
  .meta({ id: 'Observation' });

export const observationPage = page(observationResource, 'ObservationPage');

export const manualObservationsResult = z
  .object({
    indicatorId: z.string(),
    written: z.int(),
    revised: z.int().meta({ description: 'Of those written, how many replaced a different stored value' }),
    fetchedAt: utc,
  })
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

export const scenarioList = page(scenarioSummary, 'ScenarioList');

/**
 * The definition as loaded (defaults filled in): the scenario file's own schema; source URLs without
 * their query, header settings left out (shared/config/public.ts).
 */
export const scenarioDefinition = scenarioSchema.meta({ id: 'Scenario' });

export const healthResource = z
  .object({
    checkedAt: utc,
    status: z.enum(['ok', 'stale']).meta({ description: '`stale` when any indicator of this page is stale' }),
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
            firstRejections: z
              .array(z.object({ at: z.string(), reason: z.string() }))
              .meta({ description: 'The first records the run rejected, and why' }),
            error: z.string().optional().meta({ description: 'Why the run failed' }),
          })
          .nullable()
          .meta({ description: 'The last ingestion run of the indicator, if any' }),
        lastSuccessAt: utc.nullable(),
        lastErrorAt: utc.nullable(),
        lastError: z
          .string()
          .nullable()
          .meta({ description: 'Why the source last failed (query strings and secret names redacted)' }),
        consecutiveFailures: z.int(),
      }),
    ),
    nextCursor,
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
    updatedBy: z.string().optional().meta({ description: 'Who set it: the IAM principal, or local-token' }),
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

export const openApiDocument = z.record(z.string(), z.unknown()).meta({ id: 'OpenApiDocument' });

// Errors: every problem response (RFC 9457).

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

/** Each operation's success responses by status; null for no body (problem responses are added for all). */
export const responses: Record<
  RouteKey,
  Record<number, { description: string; schema: z.ZodType | null }>
> = {
  'GET /v1/scenarios': { 200: { description: 'The scenarios', schema: scenarioList } },
  'GET /v1/scenarios/{id}': { 200: { description: 'The scenario as loaded', schema: scenarioDefinition } },
  'GET /v1/scenarios/{id}/assessment': {
    200: { description: 'The latest assessment', schema: assessmentResource },
  },
  'GET /v1/scenarios/{id}/forecast': {
    200: {
      description: 'The forecast stored with the latest assessment',
      schema: scenarioForecastResource,
    },
  },
  'GET /v1/scenarios/{id}/assessments': {
    200: { description: 'A page of assessments', schema: assessmentPage },
  },
  'GET /v1/scenarios/{id}/alerts': { 200: { description: 'A page of alerts', schema: alertPage } },
  'GET /v1/indicators/{id}/observations': {
    200: { description: 'A page of observations', schema: observationPage },
  },
  'GET /v1/indicators/{id}/forecast': {
    200: { description: 'The latest forecast', schema: indicatorForecastResource },
  },
  'POST /v1/indicators/{id}/observations': {
    200: { description: 'The observations were stored', schema: manualObservationsResult },
  },
  'GET /v1/health': {
    200: { description: 'Per indicator: newest period and staleness', schema: healthResource },
  },
  'PUT /v1/scenarios/{id}/silences/{silenceId}': {
    200: { description: 'The silence was replaced', schema: silenceResource },
    201: { description: 'The silence was created', schema: silenceResource },
  },
  'DELETE /v1/scenarios/{id}/silences/{silenceId}': {
    204: { description: 'The silence was removed', schema: null },
  },
  'GET /v1/openapi.json': { 200: { description: 'The OpenAPI 3.1 document', schema: openApiDocument } },
};
