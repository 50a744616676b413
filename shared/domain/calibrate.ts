// Calibration from history: fits the two settings that decide how far a scenario trusts its evidence (the
// evidence temperature, the switch chance of the path filter) to its recorded outcomes, and judges the
// fit by rolling origin: each month is forecast with the settings fitted on the outcomes known before it.
import type { Scenario } from '../config/scenario-schema.ts';
import { filterAt } from './assess.ts';
import { defaultSwitch, type PathDynamics, resolveDynamics, switchMatrix } from './dynamics.ts';
import type { Observation } from './model.ts';
import { addDuration } from './period.ts';
import { LOG_SCORE_FLOOR, type ScoredForecast } from './scoring.ts';
import { type SkillReport, skillReport } from './skill.ts';

/**
 * The settings tried: a coarse grid, on purpose. A handful of outcomes cannot tell 0.5 from 0.55, and a
 * fine grid would fit their noise; steps of about √2 in temperature and about ×2 in switch chance are
 * as fine as a few dozen months can resolve.
 */
export const TEMPERATURES = [0.25, 0.35, 0.5, 0.7, 1, 1.4] as const;
export const SWITCHES = [0.02, 0.05, 0.1, 0.2, 0.35, 0.5, 1] as const;
/**
 * The fewest outcomes a fit may rest on, covering more than one path: a year of months. With fewer the
 * declared settings stand (a fit to three months would only echo them).
 */
export const MIN_TRAINING = 12;

export interface Setting {
  temperature: number;
  switch: number;
}

export interface Outcome {
  from: string;
  path: string | null;
  known?: string | undefined;
}

export interface CalibrationInput {
  scenario: Scenario;
  observations: Observation[];
  outcomes: readonly Outcome[];
  /** The instants to forecast and score, ascending: the starts of the scenario's steps. */
  origins: string[];
}

export interface MonthResult {
  asOf: string;
  outcome: string;
  /** When the outcome became known: only later months may be fitted on it. */
  known: string;
  before: Record<string, number>;
  after: Record<string, number>;
  /** The settings the rolling forecast used, and how many known outcomes they were fitted on (0: declared). */
  setting: Setting;
  trainedOn: number;
}

export interface Calibration {
  declared: Setting;
  /** Fitted on every outcome known at the end: the settings to paste into the scenario. */
  fitted: Setting;
  fittedOn: number;
  /** The declared settings, scored on every month with an outcome. */
  before: SkillReport;
  /** Rolling origin: each month forecast with the settings fitted on outcomes known before it. */
  after: SkillReport;
  months: MonthResult[];
}

export function declaredSetting(scenario: Scenario): Setting {
  return {
    temperature: scenario.dynamics.temperature,
    switch: scenario.dynamics.switch ?? defaultSwitch(scenario.forecast.horizon),
  };
}

export function calibrate(input: CalibrationInput): Calibration {
  const { scenario, observations, origins } = input;
  const declared = declaredSetting(scenario);
  const base = resolveDynamics(scenario);
  const settings = grid(declared);
  // One pass of the filter per setting gives its forecast at every origin.
  const forecasts = settings.map((s) => filterAt(scenario, observations, origins, withSetting(base, s)));
  const declaredForecasts = scenario.dynamics.transitions
    ? filterAt(scenario, observations, origins, base)
    : (forecasts[0] as Record<string, number>[]);

  const scored = origins.flatMap((asOf, i) => {
    const outcome = outcomeAt(input.outcomes, asOf, base);
    return outcome ? [{ i, asOf, ...outcome }] : [];
  });
  const months: MonthResult[] = scored.map((m) => {
    const training = scored.filter((t) => t.known <= m.asOf);
    const choice = bestSetting(forecasts, training);
    return {
      asOf: m.asOf,
      outcome: m.path,
      known: m.known,
      before: declaredForecasts[m.i] as Record<string, number>,
      after: (choice.trainedOn === 0
        ? declaredForecasts
        : (forecasts[choice.index] as Record<string, number>[]))[m.i] as Record<string, number>,
      setting: settings[choice.index] as Setting,
      trainedOn: choice.trainedOn,
    };
  });
  const final = bestSetting(forecasts, scored);
  const priors = Object.fromEntries(scenario.paths.map((p) => [p.id, p.prior]));
  const as = (pick: (m: MonthResult) => Record<string, number>): ScoredForecast[] =>
    months.map((m) => ({ asOf: m.asOf, probabilities: pick(m), outcome: m.outcome }));
  const known = months.map((m) => ({ path: m.outcome, known: m.known }));
  return {
    declared,
    fitted: settings[final.index] as Setting,
    fittedOn: final.trainedOn,
    before: skillReport(
      as((m) => m.before),
      priors,
      10,
      known,
    ),
    after: skillReport(
      as((m) => m.after),
      priors,
      10,
      known,
    ),
    months,
  };
}

/** The declared setting first (it wins ties), then the grid. */
function grid(declared: Setting): Setting[] {
  const settings = [declared];
  for (const temperature of TEMPERATURES) {
    for (const s of SWITCHES) {
      if (temperature !== declared.temperature || s !== declared.switch)
        settings.push({ temperature, switch: s });
    }
  }
  return settings;
}

/** The scenario's dynamics with a setting of temperature and switch chance in their place. */
export function withSetting(base: PathDynamics, setting: Setting): PathDynamics {
  const transition = switchMatrix(base.prior, setting.switch);
  const mixing = setting.switch;
  return { ...base, transition, mixing, temperature: setting.temperature };
}

/**
 * The setting to use, fitted on the training months by the one-standard-error rule (Breiman et al.,
 * Classification and Regression Trees, 1984): the best mean log score (proper, and hard on confident
 * misses: what an honest probability is fitted by) marks a level, and only settings within one standard
 * error of it (paired over the same months) are as good as far as the outcomes can tell. The declared
 * setting stands if it is one of them: the outcomes do not show it wrong. Otherwise the least sharp of
 * them is used, the one that claims least: the world the fit will be used on is rarely quite the one it
 * was fitted on, and between equals the humbler setting is the safer. The declared setting also stands
 * unless the training holds MIN_TRAINING months and more than one path.
 */
function bestSetting(
  forecasts: Record<string, number>[][],
  training: { i: number; path: string }[],
): { index: number; trainedOn: number } {
  const paths = new Set(training.map((t) => t.path));
  if (training.length < MIN_TRAINING || paths.size < 2) return { index: 0, trainedOn: 0 };
  const losses = forecasts.map((series) =>
    training.map((t) => -Math.log(Math.max(series[t.i]?.[t.path] ?? 0, LOG_SCORE_FLOOR))),
  );
  const means = losses.map(mean);
  let best = 0;
  // Strictly better only: on a tie the earlier (the declared setting first) stands.
  means.forEach((m, index) => {
    if (m < (means[best] as number) - 1e-12) best = index;
  });
  const bestLosses = losses[best] as number[];
  const asGoodAsBest = (series: number[]): boolean => {
    const differences = series.map((l, n) => l - (bestLosses[n] as number));
    const m = mean(differences);
    const sd = Math.sqrt(mean(differences.map((d) => (d - m) ** 2)));
    return m <= sd / Math.sqrt(differences.length);
  };
  if (asGoodAsBest(losses[0] as number[])) return { index: 0, trainedOn: training.length };
  let pick = best;
  let pickSharpness = sharpnessOn(forecasts[best] as Record<string, number>[], training);
  losses.forEach((series, index) => {
    if (!asGoodAsBest(series)) return;
    const sharpness = sharpnessOn(forecasts[index] as Record<string, number>[], training);
    if (sharpness < pickSharpness - 1e-12) {
      pick = index;
      pickSharpness = sharpness;
    }
  });
  return { index: pick, trainedOn: training.length };
}

/** The mean probability of the leading path over the training months. */
function sharpnessOn(series: Record<string, number>[], training: { i: number }[]): number {
  return mean(training.map((t) => Math.max(...Object.values(series[t.i] ?? {}))));
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

/**
 * The recorded outcome at `asOf` and when it became known: its entry's `known` date, else the end of
 * the step it describes (what held during a month is known when the month is over).
 */
export function outcomeAt(
  outcomes: readonly Outcome[],
  asOf: string,
  dynamics: Pick<PathDynamics, 'step'>,
): { path: string; known: string } | null {
  let entry: Outcome | null = null;
  for (const o of outcomes) if (o.from <= asOf.slice(0, 10) && (!entry || o.from >= entry.from)) entry = o;
  if (!entry?.path) return null;
  const stepEnd = addDuration(new Date(asOf), dynamics.step).toISOString();
  const known = entry.known ? `${entry.known}T00:00:00.000Z` : stepEnd;
  // Never before the step it describes is over (ISO instants compare as text).
  return { path: entry.path, known: [known, stepEnd].sort()[1] as string };
}
