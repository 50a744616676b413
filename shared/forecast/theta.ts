// The Theta method (Assimakopoulos & Nikolopoulos 2000), in the SES-with-drift form of Hyndman &
// Billah 2003 (R's thetaf): simple exponential smoothing plus half the slope of the linear trend
// (the theta = 0 line), i.e. the equal-weight combination of the theta(0) and theta(2) lines.
//
// Written by hand: augurs has no Theta, and the method is a few dozen lines. Seasonality is
// handled by the caller (classical decomposition), as in the M3/M4 benchmark.

export interface SesFit {
  alpha: number;
  /** Level after the last observation. */
  level: number;
  /** Residual standard deviation of the one-step errors. */
  sigma: number;
}

// For a given alpha, the one-step forecast of y_t is g_{t-1} + (1-alpha)^t * l0 (g: the level started
// at 0), so the least-squares l0 and the SSE have a closed form and only alpha needs searching.
function sesSse(y: readonly number[], alpha: number): { sse: number; l0: number; g: number; decay: number } {
  let g = 0;
  let decay = 1; // (1 - alpha)^t
  let saa = 0;
  let sac = 0;
  let scc = 0;
  for (const v of y) {
    const a = v - g;
    saa += a * a;
    sac += a * decay;
    scc += decay * decay;
    g = alpha * v + (1 - alpha) * g;
    decay *= 1 - alpha;
  }
  const l0 = scc > 0 ? sac / scc : 0;
  return { sse: Math.max(0, saa - (sac * sac) / (scc || 1)), l0, g, decay };
}

const ALPHA_MIN = 1e-4;
const ALPHA_MAX = 0.9999;

/**
 * SES with alpha and the initial level chosen by least squares (coarse grid, then golden section).
 * With `alpha` given, only the initial level is fitted (closed form): the cheap refit the backtests use.
 */
export function fitSes(y: readonly number[], alpha?: number): SesFit {
  if (alpha !== undefined) return sesAt(y, alpha);
  let best = 0.5;
  let bestSse = Number.POSITIVE_INFINITY;
  const grid = [ALPHA_MIN, 0.05, 0.1, 0.2, 0.3, 0.45, 0.6, 0.75, 0.9, ALPHA_MAX];
  for (const a of grid) {
    const { sse } = sesSse(y, a);
    if (sse < bestSse) {
      bestSse = sse;
      best = a;
    }
  }
  const i = grid.indexOf(best);
  let lo = grid[Math.max(0, i - 1)] as number;
  let hi = grid[Math.min(grid.length - 1, i + 1)] as number;
  const ratio = (Math.sqrt(5) - 1) / 2;
  let x1 = hi - ratio * (hi - lo);
  let x2 = lo + ratio * (hi - lo);
  let f1 = sesSse(y, x1).sse;
  let f2 = sesSse(y, x2).sse;
  for (let k = 0; k < 20; k++) {
    if (f1 < f2) {
      hi = x2;
      x2 = x1;
      f2 = f1;
      x1 = hi - ratio * (hi - lo);
      f1 = sesSse(y, x1).sse;
    } else {
      lo = x1;
      x1 = x2;
      f1 = f2;
      x2 = lo + ratio * (hi - lo);
      f2 = sesSse(y, x2).sse;
    }
  }
  const candidate = (x1 + x2) / 2;
  return sesAt(y, sesSse(y, candidate).sse <= bestSse ? candidate : best);
}

function sesAt(y: readonly number[], alpha: number): SesFit {
  const fit = sesSse(y, alpha);
  const n = y.length;
  return {
    alpha,
    level: fit.g + fit.decay * fit.l0,
    sigma: Math.sqrt(fit.sse / Math.max(1, n - 2)),
  };
}

export interface ThetaForecast {
  point: number[];
  /** Standard deviation of the k-step error under the SES model (index 0 = step 1). */
  sd: number[];
  alpha: number;
}

/** Theta forecasts 1..h of a (seasonally adjusted) series; `alpha` fixes the smoothing parameter. */
export function thetaForecast(y: readonly number[], horizon: number, alpha?: number): ThetaForecast {
  const n = y.length;
  const ses = fitSes(y, alpha);
  // Slope of the least-squares line on t = 0..n-1 (the theta = 0 line).
  const tMean = (n - 1) / 2;
  const yMean = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let t = 0; t < n; t++) {
    sxy += (t - tMean) * ((y[t] as number) - yMean);
    sxx += (t - tMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const { level, sigma } = ses;
  const a = ses.alpha;
  const start = (1 - (1 - a) ** n) / a;
  const point: number[] = [];
  const sd: number[] = [];
  for (let k = 1; k <= horizon; k++) {
    point.push(level + (slope / 2) * (k - 1 + start));
    sd.push(sigma * Math.sqrt(1 + a * a * (k - 1)));
  }
  return { point, sd, alpha: a };
}
