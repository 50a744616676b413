// `signpost backtest`: scores beside the priors' and climatology's, skill, sharpness, the reliability
// table and diagram, the timeline chart, and months whose outcome is unknown left unscored.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataDirOfRunningStart, runCli } from './run-cli.ts';

// storm-watch: monthly evaluations from February 2025 to January 2026 (12), outcomes known from
// January 2025 except September and October 2025 (`path: null` from 2025-09-01 to 2025-11-01).
const FIXTURES = 'test/cli/fixtures/backtest-scenarios';
const RANGE = ['--from', '2025-02-01', '--to', '2026-01-01'];
const UNKNOWN = ['2025-09', '2025-10'];

interface Forecast {
  asOf: string;
  probabilities: Record<string, number>;
  outcome: string;
  leader: string;
}

let dir: string;
let dataDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signpost-backtest-'));
  dataDir = await dataDirOfRunningStart(dir);
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const backtest = (...args: string[]) =>
  runCli([
    'backtest',
    '--scenario',
    'storm-watch',
    '--scenarios',
    FIXTURES,
    '--data-dir',
    dataDir,
    ...RANGE,
    ...args,
  ]);

describe.concurrent('signpost backtest', () => {
  it('carries every figure in --json: scores, references, skill, sharpness, reliability with consistency ranges', async () => {
    // Act
    const result = await backtest('--json');

    // Assert: months without a known outcome are left out
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    const forecasts: Forecast[] = report.forecasts;
    expect(forecasts.map((f) => f.asOf.slice(0, 7))).not.toContain(UNKNOWN[0]);
    expect(forecasts.map((f) => f.asOf.slice(0, 7))).not.toContain(UNKNOWN[1]);
    expect(forecasts).toHaveLength(10);
    expect(report.unscored).toBe(2);
    expect(report.scores.count).toBe(10);

    // the references: the priors, and the share of the scored months on each path
    const share = (path: string) => forecasts.filter((f) => f.outcome === path).length / forecasts.length;
    expect(report.prior.probabilities).toEqual({ calm: 0.5, storm: 0.5 });
    expect(report.climatology.probabilities.calm).toBeCloseTo(share('calm'), 12);
    expect(report.climatology.probabilities.storm).toBeCloseTo(share('storm'), 12);
    expect(report.climatology.scores.brier).toBeCloseTo(2 * share('calm') * share('storm'), 12);

    // skill against both, and sharpness, from the scores reported
    expect(report.skill.brier.prior).toBeCloseTo(1 - report.scores.brier / report.prior.scores.brier, 12);
    expect(report.skill.brier.climatology).toBeCloseTo(
      1 - report.scores.brier / report.climatology.scores.brier,
      12,
    );
    expect(report.skill.log.prior).toBeCloseTo(1 - report.scores.logScore / Math.log(2), 12);
    const top = forecasts.map((f) => Math.max(...Object.values(f.probabilities)));
    expect(report.sharpness).toBeCloseTo(top.reduce((a, b) => a + b, 0) / top.length, 12);
    expect(report.leaderCameTrue).toBe(forecasts.filter((f) => f.leader === f.outcome).length);

    // the reliability bins: every path of every scored month, each non-empty bin with its range
    const bins: { count: number; consistency: { low: number; high: number } | null }[] = report.reliability;
    expect(bins).toHaveLength(10);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(20);
    for (const b of bins) {
      if (b.count === 0) expect(b.consistency).toBeNull();
      else expect(b.consistency?.low).toBeLessThanOrEqual(b.consistency?.high as number);
    }
    expect(report.chart).toBeNull();
    expect(report.timeline).toBeNull();

    // climatology known then: storm (from April) is known only from July, so until then it is the priors
    // moved by the calm months known so far; the rolling origin and the checks are there too
    expect(report.known.probabilities).toBeNull();
    expect(report.skill.brier.known).toBeCloseTo(1 - report.scores.brier / report.known.scores.brier, 12);
    expect(report.rolling.months).toHaveLength(10);
    expect(report.rolling.before.scores.brier).toBeCloseTo(report.scores.brier, 2);
    expect(report.shifts + report.reversals).toBeGreaterThanOrEqual(0);
    expect(Array.isArray(report.extremes)).toBe(true);
  }, 60_000);

  it('prints the scores beside the priors and climatology, the skill rows, the reliability table and where the charts went', async () => {
    // Arrange
    const chart = join(dir, 'text', 'reliability.svg');
    const timeline = join(dir, 'text', 'timeline.svg');

    // Act
    const result = await backtest('--chart', chart, '--timeline', timeline);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Scored 10 evaluation(s) against outcomes 2025-01-01=calm, 2025-04-01=storm, 2025-07-01=calm, ' +
        '2025-09-01=unknown, 2025-11-01=calm; 2 before the first outcome or where it is unknown are not scored',
    );
    expect(result.stdout).toMatch(/^score +replay +priors +climatology +known then$/m);
    // the priors (0.5, 0.5) score 0.5 Brier and ln 2 log score whatever happens, with sharpness 0.5
    for (const [row, prior] of [
      ['Brier \\(0 best, 2 worst\\)', '0.500'],
      ['log score \\(0 best\\)', Math.log(2).toFixed(3)],
      ['sharpness \\(mean top probability\\)', '0.500'],
    ])
      expect(result.stdout).toMatch(
        new RegExp(`^${row} +\\d\\.\\d{3} +${prior} +\\d\\.\\d{3} +\\d\\.\\d{3}$`, 'm'),
      );
    expect(result.stdout).toMatch(/^leader came true +\d+\/10 *$/m);
    expect(result.stdout).toMatch(
      /^Brier skill of the replay \(> 0 beats\) +-?\d\.\d{3} +-?\d\.\d{3} +-?\d\.\d{3}$/m,
    );
    expect(result.stdout).toMatch(
      /^log skill of the replay \(> 0 beats\) +-?\d+\.\d{3} +-?\d+\.\d{3} +-?\d+\.\d{3}$/m,
    );
    expect(result.stdout).toMatch(/^Rolling origin: each month forecast with the settings calibrate fits/m);
    expect(result.stdout).toMatch(/^Confirmed changes of path: \d+ shift\(s\), \d+ reversal\(s\)\.$/m);
    expect(result.stdout).toContain(
      'Climatology: how often each path came true in the evaluations scored (calm 0.700, storm 0.300)',
    );
    expect(result.stdout).toMatch(/^bin +count +mean forecast +observed +if calibrated \(90 %\)$/m);
    // an empty bin has no range; a non-empty one has one
    expect(result.stdout).toMatch(/^0\.1–0\.2 +0 +- +- +-$/m);
    expect(result.stdout).toMatch(/^0\.0–0\.1 +\d+ +\d\.\d{3} +\d\.\d{3} +\d\.\d{3}–\d\.\d{3}( +outside)?$/m);
    expect(result.stdout).toContain(
      `Reliability diagram written to ${chart}\nTimeline written to ${timeline}\n`,
    );
  }, 60_000);

  it('draws the reliability diagram with --chart and the replay timeline with --timeline', async () => {
    // Arrange
    const chart = join(dir, 'charts', 'reliability.svg');
    const timeline = join(dir, 'charts', 'timeline.svg');

    // Act
    const result = await backtest('--json', '--chart', chart, '--timeline', timeline);

    // Assert: one point per non-empty bin of the report
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ chart, timeline });
    const svg = await readFile(chart, 'utf8');
    expect(svg).toContain('role="img" aria-label="Storm watch: reliability of the backtest"');
    expect(svg).toContain('storm-watch, 2025-02-01 to 2026-01-01: 10 evaluations × 2 paths = 20 forecasts');
    const filled = report.reliability.filter((b: { count: number }) => b.count > 0);
    expect(svg.match(/<circle /g)).toHaveLength(filled.length);
    expect(await readFile(timeline, 'utf8')).toContain('Storm watch: replay');
  }, 60_000);

  it('exits 2 when --chart and --timeline name the same file, before replaying anything', async () => {
    const file = join(dir, 'same.svg');

    const result = await backtest('--chart', file, '--timeline', file);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`--chart and --timeline both name ${file}`);
    await expect(readFile(file)).rejects.toThrow(/ENOENT/);
  });
});

describe('signpost backtest --help', () => {
  it('says which chart each option draws', async () => {
    const result = await runCli(['backtest', '--help']);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/--chart <file\.svg> +also draw the reliability diagram/);
    expect(result.stdout).toMatch(/--timeline <file\.svg> +also draw the replay timeline/);
  });
});
