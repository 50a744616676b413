// The paged lists: a scenario's assessments and alerts, an indicator's observations (oldest first).
import { dayOf } from '../../../shared/domain/period.ts';
import { type AlertRecord, listAlertPage } from '../../../shared/store/alerts.ts';
import { listAssessmentPage } from '../../../shared/store/assessments.ts';
import { listObservationPage, type StoredObservation } from '../../../shared/store/observations.ts';
import type { Route } from '../context.ts';
import { decodeCursor } from '../cursor.ts';
import { definedFields } from '../defined-fields.ts';
import { operations } from '../operations.ts';
import { pageResponse } from '../paging.ts';
import { parseRequest, utcRange } from '../request.ts';
import { toResource } from './assessment.ts';
import { declaringOr404, scenarioOr404 } from './scenarios.ts';

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const PERIOD = /^\d{4}-\d{2}-\d{2}$/;
const SEQUENCE = /^\d{1,8}$/;

export const listAssessments: Route = async (event, { table, scenarios, cursorKey }) => {
  const { params, query } = parseRequest(operations['GET /v1/scenarios/{id}/assessments'], event);
  const scenario = await scenarioOr404(scenarios, params.id);
  const list = `assessments:${scenario.id}`;
  const after = query.cursor === undefined ? undefined : decodeCursor(cursorKey, query.cursor, list, INSTANT);
  const page = await listAssessmentPage(table, scenario.id, {
    ...utcRange(query),
    ...(after !== undefined ? { after } : {}),
    limit: query.limit,
  });
  return pageResponse(
    page,
    { key: cursorKey, list },
    (a) => a.asOf,
    (a) => toResource(a, scenario),
  );
};

export const listAlerts: Route = async (event, { table, scenarios, cursorKey }) => {
  const { params, query } = parseRequest(operations['GET /v1/scenarios/{id}/alerts'], event);
  const scenario = await scenarioOr404(scenarios, params.id);
  const list = `alerts:${scenario.id}`;
  const after =
    query.cursor === undefined ? undefined : Number(decodeCursor(cursorKey, query.cursor, list, SEQUENCE));
  const page = await listAlertPage(table, scenario.id, {
    ...utcRange(query),
    ...(after !== undefined ? { after } : {}),
    limit: query.limit,
  });
  return pageResponse(page, { key: cursorKey, list }, (a) => String(a.sequence), toAlertResource);
};

export const listObservations: Route = async (event, { table, scenarios, cursorKey }) => {
  const { params, query } = parseRequest(operations['GET /v1/indicators/{id}/observations'], event);
  const indicatorId = params.id;
  await declaringOr404(scenarios, indicatorId);
  const list = `observations:${indicatorId}`;
  const after = query.cursor === undefined ? undefined : decodeCursor(cursorKey, query.cursor, list, PERIOD);
  // Periods are dates: a bound instant covers the period starting on its UTC date.
  const range = utcRange(query);
  const page = await listObservationPage(table, indicatorId, {
    ...(range.from !== undefined ? { from: dayOf(range.from) } : {}),
    ...(range.to !== undefined ? { to: dayOf(range.to) } : {}),
    ...(after !== undefined ? { after } : {}),
    limit: query.limit,
  });
  return pageResponse(page, { key: cursorKey, list }, (o) => o.period, toObservationResource);
};

/**
 * An alert in a fixed field order: what every alert has, then the fields of its kind (a path shift's
 * from/to and probabilities, a data event's indicators). Delivery details (message id) stay internal.
 */
function toAlertResource(alert: AlertRecord) {
  // The kinds' fields, read from any kind: each alert has those of its own kind only.
  const fields = alert as unknown as Record<string, unknown>;
  return {
    scenarioId: alert.scenarioId,
    sequence: alert.sequence,
    kind: alert.kind,
    at: alert.at,
    ...definedFields(
      fields,
      'from',
      'to',
      'probabilitiesBefore',
      'probabilitiesAfter',
      'probability',
      'threshold',
      'horizon',
      'until',
      'indicators',
      'path',
      'probabilities',
    ),
    status: alert.status,
    createdAt: alert.createdAt,
    ...definedFields(alert, 'sentAt'),
    stale: alert.stale ?? [],
  };
}

/**
 * An observation in a fixed field order, with what ingestion noted of it: its flags (`negative-delta`)
 * and the evidence trail (the feed items it counts). Who posted a manual value stays internal (public.ts).
 */
function toObservationResource(o: StoredObservation) {
  return {
    indicatorId: o.indicatorId,
    period: o.period,
    value: o.value,
    source: o.source,
    ...definedFields(o, 'fetchedAt', 'flags'),
    ...(o.evidence
      ? { evidence: o.evidence.map((e) => ({ title: e.title, ...definedFields(e, 'link'), time: e.time })) }
      : {}),
  };
}
