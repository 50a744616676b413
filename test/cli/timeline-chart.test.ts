// The replay timeline chart: a self-contained SVG with a line per path, the confirmed-path band and markers.
import { describe, expect, it } from 'vitest';
import { type TimelineChart, timelineSvg } from '../../shared/charts/timeline.ts';

const chart: TimelineChart = {
  title: 'Kupyansk <front> & "momentum"',
  paths: [
    { id: 'baseline', title: 'Ukraine holds the initiative' },
    { id: 'risk', title: 'Russian counter-offensive' },
  ],
  points: [
    { at: '2024-01-01T00:00:00.000Z', probabilities: { baseline: 0.7, risk: 0.3 }, path: null },
    { at: '2024-02-01T00:00:00.000Z', probabilities: { baseline: 0.6, risk: 0.4 }, path: 'baseline' },
    { at: '2024-03-01T00:00:00.000Z', probabilities: { baseline: 0.2, risk: 0.8 }, path: 'baseline' },
    { at: '2024-04-01T00:00:00.000Z', probabilities: { baseline: 0.1, risk: 0.9 }, path: 'risk' },
  ],
  markers: [{ at: '2024-04-01T00:00:00.000Z', kind: 'path-shift', from: 'baseline', to: 'risk' }],
};

describe('timelineSvg', () => {
  it('draws one line per path with a point per assessment', () => {
    const svg = timelineSvg(chart);

    const lines = [...svg.matchAll(/<path d="M([^"]+)" fill="none"/g)].map((m) => m[1] as string);
    expect(lines).toHaveLength(2);
    for (const d of lines) expect(d.split('L')).toHaveLength(4);
  });

  it('draws the confirmed path as one band segment per run of the same path', () => {
    const svg = timelineSvg(chart);

    // none (grey), then baseline over two assessments, then risk: three runs
    expect(svg.match(/fill-opacity="0.85"/g)).toHaveLength(3);
    expect(svg).toContain('fill="#bbbbbb" fill-opacity="0.85"');
  });

  it('labels each shift with its kind, the new path and the month', () => {
    expect(timelineSvg(chart)).toContain('>shift → risk · 2024-04</text>');
  });

  it('escapes text so any scenario title gives well-formed XML', () => {
    const svg = timelineSvg(chart);

    expect(svg).toContain('Kupyansk &lt;front&gt; &amp; &quot;momentum&quot;');
    expect(svg).not.toContain('<front>');
  });

  it('marks each forecast warning with a triangle in the colour of the path warned of, and says so', () => {
    const plain = timelineSvg(chart);
    const warned = timelineSvg({ ...chart, warnings: [{ at: '2024-02-01T00:00:00.000Z', to: 'risk' }] });

    const triangles = (svg: string) => svg.match(/<path d="M[^"]+ Z" fill="[^"]+"/g) ?? [];
    expect(triangles(plain)).toEqual([]);
    expect(triangles(warned)).toHaveLength(1);
    expect(triangles(warned)[0]).toContain('fill="#d55e00"');
    expect(warned).toContain('triangles: forecast warnings');
    expect(plain).not.toContain('forecast warnings');
  });

  it('refuses an empty timeline', () => {
    expect(() => timelineSvg({ ...chart, points: [] })).toThrow(RangeError);
  });
});
