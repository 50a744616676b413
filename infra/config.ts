// Stage configuration (dev | prod), read from CDK context and validated once before any stack is built.
import { RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import * as z from 'zod';

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
    z.array(item).default([]),
  );

export const stageConfigSchema = z.strictObject({
  stage: z.enum(STAGES, 'one of dev, prod'),
  /** How long function and access logs are kept; must be a value CloudWatch Logs accepts. */
  logRetentionDays: z
    .int()
    .refine((d) => retentionDays.has(d), 'a CloudWatch Logs retention such as 14 or 90'),
  /** What happens to data (table, topic, logs) when a stack or resource is deleted. */
  removalPolicy: z.enum([RemovalPolicy.RETAIN, RemovalPolicy.DESTROY]),
  /** SNS email subscriptions to the alerts topic; each must be confirmed from the mailbox. */
  alertEmails: list(z.email('an email address')),
  /** SNS SMS subscriptions to the alerts topic, in E.164 form. */
  alertPhones: list(z.string().regex(/^\+[1-9]\d{1,14}$/, 'an E.164 phone number such as +4915112345678')),
  /** `iam`: the read routes need SigV4 too (an internal stage); `public` (default): anyone may read. */
  apiReads: z.enum(['public', 'iam'], 'public or iam').default('public'),
});

export type StageConfig = z.output<typeof stageConfigSchema>;

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
 * Reads `stage` (default `dev`), `alertEmails`, `alertPhones` and `apiReads` from CDK context, e.g.
 * `cdk synth -c stage=prod -c alertEmails=ops@example.org -c apiReads=iam`.
 */
export function readStageConfig(scope: Construct): StageConfig {
  const context = (key: string): unknown => scope.node.tryGetContext(key);
  const stage = context('stage') ?? 'dev';
  const defaults = STAGE_DEFAULTS[stage as Stage] ?? {};
  const result = stageConfigSchema.safeParse({
    stage,
    ...defaults,
    alertEmails: context('alertEmails'),
    alertPhones: context('alertPhones'),
    apiReads: context('apiReads'),
  });
  if (!result.success) {
    throw new StageConfigError(
      `Invalid stage configuration in CDK context:\n${z.prettifyError(result.error)}`,
    );
  }
  return result.data;
}
