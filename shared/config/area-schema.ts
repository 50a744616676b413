// The area of interest of a geojson source, as written in a scenario file: a circle by centre and
// radius, a polygon's coordinates, or a GeoJSON file in the scenarios folder.
import { kinks } from '@turf/kinks';
import type { Position } from 'geojson';
import * as z from 'zod';
import {
  circleProblem,
  isLatitude,
  isLongitude,
  LATITUDE,
  LONGITUDE,
  MAX_RADIUS_KM,
  ringProblem,
} from '../sources/area-shape.ts';
import { scenarioPath } from './fields.ts';

/** Inline polygons are typed by hand; an outline with more points belongs in a file (`path`). */
const MAX_INLINE_POSITIONS = 1000;

const longitude = z.number(LONGITUDE).refine(isLongitude, LONGITUDE);
const latitude = z.number(LATITUDE).refine(isLatitude, LATITUDE);

/** A GeoJSON position: longitude first, then latitude (an altitude after them is allowed and ignored). */
const position = z.tuple([longitude, latitude], z.number()).check((ctx) => {
  if (ctx.value.length > 3)
    ctx.issues.push({ code: 'custom', message: '[longitude, latitude]', input: ctx.value });
});

const ring = z.array(position).superRefine((r, ctx) => {
  const problem = ringProblem(r);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

/** GeoJSON Polygon coordinates: the outer ring, then any holes. */
const polygon = z
  .array(ring)
  .min(1, 'at least the outer ring')
  .superRefine((rings, ctx) => {
    const count = rings.reduce((n, r) => n + r.length, 0);
    if (count > MAX_INLINE_POSITIONS) {
      ctx.addIssue({
        code: 'custom',
        message: `at most ${MAX_INLINE_POSITIONS} positions in all (${count} here): put a larger outline in a GeoJSON file and name it with path`,
      });
      return;
    }
    // A ring that crosses itself has no inside to clip to (and a geodesic area that means nothing).
    const crossing = kinks({ type: 'Polygon', coordinates: rings as Position[][] }).features[0];
    if (crossing) {
      const [lon, lat] = crossing.geometry.coordinates.map((c) => Number(c.toFixed(5)));
      ctx.addIssue({
        code: 'custom',
        message: `rings that do not cross themselves or each other (they cross at [${lon}, ${lat}])`,
      });
    }
  });

export const areaOfInterest = z
  .strictObject({
    /** The centre of a circle, WGS 84 degrees. */
    centre: z.strictObject({ lon: longitude, lat: latitude }).optional(),
    /** The circle's radius in kilometres, measured on the Earth's surface. */
    radiusKm: z
      .number()
      .positive('a radius above 0 km')
      .max(MAX_RADIUS_KM, `a radius of at most ${MAX_RADIUS_KM} km (draw a larger region as a polygon)`)
      .optional(),
    polygon: polygon.optional(),
    /** A GeoJSON file in the scenarios folder holding one Polygon or MultiPolygon (bare, or in a Feature). */
    path: scenarioPath.optional(),
  })
  .superRefine((area, ctx) => {
    const circle = area.centre !== undefined || area.radiusKm !== undefined;
    const kinds = [circle, area.polygon !== undefined, area.path !== undefined].filter(Boolean).length;
    if (kinds !== 1) {
      ctx.addIssue({
        code: 'custom',
        message: 'one area: a circle (centre and radiusKm), a polygon, or a path to a GeoJSON file',
      });
      return;
    }
    if (!circle) return;
    if (area.centre === undefined || area.radiusKm === undefined) {
      const [missing, other] = area.centre === undefined ? ['centre', 'radiusKm'] : ['radiusKm', 'centre'];
      ctx.addIssue({
        code: 'custom',
        path: [missing],
        message: `a ${missing} beside the ${other}: a circle needs both centre { lon, lat } and radiusKm`,
      });
      return;
    }
    const { lon, lat } = area.centre;
    // A centre off the globe is already reported at its own field.
    if (!isLongitude(lon) || !isLatitude(lat)) return;
    const problem = circleProblem(lon, lat, area.radiusKm);
    if (problem) ctx.addIssue({ code: 'custom', path: ['radiusKm'], message: problem });
  });

export type AreaOfInterestSpec = z.output<typeof areaOfInterest>;
