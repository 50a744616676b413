// The `geojson` source kind: the area in km² of the features whose properties match a filter.
import { area } from '@turf/area';
import type { Feature, FeatureCollection } from 'geojson';
import type { Source } from '../config/source-schema.ts';
import type { RawRecord } from './records.ts';
import { SourceError } from './source-error.ts';

type GeojsonSource = Extract<Source, { kind: 'geojson' }> | Extract<Source, { format: 'geojson' }>;

/**
 * One record per feature: its area in km² (0 when its properties do not match `where`, so a period
 * whose features all fail the filter reads 0, not missing). Without a `time` property the features
 * describe the moment of the fetch, `fetchedAt`.
 */
export function readGeojson(
  text: string,
  source: GeojsonSource,
  location: string,
  fetchedAt: Date,
): RawRecord[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SourceError(location, `not valid JSON: ${(error as Error).message}`);
  }
  // `null`, a number or an array parse as JSON too: only an object can be GeoJSON.
  const document = (parsed !== null && typeof parsed === 'object' ? parsed : {}) as Partial<
    FeatureCollection | Feature
  >;
  const features =
    document.type === 'FeatureCollection' && Array.isArray(document.features)
      ? document.features
      : document.type === 'Feature'
        ? [document as Feature]
        : undefined;
  if (!features) throw new SourceError(location, 'not a GeoJSON FeatureCollection or Feature');
  return features.map((feature, i) => {
    const properties = (feature?.properties ?? {}) as Record<string, unknown>;
    const hit = Object.entries(source.where).every(([key, want]) => properties[key] === want);
    let km2: number | string;
    try {
      km2 = hit ? Math.round(area(feature) / 1000) / 1000 : 0;
    } catch {
      km2 = 'no valid geometry';
    }
    return {
      at: `features[${i}]`,
      time: source.time === undefined ? fetchedAt.toISOString() : properties[source.time],
      value: km2,
      fields: properties,
      identity: JSON.stringify(feature?.geometry ?? null),
    };
  });
}
