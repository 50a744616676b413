// The write routes: manual observations and alert silences. The handler has checked the credentials.
import { dayStart, periodId } from '../../../shared/domain/period.ts';
import { logger } from '../../../shared/runtime/logger.ts';
import { ConcurrentWriteError, putManualObservations } from '../../../shared/store/manual-observations.ts';
import { unstorable } from '../../../shared/store/numbers.ts';
import { deleteSilence, putSilence } from '../../../shared/store/silences.ts';
import type { Route } from '../context.ts';
import { operations } from '../operations.ts';
import { type FieldError, HttpProblem } from '../problem.ts';
import { json, parseRequest, toUtc } from '../request.ts';
import { declaringOr404, scenarioOr404 } from './scenarios.ts';

/** The source an API-posted observation records. */
export const MANUAL_SOURCE = 'manual:api';

/** The longest silence, in days (a month), unless the stage sets `maxSilenceDays`: a forgotten silence ends. */
export const DEFAULT_MAX_SILENCE_DAYS = 31;

/** One line per write in the function log: what was written, and by whom (the caller auth.ts named). */
function audit(action: string, caller: string | undefined, details: Record<string, unknown>): void {
  logger.info('write audited', { audit: { action, caller, ...details } });
}

/**
 * POST /v1/indicators/{id}/observations: values for an indicator whose source is `manual`, all or
 * nothing. Each period must be a period start of the indicator's cadence, and must have started: a
 * future period (a mistyped year) would be stored as the indicator's newest value, yet no assessment
 * reads it until its time comes.
 */
export const postObservations: Route = async (event, { table, scenarios, now, caller }) => {
  const { params, body } = parseRequest(operations['POST /v1/indicators/{id}/observations'], event);
  const { indicator } = await declaringOr404(scenarios, params.id);
  // A fetched source would overwrite hand-entered values at its next poll.
  if ((indicator.source.kind as string) !== 'manual') {
    throw new HttpProblem(
      409,
      'Not a manual indicator',
      `Indicator "${params.id}" is read from its ${indicator.source.kind} source; only indicators with source kind manual take posted values.`,
    );
  }
  const at = now();
  const current = periodId(at, indicator.cadence);
  const errors: FieldError[] = [];
  body.observations.forEach((o, i) => {
    // The rule ingest refuses a record's value by: what the table cannot hold is a 400, not a 500.
    const unfit = unstorable(o.value);
    if (unfit)
      errors.push({
        in: 'body',
        field: `observations.${i}.value`,
        message: `a number that can be stored: this one is ${unfit}`,
      });
    const field = `observations.${i}.period`;
    if (periodId(dayStart(o.period), indicator.cadence) !== o.period) {
      errors.push({ in: 'body', field, message: `the start of a ${indicator.cadence} period` });
    } else if (o.period > current) {
      errors.push({
        in: 'body',
        field,
        message: `a period that has started: ${current} (the current ${indicator.cadence} period) or earlier`,
      });
    }
  });
  if (errors.length > 0) {
    throw new HttpProblem(
      400,
      'Invalid request',
      errors.map((e) => `body ${e.field}: ${e.message}`).join('; '),
      {
        errors,
      },
    );
  }
  const fetchedAt = at.toISOString();
  const observations = body.observations.map((o) => ({
    indicatorId: indicator.id,
    period: o.period,
    value: o.value,
    source: MANUAL_SOURCE,
    ...(caller ? { postedBy: caller } : {}),
  }));
  const { written, revised } = await putManualObservations(table, observations, fetchedAt).catch((error) => {
    if (!(error instanceof ConcurrentWriteError)) throw error;
    throw new HttpProblem(
      409,
      'Concurrent write',
      `Another request kept changing values of "${indicator.id}" in these periods; send this one again.`,
    );
  });
  audit('observations.post', caller, {
    indicatorId: indicator.id,
    periods: observations.map((o) => o.period),
    written,
    revised,
  });
  return json(200, { indicatorId: indicator.id, written, revised, fetchedAt });
};

/** PUT /v1/scenarios/{id}/silences/{silenceId}: creates (201) or replaces (200) a silence. */
export const putScenarioSilence: Route = async (event, { table, scenarios, now, caller, maxSilenceDays }) => {
  const { params, body } = parseRequest(operations['PUT /v1/scenarios/{id}/silences/{silenceId}'], event);
  const scenario = await scenarioOr404(scenarios, params.id);
  const days = (Date.parse(body.end) - Date.parse(body.start)) / 86_400_000;
  if (days > maxSilenceDays) {
    const message = `an end at most ${maxSilenceDays} days after the start (the stage's maxSilenceDays)`;
    throw new HttpProblem(400, 'Invalid request', `body end: ${message}`, {
      errors: [{ in: 'body', field: 'end', message }],
    });
  }
  const silence = {
    scenarioId: scenario.id,
    silenceId: params.silenceId,
    start: toUtc(body.start),
    end: toUtc(body.end),
    reason: body.reason,
    ...(body.kind !== undefined ? { kind: body.kind } : {}),
    updatedAt: now().toISOString(),
    ...(caller ? { updatedBy: caller } : {}),
  };
  const created = await putSilence(table, silence);
  audit(created ? 'silence.create' : 'silence.replace', caller, {
    scenarioId: scenario.id,
    silenceId: silence.silenceId,
    start: silence.start,
    end: silence.end,
    ...(silence.kind ? { kind: silence.kind } : {}),
  });
  return json(created ? 201 : 200, silence);
};

/** DELETE /v1/scenarios/{id}/silences/{silenceId}: 204, or 404 when there was none. */
export const deleteScenarioSilence: Route = async (event, { table, scenarios, caller }) => {
  const { params } = parseRequest(operations['DELETE /v1/scenarios/{id}/silences/{silenceId}'], event);
  const scenario = await scenarioOr404(scenarios, params.id);
  if (!(await deleteSilence(table, scenario.id, params.silenceId))) {
    throw new HttpProblem(
      404,
      'Silence not found',
      `Scenario "${scenario.id}" has no silence "${params.silenceId}".`,
    );
  }
  audit('silence.delete', caller, { scenarioId: scenario.id, silenceId: params.silenceId });
  return { statusCode: 204, headers: { 'cache-control': 'no-store' } };
};
