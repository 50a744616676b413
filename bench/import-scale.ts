// Import time against the number of scenarios: each function bundled as deployed (split, minified ESM,
// SDK inside), then imported in fresh node processes with a scenario folder (and its data) of 10 and of
// 10,000 scenario files beside it, median of 15 each, round-robin. The functions read the published
// scenarios from the table when first asked for (shared/runtime/scenarios.ts), never at import, so the
// two columns should agree within noise. For contrast, the cost the bundled snapshot used to add to every
// cold start: reading and parsing `scenarios.json` of 10 and of 10,000 scenarios (what loadRegistry did).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../infra/constructs/signpost-function.ts';
import { AB_EXPECT, buildScenario, EVEN_AB, scenarioYaml } from '../test/fixtures/scenario.ts';
import { bundleAsDeployed, importEnv } from './bundle-build.ts';
import { median } from './median.ts';

const NAMES = ['dispatch', 'ingest', 'evaluate', 'notify', 'api', 'pages'] as const;
const COUNTS = [10, 10_000] as const;
// `--instructions` counts the CPU instructions of each import under valgrind's callgrind (median of 3)
// instead of timing it: on a loaded, shared machine a count moves by a few per cent, a time by tens.
const INSTRUCTIONS = process.argv.includes('--instructions');
const RUNS = INSTRUCTIONS ? 3 : 25;

const work = mkdtempSync(join(tmpdir(), 'signpost-import-scale-'));
try {
  const spec = (i: number) => ({
    id: `s${i}`,
    paths: EVEN_AB,
    indicators: [0, 1, 2].map((k) => ({ id: `s${i}-x${k}`, expect: AB_EXPECT })),
  });
  const folders = Object.fromEntries(
    COUNTS.map((count) => {
      const dir = join(work, `scenarios-${count}`);
      mkdirSync(join(dir, 'data'), { recursive: true });
      for (let i = 0; i < count; i++) writeFileSync(join(dir, `s${i}.yaml`), scenarioYaml(spec(i)));
      // The snapshot the functions used to read at cold start, for the contrast row.
      const snapshot = Array.from({ length: count }, (_, i) => ({
        file: `s${i}.yaml`,
        scenario: buildScenario(spec(i)),
      }));
      writeFileSync(join(dir, 'scenarios.json'), JSON.stringify(snapshot));
      return [count, dir];
    }),
  ) as Record<(typeof COUNTS)[number], string>;

  const bundleDir = (name: string) => join(work, `bundle-${name}`);
  for (const name of NAMES)
    await bundleAsDeployed(join(REPO_ROOT, 'functions', name, 'handler.ts'), bundleDir(name));

  const env = importEnv();
  const timed = (script: string, scenarios: string, dir: string): number => {
    const options = {
      env: { ...env, SCENARIOS_DIR: scenarios, AUGURS_WASM_DIR: dir },
      encoding: 'utf8' as const,
    };
    if (!INSTRUCTIONS)
      return Number(execFileSync(process.execPath, ['--input-type=module', '-e', script], options));
    const args = ['--tool=callgrind', '--callgrind-out-file=/dev/null', process.execPath];
    const run = spawnSync('valgrind', [...args, '--input-type=module', '-e', script], options);
    const collected = /Collected : (\d+)/.exec(run.stderr)?.[1];
    if (run.status !== 0 || collected === undefined) throw new Error(`callgrind failed:\n${run.stderr}`);
    return Number(collected) / 1e6;
  };
  const importScript = (dir: string) =>
    `const t = performance.now(); await import(${JSON.stringify(join(dir, 'index.mjs'))}); process.stdout.write(String(performance.now() - t));`;
  const snapshotScript = (scenarios: string) =>
    `import { readFileSync } from 'node:fs'; const t = performance.now(); JSON.parse(readFileSync(${JSON.stringify(join(scenarios, 'scenarios.json'))}, 'utf8')); process.stdout.write(String(performance.now() - t));`;

  const rows = [
    ...NAMES.map((name) => ({
      label: name,
      script: () => importScript(bundleDir(name)),
      dir: bundleDir(name),
    })),
    { label: 'old snapshot read', script: () => '', dir: work },
  ];
  const samples = new Map<string, number[]>();
  for (let run = 0; run < RUNS; run++)
    for (const row of rows)
      for (const count of COUNTS) {
        const script = row.label === 'old snapshot read' ? snapshotScript(folders[count]) : row.script();
        const key = `${row.label}@${count}`;
        samples.set(key, [...(samples.get(key) ?? []), timed(script, folders[count], row.dir)]);
      }
  const ms = (key: string) => median(samples.get(key) ?? []);
  const snapshotKb = (count: number) =>
    (readFileSync(join(folders[count as 10], 'scenarios.json')).length / 1024).toFixed(0);
  console.log(
    INSTRUCTIONS
      ? `Import cost (millions of instructions under callgrind, median of ${RUNS}) with 10 and with 10,000 scenario files`
      : `Import time (ms, median of ${RUNS} fresh node processes) with 10 and with 10,000 scenario files`,
  );
  console.log('| function | 10 scenarios | 10,000 scenarios | ratio |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const { label } of rows) {
    const [few, many] = COUNTS.map((c) => ms(`${label}@${c}`)) as [number, number];
    const name =
      label === 'old snapshot read'
        ? `(before: reading scenarios.json, ${snapshotKb(10)} KB / ${snapshotKb(10_000)} KB)`
        : label;
    console.log(`| ${name} | ${few.toFixed(1)} | ${many.toFixed(1)} | ${(many / few).toFixed(2)}x |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
