import { describe, expect, it } from 'vitest';
import { isFresh, staleAt } from '../../../shared/domain/staleness.ts';

describe('staleness', () => {
  it('ends the freshness of a period staleAfter after the period ends, one cadence by default', () => {
    // Act
    const byDefault = staleAt({ cadence: 'P1M' }, '2024-01-01');
    const configured = staleAt({ cadence: 'P1M', staleAfter: 'P10D' }, '2024-01-01');

    // Assert
    expect(byDefault.toISOString()).toBe('2024-03-01T00:00:00.000Z');
    expect(configured.toISOString()).toBe('2024-02-11T00:00:00.000Z');
  });

  it('counts data as current up to its staleAt included, and no data as never current', () => {
    // Arrange
    const weekly = { cadence: 'P1W' as const };
    const until = staleAt(weekly, '2024-01-01');

    // Act
    const at = isFresh(weekly, '2024-01-01', until);
    const after = isFresh(weekly, '2024-01-01', new Date(until.getTime() + 1));
    const none = isFresh(weekly, undefined, new Date(0));

    // Assert
    expect([at, after, none]).toEqual([true, false, false]);
  });
});
