// Ingesting a feed, a rolling window of a publisher's newest items, run after run on DynamoDB Local:
// the oldest period the feed still partly holds never revises a complete stored count downward.
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../shared/app/ingest.ts';
import { listRevisions } from '../../shared/store/observation-revisions.ts';
import { listObservations, observationKey } from '../../shared/store/observations.ts';
import { scenarioYaml } from '../fixtures/scenario.ts';
import { useFreshTable, useScenarioFolder } from './local-stack.ts';

/** Three feeds of items matching `aid`, counted (`news`, `late`) or averaged (`share`) per month. */
const SCENARIO = scenarioYaml({
  id: 'window',
  paths: { calm: 0.5, storm: 0.5 },
  indicators: Object.entries({ news: 'sum', late: 'sum', share: 'mean' }).map(([id, aggregate]) => ({
    id,
    unit: 'items per month',
    source: { kind: 'feed', path: `${id}.xml`, keywords: ['aid'], aggregate },
    expect: { calm: { mean: 1, sd: 1 }, storm: { mean: 5, sd: 1 } },
  })),
});

/** An RSS document, newest item first as publishers list them; `title` decides whether it matches. */
function rss(items: [date: string, title: string][]): string {
  const entries = [...items]
    .reverse()
    .map(
      ([date, title]) =>
        `<item><title>${title}</title><link>https://example.org/${date}</link><pubDate>${new Date(`${date}T12:00:00Z`).toUTCString()}</pubDate></item>`,
    );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${entries.join('')}</channel></rss>`;
}

describe('ingesting a rolling feed', () => {
  const feeds = useScenarioFolder('window', () => ({ 'window.yaml': SCENARIO }));
  const store = useFreshTable('window');

  /** The publisher's feed `id` now lists `items`; ingest reads it at `at`. Its report. */
  const publishAndRun = async (id: string, at: string, items: [date: string, title: string][]) => {
    await feeds.write(`${id}.xml`, rss(items));
    const [report] = await ingest(store, feeds.registry, [id], new Date(at));
    return report;
  };
  const storedItem = async (id: string, period: string) =>
    (await store.db.send(new GetCommand({ TableName: store.name, Key: observationKey(id, period) }))).Item;

  it('keeps a complete month whose items are leaving the feed, and adds the new month', async () => {
    // Arrange: the publisher keeps its 5 newest items.
    const all: [string, string][] = [
      ['2024-01-10', 'aid 1'],
      ['2024-01-20', 'aid 2'],
      ['2024-01-25', 'aid 3'],
      ['2024-02-05', 'aid 4'],
      ['2024-02-15', 'aid 5'],
      ['2024-03-01', 'aid 6'],
      ['2024-03-10', 'aid 7'],
    ];
    await publishAndRun('news', '2024-02-20T00:00:00Z', all.slice(0, 5));
    const january = await storedItem('news', '2024-01-01');

    // Act: two January items have left the feed.
    const report = await publishAndRun('news', '2024-03-12T00:00:00Z', all.slice(2, 7));

    // Assert
    expect((await listObservations(store, 'news')).map((o) => [o.period, o.value])).toEqual([
      ['2024-01-01', 3],
      ['2024-02-01', 2],
      ['2024-03-01', 2],
    ]);
    expect(await listRevisions(store, 'news')).toEqual([]);
    expect(report).toMatchObject({ status: 'succeeded', written: 1, unchanged: 2, revised: 0 });
    // Not rewritten at all (no stream event, so no evaluation), evidence included.
    expect(await storedItem('news', '2024-01-01')).toEqual(january);
    expect(january).not.toHaveProperty('partial');
  });

  it('raises the oldest month when items dated in it arrive late', async () => {
    // Arrange
    await publishAndRun('late', '2024-02-06T00:00:00Z', [
      ['2024-01-10', 'aid 1'],
      ['2024-01-20', 'aid 2'],
      ['2024-02-05', 'aid 3'],
    ]);

    // Act: the oldest item left, and two January items were published late.
    const report = await publishAndRun('late', '2024-02-07T00:00:00Z', [
      ['2024-01-15', 'aid late'],
      ['2024-01-20', 'aid 2'],
      ['2024-01-22', 'aid later'],
      ['2024-02-05', 'aid 3'],
    ]);

    // Assert: 3, what the feed holds of January (a lower bound: which stored item left is not known).
    expect((await listObservations(store, 'late')).map((o) => [o.period, o.value])).toEqual([
      ['2024-01-01', 3],
      ['2024-02-01', 1],
    ]);
    expect(report).toMatchObject({ written: 1, unchanged: 1, revised: 1 });
    expect(await listRevisions(store, 'late')).toMatchObject([
      { period: '2024-01-01', value: 2, revisedTo: 3 },
    ]);
  });

  it('never replaces a stored mean with the mean of the part of the month still in the feed', async () => {
    // Arrange: half of January's items matched.
    await publishAndRun('share', '2024-02-06T00:00:00Z', [
      ['2024-01-10', 'aid 1'],
      ['2024-01-20', 'weather'],
      ['2024-02-05', 'aid 2'],
    ]);

    // Act: only the non-matching January item is left.
    await publishAndRun('share', '2024-02-07T00:00:00Z', [
      ['2024-01-20', 'weather'],
      ['2024-02-05', 'aid 2'],
    ]);

    // Assert
    expect((await listObservations(store, 'share')).map((o) => [o.period, o.value])).toEqual([
      ['2024-01-01', 0.5],
      ['2024-02-01', 1],
    ]);
    expect(await listRevisions(store, 'share')).toEqual([]);
  });
});
