// The parts of `signpost backtest` that judge a scenario as it would have been judged at the time: the
// rolling origin (each month forecast with the settings `calibrate` fits on the outcomes known before
// it), climatology known at the time, and the extreme months the recent evidence does not back.
import { type Calibration, calibrate, outcomeAt } from '../../shared/domain/calibrate.ts';
import { resolveDynamics } from '../../shared/domain/dynamics.ts';
import { type ExtremeMonth, extremeMonths, OVERWHELMING_DB } from '../../shared/domain/extremes.ts';
import { dayOf } from '../../shared/domain/period.ts';
import type { KnownOutcome, SkillReport } from '../../shared/domain/skill.ts';
import type { Output } from '../output.ts';
import type { ReplayRun } from './replay.ts';

export interface Outcome {
  from: string;
  path: string | null;
  known?: string | undefined;
}

export interface RollingJudgement {
  rolling: Calibration;
  extremes: ExtremeMonth[];
  shifts: number;
  reversals: number;
}

/** When each scored evaluation's outcome became known (its `known` date, else the end of its step). */
export function knownOutcomes(run: ReplayRun, outcomes: readonly Outcome[]): KnownOutcome[] {
  const dynamics = resolveDynamics(run.loaded.scenario);
  return run.replay.steps.flatMap((s) => {
    const o = outcomeAt(outcomes, s.asOf, dynamics);
    return o ? [o] : [];
  });
}

export function judgeRolling(run: ReplayRun, outcomes: readonly Outcome[]): RollingJudgement {
  const { scenario } = run.loaded;
  const rolling = calibrate({
    scenario,
    observations: run.observations,
    outcomes,
    origins: run.replay.steps.map((s) => s.asOf),
  });
  const extremes = extremeMonths(run.replay.steps, scenario.forecast.horizon);
  const kinds = run.replay.steps.flatMap((s) => (s.shift ? [s.shift.kind] : []));
  return {
    rolling,
    extremes,
    shifts: kinds.filter((k) => k === 'path-shift').length,
    reversals: kinds.filter((k) => k === 'reverted').length,
  };
}

export function printRolling(judgement: RollingJudgement, horizon: number, out: Output): void {
  const { rolling, extremes } = judgement;
  const fitted = rolling.months.filter((m) => m.trainedOn > 0).length;
  out.line(
    `Rolling origin: each month forecast with the settings calibrate fits on the outcomes known before it ` +
      `(${fitted} of ${rolling.months.length} months had enough to fit; the others use the declared settings).`,
  );
  out.line(rollingTable(rolling, out));
  const unbacked = extremes.filter((e) => !e.backed);
  out.line(
    `Extreme months (a path above 98 % or below 2 %): ${extremes.length}, of which ${extremes.length - unbacked.length} ` +
      `backed by at least ${OVERWHELMING_DB.toFixed(1)} dB of evidence over the last ${horizon} evaluations` +
      (unbacked.length
        ? `; not backed: ${unbacked.map((e) => `${dayOf(e.asOf)} ${e.path} ${percent(e.probability)} (${e.evidence.toFixed(1)} dB)`).join(', ')}`
        : ''),
  );
  out.line(`Confirmed changes of path: ${judgement.shifts} shift(s), ${judgement.reversals} reversal(s).`);
}

/** The declared settings beside the rolling fit: scores, skill against the references, sharpness. */
export function rollingTable(result: Calibration, out: Output): string {
  const row = (name: string, pick: (r: SkillReport) => number | null) => [
    name,
    fixed(pick(result.before)),
    fixed(pick(result.after)),
  ];
  return out.table(
    ['score', 'declared', 'rolling fit'],
    [
      row('Brier (0 best)', (r) => r.scores.brier),
      row('log score (0 best)', (r) => r.scores.logScore),
      row('Brier skill vs priors', (r) => r.skill.brier.prior),
      row('Brier skill vs climatology known then', (r) => r.skill.brier.known),
      row('Brier skill vs climatology in hindsight', (r) => r.skill.brier.climatology),
      row('log skill vs priors', (r) => r.skill.log.prior),
      row('log skill vs climatology known then', (r) => r.skill.log.known),
      row('sharpness (mean top probability)', (r) => r.sharpness),
    ],
    ['left', 'right', 'right'],
  );
}

function percent(p: number): string {
  return `${(p * 100).toFixed(1)} %`;
}

function fixed(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}
