// `signpost start`: the local mode (cli/local/run.ts) in the terminal: its events as readable lines,
// or as JSON lines with --json; runs until Ctrl-C.
import { resolve } from 'node:path';
import { scenarioPagePath } from '../../functions/pages/routes.ts';
import { dayOf } from '../../shared/domain/period.ts';
import { DataDirInUseError } from '../local/data-dir.ts';
import { type LocalEvent, PortInUseError, runLocal } from '../local/run.ts';
import { loadScenarioFolder } from '../options.ts';
import { CliError, counted, EXIT, type ExitCode, type Output, percent, raisedAlerts } from '../output.ts';

export interface StartOptions {
  port: number;
  host: string;
  scenarios: string;
  dataDir: string;
  inMemory?: boolean;
  workers?: number;
}

export async function startCommand(options: StartOptions, out: Output): Promise<ExitCode> {
  // Validate first, so a bad file ends with the same exit code and message as `validate`.
  await loadScenarioFolder(options.scenarios);
  // Until the local run is up, a signal ends the process at once (the 'exit' hook stops DynamoDB Local).
  let signalled: ((signal: string) => void) | undefined;
  const onSignal = (signal: string) => (signalled ? signalled(signal) : process.exit(130));
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  const local = await runLocal(
    {
      port: options.port,
      host: options.host,
      scenariosDir: resolve(options.scenarios),
      dataDir: options.inMemory ? null : options.dataDir,
      ...(options.workers ? { workers: options.workers } : {}),
    },
    // With --json, one event per line on stdout: the machine output of a command that keeps running.
    // A replaced stale lock is a status line (stderr) in both modes.
    withStaleLockNote(out, out.json ? (event) => out.jsonLine(event) : printer(out)),
  ).catch((error: Error) => {
    // Expected situations, not bugs: one line, no hint about stack traces.
    if (error instanceof DataDirInUseError || error instanceof PortInUseError)
      throw new CliError(error.message);
    throw error;
  });
  const signal = await new Promise<string>((done) => {
    signalled = done;
  });
  await local.stop(signal);
  return EXIT.ok;
}

function withStaleLockNote(out: Output, emit: (event: LocalEvent) => void): (event: LocalEvent) => void {
  return (event) => (event.type === 'stale-lock' ? out.note(`signpost: ${event.message}`) : emit(event));
}

/** Prints the events as readable lines; the assessments of a catch-up get a heading before the first. */
function printer(out: Output): (event: LocalEvent) => void {
  let headed = false;
  return (event) => {
    if (event.type === 'ingest') headed = false;
    if (event.type === 'step' && !headed) {
      out.line('\nAssessments (one per period not assessed yet)');
      headed = true;
    }
    print(event, out);
  };
}

function print(event: LocalEvent, out: Output): void {
  const say = (line = '') => out.line(line);
  switch (event.type) {
    case 'scenarios':
      say(
        `Signpost local: ${event.scenarios.map((s) => `${s.id} (${counted(s.indicators, 'indicator')})`).join(', ')}`,
      );
      return;
    case 'services':
      say(
        `DynamoDB Local ${event.dynamoEndpoint}, SNS/SQS emulator ${event.snsEndpoint} (${seconds(event.elapsedMs)})`,
      );
      say(event.dataDir ? `Data kept in ${event.dataDir}` : 'In memory: nothing is kept after Ctrl-C');
      return;
    case 'ingest':
      say('\nIngest');
      for (const r of event.reports) {
        const counts =
          r.status === 'skipped'
            ? 'manual: values come through the API'
            : `${r.read} read, ${r.written} written, ${r.unchanged} unchanged, ${r.rejected} rejected`;
        say(`  ${r.indicatorId.padEnd(24)} ${r.error ? out.style('red', `FAILED: ${r.error}`) : counts}`);
      }
      return;
    case 'step': {
      const { step } = event;
      const probabilities = Object.entries(step.probabilities)
        .map(([path, p]) => `${path} ${percent(p).padStart(6)}`)
        .join('  ');
      const alerts = raisedAlerts(step, ' -> ')
        .map(({ sequence, text }) => out.style('yellow', `  ${text} (alert #${sequence})`))
        .join('');
      say(`  ${dayOf(step.asOf)}  ${step.scenarioId}  ${probabilities}  path ${step.path ?? '-'}${alerts}`);
      return;
    }
    case 'stream':
      say(
        `\nStream: ${event.evaluations} evaluation(s) on new observations, ${event.alertsDelivered} alert(s) published`,
      );
      return;
    case 'alert': {
      const { alert } = event;
      say(
        out.style('bold', `\n--- alert: ${alert.kind} (${alert.dedupKey}) ---------------------------------`),
      );
      say(`Subject: ${alert.subject}\n`);
      say(alert.email);
      say(`--- sms (${alert.sms.length} chars) ------------------------------------------------`);
      say(alert.sms);
      if (event.outbox) say(`(appended to ${event.outbox})`);
      return;
    }
    case 'ready':
      say(`\nAPI ready after ${seconds(event.elapsedMs)}; pages at ${event.api}/`);
      for (const id of event.scenarios) say(`  open ${event.api}${scenarioPagePath(id)}`);
      for (const id of event.scenarios) say(`  curl ${event.api}/v1/scenarios/${id}/assessment`);
      say(`  curl ${event.api}/v1/openapi.json`);
      // Only a token generated here is shown; one the operator set stays out of the output.
      say(
        event.token
          ? `Write routes take: Authorization: Bearer ${event.token} (set SIGNPOST_LOCAL_TOKEN to choose one)`
          : 'Write routes take: Authorization: Bearer $SIGNPOST_LOCAL_TOKEN',
      );
      say('Watching the scenario files; Ctrl-C stops everything.');
      return;
    case 'reloaded':
      say(out.style('green', `\nScenarios reloaded: ${event.scenarios.join(', ')}`));
      return;
    case 'reload-failed':
      say(out.style('red', '\nScenario change not applied (the previous version keeps running):'));
      for (const p of event.problems) say(`  ${p}`);
      return;
    case 'error':
      out.note(`error: ${event.message}`);
      return;
    case 'stopping':
      say(`\n${event.signal}: stopping`);
      return;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}
