// The area of interest of a geojson source as a polygon (a circle, a polygon, or one read from a file),
// and the part of a feature that lies inside it. Imported only when a source declares `within:`: the
// clipping library (polyclip-ts and bignumber.js) then never loads at an ingest cold start.
import { circle } from '@turf/circle';
import { featureCollection, multiPolygon, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import type { Feature, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import type { AreaOfInterestSpec } from '../config/area-schema.ts';
import { isLatitude, isLongitude, LATITUDE, LONGITUDE, ringProblem } from './area-shape.ts';
import { SourceError } from './source-error.ts';

/**
 * Vertices of a circle's polygon: one a degree. The inscribed polygon's area falls short of the
 * circle's by (2π/n)²/6, 0.005 % here (@turf/circle's default of 64 would lose 0.16 %).
 */
const CIRCLE_STEPS = 360;

export interface AreaOfInterest {
  /** The part of the feature's polygons inside the area; null when none is (or it has no polygon). */
  clip(feature: Feature): Feature<Polygon | MultiPolygon> | null;
}

/**
 * The area described by a scenario's `within:`. An area kept in a file (`path`) is read by the caller
 * and passed as `fileText`, named `label` in errors.
 */
export function areaOfInterest(
  spec: AreaOfInterestSpec,
  fileText?: string,
  label = spec.path,
): AreaOfInterest {
  const shape =
    spec.centre !== undefined && spec.radiusKm !== undefined
      ? circle([spec.centre.lon, spec.centre.lat], spec.radiusKm, {
          steps: CIRCLE_STEPS,
          units: 'kilometers',
        })
      : spec.polygon !== undefined
        ? polygon(spec.polygon)
        : areaFromFile(fileText ?? '', label ?? 'area file');
  return {
    clip(feature) {
      const parts = polygonsOf(feature?.geometry ?? null);
      if (parts.length === 0) return null;
      return intersect(featureCollection<Polygon | MultiPolygon>([multiPolygon(parts), shape]));
    },
  };
}

/** The polygons of a geometry (a collection's included); lines and points have no area to clip. */
function polygonsOf(geometry: Geometry | null): Position[][][] {
  if (geometry === null) return [];
  switch (geometry.type) {
    case 'Polygon':
      return [geometry.coordinates];
    case 'MultiPolygon':
      return geometry.coordinates;
    case 'GeometryCollection':
      return geometry.geometries.flatMap(polygonsOf);
    default:
      return [];
  }
}

/** One Polygon or MultiPolygon, bare or as the only feature of a Feature or FeatureCollection. */
function areaFromFile(text: string, label: string): Feature<Polygon | MultiPolygon> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SourceError(label, `area of interest: not valid JSON: ${(error as Error).message}`);
  }
  const document = (parsed ?? {}) as { type?: unknown; features?: unknown; geometry?: unknown };
  const features = Array.isArray(document.features) ? document.features : undefined;
  const feature = (document.type === 'FeatureCollection' ? features?.[0] : document) as
    | { type?: unknown; geometry?: unknown }
    | undefined;
  const geometry = (feature?.type === 'Feature' ? feature.geometry : feature) as Geometry | null | undefined;
  const single = document.type !== 'FeatureCollection' || features?.length === 1;
  if (!single || (geometry?.type !== 'Polygon' && geometry?.type !== 'MultiPolygon')) {
    throw new SourceError(
      label,
      'area of interest: expected one Polygon or MultiPolygon (bare, in a Feature, or the only feature of a FeatureCollection)',
    );
  }
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  polygons.forEach((rings, p) => {
    if (!Array.isArray(rings) || rings.length === 0)
      throw new SourceError(label, `area of interest: polygon ${p} has no ring`);
    rings.forEach((ring, r) => {
      const at = `area of interest: polygon ${p}, ring ${r}`;
      if (!Array.isArray(ring)) throw new SourceError(label, `${at}: expected an array of positions`);
      ring.forEach((position, i) => {
        if (!Array.isArray(position) || !isLongitude(position[0]))
          throw new SourceError(label, `${at}, position ${i}: expected ${LONGITUDE} first`);
        if (!isLatitude(position[1]))
          throw new SourceError(label, `${at}, position ${i}: expected ${LATITUDE} second`);
      });
      const problem = ringProblem(ring);
      if (problem) throw new SourceError(label, `${at}: expected ${problem}`);
    });
  });
  return { type: 'Feature', properties: {}, geometry };
}
