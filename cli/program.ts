// The `signpost` command line: commands, options, help, and how every failure becomes one line and an
// exit code.
import { Command, CommanderError, Option } from 'commander';
import packageJson from '../package.json' with { type: 'json' };
import { LOCAL_WORKERS, parseDate, parseOutcome, parsePort, parseWorkers } from './options.ts';
import { CliError, EXIT, type ExitCode, Output } from './output.ts';

const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  runtime failure (local services, I/O, a source that cannot be read)
  2  usage error (unknown command or option, bad value, unknown scenario)
  3  invalid scenario file(s): each problem is listed with file, line and field

Environment: SCENARIOS_DIR (default scenarios), PORT and HOST (start), SIGNPOST_LOCAL_TOKEN (the
bearer token of the local write routes), NO_COLOR / FORCE_COLOR, DEBUG (stack traces, like --verbose).
Documentation: docs/cli.md`;

export interface Io {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
}

/** Runs the command line and returns the exit code; never throws. */
export async function run(argv: string[], io: Io = process): Promise<ExitCode> {
  let code: ExitCode = EXIT.ok;
  const program = build(io, (c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (error) {
    return fail(error, io, argv.includes('--verbose') || Boolean(process.env.DEBUG));
  }
}

function fail(error: unknown, io: Io, verbose: boolean): ExitCode {
  if (error instanceof CommanderError) {
    // Commander has printed its message already; help and version are not failures.
    if (['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code))
      return EXIT.ok;
    return EXIT.usage;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(`signpost: ${message.split('\n').join('\n  ')}\n`);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else if (!(error instanceof CliError))
    io.stderr.write('(run with --verbose or DEBUG=1 for the stack trace)\n');
  return error instanceof CliError ? error.exitCode : EXIT.failure;
}

/**
 * Help goes to stdout; a usage error becomes the one documented stderr line, `signpost: <what> (run
 * <help> for usage)`, instead of commander's `error: …` followed by a separate hint line.
 */
function outputTo(io: Io, help: string) {
  return {
    writeOut: (s: string) => io.stdout.write(s),
    writeErr: (s: string) => io.stderr.write(s),
    outputError: (message: string, write: (s: string) => void) => {
      const what = message
        .replace(/^error: /, '')
        .trim()
        .split('\n')
        .join(' ');
      write(`signpost: ${what} (run ${help} for usage)\n`);
    },
  };
}

function build(io: Io, exit: (code: ExitCode) => void): Command {
  const scenariosOption = () =>
    new Option('--scenarios <dir>', 'the folder of scenario files').default(
      process.env.SCENARIOS_DIR ?? 'scenarios',
    );
  const dataDirOption = () =>
    new Option('--data-dir <dir>', 'the local data folder (database, outbox)').default('.signpost');
  const output = (options: { json?: boolean }) => new Output(options.json === true, io);
  // A command's module is imported when it runs (`validate` and `--help` need not load the AWS SDK and
  // the handlers); what it returns is the exit code.
  const runs =
    <O>(load: () => Promise<(options: O, out: Output) => Promise<ExitCode>>) =>
    async (options: O & { json?: boolean }) =>
      exit(await (await load())(options, output(options)));

  const program = new Command('signpost')
    .description('Signpost operator CLI: validate scenarios, run locally, replay, backtest and assess.')
    .version(packageJson.version, '-V, --version', 'print the version and exit')
    .option('--verbose', 'print stack traces on errors')
    .addHelpText('after', EXIT_CODES_HELP)
    .exitOverride()
    .configureOutput(outputTo(io, 'signpost --help'));
  // Subcommands inherit the error handling and output settings.
  const command = (name: string) =>
    program
      .command(name)
      .exitOverride()
      .configureOutput(outputTo(io, `signpost ${name.split(' ')[0]} --help`))
      .option('--json', 'machine-readable output on stdout');

  command('validate [files...]')
    .description('check scenario files (default: every file in the scenarios folder)')
    .addOption(scenariosOption())
    .action(async (files: string[], options: { scenarios: string; json?: boolean }) => {
      const { validate } = await import('./commands/validate.ts');
      exit(await validate(files, options.scenarios, output(options)));
    });

  command('publish')
    .description(
      "validate the scenarios folder and publish the scenarios that changed to a deployment's table (who and when recorded)",
    )
    .addOption(scenariosOption())
    .addOption(
      new Option('--table <name>', "the deployment's table (its TableName output)").env('TABLE_NAME'),
    )
    .option('--outputs <file>', 'or the table named in a `cdk deploy --outputs-file` file')
    .option('--by <who>', 'who publishes, for the record (default: your user name)')
    .option('--dry-run', 'print what would change; write nothing')
    .option('--remove-missing', 'remove published scenarios that are not in the folder')
    .action(runs(async () => (await import('./commands/publish.ts')).publish));

  command('start')
    .description('run Signpost locally: DynamoDB Local, the real handlers over the data, the API')
    .addOption(
      new Option('--port <port>', 'API port (0: any free port)')
        .env('PORT')
        .default(3000)
        .argParser(parsePort),
    )
    .addOption(new Option('--host <host>', 'API host').env('HOST').default('127.0.0.1'))
    .addOption(scenariosOption())
    .addOption(dataDirOption())
    .option('--in-memory', 'keep nothing between runs (no data folder)')
    .addOption(
      new Option('--workers <n>', 'workers on each work queue (ingest, evaluation)')
        .default(LOCAL_WORKERS)
        .argParser(parseWorkers),
    )
    .action(runs(async () => (await import('./commands/start.ts')).startCommand));

  /** --scenario, --from, --to and where the history comes from: the commands that read a scenario's past. */
  const historyOptions = (c: Command, verb: string, from: string, inMemory: string) =>
    c
      .requiredOption('--scenario <id>', `the scenario to ${verb}`)
      .option('--from <date>', from, parseDate)
      .option('--to <date>', 'last evaluation on or before this date (default: now)', parseDate)
      .addOption(scenariosOption())
      .addOption(dataDirOption())
      .option('--in-memory', inMemory);

  const replayOptions = (c: Command) =>
    historyOptions(
      c,
      'replay',
      'first evaluation on or after this date (default: the first data)',
      'ignore stored data: replay the example data (the scenario sources)',
    )
      .option('--keep', 'keep the replay table afterwards (on a persisted or running DynamoDB Local)')
      .option('--emails', 'print the full email of every alert')
      .addOption(
        new Option('--api-url <url>', 'the API base URL the alert links point at').default(
          'http://127.0.0.1:3000',
        ),
      );

  replayOptions(
    command('replay').description(
      'replay history period by period on an isolated table: the timeline and every alert that would have gone out',
    ),
  )
    .option('--chart <file.svg>', 'also draw the timeline as an SVG chart')
    .action(runs(async () => (await import('./commands/replay.ts')).replayCommand));

  replayOptions(
    command('backtest').description(
      "replay and score against the paths that came true (the scenario's outcomes): Brier and log score beside the priors' and climatology's, skill, sharpness, reliability",
    ),
  )
    .option('--chart <file.svg>', 'also draw the reliability diagram as an SVG chart')
    .option(
      '--timeline <file.svg>',
      'also draw the replay timeline as an SVG chart (what replay --chart draws)',
    )
    .option(
      '--outcome <date=path>',
      'an outcome (repeatable); replaces the outcomes in the scenario file',
      parseOutcome,
    )
    .addOption(
      new Option('--bins <n>', 'reliability bins (equal widths of forecast probability)')
        .default(10)
        .argParser((v) => {
          const n = Number(v);
          if (!Number.isInteger(n) || n < 1 || n > 100)
            throw new CliError('--bins: expected an integer from 1 to 100', EXIT.usage);
          return n;
        }),
    )
    .action(runs(async () => (await import('./commands/backtest.ts')).backtestCommand));

  historyOptions(
    command('calibrate').description(
      "fit the evidence temperature and switch chance to the scenario's outcomes, scored by rolling origin; prints the YAML to paste",
    ),
    'calibrate',
    'first month scored (default: the first outcome)',
    'ignore stored data: read the scenario sources afresh',
  ).action(runs(async () => (await import('./commands/calibrate.ts')).calibrateCommand));

  command('assess')
    .description('one evaluation of a scenario with the data there is now, explained per indicator')
    .requiredOption('--scenario <id>', 'the scenario to assess')
    .option('--as-of <date>', 'evaluate as of this instant (default: now)', parseDate)
    .addOption(scenariosOption())
    .addOption(dataDirOption())
    .option('--in-memory', 'ignore stored data: read the scenario sources afresh')
    .action(runs(async () => (await import('./commands/assess.ts')).assessCommand));

  return program;
}
