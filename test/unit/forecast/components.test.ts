import { describe, expect, it } from 'vitest';
import { calibrate, conformalQuantile } from '../../../shared/forecast/calibration.ts';
import { cleanOutliers, prepareSeries } from '../../../shared/forecast/prepare.ts';
import { classicalDecomposition, deseasonalise, isSeasonal } from '../../../shared/forecast/seasonality.ts';
import { fitSes, thetaForecast } from '../../../shared/forecast/theta.ts';
import { seededNormal } from './simulate.ts';

describe('seasonality', () => {
  it('detects a monthly pattern and not white noise', () => {
    const normal = seededNormal(7);
    const seasonal = Array.from(
      { length: 60 },
      (_, t) => 50 + 10 * Math.cos((2 * Math.PI * t) / 12) + normal(),
    );
    const noise = Array.from({ length: 60 }, () => 50 + normal());

    expect(isSeasonal(seasonal, 12)).toBe(true);
    expect(isSeasonal(noise, 12)).toBe(false);
  });

  it('needs more than two seasons before testing', () => {
    const twoSeasons = Array.from({ length: 24 }, (_, t) => 50 + 10 * Math.cos((2 * Math.PI * t) / 12));
    expect(isSeasonal(twoSeasons, 12)).toBe(false);
  });

  it('finds multiplicative indices averaging 1 that flatten the pattern', () => {
    const factors = [0.8, 0.9, 1, 1.1, 1.2, 1.3, 1.2, 1.1, 1, 0.9, 0.8, 0.7];
    const y = Array.from({ length: 48 }, (_, t) => 100 * (factors[t % 12] as number));

    const s = classicalDecomposition(y, 12);

    expect(s.kind).toBe('multiplicative');
    expect(s.indices.reduce((a, b) => a + b, 0) / 12).toBeCloseTo(1, 10);
    for (const v of deseasonalise(y, s)) expect(v).toBeCloseTo(100, 6);
  });

  it('falls back to additive indices when the series crosses zero', () => {
    const y = Array.from({ length: 48 }, (_, t) => 5 * Math.sin((2 * Math.PI * t) / 12));
    expect(classicalDecomposition(y, 12).kind).toBe('additive');
  });
});

describe('theta', () => {
  it('recovers the smoothing parameter of a simulated local-level series', () => {
    const normal = seededNormal(11);
    let level = 100;
    const y: number[] = [];
    for (let t = 0; t < 400; t++) {
      const e = normal();
      y.push(level + e);
      level += 0.3 * e; // SES with alpha = 0.3
    }
    expect(fitSes(y).alpha).toBeGreaterThan(0.2);
    expect(fitSes(y).alpha).toBeLessThan(0.4);
  });

  it('adds half the fitted slope per step to the SES level (Hyndman & Billah 2003)', () => {
    const y = Array.from({ length: 30 }, (_, t) => 3 * t + (t % 2 ? 1 : -1));
    const f = thetaForecast(y, 4);
    for (let k = 1; k < 4; k++)
      expect((f.point[k] as number) - (f.point[k - 1] as number)).toBeCloseTo(1.5, 1);
  });
});

describe('conformal calibration', () => {
  it('takes the ceil((N+1)·level)-th smallest score, capped at the largest', () => {
    const sorted = Array.from({ length: 9 }, (_, i) => i + 1); // 1..9
    expect(conformalQuantile(sorted, 0.8)).toBe(8); // ceil(10 · 0.8) = 8
    expect(conformalQuantile(sorted, 0.95)).toBe(9); // ceil(9.5) = 10 > 9: capped
  });

  it('widens the model intervals when the backtest errors exceed the model spread', () => {
    const normal = seededNormal(13);
    const x = Array.from({ length: 60 }, () => 10 + 3 * normal());
    // A forecaster that claims sd 1 while the errors have sd 3.
    const cal = calibrate(x, x, 3, (_train, steps) => ({
      point: new Array(steps).fill(10),
      sd: new Array(steps).fill(1),
    }));
    expect(cal?.origins).toBe(30);
    expect(cal?.q80[0]).toBeGreaterThan(2.5);
    expect(cal?.q95[0]).toBeGreaterThan(cal?.q80[0] as number);
  });

  it('gives no calibration when the series is too short to backtest', () => {
    const cal = calibrate([1, 2, 3, 4, 5, 6, 7], [1, 2, 3, 4, 5, 6, 7], 1, (_t, steps) => ({
      point: new Array(steps).fill(0),
      sd: new Array(steps).fill(1),
    }));
    expect(cal).toBeUndefined();
  });
});

describe('series preparation', () => {
  it('trims leading gaps, interpolates interior ones and counts trailing ones', () => {
    const p = prepareSeries([null, 1, null, null, 4, 5, null]);
    expect(p.values).toEqual([1, 2, 3, 4, 5]);
    expect(p).toMatchObject({ filled: 2, trailingGaps: 1, observed: 3, offset: 1 });
  });

  it('replaces an interior spike but leaves the last three values alone', () => {
    const y = [5, 6, 5, 6, 5, 90, 5, 6, 5, 6, 5, 6, 5, 90];
    const { values, replaced } = cleanOutliers(y);
    expect(replaced).toBe(1);
    expect(values[5]).toBeLessThan(10);
    expect(values[13]).toBe(90);
  });
});
