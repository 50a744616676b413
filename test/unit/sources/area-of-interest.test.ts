// The geojson kind's area of interest: features clipped to a circle, a polygon or a polygon file, on
// geometry whose area is known. Far from the antimeridian and the poles, which areas do not support.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { area } from '@turf/area';
import type { Feature } from 'geojson';
import { describe, expect, it } from 'vitest';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import { areaOfInterest } from '../../../shared/sources/area-of-interest.ts';
import { readGeojson } from '../../../shared/sources/geojson.ts';
import { readIndicator } from '../../../shared/sources/read-indicator.ts';
import { SourceError } from '../../../shared/sources/source-error.ts';
import { lonLatBox as box } from '../../fixtures/deepstate.ts';
import { indicatorWithSource } from '../../fixtures/scenario.ts';

type GeojsonSource = Extract<Indicator['source'], { kind: 'geojson' }>;

/** The spherical cap of radius r km on the sphere turf measures on: 2πR²(1 − cos(r/R)). */
const EARTH_RADIUS_KM = 6371.0088;
const capKm2 = (r: number) => 2 * Math.PI * EARTH_RADIUS_KM ** 2 * (1 - Math.cos(r / EARTH_RADIUS_KM));

const km2 = (feature: Feature | null) => (feature ? area(feature) / 1e6 : 0);

describe('area of interest', () => {
  const around = { centre: { lon: 37.6156, lat: 49.7106 }, radiusKm: 30 };

  it('counts all of a circle that lies inside a feature: the area of its spherical cap', () => {
    // Arrange: a box of about 2° × 2° around a 30 km circle.
    const circle = areaOfInterest(around);

    // Act
    const inside = km2(circle.clip(box(36.6, 48.7, 38.6, 50.7)));

    // Assert: π·30² ≈ 2827.4 km²; the 360-sided polygon falls short by 0.005 %.
    expect(inside / capKm2(30)).toBeCloseTo(1, 3);
    expect(inside).toBeLessThanOrEqual(capKm2(30));
  });

  it('counts the half of a circle east of its centre meridian', () => {
    // Arrange: a meridian through the centre splits a circle into mirror halves.
    const circle = areaOfInterest(around);

    // Act
    const east = km2(circle.clip(box(37.6156, 48.7, 38.6, 50.7)));

    // Assert
    expect(east / (capKm2(30) / 2)).toBeCloseTo(1, 3);
  });

  it('counts half of a small square that straddles the edge of a circle', () => {
    // Arrange: a 1 km square centred on the circle's eastern edge at the equator; at this scale the
    // edge of a 500 km circle is all but straight, so half the square lies inside.
    const circle = areaOfInterest({ centre: { lon: 0, lat: 0 }, radiusKm: 500 });
    const edge = (500 / EARTH_RADIUS_KM) * (180 / Math.PI);
    const half = 0.5 / EARTH_RADIUS_KM / (Math.PI / 180);
    const square = box(edge - half, -half, edge + half, half);

    // Act
    const inside = km2(circle.clip(square));

    // Assert
    expect(inside / km2(square)).toBeCloseTo(0.5, 2);
  });

  it('counts exactly the part of a square inside a polygon area', () => {
    // Arrange: the area is the western half of the square.
    const west: [number, number][][] = [
      [
        [0, 0],
        [0.05, 0],
        [0.05, 0.1],
        [0, 0.1],
        [0, 0],
      ],
    ];
    const polygon = areaOfInterest({ polygon: west });
    const square = box(0, 0, 0.1, 0.1);

    // Act
    const inside = km2(polygon.clip(square));

    // Assert
    expect(inside).toBeCloseTo(km2(square) / 2, 6);
  });

  it('clips every part of a multipolygon, and leaves nothing of a feature outside the area', () => {
    // Arrange: one part inside the circle, one 200 km away.
    const circle = areaOfInterest(around);
    const inner = box(37.6, 49.7, 37.7, 49.75);
    const outer = box(40.6, 49.7, 40.7, 49.75);
    const both: Feature = {
      type: 'Feature',
      properties: {},
      geometry: {
        type: 'MultiPolygon',
        coordinates: [inner.geometry.coordinates, outer.geometry.coordinates],
      },
    };

    // Act & Assert
    expect(km2(circle.clip(both))).toBeCloseTo(km2(inner), 6);
    expect(circle.clip(outer)).toBeNull();
    expect(
      circle.clip({
        type: 'Feature',
        properties: {},
        geometry: { type: 'Point', coordinates: [37.6, 49.7] },
      }),
    ).toBeNull();
  });
});

describe('the geojson kind with within:', () => {
  const snapshot = JSON.stringify({
    type: 'FeatureCollection',
    features: [box(37.6, 49.7, 37.7, 49.75), box(40.6, 49.7, 40.7, 49.75)],
  });

  it('reads the km² inside a circle, per feature', () => {
    // Arrange
    const x = indicatorWithSource(
      '{ kind: geojson, url: "https://example.org/f.geojson", within: { centre: { lon: 37.6156, lat: 49.7106 }, radiusKm: 30 } }',
    );
    const source = x.source as GeojsonSource;
    const circle = areaOfInterest(source.within as NonNullable<GeojsonSource['within']>);

    // Act
    const records = readGeojson(snapshot, source, 'geo', new Date('2025-03-01T00:00:00Z'), circle);

    // Assert: the first box lies inside (41.1 km² less its rounding to m²·1000), the second outside.
    expect(records.map((r) => r.value)).toEqual([
      Math.round(area(box(37.6, 49.7, 37.7, 49.75)) / 1000) / 1000,
      0,
    ]);
  });

  it('refuses to read a source that declares an area without being given it', () => {
    // Arrange
    const x = indicatorWithSource(
      '{ kind: geojson, url: "https://example.org/f.geojson", within: { centre: { lon: 0, lat: 0 }, radiusKm: 1 } }',
    );

    // Act & Assert
    expect(() => readGeojson(snapshot, x.source as GeojsonSource, 'geo', new Date())).toThrow(
      'area of interest',
    );
  });

  it('reads an area kept in a GeoJSON file beside the scenario, and names the file when it is not one', async () => {
    // Arrange: the area file holds the western half of the first box.
    const dir = mkdtempSync(join(tmpdir(), 'signpost-area-'));
    writeFileSync(join(dir, 'snapshot.geojson'), snapshot);
    writeFileSync(join(dir, 'area.geojson'), JSON.stringify(box(37.6, 49.7, 37.65, 49.75)));
    writeFileSync(
      join(dir, 'line.geojson'),
      JSON.stringify({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      }),
    );
    const read = (areaFile: string) =>
      readIndicator(
        indicatorWithSource(
          `{ kind: file, format: geojson, path: snapshot.geojson, within: { path: ${areaFile} } }`,
        ),
        dir,
        { now: new Date('2025-03-01T00:00:00Z') },
      );

    // Act
    const result = await read('area.geojson');

    // Assert
    expect(result.observations.map((o) => [o.period, o.value])).toEqual([
      ['2025-03-01', Math.round(area(box(37.6, 49.7, 37.65, 49.75)) / 1000) / 1000],
    ]);
    await expect(read('line.geojson')).rejects.toThrow(SourceError);
    await expect(read('line.geojson')).rejects.toThrow(
      /line\.geojson: area of interest: expected one Polygon/,
    );
    await expect(read('missing.geojson')).rejects.toThrow('missing.geojson: no such file');
  });

  it('names the ring and position of an area file that is not closed or not WGS 84', () => {
    // Arrange
    const open = {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    };
    const projected = {
      type: 'Polygon',
      coordinates: [
        [
          [500000, 5500000],
          [1, 0],
          [1, 1],
          [500000, 5500000],
        ],
      ],
    };

    // Act & Assert
    expect(() => areaOfInterest({ path: 'a.geojson' }, JSON.stringify(open))).toThrow(
      'a.geojson: area of interest: polygon 0, ring 0: expected a closed ring',
    );
    expect(() => areaOfInterest({ path: 'b.geojson' }, JSON.stringify(projected))).toThrow(
      'b.geojson: area of interest: polygon 0, ring 0, position 0: expected a longitude between -180 and 180',
    );
  });
});
