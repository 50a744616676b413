// The domain's records: observations in, assessments, path states and shifts out.

/** One indicator value for one period, as stored after ingestion. */
export interface Observation {
  indicatorId: string;
  /** The period's start date, `YYYY-MM-DD` (UTC). */
  period: string;
  value: number;
  /** Where the value came from (a URL or a file path). */
  source: string;
}

/**
 * How an indicator took part: `used` (current data), `kept` (stale data kept, with ageing), `absent`
 * (no current data, and absence is evidence), `stale` or `missing` (no current data, ignored),
 * `insufficient` (current data the model cannot judge yet, e.g. a trend of two periods).
 */
export type ContributionStatus = 'used' | 'kept' | 'absent' | 'stale' | 'missing' | 'insufficient';

/** What one indicator did to the path probabilities in one assessment. */
export interface Contribution {
  indicatorId: string;
  status: ContributionStatus;
  model: string;
  value?: number;
  period?: string;
  source?: string;
  /** The band, event outcome or slope the model judged. */
  outcome?: string;
  /** How much of its evidence counted: its weight, times ageing, times its group's cap (0 to 1). */
  weight: number;
  /** Per path: the weight of evidence for that path against the others, in decibans. */
  decibans: Record<string, number>;
}

export interface Assessment {
  scenarioId: string;
  /** The instant the data is read at: only periods complete by then are used. */
  asOf: string;
  probabilities: Record<string, number>;
  leader: string;
  /** Leader's probability minus the runner-up's. */
  margin: number;
  /** Uncertainty of the probabilities in bits: 0 when one path is certain, log2(paths) when all are equal. */
  entropy: number;
  contributions: Contribution[];
  /**
   * The belief carried into this period from the earlier ones, by path, before this period's evidence
   * (the path filter's prediction; the priors when nothing carries over).
   */
  carried?: Record<string, number>;
  /** Indicators without current data (none yet, or older than their staleAfter). */
  stale: string[];
  /** Per indicator that gave evidence, the data it used: tells new data from a re-evaluation. */
  evidence: Record<string, string>;
  /** How many indicators gave current evidence (used, or absent as evidence). */
  informative: number;
}

/** The path the scenario is confirmed to be on, and what is building up against it. */
export interface PathState {
  /** Null until the first clear reading (the state is then `insufficient-data`). */
  path: string | null;
  since: string | null;
  /** The last n decisive data updates: the challenger each favoured past the enter margin, else null. */
  window: (string | null)[];
  /** Per indicator, the last data counted: only new or revised data is a data update. */
  seen: Record<string, string>;
  /** The path held before the last shift, and when that shift happened (for `reverted`, cooldown). */
  previousPath: string | null;
  lastShiftAt: string | null;
  /** Indicators without current data at the last evaluation: a stale episode is reported once. */
  stale: string[];
  /** How many confirmed path changes (shifts and reversals) there have been. */
  shifts: number;
  /** How many alerts of any kind have been issued; numbers them (the outbox key and dedup key). */
  alerts: number;
  /**
   * True from a forecast-warning until the projected probability of a change falls back below the
   * re-arm level: one warning per episode, not one per evaluation.
   */
  forecastWarned?: boolean;
  /**
   * The newest data period (`YYYY-MM-DD`) of the last data update that moved the path logic: a later
   * update whose data is no newer belongs to the same period and replaces that period's vote instead
   * of adding one. Absent in states stored before it existed (the next update then simply votes).
   */
  votePeriod?: string;
  /**
   * The window as it stood before `votePeriod`'s vote, which a later update of that period recomputes
   * from. Absent when that period's vote is spent: it set the first path or confirmed a change.
   */
  voteBase?: (string | null)[];
  /** Optimistic-locking version of the stored state. */
  version: number;
}

/** A confirmed change of path: a shift, or a reversal to the path held before the last shift. */
export interface PathShift {
  kind: 'path-shift' | 'reverted';
  sequence: number;
  from: string;
  to: string;
  at: string;
  probabilitiesBefore: Record<string, number> | null;
  probabilitiesAfter: Record<string, number>;
}

/** Indicators losing or regaining current data: reported once per episode. */
export interface DataEvent {
  kind: 'data-stale' | 'data-recovered';
  /** The alert number, in the same sequence as path changes. */
  sequence: number;
  indicators: string[];
  at: string;
}

/**
 * The projection gives a high probability that the confirmed path changes within the horizon: sent
 * once when that probability rises to the scenario's `forecast.warnAbove`.
 */
export interface ForecastWarning {
  kind: 'forecast-warning';
  sequence: number;
  at: string;
  /** P(the confirmed path changes within the horizon), and the threshold it reached. */
  probability: number;
  threshold: number;
  /** Projection steps (periods) ahead, and the instant of the last one. */
  horizon: number;
  until: string;
  /** The confirmed path (null before the first), and the path most projected changes go to. */
  from: string | null;
  to: string;
  /** Projected probability of each path at the horizon. */
  projected: Record<string, number>;
  /** The forecast indicators that push towards `to` most, strongest first. */
  drivers: ForecastDriver[];
}

/** How much a forecast indicator's projected values favour the challenger, averaged over the draws. */
export interface ForecastDriver {
  indicatorId: string;
  /** Mean weight of evidence for the challenger at the horizon, in decibans, and today's. */
  decibans: number;
  today: number;
  /** The point forecast of the indicator at the horizon, and its newest observed value. */
  point?: number;
  last?: number;
}

export const initialPathState: PathState = {
  path: null,
  since: null,
  window: [],
  seen: {},
  previousPath: null,
  lastShiftAt: null,
  stale: [],
  shifts: 0,
  alerts: 0,
  version: 0,
};
