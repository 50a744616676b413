// `signpost backtest`: a replay scored against the paths that came true (the scenario's `outcomes:`,
// or --outcome flags): Brier and log score beside the priors' and climatology's, skill against both,
// sharpness, a calibration table with consistency ranges, and the reliability diagram (--chart).
import { reliabilitySvg } from '../../shared/charts/reliability.ts';
import { dayOf } from '../../shared/domain/period.ts';
import { realizedPath, type ScoredForecast } from '../../shared/domain/scoring.ts';
import { CONSISTENCY_LEVEL, type SkillReport, skillReport } from '../../shared/domain/skill.ts';
import { findScenario } from '../options.ts';
import { type ExitCode, type Output, UsageError } from '../output.ts';
import { judgeRolling, knownOutcomes, type Outcome, printRolling } from './backtest-rolling.ts';
import {
  exitAfterIngest,
  printHeader,
  printTimeline,
  type ReplayOptions,
  type ReplayRun,
  replayScenario,
  summary,
  timelineOf,
  writeSvg,
} from './replay.ts';

export interface BacktestOptions extends ReplayOptions {
  outcome?: { from: string; path: string }[];
  bins: number;
  /** The replay's timeline chart; `chart` is the reliability diagram. */
  timeline?: string;
}

export async function backtestCommand(options: BacktestOptions, out: Output): Promise<ExitCode> {
  const { scenario, file } = await findScenario(options.scenarios, options.scenario);
  const outcomes: Outcome[] = options.outcome?.length ? options.outcome : scenario.outcomes;
  if (outcomes.length === 0)
    throw new UsageError(
      `${file} records no outcomes: add \`outcomes: [{ from: 2024-01-01, path: <path id> }]\` to the scenario, or pass --outcome DATE=PATH`,
    );
  const paths = scenario.paths.map((p) => p.id);
  const unknown = outcomes.find((o) => o.path !== null && !paths.includes(o.path));
  if (unknown)
    throw new UsageError(
      `--outcome ${unknown.from}=${unknown.path}: expected one of the paths (${paths.join(', ')})`,
    );
  if (options.chart && options.chart === options.timeline)
    throw new UsageError(`--chart and --timeline both name ${options.chart}: give each chart its own file`);

  // Scoring starts where an outcome is known; the replay may start earlier so the state has history.
  const run = await replayScenario({ ...options, command: 'backtest' }, out);
  const forecasts: ScoredForecast[] = run.replay.steps.flatMap((s) => {
    const outcome = realizedPath(outcomes, s.asOf);
    return outcome ? [{ asOf: s.asOf, probabilities: s.probabilities, outcome }] : [];
  });
  const priors = Object.fromEntries(scenario.paths.map((p) => [p.id, p.prior]));
  const report = skillReport(forecasts, priors, options.bins, knownOutcomes(run, outcomes));
  const judgement = forecasts.length > 0 ? judgeRolling(run, outcomes) : null;
  const leaders = new Map(run.replay.steps.map((s) => [s.asOf, s.leader]));
  const hits = forecasts.filter((f) => leaders.get(f.asOf) === f.outcome).length;
  const unscored = run.replay.steps.length - forecasts.length;

  // Both charts are drawn before either is written: a failure leaves no chart half-made.
  const reliability = options.chart && forecasts.length > 0 ? reliabilityOf(run, forecasts, report) : null;
  const timeline = options.timeline ? timelineOf(run) : null;
  if (options.chart && reliability) await writeSvg(options.chart, reliability);
  if (options.timeline && timeline) await writeSvg(options.timeline, timeline);

  out.result({
    ...summary(run),
    outcomes,
    unscored,
    ...report,
    leaderCameTrue: hits,
    rolling: judgement
      ? {
          declared: judgement.rolling.declared,
          fitted: judgement.rolling.fitted,
          before: judgement.rolling.before,
          after: judgement.rolling.after,
          months: judgement.rolling.months,
        }
      : null,
    extremes: judgement?.extremes ?? [],
    shifts: judgement?.shifts ?? 0,
    reversals: judgement?.reversals ?? 0,
    chart: reliability ? (options.chart ?? null) : null,
    timeline: options.timeline ?? null,
    forecasts: forecasts.map((f) => ({ ...f, leader: leaders.get(f.asOf) })),
  });
  printHeader(run, out);
  printTimeline(scenario, run.replay.steps, out);
  out.line();
  out.line(
    `Scored ${forecasts.length} evaluation(s) against outcomes ${outcomes.map((o) => `${o.from}=${o.path ?? 'unknown'}`).join(', ')}` +
      (unscored > 0 ? `; ${unscored} before the first outcome or where it is unknown are not scored` : ''),
  );
  if (forecasts.length === 0) {
    out.line('Nothing to score: no evaluation falls where an outcome is known.');
    if (options.chart) out.line(`No reliability diagram written to ${options.chart}: it needs forecasts.`);
    if (options.timeline) out.line(`Timeline written to ${options.timeline}`);
    return exitAfterIngest(run.workspace.ingest);
  }
  printScores(report, `${hits}/${forecasts.length}`, out);
  out.line();
  printReliability(report, out);
  out.line();
  if (judgement) printRolling(judgement, scenario.forecast.horizon, out);
  out.line(`\nSee docs/scoring.md for how to read these. Replay ended ${dayOf(run.to)}.`);
  if (options.chart) out.line(`Reliability diagram written to ${options.chart}`);
  if (options.timeline) out.line(`Timeline written to ${options.timeline}`);
  // Scored, but not on every source's data: a failing source is a failure (exit 1), as for replay.
  return exitAfterIngest(run.workspace.ingest);
}

function printScores(report: SkillReport, hits: string, out: Output): void {
  const { scores, prior, climatology, known, skill } = report;
  const references = [prior, climatology, ...(known ? [known] : [])];
  out.line(
    out.table(
      ['score', 'replay', 'priors', 'climatology', ...(known ? ['known then'] : [])],
      [
        [
          'Brier (0 best, 2 worst)',
          ...[scores, ...references.map((r) => r.scores)].map((s) => fixed(s.brier)),
        ],
        ['log score (0 best)', ...[scores, ...references.map((r) => r.scores)].map((s) => fixed(s.logScore))],
        [
          'sharpness (mean top probability)',
          ...[report.sharpness, ...references.map((r) => r.sharpness)].map(fixed),
        ],
        ['leader came true', hits, '', '', ...(known ? [''] : [])],
        [
          'Brier skill of the replay (> 0 beats)',
          '',
          fixed(skill.brier.prior),
          fixed(skill.brier.climatology),
          ...(known ? [fixed(skill.brier.known)] : []),
        ],
        [
          'log skill of the replay (> 0 beats)',
          '',
          fixed(skill.log.prior),
          fixed(skill.log.climatology),
          ...(known ? [fixed(skill.log.known)] : []),
        ],
      ],
      ['left', 'right', 'right', 'right', 'right'],
    ),
  );
  const rates = Object.entries(climatology.probabilities ?? {}).map(([path, p]) => `${path} ${p.toFixed(3)}`);
  out.line(
    `Climatology: how often each path came true in the evaluations scored (${rates.join(', ')}), known only afterwards;` +
      (known
        ? ' known then: the base rate of the outcomes known at each evaluation, the priors counting as one.'
        : ''),
  );
  out.line(
    'Skill: 1 − the replay’s score / the reference’s; above 0 the replay beats the reference, 1 is perfect.',
  );
  if (skill.brier.climatology === null && climatology.scores.brier === 0)
    out.line('No skill against climatology: one path came true throughout, so climatology is perfect.');
}

function printReliability(report: SkillReport, out: Output): void {
  const level = `${Math.round(CONSISTENCY_LEVEL * 100)} %`;
  out.line(
    'Reliability (each path of each evaluation is one forecast): read observed against mean forecast.',
  );
  out.line(
    `If calibrated, a bin's observed frequency falls in its ${level} range 9 times in 10; a bin of few forecasts says little.`,
  );
  out.line(
    out.table(
      ['bin', 'count', 'mean forecast', 'observed', `if calibrated (${level})`, ''],
      report.reliability.map((b) => {
        const range = b.consistency;
        const outside =
          range !== null &&
          b.observedFrequency !== null &&
          (b.observedFrequency < range.low || b.observedFrequency > range.high);
        return [
          `${b.from.toFixed(1)}–${b.to.toFixed(1)}`,
          b.count,
          fixed(b.meanForecast),
          fixed(b.observedFrequency),
          range === null ? '-' : `${range.low.toFixed(3)}–${range.high.toFixed(3)}`,
          outside ? 'outside' : '',
        ];
      }),
      ['left', 'right', 'right', 'right', 'right', 'left'],
    ),
  );
}

function reliabilityOf(run: ReplayRun, forecasts: ScoredForecast[], report: SkillReport): string {
  const { scenario } = run.loaded;
  const first = dayOf(forecasts[0]?.asOf ?? run.from);
  const last = dayOf(forecasts.at(-1)?.asOf ?? run.to);
  const pairs = forecasts.length * scenario.paths.length;
  return reliabilitySvg({
    title: `${scenario.title}: reliability of the backtest`,
    subtitle: `${scenario.id}, ${first} to ${last}: ${forecasts.length} evaluations × ${scenario.paths.length} paths = ${pairs} forecasts`,
    bins: report.reliability,
    level: CONSISTENCY_LEVEL,
  });
}

function fixed(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}
