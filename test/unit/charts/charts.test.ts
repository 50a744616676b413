// The chart primitives: round ticks and calendar-aligned time ticks, straight paths, the page theme's
// classes, and the indicator chart's stale and missing marks.
import { describe, expect, it } from 'vitest';
import { fanChart } from '../../../shared/charts/fan.ts';
import { areaPath, linearScale, linePath, timeScale } from '../../../shared/charts/scale.ts';
import { STANDALONE, STYLED, themeCss } from '../../../shared/charts/theme.ts';

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

describe('linearScale', () => {
  it('maps the domain onto the range, widened to round values when asked', () => {
    const y = linearScale([3, 97], [100, 0], { nice: 5 });

    expect(y.domain).toEqual([0, 100]);
    expect(y(50)).toBe(50);
    expect(y.ticks(5)).toEqual([0, 20, 40, 60, 80, 100]);
  });

  it('clamps to the range when asked', () => {
    const x = linearScale([-20, 20], [0, 100], { clamp: true });

    expect(x(40)).toBe(100);
    expect(x(-40)).toBe(0);
  });
});

describe('timeScale', () => {
  it('ticks whole years over several years, labelled by year', () => {
    const x = timeScale([day('2022-03-01'), day('2026-08-01')], [0, 100]);

    const ticks = x.ticks(4);

    expect(ticks.map((t) => x.label(t))).toEqual(['2023', '2024', '2025', '2026']);
  });

  it('ticks quarters over three years when that many fit, labelled by month', () => {
    const x = timeScale([day('2023-07-01'), day('2027-01-01')], [0, 100]);

    const labels = x.ticks(16).map((t) => x.label(t));

    expect(labels.slice(0, 4)).toEqual(['2023-07', '2023-10', '2024', '2024-04']);
    expect(labels).toHaveLength(15);
  });

  it('never gives more ticks than asked: four and a half years in 10 ticks are years, not quarters', () => {
    const x = timeScale([day('2022-03-01'), day('2026-08-31')], [0, 100]);

    const ticks = x.ticks(10);

    expect(ticks.map((t) => x.label(t))).toEqual(['2023', '2024', '2025', '2026']);
  });
});

describe('paths', () => {
  it('draws a polyline and an area to two decimals', () => {
    expect(
      linePath([
        [0, 1.234],
        [2.5, 3],
      ]),
    ).toBe('M0,1.23L2.5,3');
    expect(
      areaPath(
        [
          [0, 1],
          [1, 1],
        ],
        [
          [0, 0],
          [1, 0],
        ],
      ),
    ).toBe('M0,1L1,1L1,0L0,0Z');
  });
});

describe('theme', () => {
  it('colours a standalone chart inline and a page chart by class, for both colour schemes', () => {
    expect(STANDALONE.paint('path0', 'stroke')).toEqual({ stroke: '#0072b2' });
    expect(STYLED.paint('path0', 'stroke')).toEqual({ class: 's-path0' });
    expect(themeCss()).toContain('.s-path0{stroke:var(--path0)}');
    expect(themeCss()).toMatch(/@media \(prefers-color-scheme:dark\)\{:root\{[^}]*--path0:#56b4e9/);
  });
});

describe('fanChart as a small multiple', () => {
  it('shades the stretch where the data no longer counts and ticks each period without data', () => {
    // Act: February has no value; the data stops counting in June, the chart ends in August.
    const svg = fanChart({
      title: 'Probe',
      unit: 'units',
      cadence: 'P1M',
      history: [
        { period: '2024-01-01', value: 3 },
        { period: '2024-03-01', value: 5 },
      ],
      staleFrom: '2024-06-01T00:00:00.000Z',
      end: '2024-08-01T00:00:00.000Z',
      theme: STYLED,
    });

    // Assert
    expect(svg.match(/class="f-stale"/g)).toHaveLength(1);
    expect(svg.match(/class="s-missing"/g)).toHaveLength(1);
    expect(svg).not.toContain('#');
  });
});
