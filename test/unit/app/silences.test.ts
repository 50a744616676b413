import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { holdingSilence, type SilenceWindow } from '../../../shared/app/silences.ts';
import { parseScenario } from '../../../shared/config/load-scenarios.ts';
import type { AlertRecord } from '../../../shared/store/alerts.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../../fixtures/scenario.ts';

const silences: SilenceWindow[] = [
  { id: 'all', start: '2024-03-01T00:00:00Z', end: '2024-04-01T00:00:00Z', reason: 'maintenance' },
  {
    id: 'stale-only',
    start: '2024-05-01T00:00:00Z',
    end: '2024-06-01T00:00:00Z',
    reason: 'feed move',
    kind: 'data-stale',
  },
];

function raised(kind: AlertRecord['kind'], createdAt: string): AlertRecord {
  return { kind, createdAt } as AlertRecord;
}

describe('holdingSilence', () => {
  it.each([
    { kind: 'path-shift', createdAt: '2024-02-29T23:59:59.000Z', held: undefined },
    { kind: 'path-shift', createdAt: '2024-03-01T00:00:00.000Z', held: 'all' },
    { kind: 'data-stale', createdAt: '2024-03-31T23:59:59.000Z', held: 'all' },
    { kind: 'path-shift', createdAt: '2024-04-01T00:00:00.000Z', held: undefined },
    { kind: 'data-stale', createdAt: '2024-05-10T00:00:00.000Z', held: 'stale-only' },
    { kind: 'path-shift', createdAt: '2024-05-10T00:00:00.000Z', held: undefined },
    { kind: 'silence-summary', createdAt: '2024-03-10T00:00:00.000Z', held: undefined },
  ] as const)('holds a $kind raised at $createdAt by $held', ({ kind, createdAt, held }) => {
    expect(holdingSilence(silences, raised(kind, createdAt))?.id).toBe(held);
  });
});

describe('silences in the scenario file', () => {
  /** A scenario file with one silence, written as a YAML flow mapping. */
  const scenario = (silence: string) =>
    scenarioYaml({
      paths: EVEN_AB,
      indicators: [{ id: 'x', expect: AB_EXPECT }],
      silences: [parse(silence)],
    });

  it('accepts a silence with an id, a start before its end, a reason and optionally a kind', () => {
    const parsed = parseScenario(
      scenario(
        '{ id: review, start: 2026-04-01T00:00:00Z, end: 2026-05-01T00:00:00Z, reason: checks, kind: data-stale }',
      ),
      's.yaml',
    );

    expect(parsed.silences).toEqual([
      {
        id: 'review',
        start: '2026-04-01T00:00:00Z',
        end: '2026-05-01T00:00:00Z',
        reason: 'checks',
        kind: 'data-stale',
      },
    ]);
  });

  it('rejects a silence that ends before it starts, naming the field', () => {
    expect(() =>
      parseScenario(
        scenario('{ id: review, start: 2026-05-01T00:00:00Z, end: 2026-04-01T00:00:00Z, reason: x }'),
        's.yaml',
      ),
    ).toThrow(/silences\[0\]\.end: expected an end after the start/);
  });
});
