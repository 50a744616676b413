// The `signpost` command line: exit codes, one-line error messages, and --json output that parses.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { dataDirOfRunningStart, runCli } from './run-cli.ts';

const MANUAL_FIXTURES = 'test/e2e/fixtures/manual-scenarios';
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signpost-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The seed scenario with one line changed, written to a temporary file. */
async function brokenSeed(from: string, to: string): Promise<{ file: string; line: number }> {
  const text = await readFile('scenarios/kupyansk.yaml', 'utf8');
  const line = text.split('\n').findIndex((l) => l.includes(from)) + 1;
  if (line === 0) throw new Error(`the seed has no line with ${from}`);
  const file = join(dir, `broken-${line}.yaml`);
  await writeFile(file, text.replace(from, to));
  return { file, line };
}

describe.concurrent('signpost validate', () => {
  it('exits 0 and names each scenario of the scenarios folder when all are valid', async () => {
    // Act
    const result = await runCli(['validate']);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/ok {2}scenarios\/kupyansk\.yaml: kupyansk \(2 paths, \d+ indicators\)/);
    expect(result.stderr).toBe('');
  });

  it('exits 3 and lists every problem with file, line and field', async () => {
    // Arrange: a negative standard deviation and, in another file, priors that do not sum to 1
    const sd = await brokenSeed('sd: 0.06 } # fires holding', 'sd: -0.06 } # fires holding');
    const prior = await brokenSeed('prior: 0.4', 'prior: 0.5');

    // Act
    const result = await runCli(['validate', sd.file, prior.file, 'scenarios/kupyansk.yaml']);

    // Assert
    expect(result.code).toBe(3);
    expect(result.stdout).toContain(
      `error  ${sd.file}:${sd.line}: indicators[0].evidence.expect.baseline.sd: expected number to be >0`,
    );
    expect(result.stdout).toMatch(
      new RegExp(`error {2}${prior.file}:\\d+: paths: expected priors summing to 1`),
    );
    expect(result.stdout).toContain('ok  scenarios/kupyansk.yaml');
    expect(result.stdout).toContain('2 problem(s) in 2 file(s)');
  });

  it('with --json prints only a JSON document on stdout, with the problems as data', async () => {
    // Arrange
    const sd = await brokenSeed('sd: 0.06 } # fires holding', 'sd: -0.06 } # fires holding');

    // Act
    const result = await runCli(['validate', '--json', sd.file]);

    // Assert
    expect(result.code).toBe(3);
    const report = JSON.parse(result.stdout);
    expect(report.valid).toBe(false);
    expect(report.problems).toEqual([
      {
        file: sd.file,
        line: sd.line,
        field: 'indicators[0].evidence.expect.baseline.sd',
        expected: 'number to be >0',
      },
    ]);
  });
});

describe.concurrent('signpost usage errors', () => {
  it('exits 2 on a path to validate that does not exist, naming it and where it was looked for', async () => {
    const result = await runCli(['validate', 'nope.yaml', 'scenarios/kupyansk.yaml']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `signpost: no such file or folder: nope.yaml (resolved from the current folder, ${process.cwd()})\n`,
    );
    expect(result.stdout).toBe('');
  });

  it('reports a bad option value as the one documented line: signpost, the problem, where help is', async () => {
    const result = await runCli(['replay', '--scenario', 'kupyansk', '--from', '2022-13-01']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      "signpost: option '--from <date>' argument '2022-13-01' is invalid. expected a date such as " +
        '2022-03-01 (or 2022-03, or an ISO 8601 instant) (run signpost replay --help for usage)\n',
    );
  });

  it('reports an unknown command as one line starting signpost:', async () => {
    const result = await runCli(['replay-all']);

    expect(result.stderr).toBe("signpost: unknown command 'replay-all' (run signpost --help for usage)\n");
  });

  it('exits 2 on an unknown command and says which', async () => {
    const result = await runCli(['replay-all']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown command 'replay-all'");
    expect(result.stdout).toBe('');
  });

  it('exits 2 on an unknown option', async () => {
    const result = await runCli(['validate', '--strict']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("unknown option '--strict'");
  });

  it('exits 2 on a date it cannot read, naming the option and the expected form', async () => {
    const result = await runCli(['replay', '--scenario', 'kupyansk', '--from', 'March 2022']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--from <date>' argument 'March 2022' is invalid");
    expect(result.stderr).toContain('expected a date such as 2022-03-01');
  });

  it('exits 2 on a replay of an unknown scenario, in one line without a stack trace', async () => {
    const result = await runCli(['replay', '--scenario', 'kharkiv', '--from', '2024-01-01']);

    expect(result.code).toBe(2);
    expect(result.stderr).toBe('signpost: unknown scenario kharkiv in scenarios (known: kupyansk)\n');
  });

  it('prints the stack trace of an error only with --verbose', async () => {
    const result = await runCli(['assess', '--scenario', 'kharkiv', '--verbose']);

    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^signpost: unknown scenario kharkiv/);
    expect(result.stderr).toMatch(STACK_LINE);
  });

  it('exits 3 when a command loads a folder with an invalid scenario', async () => {
    // Arrange
    const folder = await mkdtemp(join(dir, 'scenarios-'));
    await writeFile(join(folder, 'bad.yaml'), 'id: Bad Id\n');

    // Act
    const result = await runCli(['assess', '--scenario', 'bad', '--scenarios', folder]);

    // Assert
    expect(result.code).toBe(3);
    expect(result.stderr).toContain(`${join(folder, 'bad.yaml')}:1: id: expected a lower-case id`);
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('exits 2 on a backtest of a scenario that records no outcomes, saying how to add them', async () => {
    const result = await runCli(['backtest', '--scenario', 'field-reports', '--scenarios', MANUAL_FIXTURES]);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('field-reports.yaml records no outcomes');
    expect(result.stderr).toContain('--outcome DATE=PATH');
  });

  it('exits 1 when start cannot listen on its port, saying which and how to choose another', async () => {
    // Arrange: the port is taken
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;

    // Act
    const result = await runCli([
      'start',
      '--in-memory',
      '--scenarios',
      MANUAL_FIXTURES,
      '--port',
      String(port),
    ]).finally(() => server.close());

    // Assert
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(`^signpost: cannot listen on 127\\.0\\.0\\.1:${port}: .*--port`),
    );
    expect(result.stderr).not.toMatch(STACK_LINE);
  });

  it('shows the exit codes in --help', async () => {
    const result = await runCli(['--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Exit codes:\n {2}0 {2}success\n {2}1 {2}runtime failure/);
    expect(result.stdout).toContain('3  invalid scenario file(s)');
  });
});

describe.concurrent('signpost replay and backtest', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await dataDirOfRunningStart(dir);
  });

  it('replays the example data as JSON: one step per month, the alerts rendered, the chart written', async () => {
    // Arrange
    const chart = join(dir, 'out', 'timeline.svg');

    // Act: the seed's first shift (back to baseline) is confirmed by November 2022
    const result = await runCli([
      'replay',
      '--scenario',
      'kupyansk',
      '--data-dir',
      dataDir,
      '--from',
      '2022-03-01',
      '--to',
      '2022-12-01',
      '--json',
      '--chart',
      chart,
    ]);

    // Assert
    expect(result.code).toBe(0);
    const replay = JSON.parse(result.stdout);
    expect(replay).toMatchObject({
      scenarioId: 'kupyansk',
      history: 'example',
      database: 'running',
      kept: false,
    });
    expect(replay.steps.map((s: { asOf: string }) => s.asOf.slice(0, 7))).toEqual([
      '2022-03',
      '2022-04',
      '2022-05',
      '2022-06',
      '2022-07',
      '2022-08',
      '2022-09',
      '2022-10',
      '2022-11',
      '2022-12',
    ]);
    const shift = replay.alerts.find((a: { kind: string }) => a.kind === 'path-shift');
    expect(shift.subject).toMatch(/^\[Signpost\] Kupyansk front-line momentum: /);
    expect(shift.sms.length).toBeLessThanOrEqual(160);
    const svg = await readFile(chart, 'utf8');
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg).toContain(`shift → ${shift.to} · ${shift.at.slice(0, 7)}`);
  }, 60_000);

  it('lists every alert of the replay in the timeline, forecast warnings included, on the row it was raised', async () => {
    // Act: piped, so the timeline is plain columns
    const result = await runCli([
      'replay',
      ...['--scenario', 'kupyansk', '--data-dir', dataDir, '--from', '2022-03-01', '--to', '2023-12-01'],
    ]);

    // Assert: the alert numbers in the timeline run without a gap up to the count of alerts listed
    expect(result.code).toBe(0);
    const count = Number(result.stdout.match(/Alerts that would have gone out: (\d+)/)?.[1]);
    const timeline = result.stdout.slice(0, result.stdout.indexOf('Alerts that would have gone out'));
    const numbers = [...timeline.matchAll(/#(\d+)/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: count }, (_, i) => i + 1));
    // and each forecast warning listed below sits as WARN on the row of its month
    const warnings = [...result.stdout.matchAll(/^#(\d+) forecast-warning (\d{4}-\d{2}-\d{2})/gm)];
    expect(warnings.length).toBeGreaterThan(0);
    for (const [, sequence, at] of warnings)
      expect(timeline).toMatch(new RegExp(`^${at} .*WARN (\\w+->)?\\w+ \\d+% #${sequence}\\b`, 'm'));
  }, 60_000);

  it('exits 1 naming each source that could not be read, and carries the ingest report in --json', async () => {
    // Arrange: a scenario whose one source refuses every connection (port 9 on loopback).
    const folder = await mkdtemp(join(dir, 'unreachable-'));
    const source = { kind: 'csv', url: 'http://127.0.0.1:9/x.csv', time: 'month', value: 'value' };
    const indicators = [{ id: 'unreachable-feed', source, expect: AB_EXPECT }];
    await writeFile(
      join(folder, 'unreachable.yaml'),
      scenarioYaml({ id: 'unreachable', paths: EVEN_AB, indicators }),
    );
    const base = ['replay', '--scenario', 'unreachable', '--scenarios', folder, '--data-dir', dataDir];

    // Act
    const nothing = await runCli(base);
    const bounded = await runCli([...base, '--from', '2024-01-01', '--to', '2024-02-01', '--json']);

    // Assert: no data at all is a failure to read the source, not a usage error.
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toMatch(
      /^signpost: no observations for unreachable: every source failed: unreachable-feed: http:\/\/127\.0\.0\.1:9\/x\.csv: request failed/m,
    );
    expect(bounded.code).toBe(1);
    expect(JSON.parse(bounded.stdout).ingest).toEqual([
      expect.objectContaining({
        indicatorId: 'unreachable-feed',
        status: 'failed',
        error: expect.stringContaining('request failed'),
      }),
    ]);
  }, 60_000);

  it('scores and calibrates with the sources it could read, then exits 1 naming the one it could not', async () => {
    // Arrange: one indicator read from a file, one from a source that refuses every connection.
    const folder = await mkdtemp(join(dir, 'partly-'));
    await mkdir(join(folder, 'data'));
    const monthOf = (k: number) => `${2024 + Math.floor(k / 12)}-${String((k % 12) + 1).padStart(2, '0')}`;
    const rows = Array.from({ length: 18 }, (_, k) => `${monthOf(k)},${k % 2 ? 1 : 2}`);
    await writeFile(join(folder, 'data', 'readings.csv'), `month,value\n${rows.join('\n')}\n`);
    const refused = { kind: 'csv', url: 'http://127.0.0.1:9/x.csv', time: 'month', value: 'value' };
    const indicators = [
      { id: 'readings', staleAfter: 'P10Y', expect: AB_EXPECT },
      { id: 'refused-feed', source: refused, expect: AB_EXPECT },
    ];
    const outcomes = Array.from({ length: 14 }, (_, k) => ({
      from: `${monthOf(k)}-01`,
      path: k % 2 ? 'a' : 'b',
    }));
    await writeFile(
      join(folder, 'partly.yaml'),
      scenarioYaml({ id: 'partly', paths: EVEN_AB, indicators, outcomes }),
    );
    const common = [
      '--scenario',
      'partly',
      '--scenarios',
      folder,
      '--data-dir',
      dataDir,
      '--to',
      '2025-06-01',
    ];

    // Act
    const backtest = await runCli(['backtest', ...common]);
    const calibrate = await runCli(['calibrate', ...common]);

    // Assert: the reports are printed in full, and the exit code says a source failed.
    expect(backtest.stdout).toMatch(/^Brier \(0 best, 2 worst\)/m);
    expect(backtest.stdout).toContain('ingest failed for refused-feed');
    expect(backtest.code).toBe(1);
    expect(calibrate.stdout).toMatch(/^score\s+declared\s+rolling fit/m);
    expect(calibrate.stdout).toContain('ingest of refused-feed failed');
    expect(calibrate.code).toBe(1);
  }, 90_000);

  it('scores a backtest against outcomes given on the command line, with no skill against a perfect climatology', async () => {
    // Act
    const result = await runCli([
      'backtest',
      '--scenario',
      'kupyansk',
      '--data-dir',
      dataDir,
      '--from',
      '2022-09-01',
      '--to',
      '2023-02-01',
      '--outcome',
      '2022-09-01=baseline',
      '--bins',
      '5',
      '--json',
    ]);

    // Assert: six monthly forecasts, each over two paths, in five bins
    expect(result.code).toBe(0);
    const backtest = JSON.parse(result.stdout);
    expect(backtest.scores.count).toBe(6);
    expect(backtest.scores.calibration).toHaveLength(5);
    expect(backtest.scores.calibration.reduce((n: number, b: { count: number }) => n + b.count, 0)).toBe(12);
    expect(backtest.scores.brier).toBeGreaterThanOrEqual(0);
    expect(backtest.prior.scores.brier).toBeCloseTo(2 * 0.4 ** 2, 10);
    // baseline throughout: climatology is perfect, so there is no skill against it
    expect(backtest.climatology.probabilities).toEqual({ baseline: 1, risk: 0 });
    expect(backtest.climatology.scores.brier).toBe(0);
    expect(backtest.skill.brier.climatology).toBeNull();
  }, 60_000);
});
