// What makes an area of interest well formed (WGS 84 positions, closed rings, a circle clear of the
// poles and the antimeridian): one set of rules for the scenario schema and for an area read from a file.
import type { Position } from 'geojson';

/** A circle wider than this is a region, better drawn as a polygon than approximated by a radius. */
export const MAX_RADIUS_KM = 1000;

/** The mean Earth radius (IUGG), the sphere @turf/circle and @turf/area work on. */
const EARTH_RADIUS_KM = 6371.0088;

export const LONGITUDE = 'a longitude between -180 and 180 (degrees east, WGS 84)';
export const LATITUDE = 'a latitude between -90 and 90 (degrees north, WGS 84)';

export const isLongitude = (x: unknown): x is number => typeof x === 'number' && x >= -180 && x <= 180;
export const isLatitude = (x: unknown): x is number => typeof x === 'number' && x >= -90 && x <= 90;

/** Why `ring` is not a closed ring (four or more positions, the last repeating the first), if it is not. */
export function ringProblem(ring: readonly Position[]): string | undefined {
  if (ring.length < 4) return 'a closed ring of at least four positions (the last repeats the first)';
  const first = ring[0] as Position;
  const last = ring.at(-1) as Position;
  if (first[0] !== last[0] || first[1] !== last[1])
    return `a closed ring: its last position repeats the first ([${first[0]}, ${first[1]}])`;
  return undefined;
}

/**
 * Why a circle of `radiusKm` around the centre cannot be an area of interest, if it cannot: the
 * polygons are plain lon/lat rings, so a circle must not reach a pole or cross the antimeridian (±180°),
 * where its ring would wrap the wrong way round the globe.
 */
export function circleProblem(lon: number, lat: number, radiusKm: number): string | undefined {
  const radius = radiusKm / EARTH_RADIUS_KM; // radians of arc
  const latitude = (lat * Math.PI) / 180;
  if (Math.abs(latitude) + radius >= Math.PI / 2) return 'a circle that does not reach a pole';
  // The widest longitude a circle of angular radius r around latitude φ spans: asin(sin r / cos φ).
  const halfWidth = (Math.asin(Math.sin(radius) / Math.cos(latitude)) * 180) / Math.PI;
  if (Math.abs(lon) + halfWidth > 180) return 'a circle that does not cross the antimeridian (±180°)';
  return undefined;
}
