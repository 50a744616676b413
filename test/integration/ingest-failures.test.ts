import { describe, expect, it } from 'vitest';
import { ingest } from '../../shared/app/ingest.ts';
import { listObservations } from '../../shared/store/observations.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { startPublisher } from './http-fixture.ts';
import { freshTable, scenarioFolder, useFreshTable, useScenarioFolder } from './local-stack.ts';

/** A source of monthly values in a CSV file or at a URL. */
function csv(where: { path: string } | { url: string }) {
  return { kind: 'csv', ...where, time: 'month', value: 'value' };
}

/** One good feed (read from `good`), one missing, one all garbage, one partly garbage (read from `<id>.csv`). */
function feedsScenario(id: string, good = csv({ path: 'good.csv' })): string {
  return scenarioYaml({
    id,
    paths: EVEN_AB,
    indicators: ['good', 'missing', 'garbage', 'partial'].map((feed) => ({
      id: feed,
      source: feed === 'good' ? good : csv({ path: `${feed}.csv` }),
      expect: AB_EXPECT,
    })),
  });
}

describe('ingest with failing feeds', () => {
  const feeds = useScenarioFolder('feeds', () => ({
    'feeds.yaml': feedsScenario('feeds'),
    'good.csv': 'month,value\n2024-01,1\n2024-02,2\n',
    'garbage.csv': 'month,value\nsoon,x\nlater,y\n',
    'partial.csv': 'month,value\n2024-01,1\n2024-02,lots\n2024-03T10:00:00,3\n',
  }));
  const store = useFreshTable('feeds');

  it('stores the good feeds, reports the bad ones and writes nothing from an all-garbage feed', async () => {
    // Act
    const reports = await ingest(store, feeds.registry, undefined, new Date('2024-06-01T00:00:00Z'));

    // Assert
    const byId = Object.fromEntries(reports.map((r) => [r.indicatorId, r]));
    expect(byId.good).toMatchObject({ read: 2, written: 2, rejected: 0 });
    expect(byId.missing?.error).toMatch(/missing\.csv: no such file/);
    expect(byId.garbage).toMatchObject({
      read: 2,
      written: 0,
      rejected: 2,
      error: 'every record was rejected',
    });
    expect(byId.partial).toMatchObject({ read: 3, written: 1, rejected: 2 });
    expect(byId.partial?.firstRejections).toEqual([
      { at: 'line 3', reason: 'value "lots" is not a finite number' },
      { at: 'line 4', reason: expect.stringContaining('time zone') },
    ]);
    expect(await listObservations(store, 'garbage')).toEqual([]);
    expect((await listObservations(store, 'good')).map((o) => o.value)).toEqual([1, 2]);
  });

  it('counts the failed runs of each indicator in a row, and starts again from 0 after a success', async () => {
    // Arrange: a store of its own, so the runs of the other tests do not count.
    const runs = await freshTable('feeds-in-a-row');
    const run = async () =>
      Object.fromEntries(
        (await ingest(runs, feeds.registry, ['missing', 'good'], new Date('2024-06-01T00:00:00Z'))).map(
          (r) => [r.indicatorId, r.consecutiveFailures],
        ),
      );

    // Act
    const first = await run();
    const second = await run();
    await feeds.write('missing.csv', 'month,value\n2024-01,5\n');
    const recovered = await run();

    // Assert
    expect([first, second, recovered]).toEqual([
      { missing: 1, good: 0 },
      { missing: 2, good: 0 },
      { missing: 0, good: 0 },
    ]);
  });

  it('reports indicator ids no scenario declares, and ingests the known ones', async () => {
    const reports = await ingest(
      store,
      feeds.registry,
      ['good', 'nonexistent'],
      new Date('2024-06-01T00:00:00Z'),
    );

    expect(reports).toEqual([
      expect.objectContaining({ indicatorId: 'nonexistent', error: 'no scenario declares this indicator' }),
      expect.objectContaining({ indicatorId: 'good', written: 0, unchanged: 2 }),
    ]);
  });

  it('defers the indicators it cannot start before the run deadline, and stores nothing for them', async () => {
    // Arrange: a wall clock that moves 10 s at every reading; the run has 40 s.
    const fresh = await freshTable('deadline');
    const base = Date.parse('2024-06-01T00:00:00Z');
    let ticks = 0;
    const clock = () => new Date(base + ++ticks * 10_000);

    // Act
    const reports = await ingest(fresh, feeds.registry, ['good', 'partial'], new Date(base), {
      clock,
      deadline: new Date(base + 40_000),
    });

    // Assert: the first was fetched; the second, reached with 0 s left, was deferred untouched.
    expect(reports.map((r) => [r.indicatorId, r.status])).toEqual([
      ['good', 'succeeded'],
      ['partial', 'deferred'],
    ]);
    expect(reports[1]?.note).toMatch(/^not fetched: the run had 0 s left; the next run fetches it$/);
    expect(reports[1]?.error).toBeUndefined();
    expect(await listObservations(fresh, 'good')).toHaveLength(2);
    expect(await listObservations(fresh, 'partial')).toEqual([]);
  });

  it('cuts a fetch short at the run deadline instead of running past it', async () => {
    // Arrange: a publisher that never answers, and a run with 8.5 s left (3.5 s after the reserve).
    const publisher = await startPublisher({ '/hang.csv': () => {} });
    const hanging = await scenarioFolder('hang', {
      'hang.yaml': feedsScenario('hang', csv({ url: `${publisher.base}/hang.csv` })),
    });
    const started = Date.now();

    try {
      // Act
      const [report] = await ingest(store, hanging.registry, ['good'], new Date('2024-06-01T00:00:00Z'), {
        policy: { timeoutMs: 60_000 },
        deadline: new Date(started + 8_500),
      });

      // Assert: the 30 s default budget was cut to what the run had left.
      expect(report?.error).toMatch(/gave up: its 3\d{3} ms time budget is spent/);
      expect(Date.now() - started).toBeLessThan(6_000);
    } finally {
      await publisher.close();
      await hanging.remove();
    }
  });
});
