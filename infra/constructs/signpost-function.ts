// The one place for Lambda function defaults: runtime, architecture, ESM bundle, logs, role and scenario files.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import { METRICS_NAMESPACE } from '../../shared/runtime/metrics.ts';
import type { StageConfig } from '../config.ts';
import { FUNCTION_MEMORY_MB } from './function-memory.ts';
import { grantScenarioReads } from './table-access.ts';

/** The repository root: entries, the lock file and scenarios/ are resolved from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the bundle's copy of scenarios/ lives inside the Lambda package. */
export const SCENARIOS_DIR = '/var/task/scenarios';

/** Where the Lambda package is unpacked: the handler and any file copied next to it. */
export const TASK_ROOT = '/var/task';

/**
 * The esbuild settings every function is bundled with; bench/bundles.ts builds its bare-SDK baseline
 * with the same ones so that the import-time ratio compares like with like.
 */
export const BUNDLE_SETTINGS = {
  /** The bundles read the validated scenario snapshot instead of parsing YAML (shared/runtime/scenarios.ts). */
  define: { 'process.env.SIGNPOST_BUNDLE': JSON.stringify('true') },
  alias: {
    /** Lambda gives credentials in the environment: see shared/runtime/lambda-credentials.ts. */
    '@aws-sdk/credential-provider-node': join(REPO_ROOT, 'shared/runtime/lambda-credentials.ts'),
    /** Endpoint discovery is never on: see shared/runtime/endpoint-cache.ts. */
    '@aws-sdk/endpoint-cache': join(REPO_ROOT, 'shared/runtime/endpoint-cache.ts'),
  },
  mainFields: ['module', 'main'],
  target: 'node24',
  // Some dependencies still call require(); give ESM output one.
  banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
  /** License comments go to a file beside each bundle (`*.LEGAL.txt`), not into what a cold start parses. */
  legalComments: 'external',
} as const;

// NodejsFunction silently falls back to Docker when it cannot find esbuild; we never want that.
try {
  createRequire(import.meta.url).resolve('esbuild');
} catch {
  throw new Error(
    'esbuild is not installed: run `npm ci` so functions are bundled locally (Docker is never used).',
  );
}

/** What every function is built with: the stage, the scenarios it ships, the table it uses. */
export interface FunctionWiring {
  readonly config: StageConfig;
  /**
   * The scenarios validated at synth: what the grants, schedules and alarms are made for. The functions
   * read the published scenarios from the table (shared/runtime/scenarios.ts), not from their bundle.
   */
  readonly scenarios: LoadedScenario[];
  /** Its name goes in TABLE_NAME; each function grants itself what it does on it. */
  readonly table: ITable;
}

export interface SignpostFunctionProps extends FunctionWiring {
  /** The folder under `functions/` whose `handler.ts` exports `handler`. */
  readonly name: string;
  readonly description: string;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Added to the defaults (NODE_OPTIONS, POWERTOOLS_*, SCENARIOS_DIR, TABLE_NAME). */
  readonly environment?: Record<string, string>;
  /**
   * Files under node_modules/ to copy next to the handler (WebAssembly the code reads at run time);
   * when given, AUGURS_WASM_DIR points at the handler's folder.
   */
  readonly wasmFiles?: string[];
  /**
   * Files generated at synth and written next to the handler, by name (the API's OpenAPI document): data
   * the function reads when asked, so that what generates it stays out of the bundle.
   */
  readonly files?: Record<string, string>;
}

/**
 * A Node.js 24 arm64 function bundled locally by esbuild as minified ESM with source maps and the AWS SDK
 * inside, logging as JSON to its own log group, with a role that has no managed policies (grants add to it).
 */
export class SignpostFunction extends NodejsFunction {
  /** The execution role; grants add statements to its default policy. */
  readonly executionRole: Role;

  constructor(scope: Construct, id: string, props: SignpostFunctionProps) {
    const functionName = `signpost-${props.config.stage}-${props.name}`;
    const generated = Object.entries(props.files ?? {}).map(([name, body]) => writeGenerated(name, body));
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      logGroupName: `/aws/lambda/${functionName}`,
      retention: props.config.logRetentionDays as RetentionDays,
      removalPolicy: props.config.removalPolicy,
    });
    // Instead of AWSLambdaBasicExecutionRole (which may write to any log group): this log group only.
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${functionName}`,
    });
    logGroup.grantWrite(role);

    super(scope, id, {
      functionName,
      description: props.description,
      entry: join(REPO_ROOT, 'functions', props.name, 'handler.ts'),
      handler: 'handler',
      projectRoot: REPO_ROOT,
      depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? FUNCTION_MEMORY_MB,
      timeout: props.timeout,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // The handlers carry no tracer yet; X-Ray would only add an unused IAM grant on `*`.
      tracing: Tracing.DISABLED,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `signpost-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        SCENARIOS_DIR,
        ...(props.wasmFiles ? { AUGURS_WASM_DIR: TASK_ROOT } : {}),
        TABLE_NAME: props.table.tableName,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: [...BUNDLE_SETTINGS.mainFields],
        banner: BUNDLE_SETTINGS.banner,
        target: BUNDLE_SETTINGS.target,
        define: BUNDLE_SETTINGS.define,
        esbuildArgs: {
          ...Object.fromEntries(
            Object.entries(BUNDLE_SETTINGS.alias).map(([from, to]) => [`--alias:${from}`, to]),
          ),
          '--legal-comments': BUNDLE_SETTINGS.legalComments,
        },
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // Bundle the SDK: the pinned version is the one tested, and tree-shaking keeps cold starts short.
        externalModules: [],
        forceDockerBundling: false,
        logLevel: LogLevel.WARNING,
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          // The data files of file sources; the scenarios are read from the table.
          afterBundling: (inputDir, outputDir) => [
            splitBundle(inputDir, outputDir, props.name),
            ...copyScenarioData(inputDir, outputDir),
            ...(props.wasmFiles ?? []).map(
              (file) => `cp ${shellQuote(join(inputDir, 'node_modules', file))} ${shellQuote(outputDir)}/`,
            ),
            ...generated.map((file) => `cp ${shellQuote(file)} ${shellQuote(outputDir)}/`),
          ],
        },
      },
    });
    this.executionRole = role;
    grantScenarioReads(this, props.table);
  }
}

/**
 * NodejsFunction bundles to one `--outfile`, which rules out esbuild's code splitting; this command
 * rebuilds the entry with the same settings into the output folder, splitting on, over the first build.
 * Each dynamic import (ingest's CSV, feed and GeoJSON readers, the Secrets Manager client) then becomes a
 * chunk beside index.mjs that loads on first use, and index.mjs keeps what every cold start runs. Chunks
 * sit in the same folder, so files found from `import.meta.url` are found from every chunk alike.
 */
function splitBundle(inputDir: string, outputDir: string, name: string): string {
  const args = [
    join(inputDir, 'node_modules', '.bin', 'esbuild'),
    join(inputDir, 'functions', name, 'handler.ts'),
    '--bundle',
    '--splitting',
    '--platform=node',
    '--format=esm',
    `--target=${BUNDLE_SETTINGS.target}`,
    `--main-fields=${BUNDLE_SETTINGS.mainFields.join(',')}`,
    ...Object.entries(BUNDLE_SETTINGS.define).map(([key, value]) => `--define:${key}=${value}`),
    ...Object.entries(BUNDLE_SETTINGS.alias).map(([from, to]) => `--alias:${from}=${to}`),
    `--banner:js=${BUNDLE_SETTINGS.banner}`,
    `--legal-comments=${BUNDLE_SETTINGS.legalComments}`,
    '--minify',
    '--sourcemap',
    '--sources-content=false',
    `--outdir=${outputDir}`,
    '--entry-names=index',
    '--chunk-names=chunk-[name]-[hash]',
    '--out-extension:.js=.mjs',
    '--log-level=warning',
  ];
  return args.map(shellQuote).join(' ');
}

/** Writes a generated file under a folder named by its content (as the snapshot) and returns its path. */
function writeGenerated(name: string, body: string): string {
  const hash = createHash('sha256').update(body).digest('hex').slice(0, 16);
  const path = join(tmpdir(), 'signpost-generated-files', hash, basename(name));
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, body);
  return path;
}

/**
 * Shell commands that copy scenarios/data/ into the bundle (file sources read it). The scenario files
 * themselves are not shipped: the functions read the published scenarios from the table.
 */
function copyScenarioData(inputDir: string, outputDir: string): string[] {
  const from = shellQuote(join(inputDir, 'scenarios', 'data'));
  const to = shellQuote(join(outputDir, 'scenarios'));
  return [`mkdir -p ${to}`, `if [ -d ${from} ]; then cp -R ${from} ${to}/data; fi`];
}

function shellQuote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
