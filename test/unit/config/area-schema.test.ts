// A geojson source's area of interest as written in a scenario: what is accepted, and the field and
// reason of each problem.
import { describe, expect, it } from 'vitest';
import { parseScenario, ScenarioError, type ScenarioProblem } from '../../../shared/config/load-scenarios.ts';
import { scenarioYaml, sourcesScenario } from '../../fixtures/scenario.ts';

const SOURCE = '{ kind: geojson, url: "https://example.org/front.geojson", within: WITHIN }';
const SQUARE = '[[[37.5, 49.6], [37.7, 49.6], [37.7, 49.8], [37.5, 49.8], [37.5, 49.6]]]';

/** The problems of a scenario whose one geojson source has `within` (and `file` when it is a file). */
function problemsWith(within: string, source = SOURCE): ScenarioProblem[] {
  try {
    parseScenario(scenarioYaml(sourcesScenario([source.replace('WITHIN', within)])), 'area.yaml');
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
}

describe('within: an area of interest', () => {
  it.each([
    ['a circle', '{ centre: { lon: 37.6156, lat: 49.7106 }, radiusKm: 30 }'],
    ['a polygon', `{ polygon: ${SQUARE} }`],
    [
      'a polygon with a hole',
      `{ polygon: [${SQUARE.slice(1, -1)}, [[37.6, 49.7], [37.62, 49.7], [37.62, 49.72], [37.6, 49.7]]] }`,
    ],
    ['a GeoJSON file', '{ path: data/areas/sector.geojson }'],
  ])('accepts %s', (_, within) => {
    expect(problemsWith(within)).toEqual([]);
  });

  it('accepts an area in a local file source of format geojson', () => {
    expect(
      problemsWith(
        '{ polygon: SQUARE }'.replace('SQUARE', SQUARE),
        '{ kind: file, format: geojson, path: data/front.geojson, within: WITHIN }',
      ),
    ).toEqual([]);
  });

  it.each([
    {
      name: 'a latitude out of range',
      within: '{ centre: { lon: 37.6, lat: 149.7 }, radiusKm: 30 }',
      field: 'indicators[0].source.within.centre.lat',
      expected: /a latitude between -90 and 90/,
    },
    {
      name: 'a longitude out of range',
      within: '{ centre: { lon: 237.6, lat: 49.7 }, radiusKm: 30 }',
      field: 'indicators[0].source.within.centre.lon',
      expected: /a longitude between -180 and 180/,
    },
    {
      name: 'a radius of zero',
      within: '{ centre: { lon: 37.6, lat: 49.7 }, radiusKm: 0 }',
      field: 'indicators[0].source.within.radiusKm',
      expected: /a radius above 0 km/,
    },
    {
      name: 'a radius beyond the maximum',
      within: '{ centre: { lon: 37.6, lat: 49.7 }, radiusKm: 5000 }',
      field: 'indicators[0].source.within.radiusKm',
      expected: /a radius of at most 1000 km/,
    },
    {
      name: 'a circle without a radius',
      within: '{ centre: { lon: 37.6, lat: 49.7 } }',
      field: 'indicators[0].source.within.radiusKm',
      expected: /a radiusKm beside the centre/,
    },
    {
      name: 'a circle across the antimeridian',
      within: '{ centre: { lon: 179.9, lat: 0 }, radiusKm: 50 }',
      field: 'indicators[0].source.within.radiusKm',
      expected: /does not cross the antimeridian/,
    },
    {
      name: 'a circle over a pole',
      within: '{ centre: { lon: 0, lat: 89.9 }, radiusKm: 50 }',
      field: 'indicators[0].source.within.radiusKm',
      expected: /does not reach a pole/,
    },
    {
      name: 'both a circle and a polygon',
      within: `{ centre: { lon: 37.6, lat: 49.7 }, radiusKm: 30, polygon: ${SQUARE} }`,
      field: 'indicators[0].source.within',
      expected: /one area: a circle \(centre and radiusKm\), a polygon, or a path/,
    },
    {
      name: 'a ring that is not closed',
      within: '{ polygon: [[[37.5, 49.6], [37.7, 49.6], [37.7, 49.8], [37.5, 49.8]]] }',
      field: 'indicators[0].source.within.polygon[0]',
      expected: /a closed ring: its last position repeats the first \(\[37.5, 49.6\]\)/,
    },
    {
      name: 'a ring of three positions',
      within: '{ polygon: [[[37.5, 49.6], [37.7, 49.6], [37.5, 49.6]]] }',
      field: 'indicators[0].source.within.polygon[0]',
      expected: /at least four positions/,
    },
    {
      name: 'a ring that crosses itself',
      within: '{ polygon: [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]] }',
      field: 'indicators[0].source.within.polygon',
      expected: /rings that do not cross themselves or each other \(they cross at \[0.5, 0.5\]\)/,
    },
    {
      name: 'a position written latitude first, out of range',
      within: '{ polygon: [[[49.6, 37.5], [49.6, 237.7], [49.8, 37.7], [49.6, 37.5]]] }',
      field: 'indicators[0].source.within.polygon[0][1][1]',
      expected: /a latitude between -90 and 90/,
    },
    {
      name: 'an area file outside the scenarios folder',
      within: '{ path: ../areas/sector.geojson }',
      field: 'indicators[0].source.within.path',
      expected: /a path inside the scenarios folder/,
    },
  ])('reports $name at its field', ({ within, field, expected }) => {
    // Act
    const problems = problemsWith(within);

    // Assert
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.message ?? problem?.expected).toMatch(expected);
  });

  it('reports a centre off the globe once, at its field, and not again as a circle over a pole', () => {
    // Act
    const problems = problemsWith('{ centre: { lon: 37.6, lat: 149.7 }, radiusKm: 30 }');

    // Assert
    expect(problems.map((p) => p.field)).toEqual(['indicators[0].source.within.centre.lat']);
  });

  it('reports an unknown field of the area with a suggestion', () => {
    // Act
    const problems = problemsWith('{ center: { lon: 37.6, lat: 49.7 }, radiusKm: 30 }');

    // Assert
    expect(problems.map((p) => p.message)).toContain('unknown field `center`; did you mean `centre`?');
  });
});
