// `signpost calibrate`: fits the evidence temperature and the switch chance of a scenario's path filter to
// its recorded outcomes (shared/domain/calibrate.ts), scores the fit by rolling origin, and prints the
// scores before and after with the YAML to paste.
import { type Calibration, calibrate } from '../../shared/domain/calibrate.ts';
import { resolveDynamics } from '../../shared/domain/dynamics.ts';
import type { Observation } from '../../shared/domain/model.ts';
import { addDuration, periodStart } from '../../shared/domain/period.ts';
import { listObservations } from '../../shared/store/observations.ts';
import { type HistoryOptions, openCommandWorkspace } from '../command-workspace.ts';
import { findScenario } from '../options.ts';
import { type ExitCode, type Output, UsageError } from '../output.ts';
import { rollingTable } from './backtest-rolling.ts';
import { exitAfterIngest } from './replay.ts';

export interface CalibrateOptions extends HistoryOptions {
  from?: Date;
  to?: Date;
}

export async function calibrateCommand(options: CalibrateOptions, out: Output): Promise<ExitCode> {
  const loaded = await findScenario(options.scenarios, options.scenario);
  const { scenario, file } = loaded;
  const outcomes = scenario.outcomes.filter((o) => o.path !== null);
  if (outcomes.length === 0)
    throw new UsageError(
      `${file} records no outcomes: add \`outcomes: [{ from: 2024-01-01, path: <path id> }]\` to the scenario`,
    );
  const dynamics = resolveDynamics(scenario);
  const first = new Date(`${[...outcomes].sort((a, b) => (a.from < b.from ? -1 : 1))[0]?.from}T00:00:00Z`);
  const from = periodStart(options.from ?? first, dynamics.step);
  const to = options.to ?? new Date();
  if (from > to) throw new UsageError(`--from ${day(from)} is after --to ${day(to)}`);
  const origins: string[] = [];
  for (let at = from; at <= to; at = addDuration(at, dynamics.step)) origins.push(at.toISOString());

  const workspace = await openCommandWorkspace(loaded, options, out, {
    command: 'calibrate',
    note: `Reading the data of ${scenario.id} into an isolated table…`,
    progress: 'data',
  });
  let observations: Observation[];
  try {
    observations = (
      await Promise.all(scenario.indicators.map((i) => listObservations(workspace.table, i.id)))
    ).flat();
  } finally {
    await workspace.close();
  }
  for (const r of workspace.ingest.filter((r) => r.error))
    out.line(out.style('red', `ingest of ${r.indicatorId} failed: ${r.error}`));

  const result = calibrate({ scenario, observations, outcomes: scenario.outcomes, origins });
  if (result.months.length === 0)
    throw new UsageError(
      `no outcome of ${scenario.id} falls between ${day(from)} and ${day(to)}: nothing to fit`,
    );
  const yaml = dynamicsYaml(result, scenario.dynamics.transitions !== undefined);
  out.result({ ...result, yaml });
  printReport(result, out);
  out.line();
  out.line(
    result.fittedOn === 0
      ? `Too few known outcomes to fit (at least 12 months covering more than one path): keep the declared settings.`
      : `Fitted on ${result.fittedOn} known outcomes. To use it, set in ${file}:`,
  );
  if (result.fittedOn > 0) out.line(yaml);
  out.line('See docs/scoring.md for how to read these.');
  return exitAfterIngest(workspace.ingest);
}

function printReport(result: Calibration, out: Output): void {
  const { declared, months } = result;
  const rolled = months.filter((m) => m.trainedOn > 0).length;
  out.line(
    `Scored ${months.length} month(s) from ${day(months[0]?.asOf)} to ${day(months.at(-1)?.asOf)}; ` +
      `${rolled} forecast with settings fitted on earlier outcomes (rolling origin), the others with the declared ones.`,
  );
  out.line(
    `Declared: temperature ${declared.temperature}, switch ${round(declared.switch)}; ` +
      `fitted on all: temperature ${result.fitted.temperature}, switch ${result.fitted.switch}`,
  );
  out.line();
  out.line(rollingTable(result, out));
  out.line(
    `References: priors, ${result.before.prior.method}; climatology known then, ${result.before.known?.method}; ` +
      `in hindsight, ${result.before.climatology.method}.`,
  );
}

function dynamicsYaml(result: Calibration, replacesTransitions: boolean): string {
  return [
    'dynamics:',
    ...(replacesTransitions ? ['  # replaces the transitions table: calibrate fits one switch chance'] : []),
    `  switch: ${result.fitted.switch}`,
    `  temperature: ${result.fitted.temperature}`,
  ].join('\n');
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function day(date: Date | string | undefined): string {
  if (date === undefined) return '-';
  return (typeof date === 'string' ? date : date.toISOString()).slice(0, 10);
}
