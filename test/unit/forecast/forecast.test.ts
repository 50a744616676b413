import { describe, expect, it } from 'vitest';
import {
  ForecastInputError,
  forecastSeries,
  InsufficientDataError,
} from '../../../shared/forecast/forecast.ts';
import type { IndicatorForecast } from '../../../shared/forecast/types.ts';
import { expectFiniteOrdered } from './intervals.ts';
import { ar1, seededNormal } from './simulate.ts';

const width95 = (f: IndicatorForecast, step: number) => {
  const s = f.steps[step - 1];
  if (!s) throw new Error(`no step ${step}`);
  return s.upper95 - s.lower95;
};

describe('forecastSeries', () => {
  it('continues a noisy linear trend, with the true line inside the 95 % intervals', () => {
    // Arrange
    const normal = seededNormal(1);
    const line = (t: number) => 50 + 2 * t;
    const values = Array.from({ length: 48 }, (_, t) => line(t) + normal());

    // Act
    const f = forecastSeries({ values, period: 1, horizon: 6 });

    // Assert
    expect(f.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expectFiniteOrdered(f);
    for (const s of f.steps) {
      const truth = line(47 + s.step);
      expect(Math.abs(s.point - truth)).toBeLessThan(3);
      expect(s.lower95).toBeLessThan(truth);
      expect(s.upper95).toBeGreaterThan(truth);
    }
    // Each step ahead lands higher: the trend is carried, not flattened.
    for (let k = 1; k < 6; k++) expect(f.steps[k]?.point).toBeGreaterThan(f.steps[k - 1]?.point as number);
  });

  it('repeats the seasonal pattern of a seasonal series', () => {
    const normal = seededNormal(2);
    const pattern = (t: number) => 100 + 30 * Math.sin((2 * Math.PI * t) / 12);
    const values = Array.from({ length: 72 }, (_, t) => pattern(t) + normal());

    const f = forecastSeries({ values, period: 12, horizon: 12 });

    expect(f.method).toMatch(/seasonal adjustment, period 12/);
    expectFiniteOrdered(f);
    for (const s of f.steps) expect(Math.abs(s.point - pattern(71 + s.step))).toBeLessThan(5);
    const points = f.steps.map((s) => s.point);
    // Peak at t = 75 (step 4, sin = 1), trough at t = 81 (step 10, sin = -1).
    expect(points.indexOf(Math.max(...points))).toBe(3);
    expect(points.indexOf(Math.min(...points))).toBe(9);
  });

  it('gives a flat forecast with degenerate, finite intervals for a constant series', () => {
    const f = forecastSeries({ values: new Array(30).fill(7), period: 12, horizon: 4 });

    expect(f.method).toMatch(/constant/);
    for (const s of f.steps) {
      expect([s.point, s.lower80, s.upper80, s.lower95, s.upper95]).toEqual([7, 7, 7, 7, 7]);
    }
  });

  it('falls back to drift with residual intervals for a very short series', () => {
    const f = forecastSeries({ values: [10, 12, 11, 14, 15], period: 12, horizon: 3 });

    expect(f.method).toMatch(/^drift \(short series: 5 values\)/);
    expect(f.calibration.method).toMatch(/^none/);
    expectFiniteOrdered(f);
    // Drift = (15 - 10) / 4 per period from the last value.
    expect(f.steps.map((s) => s.point)).toEqual([16.25, 17.5, 18.75]);
    // Intervals widen with the horizon.
    expect(width95(f, 3)).toBeGreaterThan(width95(f, 1));
  });

  it('interpolates interior gaps and says so, forecasting much as without them', () => {
    const normal = seededNormal(3);
    const full = Array.from({ length: 40 }, (_, t) => 20 + 0.5 * t + normal());
    const gappy: (number | null)[] = full.map((v, t) => (t === 10 || t === 11 || t === 25 ? null : v));

    const withGaps = forecastSeries({ values: gappy, period: 1, horizon: 3 });
    const without = forecastSeries({ values: full, period: 1, horizon: 3 });

    expect(withGaps.method).toMatch(/3 gap\(s\) interpolated/);
    expectFiniteOrdered(withGaps);
    for (let k = 0; k < 3; k++) {
      expect(
        Math.abs((withGaps.steps[k]?.point as number) - (without.steps[k]?.point as number)),
      ).toBeLessThan(1);
    }
  });

  it('counts steps from the end of the input when the latest periods are gaps', () => {
    const values: (number | null)[] = [...Array.from({ length: 20 }, (_, t) => 100 + 3 * t), null, null];

    const f = forecastSeries({ values, period: 1, horizon: 2 });

    expect(f.method).toMatch(/2 trailing gap\(s\) forecast/);
    expect(f.steps).toHaveLength(2);
    // Step 1 is the period after the last (null) element: t = 22 on the line 100 + 3t.
    expect(f.steps[0]?.point).toBeGreaterThan(160);
  });

  it('keeps intervals sane when the history holds one huge outlier', () => {
    const normal = seededNormal(4);
    const clean = ar1(60, 0.5, 2, 100, normal);
    const spiked = clean.map((v, t) => (t === 30 ? v + 400 : v));

    const base = forecastSeries({ values: clean, period: 1, horizon: 6 });
    const f = forecastSeries({ values: spiked, period: 1, horizon: 6 });

    expect(f.method).toMatch(/1 outlier\(s\) replaced for fitting/);
    expectFiniteOrdered(f);
    expect(width95(f, 6)).toBeLessThan(1.5 * width95(base, 6));
  });

  it('never alters the newest observations, so a jump at the end moves the forecast', () => {
    const history = new Array(30).fill(0).map((_, t) => 10 + (t % 3));

    const calm = forecastSeries({ values: [...history, 11], period: 1, horizon: 1 });
    const jump = forecastSeries({ values: [...history, 60], period: 1, horizon: 1 });

    expect(jump.method).not.toMatch(/outlier/);
    expect((jump.steps[0]?.point as number) - (calm.steps[0]?.point as number)).toBeGreaterThan(3);
    expect(jump.steps[0]?.upper95).toBeGreaterThan(calm.steps[0]?.upper95 as number);
  });

  it('floors forecasts at zero for a series that was never negative', () => {
    const values = [40, 30, 25, 18, 12, 9, 6, 4, 3, 2, 1, 1, 0, 0];

    const f = forecastSeries({ values, period: 1, horizon: 6 });

    for (const s of f.steps) expect(s.lower95).toBeGreaterThanOrEqual(0);
  });

  it('reports per-step conformal calibration for a long enough series', () => {
    const values = ar1(80, 0.8, 1, 50, seededNormal(5));

    const f = forecastSeries({ values, period: 1, horizon: 6 });

    expect(f.calibration.method).toMatch(
      /^split-conformal per step \(rolling origin: 40 origins, \d+ residuals\)$/,
    );
    expect(f.calibration.scale80ByStep).toHaveLength(6);
    expect(f.calibration.scale80).toBe(f.calibration.scale80ByStep?.[0]);
    expect(f.calibration.scale80).toBeGreaterThan(0);
  });

  it('throws InsufficientDataError for all gaps or fewer than 3 values', () => {
    expect(() => forecastSeries({ values: [null, null, null], period: 1, horizon: 3 })).toThrow(
      InsufficientDataError,
    );
    expect(() => forecastSeries({ values: [1, null, 2], period: 1, horizon: 3 })).toThrow(
      /2 observed value\(s\), at least 3/,
    );
  });

  it('rejects a bad horizon, period or value with the field named', () => {
    expect(() => forecastSeries({ values: [1, 2, 3], period: 1, horizon: 0 })).toThrow(ForecastInputError);
    expect(() => forecastSeries({ values: [1, 2, 3], period: 0, horizon: 1 })).toThrow(
      /period must be a positive integer/,
    );
    expect(() => forecastSeries({ values: [1, Number.NaN, 3], period: 1, horizon: 1 })).toThrow(
      /values\[1\]/,
    );
  });
});

describe('interval coverage on simulated series', () => {
  it('covers about 80 % and 95 % of AR(1) futures of known noise', () => {
    // 150 seeded AR(1) series (phi 0.6, sigma 1), 60 observed values, 6 future values each.
    const normal = seededNormal(42);
    let in80 = 0;
    let in95 = 0;
    let total = 0;
    for (let i = 0; i < 150; i++) {
      const path = ar1(66, 0.6, 1, 20, normal);
      const f = forecastSeries({ values: path.slice(0, 60), period: 1, horizon: 6 });
      f.steps.forEach((s, k) => {
        const actual = path[60 + k] as number;
        if (actual >= s.lower80 && actual <= s.upper80) in80++;
        if (actual >= s.lower95 && actual <= s.upper95) in95++;
        total++;
      });
    }
    expect(in80 / total).toBeGreaterThan(0.74);
    expect(in80 / total).toBeLessThan(0.88);
    expect(in95 / total).toBeGreaterThan(0.9);
    expect(in95 / total).toBeLessThanOrEqual(0.99);
  });
});
