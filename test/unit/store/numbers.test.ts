import { describe, expect, it } from 'vitest';
import { toItem } from '../../../shared/store/item.ts';
import { clampNumbers, clampToStorable, LARGEST_STORED, unstorable } from '../../../shared/store/numbers.ts';
import { partition } from '../../../shared/store/table.ts';

describe('storable numbers', () => {
  it('holds a magnitude beyond 2^53 at the largest stored and turns dust into 0, keeping the sign', () => {
    expect(clampToStorable(5e99)).toBe(LARGEST_STORED);
    expect(clampToStorable(-5e99)).toBe(-LARGEST_STORED);
    expect(clampToStorable(1e-140)).toBe(0);
    expect(clampToStorable(0.25)).toBe(0.25);
  });

  it('clamps every number of an item, nested in arrays and objects, and leaves strings and dates alone', () => {
    // Arrange
    const at = new Date('2024-01-01T00:00:00Z');
    const fields = { p: { a: 1e-200, b: 1 }, list: [{ db: -1e31 }, 2], label: '1e400', at, none: null };

    // Act
    const item = toItem('assessment', { pk: partition.scenario('s'), sk: 'LATEST' }, fields);

    // Assert
    expect(item).toMatchObject({
      p: { a: 0, b: 1 },
      list: [{ db: -LARGEST_STORED }, 2],
      label: '1e400',
      none: null,
    });
    expect(item.at).toBe(at);
    expect(clampNumbers(fields).p.b).toBe(1);
    expect(unstorable(clampNumbers(1e300))).toBeUndefined();
  });
});
