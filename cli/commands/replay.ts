// `signpost replay`: the scenario's history period by period through the evaluate use case on an
// isolated table; prints the timeline and every alert that would have gone out, optionally as a chart.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { renderAlert } from '../../shared/alerts/render.ts';
import type { IngestReport } from '../../shared/app/ingest.ts';
import { timelineSvg } from '../../shared/charts/timeline.ts';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import type { Observation } from '../../shared/domain/model.ts';
import { dayOf, dayStart } from '../../shared/domain/period.ts';
import { isForecastAlert, isPathAlert } from '../../shared/store/alerts.ts';
import { listObservations } from '../../shared/store/observations.ts';
import type { Table } from '../../shared/store/table.ts';
import { type HistoryOptions, openCommandWorkspace } from '../command-workspace.ts';
import { type Replay, replay, replayInstants, type TimelineStep } from '../local/replay.ts';
import type { Workspace } from '../local/workspace.ts';
import { findScenario } from '../options.ts';
import { CliError, EXIT, type ExitCode, type Output, percent, raisedAlerts, UsageError } from '../output.ts';

export interface ReplayOptions extends HistoryOptions {
  from?: Date;
  to?: Date;
  keep?: boolean;
  chart?: string;
  emails?: boolean;
  apiUrl: string;
  /** What the data folder's lock names while the replay holds it (a backtest is a replay too). */
  command?: 'replay' | 'backtest';
}

export interface ReplayRun {
  loaded: LoadedScenario;
  from: Date;
  to: Date;
  workspace: Pick<Workspace, 'history' | 'database' | 'ingest'> & { table: string; kept: boolean };
  replay: Replay;
  /** The observations the replay read: a backtest's rolling origin runs the filter over them again. */
  observations: Observation[];
}

/** Opens a workspace, replays, and closes it (dropping the table unless --keep). */
export async function replayScenario(options: ReplayOptions, out: Output): Promise<ReplayRun> {
  const loaded = await findScenario(options.scenarios, options.scenario);
  const { scenario } = loaded;
  if (options.from && options.to && options.from > options.to)
    throw new UsageError(`--from ${dayOf(options.from)} is after --to ${dayOf(options.to)}`);
  const workspace = await openCommandWorkspace(loaded, options, out, {
    command: options.command ?? 'replay',
    note: `Preparing an isolated table for ${scenario.id} (starting DynamoDB Local if none is running)…`,
    progress: 'history',
  });
  try {
    const from = options.from ?? (await firstPeriodEnd(workspace.table, scenario));
    const to = options.to ?? new Date();
    if (!from) {
      const failed = failedIngests(workspace.ingest);
      // No data because the sources failed is a source that cannot be read (exit 1), not a usage error.
      if (failed.length > 0)
        throw new CliError(`no observations for ${scenario.id}: every source failed: ${failed.join('; ')}`);
      throw new UsageError(`no observations for ${scenario.id}: nothing to replay`);
    }
    const instants = replayInstants(scenario, from, to);
    if (instants.length === 0)
      throw new UsageError(`no period of ${scenario.id} ends between ${dayOf(from)} and ${dayOf(to)}`);
    const progress = out.progress('replay', instants.length);
    const result = await replay(workspace.table, scenario, instants, (step) =>
      progress.tick(dayOf(step.asOf)),
    );
    progress.stop();
    const observations = (
      await Promise.all(scenario.indicators.map((i) => listObservations(workspace.table, i.id)))
    ).flat();
    const { history, database, ingest } = workspace;
    return {
      loaded,
      from,
      to,
      workspace: { history, database, ingest, table: workspace.table.name, kept: options.keep === true },
      replay: result,
      observations,
    };
  } finally {
    await workspace.close();
  }
}

export async function replayCommand(options: ReplayOptions, out: Output): Promise<ExitCode> {
  const run = await replayScenario(options, out);
  const { scenario } = run.loaded;
  const alerts = run.replay.alerts.map(({ alert, heldBy }) => ({
    sequence: alert.sequence,
    kind: alert.kind,
    at: alert.at,
    ...(isPathAlert(alert) ? { from: alert.from, to: alert.to } : {}),
    ...('indicators' in alert ? { indicators: alert.indicators } : {}),
    heldBy,
    ...renderAlert(alert, scenario, options.apiUrl),
  }));
  if (options.chart) await writeSvg(options.chart, timelineOf(run));

  out.result({ ...summary(run), steps: run.replay.steps, alerts, chart: options.chart ?? null });
  printHeader(run, out);
  printTimeline(scenario, run.replay.steps, out);
  out.line();
  out.line(`Alerts that would have gone out: ${alerts.length}`);
  for (const a of alerts) {
    out.line();
    const held = a.heldBy ? out.style('yellow', ` (held by silence ${a.heldBy})`) : '';
    out.line(out.style('bold', `#${a.sequence} ${a.kind} ${dayOf(a.at)}${held}`));
    out.line(`  Subject: ${a.subject}`);
    out.line(`  SMS (${a.sms.length} chars): ${a.sms}`);
    if (options.emails) out.line(a.email.replace(/^/gm, '  | '));
  }
  if (options.chart) out.line(`\nChart written to ${options.chart}`);
  return exitAfterIngest(run.workspace.ingest);
}

/** Each indicator whose source could not be read, as `<indicator>: <why>`. */
export function failedIngests(reports: IngestReport[]): string[] {
  return reports.filter((r) => r.error).map((r) => `${r.indicatorId}: ${r.error}`);
}

/** A run that went through with a source that could not be read still exits 1, as `--help` says. */
export function exitAfterIngest(reports: IngestReport[]): ExitCode {
  return failedIngests(reports).length > 0 ? EXIT.failure : EXIT.ok;
}

/** What every replay-based command reports about where its data came from. */
export function summary(run: ReplayRun) {
  return {
    scenarioId: run.loaded.scenario.id,
    from: run.from.toISOString(),
    to: run.to.toISOString(),
    cadence: run.replay.cadence,
    history: run.workspace.history,
    // What reading the sources did, per indicator: a failed one carries its error.
    ingest: run.workspace.ingest,
    database: run.workspace.database,
    table: run.workspace.table,
    kept: run.workspace.kept,
  };
}

export function printHeader(run: ReplayRun, out: Output): void {
  const { scenario } = run.loaded;
  const source =
    run.workspace.history === 'stored' ? 'stored observations' : 'example data (scenario sources)';
  out.line(
    out.style('bold', `${scenario.id}: ${scenario.title}`) +
      ` — ${run.replay.steps.length} evaluations, ${dayOf(run.from)} to ${dayOf(run.to)}`,
  );
  out.line(
    `History: ${source}; DynamoDB Local ${run.workspace.database}; table ${run.workspace.table} ` +
      (run.workspace.kept ? '(kept)' : '(dropped)'),
  );
  for (const failed of failedIngests(run.workspace.ingest))
    out.line(out.style('red', `  ingest failed for ${failed}`));
}

export function printTimeline(scenario: Scenario, steps: TimelineStep[], out: Output): void {
  const paths = scenario.paths.map((p) => p.id);
  const rows = steps.map((s) => {
    const events = raisedAlerts(s).map(({ sequence, text }) => `${text} #${sequence}`);
    const event = events.join('; ');
    return [
      dayOf(s.asOf),
      ...paths.map((p) => percent(s.probabilities[p])),
      s.leader,
      s.path === null ? `(${s.status})` : s.status === 'pending' ? `${s.path} (pending)` : s.path,
      s.shift ? out.style(['bold', 'yellow'], event) : s.warning ? out.style('yellow', event) : event,
    ];
  });
  out.line(
    out.table(['as of', ...paths, 'leader', 'confirmed', 'alerts'], rows, [
      'left',
      ...paths.map(() => 'right' as const),
    ]),
  );
}

/** The replay's timeline chart (`replay --chart`, `backtest --timeline`). */
export function timelineOf(run: ReplayRun): string {
  const { scenario } = run.loaded;
  return timelineSvg({
    title: `${scenario.title}: replay`,
    // The same whichever store the history came from, so the chart is reproducible from the README.
    subtitle: `${scenario.id}, ${dayOf(run.from)} to ${dayOf(run.to)}, one assessment per ${cadenceName(run)}`,
    paths: scenario.paths.map((p) => ({ id: p.id, title: p.title })),
    points: run.replay.steps.map((s) => ({ at: s.asOf, probabilities: s.probabilities, path: s.path })),
    markers: run.replay.alerts.flatMap(({ alert }) =>
      isPathAlert(alert) ? [{ at: alert.at, kind: alert.kind, from: alert.from, to: alert.to }] : [],
    ),
    warnings: run.replay.alerts.flatMap(({ alert }) =>
      isForecastAlert(alert) ? [{ at: alert.at, to: alert.to }] : [],
    ),
  });
}

/** Writes a chart, creating its folder. */
export async function writeSvg(file: string, svg: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, svg);
}

/** The end of the first period with an observation of any of the scenario's indicators. */
async function firstPeriodEnd(table: Table, scenario: Scenario): Promise<Date | null> {
  const firsts = await Promise.all(
    scenario.indicators.map(async (i) => (await listObservations(table, i.id))[0]?.period),
  );
  const first = firsts.filter((p) => p !== undefined).sort()[0];
  // Just after the period starts: the first evaluation is at its end, when its data is complete.
  return first ? new Date(dayStart(first).getTime() + 1) : null;
}

const CADENCE_NAMES = { P1D: 'day', P1W: 'week', P1M: 'month', P3M: 'quarter', P1Y: 'year' } as const;

/** The replay's step in words: month, week… */
export function cadenceName(run: ReplayRun): string {
  return CADENCE_NAMES[run.replay.cadence];
}

/** Another command holding the data folder is an expected situation: one line, no stack trace hint. */
