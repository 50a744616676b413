// The API's request schemas: each refusal says what was expected, in the words a 400 carries.
import { describe, expect, it } from 'vitest';
import { invalidRequest } from '../../../functions/api/problem.ts';
import { manualObservationsBody, pageQuery, silenceBody } from '../../../functions/api/schemas.ts';
import { scenarioSchema } from '../../../shared/config/scenario-schema.ts';

/** The field errors a 400 would carry for this input. */
function refusal(
  schema: { safeParse: (input: unknown) => unknown },
  location: 'body' | 'query',
  input: unknown,
) {
  const result = schema.safeParse(input) as { success: boolean; error?: { issues: never[] } };
  expect(result.success).toBe(false);
  return invalidRequest(location, result.error?.issues ?? []).errors;
}

describe('request messages', () => {
  it.each([
    ['2024-02-30', 'a day February does not have'],
    ['2024-02', 'a month without its day'],
    ['01/02/2024', 'another date format'],
  ])('refuses the period %s (%s) asking for a date YYYY-MM-DD', (period) => {
    const errors = refusal(manualObservationsBody(), 'body', { observations: [{ period, value: 1 }] });

    expect(errors).toEqual([
      { in: 'body', field: 'observations.0.period', message: 'a date YYYY-MM-DD (a day that exists)' },
    ]);
  });

  it('refuses a value given as a string asking for a number', () => {
    const errors = refusal(manualObservationsBody(), 'body', {
      observations: [{ period: '2024-02-01', value: '3' }],
    });

    expect(errors).toEqual([{ in: 'body', field: 'observations.0.value', message: 'a number' }]);
  });

  it.each(['abc', '0', '101', '2.5', '', '0x10', '1e1', ' 5', '5.0', '05', '+5'])(
    'refuses limit=%j asking for an integer from 1 to 100',
    (limit) => {
      expect(refusal(pageQuery(), 'query', { limit })).toEqual([
        { in: 'query', field: 'limit', message: 'an integer from 1 to 100' },
      ]);
    },
  );

  it('reads limit as an integer, 20 when absent', () => {
    expect(pageQuery().parse({ limit: '100' }).limit).toBe(100);
    expect(pageQuery().parse({}).limit).toBe(20);
  });
});

describe('silence kinds', () => {
  const window = { start: '2027-01-01', end: '2027-02-01', reason: 'source outage' };

  it.each(['path-shift', 'reverted', 'data-stale', 'data-recovered', 'forecast-warning'])(
    'takes a silence of %s only, as a scenario file does',
    (kind) => {
      expect(silenceBody().safeParse({ ...window, kind }).success).toBe(true);
      const silences = scenarioSchema.shape.silences.unwrap().element;
      expect(
        silences.safeParse({
          id: 's',
          ...window,
          start: '2027-01-01T00:00:00Z',
          end: '2027-02-01T00:00:00Z',
          kind,
        }).success,
      ).toBe(true);
    },
  );

  it('refuses a kind no alert has, listing the kinds', () => {
    expect(refusal(silenceBody(), 'body', { ...window, kind: 'silence-summary' })).toEqual([
      {
        in: 'body',
        field: 'kind',
        message: 'one of path-shift, reverted, data-stale, data-recovered, forecast-warning',
      },
    ]);
  });
});
