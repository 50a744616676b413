// The feed and geojson source kinds and the transforms, from text to observations.
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import { readFeed } from '../../../shared/sources/feed.ts';
import { readGeojson } from '../../../shared/sources/geojson.ts';
import { type RawRecord, toObservations } from '../../../shared/sources/records.ts';
import { indicatorWithSource } from '../../fixtures/scenario.ts';

type Of<K extends string> = Extract<Indicator['source'], { kind: K }>;

const RSS = `<?xml version="1.0"?><rss version="2.0"><channel><title>News</title>
<item><title>Package of aid announced</title><link>https://example.org/1</link><pubDate>Mon, 05 Feb 2024 10:00:00 GMT</pubDate></item>
<item><title>Weather report</title><pubDate>Tue, 06 Feb 2024 10:00:00 +0000</pubDate></item>
<item><title><![CDATA[Second aid package & more]]></title><link>https://example.org/2</link><pubDate>Fri, 01 Mar 2024 09:00:00 +0200</pubDate></item>
<item><title>Aid package, no zone</title><pubDate>Sat, 02 Mar 2024 09:00:00</pubDate></item>
</channel></rss>`;

const ATOM = `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
<entry><title type="text">Drawdown package 12</title><link rel="alternate" href="https://example.org/a"/><updated>2024-01-10T00:00:00Z</updated></entry>
<entry><title>Unrelated</title><link href="https://example.org/b"/><published>2024-01-11T00:00:00Z</published></entry>
</feed>`;

describe('feed', () => {
  it('counts RSS items matching a keyword per period, keeping their titles and links', () => {
    const x = indicatorWithSource('{ kind: feed, url: "https://example.org/rss", keywords: [package] }');

    const result = toObservations(x, readFeed(RSS, x.source as Of<'feed'>, 'rss'), 'rss');

    expect(result.observations).toEqual([
      {
        indicatorId: 'source-1',
        period: '2024-02-01',
        value: 1,
        source: 'rss',
        partial: 'at-least', // the feed's oldest period: items before the first may have left it
        evidence: [
          {
            title: 'Package of aid announced',
            link: 'https://example.org/1',
            time: '2024-02-05T10:00:00.000Z',
          },
        ],
      },
      {
        indicatorId: 'source-1',
        period: '2024-03-01',
        value: 1,
        source: 'rss',
        evidence: [
          {
            title: 'Second aid package & more',
            link: 'https://example.org/2',
            time: '2024-03-01T07:00:00.000Z',
          },
        ],
      },
    ]);
    expect(result.rejected).toEqual([{ at: 'item[3]', reason: expect.stringContaining('time zone') }]);
  });

  it('counts Atom entries matching a regular expression', () => {
    const x = indicatorWithSource(
      '{ kind: feed, url: "https://example.org/atom", match: "drawdown\\\\s+package" }',
    );

    const result = toObservations(x, readFeed(ATOM, x.source as Of<'feed'>, 'atom'), 'atom');

    expect(result.observations.map((o) => [o.period, o.value, o.evidence?.[0]?.link])).toEqual([
      ['2024-01-01', 1, 'https://example.org/a'],
    ]);
  });

  it.each([
    ['sum', 'at-least'],
    ['count', 'at-least'],
    ['max', 'at-least'],
    ['last', 'latest'],
    ['mean', 'unknown'],
  ])('marks only the oldest period of a feed as partly covered, with %s as %s', (aggregate, partial) => {
    const x = indicatorWithSource(`{ kind: feed, url: "https://example.org/rss", aggregate: ${aggregate} }`);

    const result = toObservations(x, readFeed(RSS, x.source as Of<'feed'>, 'rss'), 'rss');

    expect(result.observations.map((o) => [o.period, o.partial])).toEqual([
      ['2024-02-01', partial],
      ['2024-03-01', undefined],
    ]);
  });

  it('marks the oldest period of a file in feed format too, and not the oldest of a CSV series', () => {
    const feed = indicatorWithSource('{ kind: file, format: feed, path: news.xml }');
    const csv = indicatorWithSource('{ kind: file, format: csv, path: x.csv, time: t, value: v }');
    const rows: RawRecord[] = [
      { at: 'line 2', time: '2024-01-20', value: 1 },
      { at: 'line 3', time: '2024-02-10', value: 2 },
    ];

    expect(toObservations(feed, rows, 'f').observations.map((o) => o.partial)).toEqual([
      'at-least',
      undefined,
    ]);
    expect(toObservations(csv, rows, 'c').observations.map((o) => o.partial)).toEqual([undefined, undefined]);
  });

  it('does not bound a partial sum when the values can be negative', () => {
    const x = indicatorWithSource(
      '{ kind: feed, url: "https://example.org/rss", transforms: [{ kind: scale, by: -1 }] }',
    );

    const result = toObservations(x, readFeed(RSS, x.source as Of<'feed'>, 'rss'), 'rss');

    expect(result.observations[0]).toMatchObject({ period: '2024-02-01', value: -2, partial: 'unknown' });
  });

  it('does not bound the oldest period of a feed when a weekly mean comes before the sum', () => {
    const x = indicatorWithSource(
      '{ kind: file, format: feed, path: news.xml, aggregate: sum, transforms: [{ kind: aggregate, fn: mean, per: week }] }',
    );
    const rows: RawRecord[] = [
      { at: 'item[0]', time: '2024-01-30', value: 1 },
      { at: 'item[1]', time: '2024-02-10', value: 2 },
    ];

    expect(toObservations(x, rows, 'f').observations.map((o) => [o.period, o.partial])).toEqual([
      ['2024-01-01', 'unknown'],
      ['2024-02-01', undefined],
    ]);
  });

  it('does not let one item pinned in a feed for years pass the periods since as complete', () => {
    // Arrange: an item from 2022 kept at the top of a feed whose other 20 items are from 2024
    const x = indicatorWithSource('{ kind: file, format: feed, path: news.xml }');
    const recent = Array.from({ length: 20 }, (_, i) => ({
      at: `item[${i + 1}]`,
      time: `2024-${i < 10 ? '02' : '03'}-${String(10 + (i % 10)).padStart(2, '0')}`,
      value: 1,
    }));
    const rows: RawRecord[] = [{ at: 'item[0]', time: '2022-01-15', value: 1 }, ...recent];

    // Act
    const observations = toObservations(x, rows, 'f').observations;

    // Assert: every period up to the one the window really starts in is partial, so none lowers a stored value
    const complete = observations.filter((o) => o.partial === undefined).map((o) => o.period);
    expect(complete).toEqual(['2024-03-01']);
    expect(observations.find((o) => o.period === '2023-06-01')).toMatchObject({
      value: 0,
      partial: 'at-least',
    });
  });

  it('fails on a document that is neither RSS nor Atom', () => {
    const x = indicatorWithSource('{ kind: feed, url: "https://example.org/rss" }');

    expect(() => readFeed('<html><body/></html>', x.source as Of<'feed'>, 'rss')).toThrow(
      'neither an RSS 2.0',
    );
  });
});

describe('geojson', () => {
  // A 0.1 x 0.1 degree square at the equator is about 123.6 km².
  const square = (lon: number, side: string, date: string) => ({
    type: 'Feature',
    properties: { side, date },
    geometry: {
      type: 'Polygon',
      coordinates: [
        [
          [lon, 0],
          [lon + 0.1, 0],
          [lon + 0.1, 0.1],
          [lon, 0.1],
          [lon, 0],
        ],
      ],
    },
  });
  const collection = JSON.stringify({
    type: 'FeatureCollection',
    features: [
      square(0, 'ru', '2024-01-15'),
      square(1, 'ua', '2024-01-15'),
      square(0, 'ru', '2024-02-15'),
      square(2, 'ru', '2024-02-15'),
    ],
  });

  it('sums the area in km² of the matching features per period, and its change with delta', () => {
    const x = indicatorWithSource(
      '{ kind: geojson, url: "https://example.org/f.geojson", where: { side: ru }, time: date, transforms: [{ kind: aggregate, fn: sum, per: month }, { kind: delta }] }',
    );

    const records = readGeojson(collection, x.source as Of<'geojson'>, 'geo', new Date());
    const result = toObservations(x, records, 'geo');

    expect(records.filter((r) => (r.value as number) > 0)).toHaveLength(3);
    expect(result.observations).toHaveLength(1);
    expect(result.observations[0]?.period).toBe('2024-02-01');
    expect(result.observations[0]?.value).toBeCloseTo(123.6, 0);
  });

  it('dates an undated snapshot with the time of the fetch', () => {
    const x = indicatorWithSource('{ kind: geojson, url: "https://example.org/f.geojson" }', 'P1D');
    const undated = JSON.stringify({ type: 'Feature', properties: {}, geometry: square(0, '', '').geometry });

    const records = readGeojson(undated, x.source as Of<'geojson'>, 'geo', new Date('2024-05-06T07:00:00Z'));

    expect(toObservations(x, records, 'geo').observations[0]?.period).toBe('2024-05-06');
  });
});

describe('transforms', () => {
  const rows = (values: [string, number | string][]): RawRecord[] =>
    values.map(([time, value], i) => ({
      at: `line ${i + 2}`,
      time,
      value,
      fields: { kind: i % 2 ? 'b' : 'a' },
    }));

  it('turns a cumulative series into changes and keeps a fall as a flagged negative change', () => {
    const x = indicatorWithSource(
      '{ kind: csv, path: x.csv, time: t, value: v, transforms: [{ kind: delta }] }',
    );

    const result = toObservations(
      x,
      rows([
        ['2024-03', 12],
        ['2024-01', 10],
        ['2024-02', 15],
      ]),
      'x.csv',
    );

    expect(result.observations.map((o) => [o.period, o.value, o.flags])).toEqual([
      ['2024-02-01', 5, undefined],
      ['2024-03-01', -3, ['negative-delta']],
    ]);
  });

  it('aggregates per week, scales and filters in the order written', () => {
    const x = indicatorWithSource(
      '{ kind: csv, path: x.csv, time: t, value: v, transforms: [{ kind: filter, field: kind, equals: a }, { kind: aggregate, fn: max, per: week }, { kind: scale, by: 0.5 }, { kind: filter, min: 2 }] }',
      'P1D',
    );

    const result = toObservations(
      x,
      rows([
        ['2024-01-01', 4], // Monday, a
        ['2024-01-02', 100], // b: filtered out
        ['2024-01-03', 6], // a
        ['2024-01-08', 2], // next Monday, a: 1 after scaling, then filtered out
      ]),
      'x.csv',
    );

    expect(result.observations.map((o) => [o.period, o.value])).toEqual([['2024-01-01', 3]]);
  });

  it('reports an invalid transform with what was expected', () => {
    expect(() =>
      indicatorWithSource('{ kind: csv, path: x.csv, time: t, value: v, transforms: [{ kind: clip }] }'),
    ).toThrow(/a transform kind: delta, aggregate, scale or filter/);
  });
});
