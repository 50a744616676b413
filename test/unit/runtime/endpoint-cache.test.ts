// The endpoint cache the bundles use instead of @aws-sdk/endpoint-cache: the package's interface and rules.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EndpointCache } from '../../../shared/runtime/endpoint-cache.ts';

describe('EndpointCache', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('gives back a cached endpoint until its cache period ends', () => {
    // Arrange
    const cache = new EndpointCache(10);
    cache.set('k', [{ Address: 'a.example', CachePeriodInMinutes: 1 }]);

    // Act
    const fresh = cache.getEndpoint('k');
    vi.advanceTimersByTime(61_000);
    const expired = cache.getEndpoint('k');

    // Assert
    expect(fresh).toBe('a.example');
    expect(expired).toBeUndefined();
    expect(cache.has('k')).toBe(false);
  });

  it('keeps only the live endpoints of a key', () => {
    // Arrange
    const cache = new EndpointCache(10);
    cache.set('k', [
      { Address: 'short.example', CachePeriodInMinutes: 1 },
      { Address: 'long.example', CachePeriodInMinutes: 10 },
    ]);

    // Act
    vi.advanceTimersByTime(120_000);

    // Assert
    expect(cache.get('k')?.map((e) => e.Address)).toEqual(['long.example']);
  });

  it('drops the least recently used key beyond its capacity', () => {
    // Arrange
    const cache = new EndpointCache(2);
    cache.set('a', [{ Address: 'a', CachePeriodInMinutes: 5 }]);
    cache.set('b', [{ Address: 'b', CachePeriodInMinutes: 5 }]);
    cache.get('a');

    // Act
    cache.set('c', [{ Address: 'c', CachePeriodInMinutes: 5 }]);

    // Assert
    expect([cache.has('a'), cache.has('b'), cache.has('c')]).toEqual([true, false, true]);
  });

  it('forgets a deleted key and everything on clear', () => {
    // Arrange
    const cache = new EndpointCache(5);
    cache.set('a', [{ Address: 'a', CachePeriodInMinutes: 5 }]);
    cache.set('b', [{ Address: 'b', CachePeriodInMinutes: 5 }]);

    // Act
    cache.delete('a');
    const afterDelete = [cache.has('a'), cache.has('b')];
    cache.clear();

    // Assert
    expect(afterDelete).toEqual([false, true]);
    expect(cache.has('b')).toBe(false);
  });
});
