// The domain records that several items embed, as fromItem checks them: a contribution (assessments and
// alerts), a data event (an assessment's events, a data alert) and a forecast driver (a forecast's
// projection, a forecast warning).
import type { Contribution, ContributionStatus, DataEvent, ForecastDriver } from '../domain/model.ts';
import { fields, list, number, oneOf, optional, record, string } from './item.ts';

export function contribution(v: unknown, at: string): Contribution {
  return fields(v, at, {
    indicatorId: string,
    status: oneOf<ContributionStatus>({
      used: true,
      kept: true,
      absent: true,
      stale: true,
      missing: true,
      insufficient: true,
    }),
    model: string,
    value: optional(number),
    period: optional(string),
    source: optional(string),
    outcome: optional(string),
    weight: number,
    decibans: record(number),
  });
}

/** The fields of a data event (an alert adds its own to them). */
export const dataEventFields = () => ({
  kind: oneOf<DataEvent['kind']>({ 'data-stale': true, 'data-recovered': true }),
  sequence: number,
  indicators: list(string),
  at: string,
});

export function dataEvent(v: unknown, at: string): DataEvent {
  return fields(v, at, dataEventFields());
}

export function forecastDriver(v: unknown, at: string): ForecastDriver {
  return fields(v, at, {
    indicatorId: string,
    decibans: number,
    today: number,
    point: optional(number),
    last: optional(number),
  });
}
