// The domain records that several items embed, as fromItem checks them: a contribution (assessments and
// alerts), a data event (an assessment's events, a data alert) and a forecast driver (a forecast's
// projection, a forecast warning).
import type { Contribution, ContributionStatus, DataEvent, ForecastDriver } from '../domain/model.ts';
import { each, fields, list, number, oneOf, optional, record, string } from './checks.ts';

export function contribution(v: unknown): Contribution {
  return fields(v, {
    ...each(string, 'indicatorId model'),
    status: oneOf<ContributionStatus>({
      used: true,
      kept: true,
      absent: true,
      stale: true,
      missing: true,
      insufficient: true,
    }),
    value: optional(number),
    ...each(optional(string), 'period source outcome'),
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

export function dataEvent(v: unknown): DataEvent {
  return fields(v, dataEventFields());
}

export function forecastDriver(v: unknown): ForecastDriver {
  return fields(v, {
    indicatorId: string,
    ...each(number, 'decibans today'),
    ...each(optional(number), 'point last'),
  });
}
