// The reliability diagram: a self-contained SVG with a point per non-empty bin, its consistency range,
// the number of forecasts it holds, and an accessible title and description.
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { type ReliabilityChart, reliabilitySvg } from '../../../shared/charts/reliability.ts';
import type { ReliabilityBin } from '../../../shared/domain/skill.ts';

const empty = (i: number): ReliabilityBin => ({
  from: i / 5,
  to: (i + 1) / 5,
  count: 0,
  meanForecast: null,
  observedFrequency: null,
  consistency: null,
});

const filled = (
  i: number,
  count: number,
  meanForecast: number,
  observedFrequency: number,
  range: [number, number] | null,
): ReliabilityBin => ({
  ...empty(i),
  count,
  meanForecast,
  observedFrequency,
  consistency: range && { low: range[0], high: range[1] },
});

// Five bins: 0.0–0.2 holds 40 forecasts (calibrated), 0.4–0.6 holds 7, 0.8–1.0 holds 12 that came
// true far less often than forecast (outside its range); the other two are empty.
const chart: ReliabilityChart = {
  title: 'Kupyansk <front> & "momentum"',
  subtitle: 'kupyansk, 2024-01-01 to 2025-12-01',
  level: 0.9,
  bins: [
    filled(0, 40, 0.1, 0.125, [0.025, 0.2]),
    empty(1),
    filled(2, 7, 0.5, 0.571, [0.143, 0.857]),
    empty(3),
    filled(4, 12, 0.9, 0.5, [0.75, 1]),
  ],
};

const circles = (svg: string) => [
  ...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)" r="5" fill="([^"]+)">/g),
];

describe('reliabilitySvg', () => {
  it('draws one point per non-empty bin, left to right in the order of the mean forecast', () => {
    const points = circles(reliabilitySvg(chart));

    expect(points).toHaveLength(3);
    const xs = points.map((m) => Number(m[1]));
    expect(xs).toEqual([...xs].sort((a, b) => a - b));
  });

  it('places a calibrated point on the diagonal: the same distance up as across', () => {
    // Arrange: a single bin whose observed frequency equals its mean forecast
    const onDiagonal = {
      ...chart,
      bins: [filled(2, 5, 0.5, 0.5, null)],
    };

    // Act
    const svg = reliabilitySvg(onDiagonal);

    // Assert: the diagonal runs from the plot's bottom-left to its top-right corner, through the point
    const [x1, y1, x2, y2] = (
      /<line x1="([\d.]+)" y1="([\d.]+)" x2="([\d.]+)" y2="([\d.]+)" stroke="#555" stroke-dasharray/.exec(
        svg,
      ) ?? []
    )
      .slice(1)
      .map(Number);
    const [cx, cy] = (circles(svg)[0] ?? []).slice(1, 3).map(Number);
    expect(cx).toBeCloseTo(((x1 as number) + (x2 as number)) / 2, 1);
    expect(cy).toBeCloseTo(((y1 as number) + (y2 as number)) / 2, 1);
  });

  it('shows each bin’s count beside its point and over its histogram bar, and skips empty bins', () => {
    const svg = reliabilitySvg(chart);

    for (const count of ['40', '7', '12'])
      expect(svg.match(new RegExp(`>${count}</text>`, 'g'))).toHaveLength(2);
    // One bar per non-empty bin, besides the background
    expect(svg.match(/<rect [^>]*fill="#9aa5b1"/g)).toHaveLength(3);
    expect(svg).not.toContain('>0</text>');
  });

  it('draws a consistency range per bin that has one, and marks a point outside its range', () => {
    const svg = reliabilitySvg(chart);

    expect(svg.match(/<rect [^>]*fill="#b8c4d0"/g)).toHaveLength(3);
    const fills = circles(svg).map((m) => m[3]);
    expect(fills).toEqual(['#0072b2', '#0072b2', '#d55e00']);
    expect(svg).toContain('the 90 % range');
  });

  it('draws no range where a bin has none', () => {
    const svg = reliabilitySvg({ ...chart, bins: chart.bins.map((b) => ({ ...b, consistency: null })) });

    expect(svg).not.toContain('fill="#b8c4d0"');
    expect(circles(svg).map((m) => m[3])).toEqual(['#0072b2', '#0072b2', '#0072b2']);
  });

  it('is an accessible image: role, label, title, and a description of every bin', () => {
    const svg = reliabilitySvg(chart);

    expect(svg).toMatch(
      /^<svg [^>]*role="img" aria-label="Kupyansk &lt;front&gt; &amp; &quot;momentum&quot;"/,
    );
    expect(svg).toContain('<title>Kupyansk &lt;front&gt; &amp; &quot;momentum&quot;</title>');
    expect(svg).toContain(
      '<desc>0.0%–20.0%: 40 forecast(s), mean 10.0%, observed 12.5%, consistent 2.5%–20.0%;',
    );
    expect(svg).toContain(
      '80.0%–100.0%: 12 forecast(s), mean 90.0%, observed 50.0%, consistent 75.0%–100.0%</desc>',
    );
  });

  it('escapes text so any scenario title gives well-formed XML', () => {
    const svg = reliabilitySvg(chart);

    expect(XMLValidator.validate(svg)).toBe(true);
    expect(svg).not.toContain('<front>');
  });

  it('refuses a table without forecasts', () => {
    expect(() => reliabilitySvg({ ...chart, bins: [empty(0), empty(1)] })).toThrow(RangeError);
  });
});
