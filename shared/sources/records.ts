// Turns raw source records (time + value) into one observation per period, and names every rejected record.
import type { Indicator } from '../config/scenario-schema.ts';
import type { Source, Transform } from '../config/source-schema.ts';
import { type Cadence, dayOf, dayStart, periodId, periodsBetween } from '../domain/period.ts';
import * as z from '../runtime/validation.ts';
import { unstorable } from '../store/numbers.ts';
import type { EvidenceLink, PartialValue, SourcedObservation } from './sourced.ts';
import { applyTransforms, bucket, combine, type Point } from './transforms.ts';

export { type EvidenceLink, type PartialValue, partialUpdate, type SourcedObservation } from './sourced.ts';

export interface RawRecord {
  /** Where the record stands in the source, for error messages: `line 12`, `series[3]`. */
  at: string;
  time: unknown;
  value: unknown;
  /** The record's other fields, for `filter` transforms. */
  fields?: Record<string, unknown>;
  evidence?: EvidenceLink;
  /** What makes two records duplicates, when more than time, value and fields (a feature's geometry). */
  identity?: string;
}

export interface Rejection {
  at: string;
  reason: string;
}

export interface Extraction {
  observations: SourcedObservation[];
  read: number;
  rejected: Rejection[];
}

/** A source kind that yields a series: every kind but `manual`. */
export type SeriesSource = Exclude<Source, { kind: 'manual' }>;

/** Per observation, the evidence items kept (the value still counts them all). */
export const EVIDENCE_KEPT = 20;

/**
 * Whether the source is a rolling window: a document holding only the newest records, whose oldest
 * ones drop off as new ones arrive. RSS and Atom feeds are, by design (a publisher keeps its latest
 * N items).
 */
function isRollingWindow(source: SeriesSource): boolean {
  return source.kind === 'feed' || ('format' in source && source.format === 'feed');
}

/**
 * What a partly covered period's value says of the whole period. A mean anywhere in the chain (the
 * period's, or a weekly one a sum then adds up) bounds nothing: the records gone could have lowered it.
 */
function partialValue(
  aggregate: SeriesSource['aggregate'],
  transforms: readonly Transform[],
  values: number[],
): PartialValue {
  if (aggregate === 'last') return 'latest';
  const meanBefore = transforms.some((t) => t.kind === 'aggregate' && t.fn === 'mean');
  if (aggregate === 'mean' || meanBefore || values.some((v) => v < 0)) return 'unknown';
  return 'at-least';
}

/**
 * The last period a rolling window covers only in part: the one its oldest records fall in. The oldest
 * tenth of the records is passed over, so that an item a publisher pins (kept while newer ones come and
 * go) cannot date the window years back and pass the periods since as complete. A later start only
 * counts more periods as partial, which keeps their stored values from being lowered.
 */
function rollingWindowStart(points: { time: Date }[], cadence: Cadence): string | undefined {
  if (points.length === 0) return undefined;
  const times = points.map((p) => p.time.getTime()).sort((a, b) => a - b);
  return periodId(new Date(times[Math.floor(times.length / 10)] as number), cadence);
}

/** A time is a date (`2024-03-05`), a month (`2024-03`), or an instant with a zone (`...Z`, `+02:00`). */
const TIME = /^\d{4}-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?)?$/;

export function parseTime(raw: unknown): Date | string {
  if (typeof raw !== 'string' || !TIME.test(raw.trim())) {
    return `time ${JSON.stringify(raw)} is not a date (YYYY-MM[-DD]) or an instant with a time zone`;
  }
  const text = raw.trim();
  // Date rolls impossible days over (2024-02-30 becomes 1 March): a real date reads back unchanged.
  const calendarDate = text.length === 7 ? `${text}-01` : dayOf(text);
  const start = dayStart(calendarDate);
  if (Number.isNaN(start.getTime()) || dayOf(start) !== calendarDate) {
    return `time ${JSON.stringify(raw)} is not a real date`;
  }
  // A date or a month stands for its first instant; an instant names its own zone.
  const date = text.length <= 10 ? start : new Date(text);
  return Number.isNaN(date.getTime()) ? `time ${JSON.stringify(raw)} is not a real date` : date;
}

function parseValue(raw: unknown): number | string {
  const value =
    typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : Number.NaN;
  const reason = unstorable(value);
  return reason === undefined ? value : `value ${JSON.stringify(raw)} is ${reason}`;
}

/** A record field read by one of the parsers above; what it refuses becomes the zod issue's message. */
function parsed<T>(parse: (raw: unknown) => T | string) {
  return z.pipe(
    z.unknown(),
    z.transform((raw: unknown, ctx): T => {
      const result = parse(raw);
      if (typeof result !== 'string') return result;
      ctx.issues.push({ code: 'custom', message: result, input: raw });
      return z.NEVER;
    }),
  );
}

/** Every record is parsed with this: a time and a value (1 for each record a source counts). */
const rawRecord = z.object({ time: parsed<Date>(parseTime), value: parsed<number>(parseValue) });

/**
 * Validates the records (a repeated identical record is rejected as a duplicate), runs the source's
 * transforms, buckets the series into the indicator's periods and combines each with its `aggregate`.
 * Records may come in any order: `last` means the latest in time.
 */
export function toObservations(indicator: Indicator, records: RawRecord[], location: string): Extraction {
  const source = indicator.source as SeriesSource;
  const { aggregate, emptyPeriods, transforms } = source;
  const rejected: Rejection[] = [];
  const seen = new Map<string, string>();
  const points: Point[] = [];
  for (const record of records) {
    const value = aggregate === 'count' ? 1 : record.value;
    const result = z.safeParse(rawRecord, { time: record.time, value });
    if (!result.success) {
      // The time's problem first, as the fields are declared.
      rejected.push({ at: record.at, reason: result.error.issues[0]?.message ?? 'not a valid record' });
      continue;
    }
    const { time } = result.data;
    const identity = JSON.stringify([
      time.getTime(),
      record.value,
      record.fields,
      record.evidence,
      record.identity,
    ]);
    const first = seen.get(identity);
    if (first !== undefined) {
      rejected.push({ at: record.at, reason: `duplicate of ${first}` });
      continue;
    }
    seen.set(identity, record.at);
    points.push({
      at: record.at,
      time,
      value: result.data.value,
      fields: record.fields ?? {},
      evidence: record.evidence ? [record.evidence] : [],
      flags: [],
    });
  }
  // A rolling window holds only the end of the period its oldest records fall in (and of any period
  // before it that a weekly transform dates those records into).
  const windowStart = isRollingWindow(source) ? rollingWindowStart(points, indicator.cadence) : undefined;
  const buckets = new Map(bucket(applyTransforms(points, transforms), indicator.cadence));
  const periods = [...buckets.keys()];
  const first = periods[0];
  const last = periods.at(-1);
  // An event list has no rows for quiet periods: between its first and last entry they count as zero.
  const covered =
    emptyPeriods === 'zero' && first && last ? periodsBetween(first, last, indicator.cadence) : periods;
  const observations: SourcedObservation[] = [];
  for (const period of covered) {
    const group = buckets.get(period) ?? [];
    const observation: SourcedObservation = {
      indicatorId: indicator.id,
      period,
      value: combine(
        aggregate,
        group.map((p) => p.value),
      ),
      source: location,
    };
    const flags = [...new Set(group.flatMap((p) => p.flags))];
    const evidence = group.flatMap((p) => p.evidence).slice(0, EVIDENCE_KEPT);
    if (flags.length > 0) observation.flags = flags;
    if (evidence.length > 0) observation.evidence = evidence;
    if (windowStart !== undefined && period <= windowStart)
      observation.partial = partialValue(
        aggregate,
        transforms,
        group.map((p) => p.value),
      );
    // Each value was storable, but a period's sum or a scale may not be.
    const reason = unstorable(observation.value);
    if (reason === undefined) observations.push(observation);
    else rejected.push({ at: `period ${period}`, reason: `value ${observation.value} is ${reason}` });
  }
  return { observations, read: records.length, rejected };
}
