// Bundle budget: the size of each function's bundle as `cdk synth` builds it (budget 300 KB minified),
// and its import time (median of 20 fresh processes) against a bare DynamoDBClient bundle built with the
// same esbuild settings (goal: at most 1.2 times). Bundles are split (infra/constructs/signpost-function.ts):
// the size is what a cold start loads, index.mjs and the chunks it imports statically; chunks behind a
// dynamic import (loaded on first use) are listed apart. Floors follow: the stack's libraries alone (no
// Signpost code), with the SNS client, and without Powertools and/or zod, to show how much of each ratio is
// the stack's; then each function built with Powertools stubbed out, the most that dropping it could save.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { buildApp } from '../infra/build-app.ts';
import { bundleFiles } from '../infra/bundle-files.ts';
import { readStageConfig } from '../infra/config.ts';
import { REPO_ROOT } from '../infra/constructs/signpost-function.ts';
import { loadScenarios } from '../shared/config/load-scenarios.ts';
import { bundleAsDeployed, importEnv } from './bundle-build.ts';
import { median } from './median.ts';

const BUDGET_BYTES = 300 * 1024;
const RATIO_GOAL = 1.2;
// `--instructions` counts the CPU instructions of an import of each bundle under valgrind's callgrind
// (median of 3) instead of timing 20: a single count moves by a few per cent from run to run (V8's
// background compiling and collecting), far less than a time on a shared machine, so that small
// differences between bundles (one library more or less) can be told apart. The goal is judged on time.
const INSTRUCTIONS = process.argv.includes('--instructions');
const RUNS = INSTRUCTIONS ? 3 : 20;
const NAMES = ['dispatch', 'ingest', 'evaluate', 'notify', 'api', 'pages'] as const;

const work = mkdtempSync(join(tmpdir(), 'signpost-bundles-'));
try {
  // The bundles exactly as deployed: synthesize the dev app (CDK runs esbuild for each function).
  const app = new App({ outdir: join(work, 'cdk.out'), context: { stage: 'dev' } });
  const { stateless } = buildApp(
    app,
    readStageConfig(app),
    await loadScenarios(join(REPO_ROOT, 'scenarios')),
  );
  const resources = Object.values(Template.fromStack(stateless).toJSON().Resources) as {
    Type: string;
    Properties: { FunctionName?: string; Code?: { S3Key?: string } };
  }[];
  const assetOf = (name: string): string => {
    const fn = resources.find((r) => r.Properties.FunctionName === `signpost-dev-${name}`);
    return join(app.outdir, `asset.${String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '')}`);
  };

  // The baseline: a module that only creates a DynamoDBClient, bundled with the functions' settings. Then
  // floors, the libraries the stack decides on (DEVELOPERS.md) with no Signpost code at all: what a
  // function pays before its own code, so the ratios above them can be read (notify also needs SNS). The
  // floors without Powertools, without zod and without both show each library's share of the ratio.
  const parts = {
    sdk: [
      "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
      "import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';",
      "import middy from '@middy/core';",
      'export const db = DynamoDBDocumentClient.from(new DynamoDBClient({}));',
      'export const commands = [GetCommand, PutCommand, QueryCommand];',
    ],
    powertools: [
      "import { Logger } from '@aws-lambda-powertools/logger';",
      "import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';",
      "import { Metrics } from '@aws-lambda-powertools/metrics';",
      "import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';",
      "const logger = new Logger({ serviceName: 'probe' });",
      "const metrics = new Metrics({ namespace: 'Probe', serviceName: 'probe' });",
    ],
    zod: [
      "import * as z from '../shared/runtime/validation.ts';",
      'const event = z.object({ id: z.string().check(z.minLength(1)) });',
    ],
  };
  const handler = (powertools: boolean, zod: boolean) =>
    `export const handler = middy()${powertools ? '.use(injectLambdaContext(logger)).use(logMetrics(metrics))' : ''}` +
    `.handler(async (e: unknown) => ${zod ? 'event.parse(e)' : 'e'});`;
  const probe = (powertools: boolean, zod: boolean) =>
    [
      ...parts.sdk,
      ...(powertools ? parts.powertools : []),
      ...(zod ? parts.zod : []),
      handler(powertools, zod),
      '',
    ].join('\n');
  const probes = {
    bare: "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const client = new DynamoDBClient({});\n",
    stack: probe(true, true),
    stackSns:
      "export * from './.probe-stack.ts';\nimport { PublishCommand, SNSClient } from '@aws-sdk/client-sns';\nexport const sns = new SNSClient({});\nexport const publish = PublishCommand;\n",
    noPowertools: probe(false, true),
    noZod: probe(true, false),
    sdk: probe(false, false),
  };
  const probeDir = (name: keyof typeof probes) => join(work, `probe-${name}`);
  const sources = Object.keys(probes).map((name) => join(REPO_ROOT, 'bench', `.probe-${name}.ts`));
  for (const [i, body] of Object.values(probes).entries()) writeFileSync(sources[i] ?? '', body);
  const bundle = bundleAsDeployed;
  try {
    for (const name of Object.keys(probes) as (keyof typeof probes)[]) {
      await bundle(join(REPO_ROOT, 'bench', `.probe-${name}.ts`), probeDir(name));
    }
  } finally {
    for (const file of sources) rmSync(file, { force: true });
  }
  // Each function again with Powertools replaced by no-op stubs (bench/powertools-stub.ts): what dropping
  // Powertools could save at most. Beside it, the deployed bundle's scenario snapshot and WebAssembly.
  const stub = join(REPO_ROOT, 'bench', 'powertools-stub.ts');
  const withoutPowertools = (name: (typeof NAMES)[number]) => join(work, `no-powertools-${name}`);
  for (const name of NAMES) {
    await bundle(join(REPO_ROOT, 'functions', name, 'handler.ts'), withoutPowertools(name), {
      '@aws-lambda-powertools/logger': stub,
      '@aws-lambda-powertools/logger/middleware': stub,
      '@aws-lambda-powertools/metrics': stub,
      '@aws-lambda-powertools/metrics/middleware': stub,
    });
    for (const file of readdirSync(assetOf(name)).filter((f) => f === 'scenarios' || f.endsWith('.wasm')))
      cpSync(join(assetOf(name), file), join(withoutPowertools(name), file), { recursive: true });
  }
  const bare = probeDir('bare');
  const floors = [
    {
      label: 'floor: libraries',
      dir: probeDir('stack'),
      what: 'no Signpost code: DynamoDB document client, middy, Powertools Logger and Metrics, zod/mini',
    },
    { label: 'floor: + SNSClient', dir: probeDir('stackSns'), what: 'the same and the SNS client (notify)' },
    {
      label: 'floor: no Powertools',
      dir: probeDir('noPowertools'),
      what: 'the libraries without Powertools',
    },
    { label: 'floor: no zod', dir: probeDir('noZod'), what: 'the libraries without zod/mini' },
    {
      label: 'floor: SDK and middy',
      dir: probeDir('sdk'),
      what: 'the document client and middy, without Powertools and zod',
    },
    ...NAMES.map((name) => ({
      label: `${name}, no Powertools`,
      dir: withoutPowertools(name),
      what: 'the function with Powertools stubbed out (bench/powertools-stub.ts)',
    })),
  ];

  const env = importEnv();
  /** Milliseconds to import the bundle in `dir` (its cold-start code included) in a fresh process. */
  const importOnce = (dir: string): number => {
    const script = `const t = performance.now(); await import(${JSON.stringify(join(dir, 'index.mjs'))}); process.stdout.write(String(performance.now() - t));`;
    return Number(
      execFileSync(process.execPath, ['--input-type=module', '-e', script], {
        env: { ...env, SCENARIOS_DIR: join(dir, 'scenarios'), AUGURS_WASM_DIR: dir },
      }),
    );
  };
  /** Instructions (millions) of one import of the bundle in `dir`, less those of a process importing nothing. */
  const callgrind = (script: string, dir: string): number => {
    const run = spawnSync(
      'valgrind',
      [
        '--tool=callgrind',
        '--callgrind-out-file=/dev/null',
        process.execPath,
        '--input-type=module',
        '-e',
        script,
      ],
      { env: { ...env, SCENARIOS_DIR: join(dir, 'scenarios'), AUGURS_WASM_DIR: dir }, encoding: 'utf8' },
    );
    if (run.error) throw new Error(`--instructions needs valgrind on the PATH (${run.error.message})`);
    const collected = /Collected : (\d+)/.exec(run.stderr)?.[1];
    if (run.status !== 0 || collected === undefined) throw new Error(`callgrind failed:\n${run.stderr}`);
    return Number(collected) / 1e6;
  };
  const empty = INSTRUCTIONS ? callgrind('0', bare) : 0;
  const measure = INSTRUCTIONS
    ? (dir: string) => callgrind(`await import(${JSON.stringify(join(dir, 'index.mjs'))})`, dir) - empty
    : importOnce;
  const unit = INSTRUCTIONS ? 'M instr' : 'ms';
  // Round-robin over the bundles, so that load on the machine weighs on each of them alike.
  const dirs = [bare, ...NAMES.map(assetOf), ...floors.map((floor) => floor.dir)];
  const samples = dirs.map(() => [] as number[]);
  for (let run = 0; run < RUNS; run++) for (const [i, dir] of dirs.entries()) samples[i]?.push(measure(dir));
  const medianOf = (i: number): number => median(samples[i] ?? []);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`;
  /** The bytes a cold start loads (index.mjs and its static imports, transitively) and those loaded on use. */
  const sizes = (dir: string): { coldStart: number; onUse: number } => {
    const { coldStart, onUse } = bundleFiles(dir);
    const total = (list: string[]) => list.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
    return { coldStart: total(coldStart), onUse: total(onUse) };
  };

  const baseline = medianOf(0);
  console.log(
    INSTRUCTIONS
      ? `Bundles (cdk synth, esbuild minified ESM); import cost: instructions of an import under callgrind, median of ${RUNS}`
      : `Bundles (cdk synth, esbuild minified ESM); import time: median of ${RUNS} fresh node processes`,
  );
  const bareSizes = sizes(bare);
  console.log(
    `  ${'bare DynamoDBClient'.padEnd(24)} ${kb(bareSizes.coldStart).padStart(7)}  ${baseline.toFixed(1).padStart(6)} ${unit}  1.00x` +
      `  + ${kb(bareSizes.onUse)} of chunks loaded on use`,
  );
  const floorTimes = floors.map((_, i) => medianOf(NAMES.length + 1 + i));
  for (const [i, name] of NAMES.entries()) {
    const dir = assetOf(name);
    const { coldStart: size, onUse } = sizes(dir);
    const wasm = readdirSync(dir)
      .filter((f) => f.endsWith('.wasm'))
      .map((f) => `${f} ${kb(statSync(join(dir, f)).size)}`);
    const time = medianOf(i + 1);
    const ratio = time / baseline;
    // What Signpost's own code adds: the time over the floor of the libraries this function loads.
    const floor = floorTimes[name === 'notify' ? 1 : 0] ?? baseline;
    console.log(
      `  ${name.padEnd(24)} ${kb(size).padStart(7)}  ${time.toFixed(1).padStart(6)} ${unit}  ${ratio.toFixed(2)}x` +
        `  (${(time / floor).toFixed(2)}x its floor)` +
        `  size ${size <= BUDGET_BYTES ? `ok (${(BUDGET_BYTES - size).toLocaleString('en')} bytes left)` : 'OVER 300 KB'}, ${INSTRUCTIONS ? 'import' : 'time'} ${ratio <= RATIO_GOAL ? 'ok' : `over ${RATIO_GOAL}x`}` +
        `  + ${kb(onUse)} of chunks loaded on use` +
        (wasm.length > 0 ? `  + ${wasm.join(', ')}` : ''),
    );
  }
  for (const [i, { label, dir, what }] of floors.entries()) {
    const time = floorTimes[i] ?? 0;
    console.log(
      `  ${label.padEnd(24)} ${kb(sizes(dir).coldStart).padStart(7)}  ${time.toFixed(1).padStart(6)} ${unit}  ${(time / baseline).toFixed(2)}x  ${what}`,
    );
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
