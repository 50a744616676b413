// Ingesting a feed, a rolling window of a publisher's newest items, run after run on DynamoDB Local:
// the oldest period the feed still partly holds never revises a complete stored count downward.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '../../cli/local/resources.ts';
import { ingest } from '../../shared/app/ingest.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import { table } from '../../shared/runtime/clients.ts';
import { listRevisions } from '../../shared/store/observation-revisions.ts';
import { listObservations, observationKey } from '../../shared/store/observations.ts';
import type { Table } from '../../shared/store/table.ts';

const SCENARIO = `id: window
title: Rolling feeds
description: Feeds that keep only their newest items.
paths:
  - { id: calm, title: Calm, description: Calm., prior: 0.5 }
  - { id: storm, title: Storm, description: Storm., prior: 0.5 }
indicators:
${[
  ['news', 'sum'],
  ['late', 'sum'],
  ['share', 'mean'],
]
  .map(
    ([id, aggregate]) => `  - id: ${id}
    title: ${id}
    unit: items per month
    cadence: P1M
    source: { kind: feed, path: ${id}.xml, keywords: [aid], aggregate: ${aggregate} }
    evidence: { model: gaussian, expect: { calm: { mean: 1, sd: 1 }, storm: { mean: 5, sd: 1 } } }`,
  )
  .join('\n')}
`;

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
  let dir: string;
  let store: Table;
  let registry: ScenarioRegistry;

  const run = (id: string, at: string) => ingest(store, registry, [id], new Date(at));
  const storedItem = async (id: string, period: string) =>
    (await store.db.send(new GetCommand({ TableName: store.name, Key: observationKey(id, period) }))).Item;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signpost-window-'));
    await writeFile(join(dir, 'window.yaml'), SCENARIO);
    registry = new ScenarioRegistry(await loadScenarios(dir));
    store = table(`signpost-window-${randomUUID().slice(0, 8)}`);
    await createTable(store.name);
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

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
    await writeFile(join(dir, 'news.xml'), rss(all.slice(0, 5)));
    await run('news', '2024-02-20T00:00:00Z');
    const january = await storedItem('news', '2024-01-01');

    // Act: two January items have left the feed.
    await writeFile(join(dir, 'news.xml'), rss(all.slice(2, 7)));
    const [report] = await run('news', '2024-03-12T00:00:00Z');

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
    await writeFile(
      join(dir, 'late.xml'),
      rss([
        ['2024-01-10', 'aid 1'],
        ['2024-01-20', 'aid 2'],
        ['2024-02-05', 'aid 3'],
      ]),
    );
    await run('late', '2024-02-06T00:00:00Z');

    // Act: the oldest item left, and two January items were published late.
    await writeFile(
      join(dir, 'late.xml'),
      rss([
        ['2024-01-15', 'aid late'],
        ['2024-01-20', 'aid 2'],
        ['2024-01-22', 'aid later'],
        ['2024-02-05', 'aid 3'],
      ]),
    );
    const [report] = await run('late', '2024-02-07T00:00:00Z');

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
    await writeFile(
      join(dir, 'share.xml'),
      rss([
        ['2024-01-10', 'aid 1'],
        ['2024-01-20', 'weather'],
        ['2024-02-05', 'aid 2'],
      ]),
    );
    await run('share', '2024-02-06T00:00:00Z');

    // Act: only the non-matching January item is left.
    await writeFile(
      join(dir, 'share.xml'),
      rss([
        ['2024-01-20', 'weather'],
        ['2024-02-05', 'aid 2'],
      ]),
    );
    await run('share', '2024-02-07T00:00:00Z');

    // Assert
    expect((await listObservations(store, 'share')).map((o) => [o.period, o.value])).toEqual([
      ['2024-01-01', 0.5],
      ['2024-02-01', 1],
    ]);
    expect(await listRevisions(store, 'share')).toEqual([]);
  });
});
