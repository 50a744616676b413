// The instant an evaluation is requested for: now, or a given instant no later than now.

/** How far ahead of this machine's clock a requested `asOf` may be: another machine's clock skew. */
export const MAX_ASOF_SKEW_MS = 5 * 60_000;

/**
 * A requested `asOf` later than now. Applied, it would become the latest assessment and every real
 * evaluation after it would be taken for a backfill: no state change, no alert, until that date.
 */
export class FutureAsOfError extends Error {
  constructor(asOf: string, now: Date) {
    super(
      `asOf: expected an instant no later than now (${now.toISOString()}, plus ${MAX_ASOF_SKEW_MS / 60_000} minutes ` +
        `for clock skew), got ${asOf}; nothing was evaluated`,
    );
    this.name = 'FutureAsOfError';
  }
}

/** The instant a request asks for (`now` when it names none); one later than now is refused. */
export function requestedAsOf(asOf: string | undefined, now: Date): Date {
  if (!asOf) return now;
  const at = new Date(asOf);
  if (at.getTime() > now.getTime() + MAX_ASOF_SKEW_MS) throw new FutureAsOfError(asOf, now);
  return at;
}
