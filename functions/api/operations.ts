// Every operation of the API by route key: its parameters, body and responses. The handler validates
// with these schemas and the OpenAPI document is generated from them, so the two cannot drift.
import type * as z from 'zod';
import * as s from './schemas.ts';

export interface Operation {
  summary: string;
  /** `write` routes need IAM (deployed) or the bearer token (local); reads are public by default. */
  access: 'read' | 'write';
  params: z.ZodType;
  query: z.ZodType;
  body?: z.ZodType;
  /** Success responses by status; null for no body. Problem responses are added for every route. */
  responses: Record<number, { description: string; schema: z.ZodType | null }>;
  /** The problem statuses the route may answer besides 400 and 500. */
  problems: number[];
}

const read = { access: 'read', query: s.noQuery } as const;

export const operations = {
  'GET /v1/scenarios': {
    ...read,
    summary: 'List the scenarios',
    params: s.noQuery,
    responses: { 200: { description: 'The scenarios', schema: s.scenarioList } },
    problems: [],
  },
  'GET /v1/scenarios/{id}': {
    ...read,
    summary: 'A scenario definition: paths, indicators, evidence models',
    params: s.scenarioParams,
    responses: { 200: { description: 'The scenario as loaded', schema: s.scenarioDefinition } },
    problems: [404],
  },
  'GET /v1/scenarios/{id}/assessment': {
    ...read,
    summary: 'The latest assessment of a scenario',
    params: s.scenarioParams,
    responses: { 200: { description: 'The latest assessment', schema: s.assessmentResource } },
    problems: [404],
  },
  'GET /v1/scenarios/{id}/forecast': {
    ...read,
    summary: 'The latest indicator forecasts and projected path probabilities of a scenario',
    params: s.scenarioParams,
    responses: {
      200: {
        description: 'The forecast stored with the latest assessment',
        schema: s.scenarioForecastResource,
      },
    },
    problems: [404],
  },
  'GET /v1/scenarios/{id}/assessments': {
    access: 'read',
    summary: 'The assessment history, oldest first, by asOf',
    params: s.scenarioParams,
    query: s.pageQuery,
    responses: { 200: { description: 'A page of assessments', schema: s.assessmentPage } },
    problems: [404],
  },
  'GET /v1/scenarios/{id}/alerts': {
    access: 'read',
    summary: 'The alerts of a scenario, oldest first; from/to bound the shift time',
    params: s.scenarioParams,
    query: s.pageQuery,
    responses: { 200: { description: 'A page of alerts', schema: s.alertPage } },
    problems: [404],
  },
  'GET /v1/indicators/{id}/observations': {
    access: 'read',
    summary: 'The observations of an indicator, oldest first, by period',
    params: s.indicatorParams,
    query: s.pageQuery,
    responses: { 200: { description: 'A page of observations', schema: s.observationPage } },
    problems: [404],
  },
  'GET /v1/indicators/{id}/forecast': {
    ...read,
    summary: "An indicator's latest forecast, its steps dated by period",
    params: s.indicatorParams,
    responses: { 200: { description: 'The latest forecast', schema: s.indicatorForecastResource } },
    problems: [404],
  },
  'POST /v1/indicators/{id}/observations': {
    access: 'write',
    summary: 'Record observations by hand (all or nothing)',
    params: s.indicatorParams,
    query: s.noQuery,
    body: s.manualObservationsBody,
    responses: { 200: { description: 'The observations were stored', schema: s.manualObservationsResult } },
    problems: [401, 404, 409, 413],
  },
  'GET /v1/health': {
    ...read,
    summary: 'Freshness and last ingestion run of every indicator',
    params: s.noQuery,
    responses: {
      200: { description: 'Per indicator: newest period and staleness', schema: s.healthResource },
    },
    problems: [],
  },
  'PUT /v1/scenarios/{id}/silences/{silenceId}': {
    access: 'write',
    summary: 'Create or replace a silence of the scenario alerts',
    params: s.silenceParams,
    query: s.noQuery,
    body: s.silenceBody,
    responses: {
      200: { description: 'The silence was replaced', schema: s.silenceResource },
      201: { description: 'The silence was created', schema: s.silenceResource },
    },
    problems: [401, 404, 413],
  },
  'DELETE /v1/scenarios/{id}/silences/{silenceId}': {
    access: 'write',
    summary: 'Remove a silence',
    params: s.silenceParams,
    query: s.noQuery,
    responses: { 204: { description: 'The silence was removed', schema: null } },
    problems: [401, 404],
  },
  'GET /v1/openapi.json': {
    ...read,
    summary: 'This document',
    params: s.noQuery,
    responses: { 200: { description: 'The OpenAPI 3.1 document', schema: s.openApiDocument } },
    problems: [],
  },
} satisfies Record<string, Operation>;

export type RouteKey = keyof typeof operations;
export const ROUTE_KEYS = Object.keys(operations) as RouteKey[];
