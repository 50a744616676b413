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

export type ContributionStatus = 'used' | 'stale' | 'missing';

/** What one indicator did to the path probabilities in one assessment. */
export interface Contribution {
  indicatorId: string;
  status: ContributionStatus;
  value?: number;
  period?: string;
  source?: string;
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
  contributions: Contribution[];
  /** Indicators without usable data (none yet, or older than their staleAfter). */
  stale: string[];
  /** Per indicator used, the observation it used (`period=value`): tells new data from a re-evaluation. */
  evidence: Record<string, string>;
}

/** The path the scenario is confirmed to be on, and what is building up against it. */
export interface PathState {
  /** Null until the first evaluation with evidence. */
  path: string | null;
  since: string | null;
  /** The last n data updates: the path each one favoured past the enter margin, else null. */
  window: (string | null)[];
  /** Per indicator, the last observation counted: only a new or revised one is a data update. */
  seen: Record<string, string>;
  /** How many shifts have been confirmed; numbers the alerts. */
  shifts: number;
  /** Optimistic-locking version of the stored state. */
  version: number;
}

export interface PathShift {
  sequence: number;
  from: string;
  to: string;
  at: string;
  probabilitiesBefore: Record<string, number> | null;
  probabilitiesAfter: Record<string, number>;
}

export const initialPathState: PathState = {
  path: null,
  since: null,
  window: [],
  seen: {},
  shifts: 0,
  version: 0,
};
