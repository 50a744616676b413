// Every operation of the API by route key: its parameters, body and problem statuses (the success
// responses are in responses.ts). The handler validates with these schemas and the OpenAPI document is
// generated from them, so the two cannot drift.
import type * as z from '../../shared/runtime/validation.ts';
import * as s from './schemas.ts';

export interface Operation {
  summary: string;
  /** `write` routes need IAM (deployed) or the bearer token (local); reads are public by default. */
  access: 'read' | 'write';
  /** The schemas, each built on its first call (schemas.ts says why). */
  params: () => z.ZodMiniType;
  query: () => z.ZodMiniType;
  body?: () => z.ZodMiniType;
  /** The problem statuses the route may answer besides 400 and 500. */
  problems: number[];
}

const read = { access: 'read', query: s.noQuery } as const;

export const operations = {
  'GET /v1/scenarios': {
    access: 'read',
    summary: 'A page of the scenarios, in id order',
    params: s.noQuery,
    query: s.listQuery,
    problems: [],
  },
  'GET /v1/scenarios/{id}': {
    ...read,
    summary: 'A scenario definition: paths, indicators, evidence models',
    params: s.scenarioParams,
    problems: [404],
  },
  'GET /v1/scenarios/{id}/assessment': {
    ...read,
    summary: 'The latest assessment of a scenario',
    params: s.scenarioParams,
    problems: [404],
  },
  'GET /v1/scenarios/{id}/forecast': {
    ...read,
    summary: 'The latest indicator forecasts and projected path probabilities of a scenario',
    params: s.scenarioParams,
    problems: [404],
  },
  'GET /v1/scenarios/{id}/assessments': {
    access: 'read',
    summary: 'The assessment history, oldest first, by asOf',
    params: s.scenarioParams,
    query: s.pageQuery,
    problems: [404],
  },
  'GET /v1/scenarios/{id}/alerts': {
    access: 'read',
    summary: 'The alerts of a scenario, oldest first; from/to bound the shift time',
    params: s.scenarioParams,
    query: s.pageQuery,
    problems: [404],
  },
  'GET /v1/indicators/{id}/observations': {
    access: 'read',
    summary: 'The observations of an indicator, oldest first, by period',
    params: s.indicatorParams,
    query: s.pageQuery,
    problems: [404],
  },
  'GET /v1/indicators/{id}/forecast': {
    ...read,
    summary: "An indicator's latest forecast, its steps dated by period",
    params: s.indicatorParams,
    problems: [404],
  },
  'POST /v1/indicators/{id}/observations': {
    access: 'write',
    summary: 'Record observations by hand (all or nothing)',
    params: s.indicatorParams,
    query: s.noQuery,
    body: s.manualObservationsBody,
    problems: [401, 404, 409, 413],
  },
  'GET /v1/health': {
    access: 'read',
    summary: 'Freshness and last ingestion run of the indicators, a page of them in id order',
    params: s.noQuery,
    query: s.listQuery,
    problems: [],
  },
  'PUT /v1/scenarios/{id}/silences/{silenceId}': {
    access: 'write',
    summary: 'Create or replace a silence of the scenario alerts',
    params: s.silenceParams,
    query: s.noQuery,
    body: s.silenceBody,
    problems: [401, 404, 413],
  },
  'DELETE /v1/scenarios/{id}/silences/{silenceId}': {
    access: 'write',
    summary: 'Remove a silence',
    params: s.silenceParams,
    query: s.noQuery,
    problems: [401, 404],
  },
  'GET /v1/openapi.json': {
    ...read,
    summary: 'This document',
    params: s.noQuery,
    problems: [],
  },
} satisfies Record<string, Operation>;

export type RouteKey = keyof typeof operations;
export const ROUTE_KEYS = Object.keys(operations) as RouteKey[];
