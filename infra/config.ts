// Stage configuration (dev | prod), read from CDK context and validated once before any stack is built.
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';
import { DEFAULT_MAX_SILENCE_DAYS } from '../functions/api/routes/writes.ts';
import { ScenarioError } from '../shared/config/load-scenarios.ts';

export const STAGES = ['dev', 'prod'] as const;
export type Stage = (typeof STAGES)[number];

const retentionDays = new Set<unknown>(Object.values(RetentionDays).filter((v) => typeof v === 'number'));

/** Context values come from cdk.json (arrays) or `-c key=a,b` on the command line (strings). */
const list = <T extends z.ZodType<string>>(item: T) =>
  z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s.length > 0)
        : value,
    z.array(item),
  );

/** `-c key=200` arrives as a string, cdk.json gives a number. */
const positiveInt = (what: string) => z.coerce.number(what).int(what).positive(what);

/** A browser origin as sent in the `Origin` header (scheme, host, optional port; no path), or `*`. */
const origin = z
  .string()
  .regex(/^(\*|https?:\/\/[a-z0-9.-]+(:\d{1,5})?)$/i, 'an origin such as https://example.org, or *');

export const stageConfigSchema = z.strictObject({
  stage: z.enum(STAGES, 'one of dev, prod'),
  /** How long function and access logs are kept; must be a value CloudWatch Logs accepts. */
  logRetentionDays: z.coerce
    .number()
    .int()
    .refine((d) => retentionDays.has(d), 'a CloudWatch Logs retention in days such as 14, 90 or 365'),
  /** What happens to data (table, topics, logs) when a stack or resource is deleted. */
  removalPolicy: z.enum([RemovalPolicy.RETAIN, RemovalPolicy.DESTROY]),
  /** SNS email subscriptions to the alerts topic (every kind of alert); each must be confirmed from the mailbox. */
  alertEmails: list(z.email('an email address')).default([]),
  /** SNS SMS subscriptions to the alerts topic, in E.164 form; they receive path changes only. */
  alertPhones: list(
    z.string().regex(/^\+[1-9]\d{1,14}$/, 'an E.164 phone number such as +4915112345678'),
  ).default([]),
  /** When set, the alert subscriptions receive only these scenarios' alerts (a filter policy on `scenario`). */
  alertScenarios: list(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'a scenario id such as kupyansk')).default(
    [],
  ),
  /** Email subscriptions to the ops topic: alarms (function errors, DLQ depth, stale data, failed publishes). */
  opsEmails: list(z.email('an email address')).default([]),
  /** `iam`: the read routes need SigV4 too (an internal stage); `public` (default): anyone may read. */
  apiReads: z.enum(['public', 'iam'], 'public or iam').default('public'),
  /** Origins a browser may call the API from (CORS); `*` for any. */
  corsOrigins: list(origin).pipe(z.array(origin).min(1, 'at least one origin')).default(['*']),
  /**
   * Where people read the pages (a custom domain in front of the API); alert emails link to the scenario's
   * page there. Default: the HTTP API's own URL, which serves the pages.
   */
  publicUrl: z
    .url({ protocol: /^https?$/, error: 'an http(s) URL such as https://status.example.org' })
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  /** The API stage's steady request rate (requests per second) and burst, across all routes. */
  apiRateLimit: positiveInt('a whole number of requests per second').default(100),
  apiBurstLimit: positiveInt('a whole number of requests').default(50),
  /** The longest silence the API sets (end minus start), in days: a forgotten silence still ends. */
  maxSilenceDays: positiveInt('a whole number of days').default(DEFAULT_MAX_SILENCE_DAYS),
});

export type StageConfig = z.output<typeof stageConfigSchema>;

/** The context keys an operator may set (`-c key=value` or cdk.json `context`). */
export const CONTEXT_KEYS = Object.keys(stageConfigSchema.shape).filter(
  (key) => key !== 'removalPolicy',
) as (keyof StageConfig)[];

const STAGE_DEFAULTS: Record<Stage, Pick<StageConfig, 'logRetentionDays' | 'removalPolicy'>> = {
  dev: { logRetentionDays: 14, removalPolicy: RemovalPolicy.DESTROY },
  prod: { logRetentionDays: 90, removalPolicy: RemovalPolicy.RETAIN },
};

export class StageConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StageConfigError';
  }
}

/**
 * What to print for an error an operator causes and can fix (bad context, bad scenario files), or
 * undefined for anything else, which keeps its stack: a stack trace around a configuration message
 * only buries it.
 */
export function operatorErrorText(error: unknown): string | undefined {
  if (error instanceof StageConfigError) return error.message;
  if (error instanceof ScenarioError) return `Invalid scenario files:\n${error.message.replace(/^/gm, '  ')}`;
  return undefined;
}

/**
 * Reads the stage (default `dev`) and its settings from CDK context, e.g.
 * `cdk synth -c stage=prod -c alertEmails=ops@example.org -c corsOrigins=https://example.org`.
 * Every problem names the context key and what it expects.
 */
export function readStageConfig(scope: Construct): StageConfig {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const stage = context('stage') ?? 'dev';
  if (!STAGES.includes(stage as Stage)) {
    throw new StageConfigError(
      `Invalid stage configuration in CDK context:\n  -c stage: expected one of ${STAGES.join(', ')}, got ${JSON.stringify(stage)}`,
    );
  }
  const defaults = STAGE_DEFAULTS[stage as Stage];
  const input: Record<string, unknown> = { stage, ...defaults };
  for (const key of CONTEXT_KEYS) {
    const value = context(key);
    if (value !== undefined) input[key] = value;
  }
  const result = stageConfigSchema.safeParse(input);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const [key, ...rest] = issue.path.map(String);
      const where = rest.length > 0 ? `${key} (item ${rest.join('.')})` : key;
      const expected =
        issue.code === 'unrecognized_keys' ? `no unknown key (${issue.keys.join(', ')})` : issue.message;
      return `  -c ${where ?? '(context)'}: expected ${expected.replace(/^Invalid (input|option): expected /, '')}`;
    });
    throw new StageConfigError(`Invalid stage configuration in CDK context:\n${lines.join('\n')}`);
  }
  return result.data;
}
