// `signpost backtest`: a replay scored against the paths that came true (the scenario's `outcomes:`,
// or --outcome flags): Brier score, log score and a calibration table (shared/domain/scoring.ts).
import { dayOf } from '../../shared/domain/period.ts';
import { realizedPath, type ScoredForecast, score } from '../../shared/domain/scoring.ts';
import { findScenario } from '../options.ts';
import { EXIT, type ExitCode, type Output, UsageError } from '../output.ts';
import {
  printHeader,
  printTimeline,
  type ReplayOptions,
  replayScenario,
  summary,
  writeChart,
} from './replay.ts';

export interface BacktestOptions extends ReplayOptions {
  outcome?: { from: string; path: string }[];
  bins: number;
}

export async function backtestCommand(options: BacktestOptions, out: Output): Promise<ExitCode> {
  const { scenario, file } = await findScenario(options.scenarios, options.scenario);
  const outcomes = options.outcome?.length ? options.outcome : scenario.outcomes;
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

  const first = [...outcomes].sort((a, b) => (a.from < b.from ? -1 : 1))[0]?.from as string;
  // Scoring starts where an outcome is known; the replay may start earlier so the state has history.
  const run = await replayScenario({ ...options, command: 'backtest' }, out);
  const forecasts: ScoredForecast[] = run.replay.steps.flatMap((s) => {
    const outcome = realizedPath(outcomes, s.asOf);
    return outcome ? [{ asOf: s.asOf, probabilities: s.probabilities, outcome }] : [];
  });
  if (options.chart) await writeChart(options.chart, run);
  const scores = score(forecasts, options.bins);
  // What a forecaster who knows nothing scores: the priors every time (the uniform is the usual reference).
  const priors = Object.fromEntries(scenario.paths.map((p) => [p.id, p.prior]));
  const reference = score(
    forecasts.map((f) => ({ ...f, probabilities: priors })),
    options.bins,
  );

  out.result({
    ...summary(run),
    outcomes,
    scores,
    reference: {
      method: 'the priors at every evaluation',
      brier: reference.brier,
      logScore: reference.logScore,
    },
    chart: options.chart ?? null,
    forecasts: forecasts.map((f) => ({
      ...f,
      leader: run.replay.steps.find((s) => s.asOf === f.asOf)?.leader,
    })),
  });
  printHeader(run, out);
  printTimeline(scenario, run.replay.steps, out);
  out.line();
  out.line(
    `Scored ${scores.count} evaluation(s) from ${first} against outcomes ${outcomes.map((o) => `${o.from}=${o.path}`).join(', ')}`,
  );
  if (scores.count === 0) {
    out.line('Nothing to score: no evaluation falls on or after the first outcome.');
    return EXIT.ok;
  }
  const hits = forecasts.filter((f) => run.replay.steps.find((s) => s.asOf === f.asOf)?.leader === f.outcome);
  out.line(
    out.table(
      ['score', 'replay', 'priors', 'better'],
      [
        [
          'Brier (0 best, 2 worst)',
          fixed(scores.brier),
          fixed(reference.brier),
          lower(scores.brier, reference.brier),
        ],
        [
          'log score (0 best)',
          fixed(scores.logScore),
          fixed(reference.logScore),
          lower(scores.logScore, reference.logScore),
        ],
        ['leader came true', `${hits.length}/${forecasts.length}`, '', ''],
      ],
      ['left', 'right', 'right', 'left'],
    ),
  );
  out.line();
  out.line('Calibration (every path of every evaluation is one forecast; read observed against forecast):');
  out.line(
    out.table(
      ['bin', 'count', 'mean forecast', 'observed'],
      scores.calibration.map((b) => [
        `${b.from.toFixed(1)}–${b.to.toFixed(1)}`,
        b.count,
        b.meanForecast === null ? '-' : b.meanForecast.toFixed(3),
        b.observedFrequency === null ? '-' : b.observedFrequency.toFixed(3),
      ]),
      ['left', 'right', 'right', 'right'],
    ),
  );
  out.line(`\nSee docs/scoring.md for how to read these. Replay ended ${dayOf(run.to)}.`);
  if (options.chart) out.line(`Chart written to ${options.chart}`);
  return EXIT.ok;
}

function fixed(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}

function lower(value: number | null, reference: number | null): string {
  if (value === null || reference === null) return '';
  return value < reference ? 'replay' : value > reference ? 'priors' : 'tie';
}
