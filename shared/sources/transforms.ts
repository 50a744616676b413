// The transforms an indicator's series goes through before it is put into periods, applied in order.
import type { Transform } from '../config/source-schema.ts';
import { type Cadence, dayStart, periodId, periodStart } from '../domain/period.ts';
import type { EvidenceLink } from './records.ts';

/** A validated record: a time, a numeric value, the record's other fields, and its trail. */
export interface Point {
  at: string;
  time: Date;
  value: number;
  fields: Record<string, unknown>;
  evidence: EvidenceLink[];
  /** Why a value needs a second look (`negative-delta`: a cumulative series fell, i.e. a correction). */
  flags: string[];
}

export type Aggregate = Extract<Transform, { kind: 'aggregate' }>['fn'];

const PER: Record<'day' | 'week' | 'month', Cadence> = { day: 'P1D', week: 'P1W', month: 'P1M' };

/** Points sorted by time (stable, so a later row of the same instant stays later). */
export function byTime(points: Point[]): Point[] {
  return [...points].sort((a, b) => a.time.getTime() - b.time.getTime());
}

export function applyTransforms(points: Point[], transforms: readonly Transform[]): Point[] {
  return transforms.reduce((series, transform) => applyOne(byTime(series), transform), byTime(points));
}

function applyOne(points: Point[], transform: Transform): Point[] {
  switch (transform.kind) {
    case 'delta':
      // The first point has no predecessor: its change is unknown, not its level.
      return points.slice(1).map((point, i) => {
        const value = round(point.value - (points[i] as Point).value);
        // A cumulative series that falls was corrected at the source: keep the negative change, flagged.
        const flags = value < 0 ? [...new Set([...point.flags, 'negative-delta'])] : point.flags;
        return { ...point, value, flags };
      });
    case 'aggregate':
      return bucket(points, PER[transform.per]).map(([period, group]) => ({
        at: `${group[0]?.at ?? ''}..${group.at(-1)?.at ?? ''}`,
        time: periodStart(dayStart(period), PER[transform.per]),
        value: combine(
          transform.fn,
          group.map((p) => p.value),
        ),
        fields: {},
        evidence: group.flatMap((p) => p.evidence),
        flags: [...new Set(group.flatMap((p) => p.flags))],
      }));
    case 'scale':
      return points.map((point) => ({ ...point, value: round(point.value * transform.by) }));
    case 'filter':
      return points.filter((point) => {
        const subject = transform.field === undefined ? point.value : point.fields[transform.field];
        const number = typeof subject === 'number' ? subject : Number(subject);
        if (transform.equals !== undefined && String(subject) !== String(transform.equals)) return false;
        if (transform.in !== undefined && !transform.in.map(String).includes(String(subject))) return false;
        if (transform.min !== undefined && !(number >= transform.min)) return false;
        if (transform.max !== undefined && !(number <= transform.max)) return false;
        return true;
      });
  }
}

/** Points grouped by period, in time order. */
export function bucket(points: Point[], cadence: Cadence): [string, Point[]][] {
  const buckets = new Map<string, Point[]>();
  for (const point of points) {
    const period = periodId(point.time, cadence);
    buckets.set(period, [...(buckets.get(period) ?? []), point]);
  }
  return [...buckets.entries()].sort(([a], [b]) => a.localeCompare(b));
}

export function combine(aggregate: Aggregate, values: number[]): number {
  if (values.length === 0) return 0;
  switch (aggregate) {
    case 'last':
      return values.at(-1) as number;
    case 'sum':
      return round(values.reduce((a, b) => a + b, 0));
    case 'count':
      return values.length;
    case 'mean':
      return round(values.reduce((a, b) => a + b, 0) / values.length);
    case 'max':
      return Math.max(...values);
  }
}

/** Sums of decimal figures drift (0.1 + 0.2); twelve significant digits are plenty for indicators. */
export function round(value: number): number {
  return Number(value.toPrecision(12));
}
