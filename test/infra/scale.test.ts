// Synthesizes the app with 1,000 scenarios of 10 indicators and checks it stays deployable: every stack
// under CloudFormation's 500 resources, as many as with 10 scenarios; every role's inline policy under
// IAM's 10,240 characters; every bundle within its budget; cdk-nag without a finding. What grows with the
// scenarios is the data, not the stacks: the alarms are one per kind, the table grants name partition
// prefixes once the exact keys pass EXACT_KEYS_BUDGET, and the functions read the scenarios at run time.
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type SignpostStacks } from '../../infra/build-app.ts';
import { bundleFiles } from '../../infra/bundle-files.ts';
import { readStageConfig } from '../../infra/config.ts';
import { EXACT_KEYS_BUDGET } from '../../infra/constructs/table-access.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';

const LARGE = 1_000;
const SMALL = 10;
const INDICATORS = 10;
/** CloudFormation's resources per stack and IAM's inline policy characters per role. */
const MAX_RESOURCES = 500;
const MAX_INLINE_POLICY = 10_240;
/** CloudFormation's largest template, uploaded through S3 as `cdk deploy` does. */
const MAX_TEMPLATE_BYTES = 1_000_000;
/**
 * The characters an ARN or name CloudFormation resolves at deploy may take (a table's ARN is ~100):
 * the synthesized policy holds `Fn::GetAtt` or `Ref` objects in their place, shorter or longer.
 */
const RESOLVED_ALLOWANCE = 150;
const FUNCTIONS = ['dispatch', 'ingest', 'evaluate', 'notify', 'api', 'pages'] as const;
const SYNTH_TIMEOUT_MS = 240_000;

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});
const tempFolder = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
};

/**
 * `count` scenario files of INDICATORS indicators each: eight fetched (daily, weekly and monthly) and two
 * posted by hand, ids of a realistic length.
 */
function scenarioFolder(count: number): string {
  const dir = tempFolder('signpost-scale-');
  mkdirSync(join(dir, 'data'));
  const cadences = ['P1D', 'P1W', 'P1M'] as const;
  for (let s = 0; s < count; s++) {
    const id = `scenario-${String(s).padStart(5, '0')}`;
    const indicators = Array.from({ length: INDICATORS }, (_, k) => ({
      id: `${id}-indicator-${k}`,
      cadence: cadences[k % cadences.length],
      expect: AB_EXPECT,
      ...(k >= INDICATORS - 2 ? { source: { kind: 'manual' } } : {}),
    }));
    writeFileSync(join(dir, `${id}.yaml`), scenarioYaml({ id, paths: EVEN_AB, indicators }));
  }
  return dir;
}

async function synth(count: number): Promise<{ app: App; stacks: SignpostStacks }> {
  const scenarios = await loadScenarios(scenarioFolder(count));
  const app = new App({ context: { stage: 'dev' }, outdir: tempFolder('signpost-scale-cdk-') });
  const stacks = buildApp(app, readStageConfig(app), scenarios);
  app.synth();
  return { app, stacks };
}

interface Statement {
  Action: string | string[];
  Resource: unknown;
  Condition?: Record<string, Record<string, string[]>>;
}
/** The properties of the resources these tests read: policies and functions. */
interface Resource {
  Type: string;
  Properties: {
    Roles?: { Ref: string }[];
    PolicyDocument?: { Statement: Statement[] };
    FunctionName?: string;
    Role?: { 'Fn::GetAtt': [string, string] };
    Code?: { S3Key: string };
  };
}

const templatesOf = (stacks: SignpostStacks) =>
  Object.fromEntries(
    Object.entries(stacks).map(([name, stack]) => [name, Template.fromStack(stack).toJSON()]),
  ) as Record<keyof SignpostStacks, { Resources: Record<string, Resource> }>;

/** A policy's length as IAM counts it (JSON without whitespace), each deploy-time value at its allowance. */
const resolvedLength = (document: unknown) =>
  JSON.stringify(document, (_key, value) =>
    value &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    /^(Ref|Fn::)/.test(Object.keys(value)[0] ?? '')
      ? 'x'.repeat(RESOLVED_ALLOWANCE)
      : value,
  ).length;

/** The Lambda function `signpost-dev-<fn>` of the large deployment. */
function functionOf(fn: string): Resource {
  const found = Object.values(largeTemplates.stateless.Resources).find(
    (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === `signpost-dev-${fn}`,
  );
  if (!found) throw new Error(`no function signpost-dev-${fn}`);
  return found;
}

let large: { app: App; stacks: SignpostStacks };
let largeTemplates: ReturnType<typeof templatesOf>;
let smallTemplates: ReturnType<typeof templatesOf>;

beforeAll(async () => {
  large = await synth(LARGE);
  largeTemplates = templatesOf(large.stacks);
  smallTemplates = templatesOf((await synth(SMALL)).stacks);
}, SYNTH_TIMEOUT_MS);

describe(`a deployment of ${LARGE} scenarios of ${INDICATORS} indicators`, () => {
  it('keeps every stack under 500 resources, as many as a deployment of 10 scenarios has', () => {
    for (const name of ['stateful', 'stateless', 'monitoring'] as const) {
      const count = Object.keys(largeTemplates[name].Resources).length;
      expect(count, name).toBeLessThan(MAX_RESOURCES);
      expect(count, name).toBe(Object.keys(smallTemplates[name].Resources).length);
    }
  });

  // Nothing in a template grows with the scenarios any more: the ingest schedules name their cadences
  // only (they listed every fetched indicator's id, ~230 bytes a scenario, 1 MB at ~4,000 scenarios).
  // At 10 scenarios the roles list exact partitions, at 1,000 their prefixes: smaller, not larger.
  it('keeps every template within the 1 MB CloudFormation accepts from S3, no larger than at 10 scenarios', () => {
    for (const name of ['stateful', 'stateless', 'monitoring'] as const) {
      const bytes = Buffer.byteLength(JSON.stringify(largeTemplates[name]));
      expect(bytes, name).toBeLessThan(MAX_TEMPLATE_BYTES);
      expect(bytes, name).toBeLessThanOrEqual(Buffer.byteLength(JSON.stringify(smallTemplates[name])));
    }
  });

  /** Each role's inline policies: their total resolved length, by role. */
  const inlinePolicies = () => {
    const byRole = new Map<string, number>();
    for (const resource of Object.values(largeTemplates.stateless.Resources)) {
      if (resource.Type !== 'AWS::IAM::Policy') continue;
      for (const role of resource.Properties.Roles ?? [])
        byRole.set(
          role.Ref,
          (byRole.get(role.Ref) ?? 0) + resolvedLength(resource.Properties.PolicyDocument),
        );
    }
    return byRole;
  };
  const roleOf = (fn: string) => functionOf(fn).Properties.Role?.['Fn::GetAtt'][0] ?? '';

  it("keeps every role's inline policy under IAM's 10,240 characters, with no overflow managed policy", () => {
    const byRole = inlinePolicies();
    expect(byRole.size).toBeGreaterThanOrEqual(FUNCTIONS.length);
    for (const [role, length] of byRole) expect(length, role).toBeLessThan(MAX_INLINE_POLICY);
    const managed = Object.values(largeTemplates.stateless.Resources).filter(
      (r) => r.Type === 'AWS::IAM::ManagedPolicy',
    );
    expect(managed).toEqual([]);
  });

  it('leaves room for EXACT_KEYS_BUDGET in every function role: a deployment whose exact keys fit it deploys', () => {
    // Here every grant names prefixes: what a role holds besides exact keys, plus the budget, must fit.
    const byRole = inlinePolicies();
    for (const fn of FUNCTIONS)
      expect((byRole.get(roleOf(fn)) ?? 0) + EXACT_KEYS_BUDGET, fn).toBeLessThan(MAX_INLINE_POLICY);
  });

  it('grants each function its kinds of partition by prefix: what each may read, write and delete', () => {
    // Arrange
    const grants = (fn: string) => {
      const statements = Object.values(largeTemplates.stateless.Resources)
        .filter((r) => r.Type === 'AWS::IAM::Policy' && r.Properties.Roles?.some((x) => x.Ref === roleOf(fn)))
        .flatMap((r) => r.Properties.PolicyDocument?.Statement ?? []);
      return statements
        .filter((s) => s.Condition?.['ForAllValues:StringLike'] || s.Condition?.['ForAllValues:StringEquals'])
        .map((s) => ({
          actions: [s.Action].flat().sort().join(' '),
          index: JSON.stringify(s.Resource).includes('/index/'),
          // Exact keys would be under StringEquals: none may be left.
          exact: s.Condition?.['ForAllValues:StringEquals'] !== undefined,
          prefixes: s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'],
        }))
        .filter((g) => !g.prefixes?.includes('DEF#*'));
    };
    const read = 'dynamodb:GetItem dynamodb:Query';

    // Assert
    expect(grants('ingest')).toEqual([
      { actions: read, index: false, exact: false, prefixes: ['IND#*'] },
      {
        actions: 'dynamodb:BatchWriteItem dynamodb:PutItem dynamodb:UpdateItem',
        index: false,
        exact: false,
        prefixes: ['IND#*'],
      },
    ]);
    expect(grants('evaluate')).toEqual([
      { actions: read, index: false, exact: false, prefixes: ['IND#*', 'SCN#*'] },
      { actions: 'dynamodb:PutItem', index: false, exact: false, prefixes: ['SCN#*'] },
    ]);
    expect(grants('notify')).toEqual([
      { actions: read, index: false, exact: false, prefixes: ['SCN#*', 'SIL#*'] },
      { actions: 'dynamodb:PutItem dynamodb:UpdateItem', index: false, exact: false, prefixes: ['SCN#*'] },
      { actions: 'dynamodb:Query', index: true, exact: false, prefixes: ['SCN#*'] },
    ]);
    expect(grants('api')).toEqual([
      { actions: read, index: false, exact: false, prefixes: ['IND#*', 'SCN#*'] },
      { actions: 'dynamodb:PutItem', index: false, exact: false, prefixes: ['IND#*', 'SIL#*'] },
      { actions: 'dynamodb:DeleteItem', index: false, exact: false, prefixes: ['SIL#*'] },
    ]);
    expect(grants('pages')).toEqual([
      { actions: read, index: false, exact: false, prefixes: ['IND#*', 'SCN#*'] },
    ]);
    expect(grants('dispatch')).toEqual([]);
  });

  it('keeps what a cold start of every function loads within the 300 KB bundle budget', () => {
    for (const fn of FUNCTIONS) {
      // Arrange
      const key = functionOf(fn).Properties.Code?.S3Key ?? '';
      const dir = join(large.app.outdir, `asset.${key.replace(/\.zip$/, '')}`);

      // Act
      const bytes = bundleFiles(dir).coldStart.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

      // Assert
      expect(bytes, fn).toBeLessThanOrEqual(300 * 1024);
    }
  });

  it('reports no unacknowledged cdk-nag AwsSolutions finding', () => {
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(large.app);
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });
});
