// When the table grants list exact partition keys and when they name the kinds' prefixes.
import { describe, expect, it } from 'vitest';
import { EXACT_KEYS_BUDGET, leadingKeyConditions } from '../../infra/constructs/table-access.ts';

/** `count` keys of `prefix`, each `length` characters long. */
const keysOf = (prefix: string, count: number, length = 20) =>
  Array.from({ length: count }, (_, i) => `${prefix}${String(i).padStart(length - prefix.length, '0')}`);
/** The JSON characters of a list of `count` keys of `length` characters: quotes, commas, brackets. */
const listChars = (count: number, length = 20) => count * (length + 3) + 1;

describe('the LeadingKeys conditions of one function', () => {
  it('lists the exact keys, deduplicated and sorted, while all its lists together fit the budget', () => {
    // Arrange: two lists whose JSON together takes the whole budget.
    const writes = keysOf('SCN#', 10);
    const readCount = Math.floor((EXACT_KEYS_BUDGET - listChars(10) - 1) / 23);
    const reads = [...keysOf('IND#', readCount)].reverse();

    // Act
    const [read, write] = leadingKeyConditions([
      { exact: [...reads, reads[0] as string], prefixes: ['IND#*'] },
      { exact: writes, prefixes: ['SCN#*'] },
    ]);

    // Assert
    expect(listChars(readCount) + listChars(10)).toBeLessThanOrEqual(EXACT_KEYS_BUDGET);
    expect(read).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...reads].sort() } });
    expect(write).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': writes } });
  });

  it('names every list by its prefixes once one key more passes the budget, the small lists too', () => {
    // Arrange
    const readCount = Math.floor((EXACT_KEYS_BUDGET - listChars(10)) / 23) + 1;

    // Act
    const [read, write] = leadingKeyConditions([
      { exact: keysOf('IND#', readCount), prefixes: ['SCN#*', 'IND#*', 'IND#*'] },
      { exact: keysOf('SCN#', 10), prefixes: ['SCN#*'] },
    ]);

    // Assert
    expect(listChars(readCount) + listChars(10)).toBeGreaterThan(EXACT_KEYS_BUDGET);
    expect(read).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['IND#*', 'SCN#*'] } });
    expect(write).toEqual({ 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['SCN#*'] } });
  });
});
