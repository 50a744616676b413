// Calendar arithmetic for indicator periods and ISO 8601 durations, in UTC.
//
// Written by hand: only whole calendar units (Y, M, W, D) are needed, and the date libraries that
// offer them (date-fns, luxon) would add ~20-70 KB to every bundle for a dozen lines of UTC maths.

/** The periods an indicator can be measured in, finest first. */
export const CADENCES = ['P1D', 'P1W', 'P1M', 'P3M', 'P1Y'] as const;
export type Cadence = (typeof CADENCES)[number];

export interface CalendarDuration {
  years: number;
  months: number;
  days: number;
}

const DURATION = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?$/;

/** Parses a calendar ISO 8601 duration (`P1M`, `P45D`, `P1Y2M`); time parts are not supported. */
export function parseDuration(text: string): CalendarDuration {
  const known = parsed.get(text);
  if (known) return known;
  const match = DURATION.exec(text);
  if (!match || text === 'P') throw new RangeError(`not an ISO 8601 calendar duration: ${text}`);
  const [, y, m, w, d] = match;
  const duration = {
    years: Number(y ?? 0),
    months: Number(m ?? 0),
    days: Number(w ?? 0) * 7 + Number(d ?? 0),
  };
  parsed.set(text, Object.freeze(duration));
  return duration;
}

/** Scenarios use a handful of durations, parsed again on every assessment: remember them. */
const parsed = new Map<string, CalendarDuration>();

export function isDuration(text: string): boolean {
  return DURATION.test(text) && text !== 'P';
}

const DAY_MS = 86_400_000;
/** Date.UTC reads the years 0-99 as 1900-1999: only from year 100 on is a shift by days plain arithmetic. */
const YEAR_100 = Date.UTC(100, 0, 1);

/** Adds a calendar duration to an instant; month ends clamp (Jan 31 + P1M = Feb 28/29). */
export function addDuration(instant: Date, duration: string | CalendarDuration, times = 1): Date {
  const d = typeof duration === 'string' ? parseDuration(duration) : duration;
  const ms = instant.getTime();
  if (ms >= YEAR_100) {
    // The same sums as below without the intermediate Dates, which a projection made by the million.
    if (d.years === 0 && d.months === 0) return new Date(ms + d.days * times * DAY_MS);
    const year = instant.getUTCFullYear() + d.years * times;
    const month = instant.getUTCMonth() + d.months * times;
    if (year >= 100 && Number.isSafeInteger(year) && Number.isSafeInteger(month)) {
      const day = Math.min(instant.getUTCDate(), daysInMonth(year + Math.floor(month / 12), mod(month, 12)));
      const shifted = Date.UTC(year, month, day) + mod(ms, DAY_MS);
      // Out of the Date range the general path's intermediate Date is invalid, and so is its result.
      if (!(Math.abs(shifted) <= MAX_DATE_MS)) return new Date(Number.NaN);
      return new Date(shifted + d.days * times * DAY_MS);
    }
  }
  const year = instant.getUTCFullYear() + d.years * times;
  const month = instant.getUTCMonth() + d.months * times;
  const lastDay = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const day = Math.min(instant.getUTCDate(), lastDay);
  // The time of day, kept across the shift (the modulo is made non-negative for instants before 1970).
  const timeOfDay = ((instant.getTime() % 86_400_000) + 86_400_000) % 86_400_000;
  const shifted = new Date(Date.UTC(year, month, day) + timeOfDay);
  return new Date(shifted.getTime() + d.days * times * 86_400_000);
}

const MAX_DATE_MS = 8.64e15;

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

/** Days in a month (0 = January) of the proleptic Gregorian calendar, as Date counts them. */
function daysInMonth(year: number, month: number): number {
  if (month === 1) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 3 || month === 5 || month === 8 || month === 10 ? 30 : 31;
}

/*
 * Dates as strings: a period id is the date its period starts on, `YYYY-MM-DD`; an instant is an ISO
 * 8601 string. These three are the only conversions between them and Dates.
 */

/** The instant a day (`YYYY-MM-DD`, such as a period id) starts: 00:00 UTC. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** The day of an instant, `YYYY-MM-DD`: a Date's UTC day, or the date an ISO 8601 string begins with. */
export function dayOf(instant: Date | string): string {
  return (typeof instant === 'string' ? instant : instant.toISOString()).slice(0, 10);
}

/** The month of an instant or a day, `YYYY-MM`: how texts and charts label a period. */
export function monthOf(instant: Date | string): string {
  return (typeof instant === 'string' ? instant : instant.toISOString()).slice(0, 7);
}

/** The start (00:00 UTC) of the period of the given cadence that contains `instant`. */
export function periodStart(instant: Date, cadence: Cadence): Date {
  const y = instant.getUTCFullYear();
  const m = instant.getUTCMonth();
  switch (cadence) {
    case 'P1D':
      return new Date(Date.UTC(y, m, instant.getUTCDate()));
    case 'P1W': {
      // ISO weeks start on Monday.
      const midnight = Date.UTC(y, m, instant.getUTCDate());
      const sinceMonday = (instant.getUTCDay() + 6) % 7;
      return new Date(midnight - sinceMonday * 86_400_000);
    }
    case 'P1M':
      return new Date(Date.UTC(y, m, 1));
    case 'P3M':
      return new Date(Date.UTC(y, m - (m % 3), 1));
    case 'P1Y':
      return new Date(Date.UTC(y, 0, 1));
  }
}

/** A period is named by its start date, `YYYY-MM-DD`. */
export function periodId(instant: Date, cadence: Cadence): string {
  const ms = instant.getTime();
  const cache = periodIds[cadence];
  const known = cache.get(ms);
  if (known !== undefined) return known;
  return remember(cache, ms, dayOf(periodStart(instant, cadence)));
}

/** The instant a period is complete, i.e. the start of the next one. */
export function periodEnd(period: string, cadence: Cadence): Date {
  const cache = periodEnds[cadence];
  let ms = cache.get(period);
  if (ms === undefined) ms = remember(cache, period, addDuration(dayStart(period), cadence).getTime());
  // A new Date each time: callers may change the one they get.
  return new Date(ms);
}

/*
 * An assessment asks for the same few periods and instants again and again (a projection asks
 * thousands of times per evaluation), and the date maths behind them dominated its profile. The
 * answers are pure, so they are remembered; a cache that is simply emptied when full is enough for
 * lookups this repetitive, where an LRU package would be one more dependency in every bundle.
 */
const MEMO_LIMIT = 4096;
const periodIds = memoByCadence<number, string>();
const periodEnds = memoByCadence<string, number>();

function memoByCadence<K, V>(): Record<Cadence, Map<K, V>> {
  return Object.fromEntries(CADENCES.map((c) => [c, new Map<K, V>()])) as Record<Cadence, Map<K, V>>;
}

function remember<K, V>(cache: Map<K, V>, key: K, value: V): V {
  if (cache.size >= MEMO_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The period `times` periods of `cadence` after `period` (before it, for a negative `times`). */
export function shiftPeriod(period: string, cadence: Cadence, times: number): string {
  return dayOf(addDuration(dayStart(period), cadence, times));
}

/** Every period id from `first` to `last` inclusive. */
export function periodsBetween(first: string, last: string, cadence: Cadence): string[] {
  const ids: string[] = [];
  for (let at = dayStart(first); ; at = addDuration(at, cadence)) {
    const id = dayOf(at);
    if (id > last) return ids;
    ids.push(id);
  }
}

/**
 * How many periods of `cadence` follow the period `first` up to the period `last` (period ids: their
 * starts), −1 when `last` comes before `first`: periodsBetween(first, last, cadence).length − 1, counted
 * without listing them. The path filter asks this for every reading of every step of every projected
 * future, and listing the periods (a Date and a string each) took 40 % of an evaluation.
 */
export function periodSteps(first: string, last: string, cadence: Cadence): number {
  if (last < first) return -1;
  const { years, months, days } = parseDuration(cadence);
  if (days > 0) return Math.floor((Date.parse(last) - Date.parse(first)) / (days * DAY_MS));
  const monthIndex = (day: string) => +day.slice(0, 4) * 12 + +day.slice(5, 7);
  const whole = monthIndex(last) - monthIndex(first) - (last.slice(8) < first.slice(8) ? 1 : 0);
  return Math.floor(whole / (years * 12 + months));
}
