// Staleness: when an indicator's newest data stops counting as current. The assessment (which stops
// using it) and the health route (which reports it) both ask here.
import type { Indicator } from '../config/scenario-schema.ts';
import { addDuration, periodEnd } from './period.ts';

/** What the rule reads of an indicator. */
type Freshness = Pick<Indicator, 'cadence' | 'staleAfter'>;

/** How long after its period ends data counts as current: `staleAfter`, by default one cadence. */
export function staleAfter(indicator: Freshness): string {
  return indicator.staleAfter ?? indicator.cadence;
}

/** The instant data of `period` stops counting as current: `staleAfter` after the period ends. */
export function staleAt(indicator: Freshness, period: string): Date {
  return addDuration(periodEnd(period, indicator.cadence), staleAfter(indicator));
}

/** Whether data of `period` (none: `undefined`) still counts as current at `at`: up to `staleAt`, included. */
export function isFresh(indicator: Freshness, period: string | undefined, at: Date): boolean {
  return period !== undefined && staleAt(indicator, period).getTime() >= at.getTime();
}
