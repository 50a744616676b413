// The one place for Lambda function defaults: runtime, architecture, ESM bundle, logs, role and scenario files.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Duration } from 'aws-cdk-lib';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';

/** The repository root: entries, the lock file and scenarios/ are resolved from here. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Where the bundle's copy of scenarios/ lives inside the Lambda package. */
export const SCENARIOS_DIR = '/var/task/scenarios';

// NodejsFunction silently falls back to Docker when it cannot find esbuild; we never want that.
try {
  createRequire(import.meta.url).resolve('esbuild');
} catch {
  throw new Error(
    'esbuild is not installed: run `npm ci` so functions are bundled locally (Docker is never used).',
  );
}

export interface SignpostFunctionProps {
  /** The folder under `functions/` whose `handler.ts` exports `handler`. */
  readonly name: string;
  readonly description: string;
  readonly config: StageConfig;
  readonly timeout: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  /** Added to the defaults (NODE_OPTIONS, POWERTOOLS_*, SCENARIOS_DIR). */
  readonly environment?: Record<string, string>;
  readonly reservedConcurrentExecutions?: number;
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
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout,
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      role,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      // The handlers carry no tracer yet; X-Ray would only add an unused IAM grant on `*`.
      tracing: Tracing.DISABLED,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: `signpost-${props.name}`,
        POWERTOOLS_METRICS_NAMESPACE: 'Signpost',
        SCENARIOS_DIR,
        ...props.environment,
      },
      bundling: {
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // Some dependencies still call require(); give ESM output one.
        banner: "import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
        target: 'node24',
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
          // Functions read the scenario files at cold start from SCENARIOS_DIR.
          afterBundling: (inputDir, outputDir) => copyScenarios(inputDir, outputDir),
        },
      },
    });
    this.executionRole = role;
  }
}

/** Shell commands that copy scenarios/*.yaml and scenarios/data/ into the bundle as scenarios/. */
function copyScenarios(inputDir: string, outputDir: string): string[] {
  const from = shellQuote(join(inputDir, 'scenarios'));
  const to = shellQuote(join(outputDir, 'scenarios'));
  return [
    `mkdir -p ${to}`,
    `find ${from} -maxdepth 1 -type f \\( -name '*.yaml' -o -name '*.yml' \\) -exec cp {} ${to}/ \\;`,
    `if [ -d ${from}/data ]; then cp -R ${from}/data ${to}/data; fi`,
  ];
}

function shellQuote(path: string): string {
  return `'${path.replaceAll("'", "'\\''")}'`;
}
