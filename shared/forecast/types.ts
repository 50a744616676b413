// The forecasting contract: what a caller passes to forecastSeries and what it gets back.

/** One indicator's history and what to forecast. */
export interface ForecastInput {
  /** One value per period, oldest first; null marks a gap (no observation for that period). */
  values: (number | null)[];
  /** Seasonal period: 12 for monthly data, 1 for none. */
  period: number;
  /** How many periods ahead to forecast (1..horizon). */
  horizon: number;
}

/** The forecast for one step ahead, with its central 80 % and 95 % prediction intervals. */
export interface ForecastStep {
  /** 1..horizon */
  step: number;
  point: number;
  lower80: number;
  upper80: number;
  lower95: number;
  upper95: number;
}

export interface IndicatorForecast {
  /** What produced the forecast, e.g. 'ets+theta', 'drift (short series)'; notes gaps filled. */
  method: string;
  steps: ForecastStep[];
  /**
   * How the model's intervals were rescaled: half-widths are multiplied by scale80 / scale95
   * (the values for step 1 when they vary by step; see scale80ByStep / scale95ByStep).
   */
  calibration: {
    /** e.g. 'split-conformal (rolling origin, n residuals)' or 'none' */
    method: string;
    scale80: number;
    scale95: number;
    /** Per-step scales when calibration is per step (index 0 = step 1). */
    scale80ByStep?: number[];
    scale95ByStep?: number[];
  };
}
