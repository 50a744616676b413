// Turns raw source records (time + value) into one observation per period, and names every rejected record.
import type { Indicator } from '../config/scenario-schema.ts';
import type { Observation } from '../domain/model.ts';
import { periodId, periodsBetween } from '../domain/period.ts';

export interface RawRecord {
  /** Where the record stands in the source, for error messages: `line 12`, `series[3]`. */
  at: string;
  time: unknown;
  value: unknown;
}

export interface Rejection {
  at: string;
  reason: string;
}

export interface Extraction {
  observations: Observation[];
  read: number;
  rejected: Rejection[];
}

/** A time is a date (`2024-03-05`), a month (`2024-03`), or an instant with a zone (`...Z`, `+02:00`). */
const TIME = /^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?$/;

function parseTime(raw: unknown): Date | string {
  if (typeof raw !== 'string' || !TIME.test(raw.trim())) {
    return `time ${JSON.stringify(raw)} is not a date (YYYY-MM[-DD]) or an instant with a time zone`;
  }
  const text = raw.trim();
  // Date rolls impossible days over (2024-02-30 becomes 1 March): a real date reads back unchanged.
  const calendarDate = text.length === 7 ? `${text}-01` : text.slice(0, 10);
  const dayStart = new Date(`${calendarDate}T00:00:00Z`);
  if (Number.isNaN(dayStart.getTime()) || dayStart.toISOString().slice(0, 10) !== calendarDate) {
    return `time ${JSON.stringify(raw)} is not a real date`;
  }
  const date = new Date(
    text.length === 7 ? `${text}-01T00:00:00Z` : text.length === 10 ? `${text}T00:00:00Z` : text,
  );
  return Number.isNaN(date.getTime()) ? `time ${JSON.stringify(raw)} is not a real date` : date;
}

function parseValue(raw: unknown): number | string {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  return Number.isFinite(value) ? value : `value ${JSON.stringify(raw)} is not a finite number`;
}

/** Buckets records into the indicator's periods and combines each bucket with its `aggregate`. */
export function toObservations(indicator: Indicator, records: RawRecord[], location: string): Extraction {
  const { aggregate, emptyPeriods } = indicator.source;
  const buckets = new Map<string, number[]>();
  const rejected: Rejection[] = [];
  for (const record of records) {
    const time = parseTime(record.time);
    const value = aggregate === 'count' ? 1 : parseValue(record.value);
    if (typeof time === 'string' || typeof value === 'string') {
      rejected.push({ at: record.at, reason: typeof time === 'string' ? time : (value as string) });
      continue;
    }
    const period = periodId(time, indicator.cadence);
    buckets.set(period, [...(buckets.get(period) ?? []), value]);
  }
  const periods = [...buckets.keys()].sort();
  const first = periods[0];
  const last = periods.at(-1);
  // An event list has no rows for quiet periods: between its first and last entry they count as zero.
  const covered =
    emptyPeriods === 'zero' && first && last ? periodsBetween(first, last, indicator.cadence) : periods;
  const observations = covered.map((period) => ({
    indicatorId: indicator.id,
    period,
    value: combine(aggregate, buckets.get(period) ?? []),
    source: location,
  }));
  return { observations, read: records.length, rejected };
}

function combine(aggregate: Indicator['source']['aggregate'], values: number[]): number {
  if (values.length === 0) return 0;
  switch (aggregate) {
    case 'last':
      return values.at(-1) as number;
    case 'sum':
    case 'count':
      return round(values.reduce((a, b) => a + b, 0));
    case 'mean':
      return round(values.reduce((a, b) => a + b, 0) / values.length);
    case 'max':
      return Math.max(...values);
  }
}

/** Sums of decimal figures drift (0.1 + 0.2); twelve significant digits are plenty for indicators. */
function round(value: number): number {
  return Number(value.toPrecision(12));
}
