// Degenerate and hostile series: flat stretches that just moved, huge values, very long series.
import * as fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { calibrate, MAX_SCORE, Z80, Z95 } from '../../../shared/forecast/calibration.ts';
import { ForecastRangeError, forecastSeries } from '../../../shared/forecast/forecast.ts';
import type { IndicatorForecast } from '../../../shared/forecast/types.ts';
import { expectFiniteOrdered } from './intervals.ts';

const step1 = (f: IndicatorForecast) => {
  const s = f.steps[0];
  if (!s) throw new Error('no step 1');
  return s;
};

describe('intervals of a flat series that just moved', () => {
  it.each([
    { name: '5 ×19 then 9', values: [...Array(19).fill(5), 9], move: 4 },
    { name: '0 ×19 then 3', values: [...Array(19).fill(0), 3], move: 3 },
    { name: '10 ×15 then 12, 12, 13', values: [...Array(15).fill(10), 12, 12, 13], move: 3 },
    { name: '100 ×30 then 140', values: [...Array(30).fill(100), 140], move: 40 },
  ])(
    '$name: 80 % and 95 % intervals as wide as a fraction of the move, not ~0 and not ~1e7',
    ({ values, move }) => {
      const f = forecastSeries({ values, period: 12, horizon: 6 });

      expectFiniteOrdered(f);
      for (const s of f.steps) {
        expect(s.upper80 - s.lower80).toBeGreaterThan(move / 10);
        expect(s.upper95 - s.lower95).toBeGreaterThan(move / 10);
        expect(s.upper95 - s.lower95).toBeLessThan(move * 10);
      }
      for (const scale of [f.calibration.scale80, f.calibration.scale95]) {
        expect(scale).toBeGreaterThan(0.05);
        expect(scale).toBeLessThan(MAX_SCORE);
      }
    },
  );
});

describe('calibration of a degenerate backtest pool', () => {
  it('counts an error against a zero sd as a large score instead of dropping it', () => {
    // A model certain (sd 0) of a constant, wrong at every origin by 1.
    const x = Array.from({ length: 40 }, (_, t) => (t % 2 === 0 ? 0 : 1));
    const cal = calibrate(x, x, 1, (_train, steps) => ({
      point: new Array(steps).fill(0.5),
      sd: new Array(steps).fill(0),
    }));
    expect(cal?.residuals).toBe(20);
    expect(cal?.q80[0]).toBe(MAX_SCORE);
  });

  it('floors the backtest sd at the given data scale', () => {
    const x = Array.from({ length: 40 }, (_, t) => (t % 2 === 0 ? 0 : 1));
    const cal = calibrate(
      x,
      x,
      1,
      (_train, steps) => ({ point: new Array(steps).fill(0.5), sd: new Array(steps).fill(1e-9) }),
      { sdFloor: 0.25 },
    );
    expect(cal?.q80[0]).toBeCloseTo(2, 10); // error 0.5 / floor 0.25
  });

  it('keeps the normal multipliers when every backtest error was zero', () => {
    const x = new Array(40).fill(7);
    const cal = calibrate(x, x, 2, (_train, steps) => ({
      point: new Array(steps).fill(7),
      sd: new Array(steps).fill(1),
    }));
    expect(cal?.q80).toEqual([Z80, Z80]);
    expect(cal?.q95).toEqual([Z95, Z95]);
    expect(cal?.uncalibrated).toBe(2);
  });
});

describe('forecast intervals over short, flat and jumpy series (property)', () => {
  const level = fc.double({ min: -1000, max: 1000, noNaN: true });
  const flatThenJump = fc.record({
    level,
    length: fc.integer({ min: 3, max: 40 }),
    jump: fc.double({ min: 0.01, max: 500, noNaN: true }),
    sign: fc.constantFrom(-1, 1),
  });
  const noisy = fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 3, maxLength: 40 });
  const steps = fc.array(fc.record({ length: fc.integer({ min: 1, max: 12 }), value: level }), {
    minLength: 1,
    maxLength: 5,
  });

  it('gives finite, ordered intervals, and a nonzero 95 % width after a final jump', () => {
    fc.assert(
      fc.property(flatThenJump, fc.integer({ min: 1, max: 12 }), ({ level, length, jump, sign }, horizon) => {
        const last = level + sign * jump;
        const f = forecastSeries({ values: [...Array(length).fill(level), last], period: 12, horizon });
        expectFiniteOrdered(f);
        const s = step1(f);
        expect(s.upper95 - s.lower95).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });

  it('gives finite, ordered intervals for arbitrary and piecewise-flat series', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          noisy,
          steps.map((parts) => parts.flatMap((p) => new Array<number>(p.length).fill(p.value))),
        ),
        fc.integer({ min: 1, max: 12 }),
        (values, horizon) => {
          fc.pre(values.length >= 3);
          expectFiniteOrdered(forecastSeries({ values, period: 4, horizon }));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('hostile series', () => {
  it('refuses values whose arithmetic overflows double precision, naming the problem', () => {
    const values = Array.from({ length: 30 }, (_, i) => 1e160 * (1 + i / 10));
    expect(() => forecastSeries({ values, period: 12, horizon: 6 })).toThrow(ForecastRangeError);
  });

  it('forecasts a series of 250,000 values without overflowing the call stack', () => {
    // Constant, so the model fit (seconds at this length) is skipped; the range check still reads it all.
    const values = new Array<number>(250_000).fill(42);
    const f = forecastSeries({ values, period: 1, horizon: 2 });
    expect(f.steps.map((s) => s.point)).toEqual([42, 42]);
  });
});
