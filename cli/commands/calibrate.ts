// `signpost calibrate`: fits the evidence temperature and the switch chance of a scenario's path filter to
// its recorded outcomes (shared/domain/calibrate.ts), scores the fit by rolling origin, and prints the
// scores before and after with the YAML to paste.
import { type Calibration, calibrate } from '../../shared/domain/calibrate.ts';
import { resolveDynamics } from '../../shared/domain/dynamics.ts';
import type { Observation } from '../../shared/domain/model.ts';
import { addDuration, periodStart } from '../../shared/domain/period.ts';
import type { SkillReport } from '../../shared/domain/skill.ts';
import { listObservations } from '../../shared/store/observations.ts';
import { DataDir, DataDirInUseError } from '../local/data-dir.ts';
import { openWorkspace } from '../local/workspace.ts';
import { findScenario } from '../options.ts';
import { CliError, EXIT, type ExitCode, type Output, UsageError } from '../output.ts';

export interface CalibrateOptions {
  scenario: string;
  scenarios: string;
  from?: Date;
  to?: Date;
  dataDir: string;
  inMemory?: boolean;
}

export async function calibrateCommand(options: CalibrateOptions, out: Output): Promise<ExitCode> {
  const { scenario, dir, file } = await findScenario(options.scenarios, options.scenario);
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

  out.note(`Reading the data of ${scenario.id} into an isolated table…`);
  const filling = out.progress('data', scenario.indicators.length);
  const workspace = await openWorkspace(scenario, dir, {
    dataDir: new DataDir(options.dataDir),
    command: 'calibrate',
    onStaleLock: (message) => out.note(`signpost: ${message}`),
    inMemory: options.inMemory === true,
    keep: false,
    onIndicator: (id) => filling.tick(id),
  }).catch(inUse);
  filling.stop();
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
  return EXIT.ok;
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
  const row = (name: string, pick: (r: SkillReport) => number | null) => [
    name,
    fixed(pick(result.before)),
    fixed(pick(result.after)),
  ];
  out.line(
    out.table(
      ['score', 'declared', 'rolling fit'],
      [
        row('Brier (0 best)', (r) => r.scores.brier),
        row('log score (0 best)', (r) => r.scores.logScore),
        row('Brier skill vs prior', (r) => r.skill.brier.prior),
        row('Brier skill vs climatology', (r) => r.skill.brier.climatology),
        row('log skill vs prior', (r) => r.skill.log.prior),
        row('log skill vs climatology', (r) => r.skill.log.climatology),
        row('sharpness (mean top probability)', (r) => r.sharpness),
      ],
      ['left', 'right', 'right'],
    ),
  );
  out.line(
    `References: prior ${result.before.prior.method}; climatology ${result.before.climatology.method}.`,
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

function fixed(value: number | null): string {
  return value === null ? '-' : value.toFixed(3);
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function day(date: Date | string | undefined): string {
  if (date === undefined) return '-';
  return (typeof date === 'string' ? date : date.toISOString()).slice(0, 10);
}

function inUse(error: unknown): never {
  throw error instanceof DataDirInUseError ? new CliError(error.message) : error;
}
