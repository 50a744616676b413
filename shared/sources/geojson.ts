// The `geojson` source kind: the area in km² of the features whose properties match a filter (within an
// area of interest, if one is declared).
import { area as geodesicArea } from '@turf/area';
import type { Feature, FeatureCollection } from 'geojson';
import type { Source } from '../config/source-schema.ts';
import type { AreaOfInterest } from './area-of-interest.ts';
import type { RawRecord } from './records.ts';
import { SourceError } from './source-error.ts';

type GeojsonSource = Extract<Source, { kind: 'geojson' }> | Extract<Source, { format: 'geojson' }>;

/**
 * One record per feature: its area in km² (0 when its properties do not match `where`, so a period
 * whose features all fail the filter reads 0, not missing); with an area of interest (`within:`, built
 * by `area-of-interest.ts` and passed as `area`), the area of the part inside it. Without a `time`
 * property the features describe the moment of the fetch, `fetchedAt`.
 */
export function readGeojson(
  text: string,
  source: GeojsonSource,
  location: string,
  fetchedAt: Date,
  area?: AreaOfInterest,
): RawRecord[] {
  // Summing whole features would pass for the area inside: a source with `within:` needs its area.
  if (source.within !== undefined && area === undefined)
    throw new Error(`${location}: the source declares an area of interest (within) but none was given`);
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
      const inside = hit && area ? area.clip(feature) : hit ? feature : null;
      km2 = inside ? Math.round(geodesicArea(inside) / 1000) / 1000 : 0;
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
