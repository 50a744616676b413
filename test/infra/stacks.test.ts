// Synthesizes the dev app once and checks the resources that matter, least privilege and cdk-nag's verdict.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, type AppProps, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../functions/api/openapi.ts';
import { operations, ROUTE_KEYS, type RouteKey } from '../../functions/api/operations.ts';
import { PAGE_ROUTE_KEYS } from '../../functions/pages/routes.ts';
import { buildApp, type SignpostStacks } from '../../infra/build-app.ts';
import { bundleFiles } from '../../infra/bundle-files.ts';
import { readStageConfig, type StageConfig, StageConfigError } from '../../infra/config.ts';
import { EVALUATE_WASM } from '../../infra/constructs/evaluate-function.ts';
import { FailureQueue } from '../../infra/constructs/failure-queue.ts';
import { REPO_ROOT } from '../../infra/constructs/signpost-function.ts';
import { TABLE_ACCESS } from '../../infra/constructs/table-access.ts';
import { FETCH_FAILURES_IN_A_ROW } from '../../infra/stacks/monitoring-stack.ts';
import { StatefulStack } from '../../infra/stacks/stateful-stack.ts';
import { type LoadedScenario, loadScenarios } from '../../shared/config/load-scenarios.ts';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import { OPEN_ALERTS_INDEX, partition, TABLE_DEFINITION } from '../../shared/store/table.ts';

const SYNTH_TIMEOUT_MS = 120_000;
/** The partitions of the published scenarios, which every function may read whatever the id. */
const PUBLISHED: [string, string] = ['DEF#*', 'CAT#*'];
const FUNCTIONS = ['dispatch', 'ingest', 'evaluate', 'notify', 'api', 'pages'] as const;
/** The functions that write to the table (the pages only read). */

let app: App;

/** Each app synthesizes into its own temporary folder, removed after the tests. */
const outdirs: string[] = [];
function testApp(props: AppProps = {}): App {
  const outdir = mkdtempSync(join(tmpdir(), 'signpost-cdk-test-'));
  outdirs.push(outdir);
  return new App({ ...props, outdir });
}
afterAll(() => {
  for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
});
let stacks: SignpostStacks;
let stateful: Template;
let stateless: Template;
let monitoring: Template;
let seedScenarios: LoadedScenario[];

/** A second scenario whose indicators are daily and weekly, plus one id shared with the seed scenario. */
function cadenceProbe(seed: LoadedScenario): LoadedScenario {
  const [first, second, third] = seed.scenario.indicators;
  if (!first || !second || !third) throw new Error('the seed scenario needs three indicators');
  return {
    ...seed,
    file: 'cadence-probe.yaml',
    scenario: {
      ...seed.scenario,
      id: 'cadence-probe',
      indicators: [
        { ...first, id: 'probe-daily', cadence: 'P1D' },
        { ...second, id: 'probe-weekly', cadence: 'P1W' },
        { ...third, cadence: 'P1M' },
      ],
    },
  };
}

beforeAll(async () => {
  const scenarios = await loadScenarios(join(REPO_ROOT, 'scenarios'));
  const seed = scenarios.find((s) => s.scenario.id === 'kupyansk');
  if (!seed) throw new Error('scenarios/kupyansk.yaml is missing');
  app = testApp({ context: { stage: 'dev' } });
  stacks = buildApp(app, readStageConfig(app), [...scenarios, cadenceProbe(seed)]);
  stateful = Template.fromStack(stacks.stateful);
  stateless = Template.fromStack(stacks.stateless);
  monitoring = Template.fromStack(stacks.monitoring);
  seedScenarios = [...scenarios, cadenceProbe(seed)];
}, SYNTH_TIMEOUT_MS);

const logicalId = (template: Template, type: string, props: object): string => {
  const ids = Object.keys(template.findResources(type, { Properties: props }));
  expect(ids).toHaveLength(1);
  return ids[0] as string;
};
const functionId = (name: string) =>
  logicalId(stateless, 'AWS::Lambda::Function', { FunctionName: `signpost-dev-${name}` });

interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}
/** The statements of every inline policy attached to the execution role of function `name`. */
function statementsOf(name: string): Statement[] {
  const fn = stateless.toJSON().Resources[functionId(name)];
  const [roleId] = (fn.Properties.Role as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'];
  const policies = stateless.findResources('AWS::IAM::Policy', { Properties: { Roles: [{ Ref: roleId }] } });
  expect(Object.keys(policies)).toHaveLength(1);
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement as Statement[]);
}
const actionsOf = (statements: Statement[]) => statements.flatMap((s) => [s.Action].flat());
/** A statement that grants Scan of the open-alerts index and nothing else. */
const isOpenAlertsScan = (s: Statement) =>
  [s.Action].flat().join() === 'dynamodb:Scan' &&
  JSON.stringify(s.Resource).endsWith(`"/index/${OPEN_ALERTS_INDEX.name}"]]}`);

describe('stage config', () => {
  it('defaults to dev with 14-day logs, data destroyed with the stack and public reads', () => {
    // Arrange
    const scope = testApp();

    // Act
    const config = readStageConfig(scope);

    // Assert
    expect(config).toEqual({
      stage: 'dev',
      logRetentionDays: 14,
      removalPolicy: RemovalPolicy.DESTROY,
      alertEmails: [],
      alertPhones: [],
      alertScenarios: [],
      opsEmails: [],
      apiReads: 'public',
      corsOrigins: ['*'],
      apiRateLimit: 100,
      apiBurstLimit: 50,
      maxSilenceDays: 31,
    });
  });

  it('keeps prod logs for 90 days, retains its data and reads comma-separated subscribers', () => {
    // Arrange
    const scope = testApp({
      context: {
        stage: 'prod',
        alertEmails: 'ops@example.org, duty@example.org',
        alertPhones: ['+4915112345678'],
      },
    });

    // Act
    const config = readStageConfig(scope);

    // Assert
    expect(config).toMatchObject({
      stage: 'prod',
      logRetentionDays: 90,
      removalPolicy: RemovalPolicy.RETAIN,
      alertEmails: ['ops@example.org', 'duty@example.org'],
      alertPhones: ['+4915112345678'],
    });
  });

  it('reads CORS origins, throttling, log retention and ops emails from the command line strings', () => {
    // Arrange
    const scope = testApp({
      context: {
        corsOrigins: 'https://a.example.org, https://b.example.org:8443',
        apiRateLimit: '20',
        apiBurstLimit: '10',
        maxSilenceDays: '7',
        logRetentionDays: '30',
        opsEmails: 'duty@example.org',
        alertScenarios: 'kupyansk',
        publicUrl: 'https://status.example.org/',
      },
    });

    // Act
    const config = readStageConfig(scope);

    // Assert
    expect(config).toMatchObject({
      publicUrl: 'https://status.example.org',
      corsOrigins: ['https://a.example.org', 'https://b.example.org:8443'],
      apiRateLimit: 20,
      apiBurstLimit: 10,
      maxSilenceDays: 7,
      logRetentionDays: 30,
      opsEmails: ['duty@example.org'],
      alertScenarios: ['kupyansk'],
    });
  });

  it.each([
    [{ stage: 'staging' }, /-c stage: expected one of dev, prod/],
    [{ alertPhones: '0151 1234567' }, /-c alertPhones \(item 0\): expected an E\.164/],
    [{ alertEmails: 'not-an-address' }, /-c alertEmails \(item 0\): expected an email/],
    [{ opsEmails: 'ops' }, /-c opsEmails \(item 0\): expected an email/],
    [{ corsOrigins: 'https://example.org/app' }, /-c corsOrigins \(item 0\): expected an origin/],
    [{ apiRateLimit: 'fast' }, /-c apiRateLimit: expected a whole number/],
    [{ logRetentionDays: '13' }, /-c logRetentionDays: expected a CloudWatch Logs retention/],
    [{ publicUrl: 'status.example.org' }, /-c publicUrl: expected an http\(s\) URL/],
  ])('rejects the context %j, naming the key', (context, message) => {
    // Arrange
    const scope = testApp({ context });

    // Act + Assert
    expect(() => readStageConfig(scope)).toThrow(StageConfigError);
    expect(() => readStageConfig(scope)).toThrow(message);
  });
});

describe('stateful stack', () => {
  it('keys the table as shared/store/table.ts defines it (local mode creates the same), with its TTL and a NEW_IMAGE stream', () => {
    const { KeySchema, AttributeDefinitions, TimeToLiveAttribute, StreamViewType } = TABLE_DEFINITION;
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema,
      AttributeDefinitions,
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      TimeToLiveSpecification: { AttributeName: TimeToLiveAttribute, Enabled: true },
      StreamSpecification: { StreamViewType },
      SSESpecification: { SSEEnabled: true },
    });
  });

  it('indexes the open alerts (a sparse index on openPk, sk) as shared/store/table.ts defines it', () => {
    stateful.hasResourceProperties('AWS::DynamoDB::Table', {
      GlobalSecondaryIndexes: TABLE_DEFINITION.GlobalSecondaryIndexes,
    });
  });

  it('lets notify alone, which sweeps the open alerts, read that index (and no other)', () => {
    const indexResources = (name: string) =>
      statementsOf(name)
        .flatMap((s) => [s.Resource].flat())
        .map((r) => JSON.stringify(r))
        .filter((r) => r.includes('/index/'));
    // Two statements: Query under the scenarios' partitions, Scan alone.
    expect(indexResources('notify')).toEqual([
      expect.stringContaining(`/index/${OPEN_ALERTS_INDEX.name}`),
      expect.stringContaining(`/index/${OPEN_ALERTS_INDEX.name}`),
    ]);
    for (const name of ['dispatch', 'ingest', 'evaluate', 'api']) expect(indexResources(name)).toEqual([]);
  });

  it('encrypts the alerts topic with the AWS-managed SNS key and refuses publishing without TLS', () => {
    stateful.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: Match.objectLike({
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':alias/aws/sns$')])],
      }),
    });
    stateful.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        ]),
      },
    });
  });

  it('outputs the table name and topic ARN', () => {
    stateful.hasOutput('TableName', {});
    stateful.hasOutput('TopicArn', {});
  });

  it('retains the prod table and topic, protects the table from deletion and subscribes the configured people', () => {
    // Arrange
    const prod = testApp();
    const config: StageConfig = {
      stage: 'prod',
      logRetentionDays: 90,
      removalPolicy: RemovalPolicy.RETAIN,
      alertEmails: ['ops@example.org'],
      alertPhones: ['+4915112345678'],
      alertScenarios: [],
      opsEmails: ['duty@example.org'],
      apiReads: 'public',
      corsOrigins: ['*'],
      apiRateLimit: 100,
      apiBurstLimit: 50,
      maxSilenceDays: 31,
    };

    // Act
    const template = Template.fromStack(new StatefulStack(prod, 'Signpost-prod-Stateful', { config }));

    // Assert
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ DeletionProtectionEnabled: true }),
    });
    template.hasResource('AWS::SNS::Topic', { DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'sms', Endpoint: '+4915112345678' });
  });

  it.each([
    [RemovalPolicy.RETAIN as const, 'Retain'],
    [RemovalPolicy.DESTROY as const, 'Delete'],
  ])(
    'keeps a failure queue, with the failed events it holds, as the stage says (%s)',
    (removalPolicy, policy) => {
      // Arrange
      const stack = new Stack(testApp(), 'Queues');

      // Act
      new FailureQueue(stack, 'Failures', 'test events', { removalPolicy });

      // Assert
      Template.fromStack(stack).hasResource('AWS::SQS::Queue', {
        DeletionPolicy: policy,
        UpdateReplacePolicy: policy,
      });
    },
  );
});

describe('stateless stack: functions', () => {
  it.each(FUNCTIONS)(
    'runs %s on Node.js 24, arm64, with source maps, its log group and the scenario folder',
    (name) => {
      stateless.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: `signpost-dev-${name}`,
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        MemorySize: 512,
        Handler: 'index.handler',
        LoggingConfig: { LogFormat: 'JSON', LogGroup: Match.anyValue() },
        Environment: {
          Variables: Match.objectLike({
            NODE_OPTIONS: '--enable-source-maps',
            POWERTOOLS_SERVICE_NAME: `signpost-${name}`,
            SCENARIOS_DIR: '/var/task/scenarios',
            TABLE_NAME: { 'Fn::ImportValue': Match.stringLikeRegexp('Stateful:ExportsOutputRefTable') },
          }),
        },
      });
      stateless.hasResourceProperties('AWS::Logs::LogGroup', {
        LogGroupName: `/aws/lambda/signpost-dev-${name}`,
        RetentionInDays: 14,
      });
    },
  );

  it('gives notify the topic ARN, the public API URL, and the API URL for the pages when the stage names none', () => {
    const apiEndpoint = { 'Fn::GetAtt': [Match.stringLikeRegexp('^HttpApi'), 'ApiEndpoint'] };
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'signpost-dev-notify',
      Environment: {
        Variables: Match.objectLike({
          TOPIC_ARN: { 'Fn::ImportValue': Match.stringLikeRegexp('Stateful:ExportsOutputRefAlerts') },
          PUBLIC_API_URL: apiEndpoint,
          PUBLIC_URL: apiEndpoint,
        }),
      },
    });
  });

  it('signs the api cursors with a key Secrets Manager generates, resolved into its environment at deploy', () => {
    // Arrange
    const secrets = stateless.findResources('AWS::SecretsManager::Secret');
    const [secretId] = Object.keys(secrets);

    // Assert: one generated secret, and the api's CURSOR_KEY is a dynamic reference to it (no key in the template).
    expect(Object.keys(secrets)).toHaveLength(1);
    expect(secrets[secretId as string]?.Properties.GenerateSecretString).toMatchObject({
      PasswordLength: 48,
    });
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'signpost-dev-api',
      Environment: {
        Variables: Match.objectLike({
          CURSOR_KEY: {
            'Fn::Join': ['', Match.arrayWith(['{{resolve:secretsmanager:', { Ref: secretId }])],
          },
        }),
      },
    });
  });

  it('bundles each function as ESM with its source map, the SDK inside and the scenario data beside it', () => {
    // Arrange
    const assets = readdirSync(app.outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((name) => join(app.outdir, name));

    // Act
    const missing = assets.flatMap((dir) =>
      ['index.mjs', 'index.mjs.map', 'scenarios/data/kupyansk/artillery-systems.csv']
        .filter((file) => !existsSync(join(dir, file)))
        .map((file) => `${dir}/${file}`),
    );
    // The scenarios are read from the table (published), not from the bundle.
    const shipped = assets.flatMap((dir) =>
      ['scenarios/kupyansk.yaml', 'scenarios/scenarios.json'].filter((file) => existsSync(join(dir, file))),
    );

    // Assert
    expect(assets).toHaveLength(FUNCTIONS.length);
    expect(missing).toEqual([]);
    expect(shipped).toEqual([]);
  });

  it('attaches no managed policies to any role', () => {
    const roles = Object.values(stateless.findResources('AWS::IAM::Role'));
    expect(roles.length).toBeGreaterThan(0);
    expect(roles.filter((r) => r.Properties.ManagedPolicyArns !== undefined)).toEqual([]);
  });

  it('lets the api function read the table and put or delete single items, nothing more', () => {
    // Act
    const actions = actionsOf(statementsOf('api'));

    // Assert
    expect(actions).toEqual(
      expect.arrayContaining([
        'dynamodb:GetItem',
        'dynamodb:Query',
        'dynamodb:PutItem',
        'dynamodb:DeleteItem',
      ]),
    );
    for (const write of ['UpdateItem', 'BatchWriteItem', 'PartiQLUpdate', 'PartiQLDelete', 'DeleteTable']) {
      expect(actions).not.toContain(`dynamodb:${write}`);
    }
    expect(actions.filter((a) => a.startsWith('sns:'))).toEqual([]);
  });

  it('lets notify publish to the alerts topic only, and no other function publish at all', () => {
    // Act
    const publishing = statementsOf('notify').filter((s) => actionsOf([s]).some((a) => a.startsWith('sns:')));

    // Assert
    expect(publishing).toEqual([
      {
        Effect: 'Allow',
        Action: 'sns:Publish',
        Resource: { 'Fn::ImportValue': expect.stringMatching(/Stateful:ExportsOutputRefAlerts/) },
      },
    ]);
    for (const other of ['ingest', 'evaluate', 'api']) {
      expect(actionsOf(statementsOf(other)).filter((a) => a.startsWith('sns:'))).toEqual([]);
    }
  });

  it('lets dispatch alone send to the work queues, and ingest and evaluate each consume its own', () => {
    // Arrange
    const queues = stateless.findResources('AWS::SQS::Queue');
    const queueId = (prefix: string) =>
      Object.keys(queues).find((id) => new RegExp(`^${prefix}[0-9A-F]{8}$`).test(id));
    const workQueueArns = ['IngestQueue', 'EvaluateQueue'].map((q) => ({
      'Fn::GetAtt': [queueId(q), 'Arn'],
    }));
    const sendsToWork = (name: string) =>
      statementsOf(name).filter(
        (s) =>
          actionsOf([s]).some((a) => a.startsWith('sqs:Send')) &&
          workQueueArns.some((arn) => JSON.stringify([s.Resource].flat()).includes(JSON.stringify(arn))),
      );

    // Assert
    expect(sendsToWork('dispatch')).toEqual(
      workQueueArns.map((Resource) => ({ Effect: 'Allow', Action: 'sqs:SendMessage', Resource })),
    );
    for (const other of ['ingest', 'evaluate', 'notify', 'api', 'pages'])
      expect(sendsToWork(other)).toEqual([]);
    for (const [name, prefix] of [
      ['ingest', 'IngestQueue'],
      ['evaluate', 'EvaluateQueue'],
    ] as const) {
      stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: functionId(name) },
        EventSourceArn: { 'Fn::GetAtt': [queueId(prefix), 'Arn'] },
        BatchSize: QUEUE_TRIGGERS[name].batchSize,
        ScalingConfig: { MaximumConcurrency: QUEUE_TRIGGERS[name].maxConcurrency },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
    }
  });

  it('evaluates on a FIFO queue in high-throughput mode, with no reserved concurrency', () => {
    stateless.hasResourceProperties('AWS::SQS::Queue', {
      FifoQueue: true,
      DeduplicationScope: 'messageGroup',
      FifoThroughputLimit: 'perMessageGroupId',
      RedrivePolicy: {
        maxReceiveCount: QUEUE_TRIGGERS.evaluate.maxReceiveCount,
        deadLetterTargetArn: Match.anyValue(),
      },
    });
    const evaluate = stateless.toJSON().Resources[functionId('evaluate')];
    expect(evaluate.Properties.ReservedConcurrentExecutions).toBeUndefined();
    const dispatch = stateless.toJSON().Resources[functionId('dispatch')];
    expect(dispatch.Properties.Environment.Variables.EVALUATE_QUEUE_URL).toEqual({
      Ref: expect.stringMatching(/^EvaluateQueue/),
    });
  });
});

describe('stateless stack: triggers', () => {
  it('schedules the dispatch of ingest by cadence only, daily ones every six hours and the rest daily', () => {
    // Arrange
    const dispatch = { Arn: { 'Fn::GetAtt': [functionId('dispatch'), 'Arn'] } };
    const expected = [
      { hour: '*/6', cadences: ['P1D'] },
      { hour: '4', cadences: ['P1W', 'P1M', 'P3M', 'P1Y'] },
    ];

    // Assert: the inputs name no indicator, so the template does not grow with the scenarios.
    stateless.resourcePropertiesCountIs(
      'AWS::Scheduler::Schedule',
      { Description: Match.stringLikeRegexp('^Ingest'), Target: Match.objectLike(dispatch) },
      expected.length,
    );
    for (const { hour, cadences } of expected) {
      stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: `cron(0 ${hour} * * ? *)`,
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: Match.anyValue() },
        Target: Match.objectLike({
          ...dispatch,
          Input: Match.serializedJson({ dispatch: 'ingest', cadences }),
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      });
    }
  });

  it('sweeps pending alerts every 15 minutes through the notify function', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(15 minutes)',
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId('notify'), 'Arn'] },
        Input: Match.serializedJson({ sweep: true }),
        DeadLetterConfig: { Arn: Match.anyValue() },
      }),
    });
  });

  it('enqueues every scenario daily so that stale indicators are noticed', () => {
    stateless.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: Match.stringLikeRegexp('^cron\\('),
      FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: Match.anyValue() },
      Target: Match.objectLike({
        Arn: { 'Fn::GetAtt': [functionId('dispatch'), 'Arn'] },
        Input: Match.serializedJson({ dispatch: 'evaluate' }),
      }),
    });
  });

  it('feeds dispatch new and changed observations from the stream, failures to a queue', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('dispatch') },
      EventSourceArn: { 'Fn::ImportValue': Match.stringLikeRegexp('StreamArn') },
      StartingPosition: 'LATEST',
      BatchSize: 100,
      MaximumBatchingWindowInSeconds: 30,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: Match.anyValue(),
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: Match.serializedJson({
              eventName: ['INSERT', 'MODIFY'],
              dynamodb: { NewImage: { entity: { S: ['observation'] } } },
            }),
          },
        ],
      },
    });
  });

  it('feeds notify only inserted alerts from the stream, failures to a queue', () => {
    stateless.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: functionId('notify') },
      StartingPosition: 'LATEST',
      BisectBatchOnFunctionError: true,
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.anyValue(), 'Arn'] } } },
      FilterCriteria: {
        Filters: [
          {
            Pattern: Match.serializedJson({
              eventName: ['INSERT'],
              dynamodb: { NewImage: { entity: { S: ['alert'] } } },
            }),
          },
        ],
      },
    });
  });

  it('keeps work and failed events in encrypted queues that refuse connections without TLS', () => {
    // Three failure queues, and the two work queues with a dead-letter queue each.
    const queues = stateless.findResources('AWS::SQS::Queue');
    expect(Object.keys(queues)).toHaveLength(7);
    for (const queue of Object.values(queues)) expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
    stateless.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      },
      7,
    );
  });
});

describe('stateless stack: HTTP API', () => {
  it('routes every operation and everything else to the api function, the pages to the pages function', () => {
    // Arrange: each route's integration, by route key.
    const integrations = stateless.findResources('AWS::ApiGatewayV2::Integration');
    const targetOf = (routeKey: string) => {
      const route = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).find(
        (r) => r.Properties.RouteKey === routeKey,
      );
      const id = String(route?.Properties.Target?.['Fn::Join']?.[1]?.[1]?.Ref ?? '');
      return integrations[id]?.Properties.IntegrationUri?.['Fn::GetAtt']?.[0];
    };

    // Assert
    for (const routeKey of [...ROUTE_KEYS, '$default'])
      expect(targetOf(routeKey), routeKey).toBe(functionId('api'));
    for (const routeKey of PAGE_ROUTE_KEYS) expect(targetOf(routeKey), routeKey).toBe(functionId('pages'));
    stateless.resourceCountIs('AWS::ApiGatewayV2::Route', ROUTE_KEYS.length + PAGE_ROUTE_KEYS.length + 1);
  });

  it('requires IAM (SigV4) on every write route and leaves the reads public by default', () => {
    const routes = Object.values(stateless.findResources('AWS::ApiGatewayV2::Route')).map((r) => ({
      key: r.Properties.RouteKey as string,
      auth: r.Properties.AuthorizationType as string | undefined,
    }));
    const writes = ROUTE_KEYS.filter((k) => operations[k].access === 'write');

    expect(writes).toHaveLength(3);
    for (const route of routes) {
      expect(route.auth ?? 'NONE', route.key).toBe(
        writes.includes(route.key as RouteKey) ? 'AWS_IAM' : 'NONE',
      );
    }
  });

  it(
    'requires IAM on the reads too when the stage sets apiReads=iam, and links alerts to its publicUrl',
    async () => {
      // Arrange
      const internal = testApp({
        context: { stage: 'dev', apiReads: 'iam', publicUrl: 'https://status.example.org' },
      });
      const scenarios = await loadScenarios(join(REPO_ROOT, 'scenarios'));
      const built = buildApp(internal, readStageConfig(internal), scenarios);

      // Act
      const template = Template.fromStack(built.stateless);

      // Assert
      const auth = Object.values(template.findResources('AWS::ApiGatewayV2::Route')).map(
        (r) => r.Properties.AuthorizationType,
      );
      expect(auth).toHaveLength(ROUTE_KEYS.length + PAGE_ROUTE_KEYS.length + 1);
      expect(new Set(auth)).toEqual(new Set(['AWS_IAM']));
      for (const name of ['api', 'pages'])
        template.hasResourceProperties('AWS::Lambda::Function', {
          FunctionName: `signpost-dev-${name}`,
          Environment: { Variables: Match.objectLike({ API_READ_ACCESS: 'iam' }) },
        });
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'signpost-dev-notify',
        Environment: { Variables: Match.objectLike({ PUBLIC_URL: 'https://status.example.org' }) },
      });
    },
    SYNTH_TIMEOUT_MS,
  );

  it('answers CORS preflights for the configured origins, every method and the SigV4 headers', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: {
        AllowOrigins: ['*'],
        AllowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
        AllowHeaders: Match.arrayWith(['authorization', 'content-type', 'if-none-match', 'x-amz-date']),
        ExposeHeaders: ['etag'],
        MaxAge: 86400,
      },
    });
  });

  it(
    'takes the CORS origins and throttling from the stage and gives the api function the same origin',
    async () => {
      // Arrange
      const configured = testApp({
        context: { corsOrigins: 'https://signpost.example.org', apiRateLimit: 20, apiBurstLimit: 5 },
      });
      const scenarios = await loadScenarios(join(REPO_ROOT, 'scenarios'));

      // Act
      const template = Template.fromStack(
        buildApp(configured, readStageConfig(configured), scenarios).stateless,
      );

      // Assert
      template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
        CorsConfiguration: Match.objectLike({ AllowOrigins: ['https://signpost.example.org'] }),
      });
      template.hasResourceProperties('AWS::Lambda::Function', {
        FunctionName: 'signpost-dev-api',
        Environment: { Variables: Match.objectLike({ CORS_ORIGIN: 'https://signpost.example.org' }) },
      });
      template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        DefaultRouteSettings: { ThrottlingBurstLimit: 5, ThrottlingRateLimit: 20 },
      });
    },
    SYNTH_TIMEOUT_MS,
  );

  it('throttles the default stage and writes JSON access logs', () => {
    stateless.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingBurstLimit: 50, ThrottlingRateLimit: 100 },
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ApiAccessLogs'), 'Arn'] },
        Format: Match.serializedJson(Match.objectLike({ requestId: '$context.requestId' })),
      },
    });
  });

  it('outputs the API URL', () => {
    stateless.hasOutput('ApiUrl', {});
  });
});

describe('least privilege on the table', () => {
  type Conditioned = Statement & { Condition?: Record<string, Record<string, string[]>> };
  type Fn = keyof typeof TABLE_ACCESS;
  /** The function's statements of table actions on the table itself (not the index): actions, partitions. */
  function tableGrants(name: Fn): { actions: string[]; partitions: string[] }[] {
    const { read, write, remove } = TABLE_ACCESS[name];
    const tableActions = new Set<string>([...read, ...write, ...remove]);
    return (statementsOf(name) as Conditioned[])
      .filter((s) => [s.Action].flat().some((a) => tableActions.has(a as string)))
      .filter((s) => !JSON.stringify(s.Resource).includes('/index/'))
      .map((s) => ({
        actions: [s.Action ?? []].flat().sort() as string[],
        partitions:
          s.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'] ??
          s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'] ??
          [],
      }));
  }
  /** The partitions a function may perform `kind` (read, write or remove) on: its one statement of them. */
  function partitionsOf(name: Fn, kind: 'read' | 'write' | 'remove'): string[] {
    const grants = tableGrants(name).filter(
      (g) =>
        g.actions.join() === [...TABLE_ACCESS[name][kind]].sort().join() &&
        !g.partitions.includes(PUBLISHED[0]),
    );
    expect(grants).toHaveLength(1);
    return grants[0]?.partitions ?? [];
  }
  const indicatorIds = (manual: boolean) =>
    seedScenarios
      .flatMap(({ scenario }) => scenario.indicators)
      .filter((i) => (i.source.kind === 'manual') === manual)
      .map((i) => `IND#${i.id}`)
      .filter((id, i, all) => all.indexOf(id) === i)
      .sort();
  const scenarioIds = (prefix = 'SCN#') =>
    seedScenarios.map(({ scenario }) => `${prefix}${scenario.id}`).sort();

  it.each(FUNCTIONS)(
    'grants %s exactly its table actions, every one of them under a partition condition (Scan: only notify, below)',
    (name) => {
      // Act
      const dynamo = actionsOf(statementsOf(name).filter((s) => !isOpenAlertsScan(s))).filter((a) =>
        a.startsWith('dynamodb:'),
      );
      const streamReads = ['DescribeStream', 'GetRecords', 'GetShardIterator', 'ListStreams'].map(
        (a) => `dynamodb:${a}`,
      );

      // Assert
      const { read, write, remove } = TABLE_ACCESS[name];
      expect(new Set(dynamo.filter((a) => !streamReads.includes(a)))).toEqual(
        new Set([...read, ...write, ...remove]),
      );
      expect(tableGrants(name).every((g) => g.partitions.length > 0)).toBe(true);
      expect(dynamo).not.toContain('dynamodb:Scan');
    },
  );

  it('grants the pages function reads of the partitions it shows, and no write at all', () => {
    // Act
    const dynamo = actionsOf(statementsOf('pages')).filter((a) => a.startsWith('dynamodb:'));

    // Assert
    expect([...new Set(dynamo)].sort()).toEqual([...TABLE_ACCESS.pages.read].sort());
    expect(TABLE_ACCESS.pages.write).toEqual([]);
    expect(partitionsOf('pages', 'read')).toEqual(
      [...indicatorIds(false), ...indicatorIds(true), ...scenarioIds()].sort(),
    );
  });

  it('lets ingest read and write only the partitions of the indicators it fetches', () => {
    expect(partitionsOf('ingest', 'write')).toEqual(indicatorIds(false));
    expect(partitionsOf('ingest', 'read')).toEqual(indicatorIds(false));
  });

  it('lets evaluate and notify write only scenario partitions; evaluate reads their indicators', () => {
    expect(partitionsOf('evaluate', 'write')).toEqual(scenarioIds());
    expect(partitionsOf('notify', 'write')).toEqual(scenarioIds());
    expect(partitionsOf('evaluate', 'read')).toEqual(
      [...indicatorIds(false), ...indicatorIds(true), ...scenarioIds()].sort(),
    );
    expect(partitionsOf('notify', 'read')).toEqual([...scenarioIds(), ...scenarioIds('SIL#')].sort());
  });

  it('lets the api write manual indicators and silences only, and delete silences only: never a path state or an alert', () => {
    const partitions = partitionsOf('api', 'write');
    expect(partitions).toEqual([...indicatorIds(true), ...scenarioIds('SIL#')].sort());
    for (const kept of [...indicatorIds(false), ...scenarioIds()]) expect(partitions).not.toContain(kept);
    expect(partitionsOf('api', 'remove')).toEqual(scenarioIds('SIL#'));
    expect(TABLE_ACCESS.api.write).not.toContain('dynamodb:DeleteItem');
    expect(partitionsOf('api', 'read')).toEqual(
      [...indicatorIds(false), ...indicatorIds(true), ...scenarioIds()].sort(),
    );
  });

  it("limits notify's queries of the open-alerts index to the scenarios' partitions, and its one Scan to that index", () => {
    const scans = FUNCTIONS.flatMap((name) =>
      statementsOf(name)
        .filter((s) => actionsOf([s]).includes('dynamodb:Scan'))
        .map((s) => ({ name, only: isOpenAlertsScan(s) })),
    );
    expect(scans).toEqual([{ name: 'notify', only: true }]);
    const index = (statementsOf('notify') as Conditioned[]).filter(
      (s) => JSON.stringify(s.Resource).includes('/index/') && !isOpenAlertsScan(s),
    );
    expect(index.map((s) => s.Condition?.['ForAllValues:StringEquals']?.['dynamodb:LeadingKeys'])).toEqual([
      scenarioIds(),
    ]);
  });

  it('lets every function read the published scenarios of any id, and nothing else by prefix', () => {
    for (const name of FUNCTIONS) {
      const published = tableGrants(name).filter((g) => g.partitions.includes(PUBLISHED[0]));
      expect(published, name).toEqual([
        { actions: ['dynamodb:GetItem', 'dynamodb:Query'], partitions: PUBLISHED },
      ]);
    }
  });

  it('keys every item in a partition the IAM conditions know: indicator, scenario, silences or published scenarios', () => {
    // Arrange: a new partition prefix must come with a new IAM condition. A key's pk can only be one of
    // shared/store/table.ts's partitions (the Key type), so these builders are all there is to check.
    const builders = Object.entries(partition);

    // Act
    const prefixes = builders.map(([name, build]) => [name, build('x').replace(/x$/, '')]);

    // Assert
    for (const [name, prefix] of prefixes)
      expect(['IND#', 'SCN#', 'SIL#', 'DEF#', 'CAT#'], `partition.${name}`).toContain(prefix);
  });
});

describe('bundles', () => {
  const assetOf = (name: string): string => {
    const fn = stateless.toJSON().Resources[functionId(name)];
    return join(app.outdir, `asset.${String(fn.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  };

  it('puts the augurs WebAssembly beside the evaluate handler and points AUGURS_WASM_DIR at it', () => {
    for (const file of EVALUATE_WASM) {
      expect(existsSync(join(assetOf('evaluate'), file.split('/').pop() as string)), file).toBe(true);
    }
    stateless.hasResourceProperties('AWS::Lambda::Function', {
      FunctionName: 'signpost-dev-evaluate',
      Environment: { Variables: Match.objectLike({ AUGURS_WASM_DIR: '/var/task' }) },
    });
  });

  it.each(['dispatch', 'ingest', 'notify', 'api', 'pages'])(
    'keeps augurs and its WebAssembly out of the %s bundle',
    (name) => {
      const dir = assetOf(name);
      expect(readdirSync(dir).filter((f) => f.endsWith('.wasm'))).toEqual([]);
      expect(readFileSync(join(dir, 'index.mjs.map'), 'utf8')).not.toContain('@bsull/augurs');
    },
  );

  it.each(FUNCTIONS)('bundles %s without the YAML parser or the SDK credential chain', (name) => {
    const sources = JSON.parse(readFileSync(join(assetOf(name), 'index.mjs.map'), 'utf8'))
      .sources as string[];
    expect(
      sources.filter((s) =>
        /node_modules\/(yaml|@aws-sdk\/(credential-provider-(node|ini|sso)|nested-clients))\//.test(s),
      ),
    ).toEqual([]);
  });
  it.each(FUNCTIONS)('bundles %s with zod/mini only: no classic zod, no OpenAPI generator', (name) => {
    const sources = JSON.parse(readFileSync(join(assetOf(name), 'index.mjs.map'), 'utf8'))
      .sources as string[];
    expect(sources.some((s) => s.endsWith('node_modules/zod/v4/mini/schemas.js'))).toBe(true);
    expect(sources.filter((s) => /node_modules\/(zod\/v4\/classic|zod-openapi)\//.test(s))).toEqual([]);
    expect(sources.filter((s) => /functions\/api\/(openapi|responses)\.ts$/.test(s))).toEqual([]);
  });

  it.each(FUNCTIONS)('keeps what a cold start of %s loads within the 300 KB bundle budget', (name) => {
    // Arrange: index.mjs and the chunks it imports statically (chunks loaded on first use do not count).
    const dir = assetOf(name);

    // Act
    const bytes = bundleFiles(dir).coldStart.reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);

    // Assert
    expect(bytes).toBeLessThanOrEqual(300 * 1024);
  });

  it("keeps ingest's CSV and feed parsers, polygon clipping and the Secrets Manager client out of what a cold start loads", () => {
    // Arrange: the files index.mjs imports statically, transitively (what Node loads at cold start).
    const dir = assetOf('ingest');
    const { coldStart, onUse: lazy } = bundleFiles(dir);
    const sourcesOf = (files: string[]) =>
      files.flatMap((f) => JSON.parse(readFileSync(join(dir, `${f}.map`), 'utf8')).sources as string[]);
    const parsers =
      /node_modules\/(csv-parse|fast-xml-parser|polyclip-ts|@aws-sdk\/client-secrets-manager)\//;

    // Assert: not loaded at cold start, but shipped as chunks the readers import on first use.
    expect(sourcesOf(coldStart).filter((s) => parsers.test(s))).toEqual([]);
    expect([...new Set(sourcesOf(lazy).map((s) => s.match(parsers)?.[1]))].filter(Boolean).sort()).toEqual([
      '@aws-sdk/client-secrets-manager',
      'csv-parse',
      'fast-xml-parser',
      'polyclip-ts',
    ]);
  });

  it('ships the api the OpenAPI document generated at synth, equal to what the source generates', () => {
    // Act
    const shipped = JSON.parse(readFileSync(join(assetOf('api'), 'openapi.json'), 'utf8'));

    // Assert
    expect(shipped).toEqual(openApiDocument());
  });
});

describe('alerts and ops topics', () => {
  it('encrypts the ops topic with a rotated customer key that CloudWatch alarms may use', () => {
    const [keyId] = Object.keys(stateful.findResources('AWS::KMS::Key'));
    stateful.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          }),
        ]),
      },
    });
    stateful.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Signpost dev ops',
      KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
    });
  });

  it('sends SMS only for path changes, email for every kind, both limited to alertScenarios when set', () => {
    // Arrange
    const context = {
      alertEmails: 'ops@example.org',
      alertPhones: '+4915112345678',
      alertScenarios: 'kupyansk',
      opsEmails: 'duty@example.org',
    };
    const scoped = testApp({ context });

    // Act
    const template = Template.fromStack(
      new StatefulStack(scoped, 'Scoped', { config: readStageConfig(scoped) }),
    );

    // Assert
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sms',
      FilterPolicy: { scenario: ['kupyansk'], kind: ['path-shift', 'reverted'] },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.org',
      FilterPolicy: { scenario: ['kupyansk'] },
    });
    const [opsTopic] = Object.keys(
      template.findResources('AWS::SNS::Topic', {
        Properties: { DisplayName: Match.stringLikeRegexp('ops$') },
      }),
    );
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'duty@example.org',
      TopicArn: { Ref: opsTopic },
    });
  });
});

describe('monitoring stack', () => {
  const alarmsOn = (metricName: string) =>
    Object.values(
      monitoring.findResources('AWS::CloudWatch::Alarm', { Properties: { MetricName: metricName } }),
    );

  it('alarms on errors and throttles of every function, to the ops topic, and back when OK', () => {
    for (const metric of ['Errors', 'Throttles']) {
      const alarms = alarmsOn(metric);
      expect(alarms).toHaveLength(FUNCTIONS.length);
      for (const alarm of alarms) {
        expect(alarm.Properties.Namespace).toBe('AWS/Lambda');
        expect(alarm.Properties.AlarmActions).toEqual([
          { 'Fn::ImportValue': expect.stringMatching(/Stateful:ExportsOutputRefOps/) },
        ]);
        expect(alarm.Properties.OKActions).toEqual(alarm.Properties.AlarmActions);
      }
    }
  });

  it('alarms on the depth of every failure queue and on the backlog of each work queue', () => {
    const queues = Object.values(stateless.findResources('AWS::SQS::Queue'));
    const deadLetters = queues.filter((q) => q.Properties.RedrivePolicy === undefined);
    expect(alarmsOn('ApproximateNumberOfMessagesVisible')).toHaveLength(deadLetters.length);
    expect(
      alarmsOn('ApproximateAgeOfOldestMessage')
        .map((a) => a.Properties.Threshold)
        .sort((a, b) => a - b),
    ).toEqual([15 * 60, 45 * 60]);
  });

  /** The alarm on a state a function reports per scenario or indicator: one, over every id, held without data. */
  function expectStateAlarm(name: string, metric: string, fn: string, threshold = 1) {
    const alarms = alarmsOn(metric);
    expect(alarms).toHaveLength(1);
    // On the series without the id (the highest any id reported in the hour); fires on one breaching
    // hour in the last three and recovers after three clean ones; no report keeps the state.
    expect(alarms[0]?.Properties).toMatchObject({
      AlarmName: `signpost-dev-${name}`,
      Namespace: 'Signpost',
      Dimensions: [{ Name: 'service', Value: `signpost-${fn}` }],
      Statistic: 'Maximum',
      Period: 3600,
      Threshold: threshold,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 1,
      TreatMissingData: 'ignore',
    });
  }
  const perScenario = (metric: string) =>
    `SELECT MAX(${metric}) FROM SCHEMA("Signpost", scenario, service) WHERE service = 'signpost-evaluate'`;

  it("alarms on stale indicators and failed publishes from the functions' own metrics", () => {
    expectStateAlarm('stale-indicators', 'StaleIndicators', 'evaluate');
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'Signpost',
      MetricName: 'PublishFailures',
      Dimensions: [{ Name: 'service', Value: 'signpost-notify' }],
      Statistic: 'Sum',
    });
  });

  it('alarms once on a failed evaluation of any scenario, held until a scenario is evaluated again', () => {
    expectStateAlarm('evaluation-failures', 'EvaluationFailures', 'evaluate');
  });

  it('alarms once when the source of any fetched indicator fails on three ingest runs in a row', () => {
    expectStateAlarm('fetch-failures', 'ConsecutiveFetchFailures', 'ingest', FETCH_FAILURES_IN_A_ROW);
  });

  it('keeps one alarm per kind whatever the number of scenarios and indicators: no alarm names an id', () => {
    // Arrange
    const ids = seedScenarios.flatMap(({ scenario }) => [
      scenario.id,
      ...scenario.indicators.map((i) => i.id),
    ]);

    // Act
    const names = Object.values(monitoring.findResources('AWS::CloudWatch::Alarm')).map(
      (a) => a.Properties.AlarmName as string,
    );

    // Assert
    for (const id of new Set(ids))
      expect(
        names.filter((n) => n.endsWith(`-${id}`)),
        id,
      ).toEqual([]);
  });

  it('names the ids behind each state alarm on the dashboard: the ten highest series by id', () => {
    // Arrange: the body is a Fn::Join of JSON around the region and imported names.
    const [dashboard] = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard'));
    const parts = dashboard?.Properties.DashboardBody['Fn::Join'][1] as unknown[];
    const body = JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'token')).join(''));

    // Act
    const expressions = (body.widgets as { properties: { metrics?: unknown[][] } }[])
      .flatMap((w) => w.properties.metrics ?? [])
      .flat()
      .flatMap((m) => (typeof m === 'object' && m !== null && 'expression' in m ? [m.expression] : []));

    // Assert
    expect(expressions).toEqual([
      `${perScenario('StaleIndicators')} GROUP BY scenario ORDER BY MAX() DESC LIMIT 10`,
      `${perScenario('EvaluationFailures')} GROUP BY scenario ORDER BY MAX() DESC LIMIT 10`,
      `SELECT MAX(ConsecutiveFetchFailures) FROM SCHEMA("Signpost", indicator, service) WHERE service = 'signpost-ingest' GROUP BY indicator ORDER BY MAX() DESC LIMIT 10`,
    ]);
  });

  it('alarms on the 5xx answers of the HTTP API, which the function handles and its Errors never count', () => {
    monitoring.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'signpost-dev-api-5xx',
      Namespace: 'AWS/ApiGateway',
      MetricName: '5xx',
      Statistic: 'Sum',
      Threshold: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('holds the failed-publishes and notify-errors alarms across the 15-minute sweep instead of flapping', () => {
    const notifyErrors = alarmsOn('Errors').filter((a) =>
      String(a.Properties.AlarmName).endsWith('-notify-errors'),
    );
    for (const alarm of [...alarmsOn('PublishFailures'), ...notifyErrors]) {
      // Fires on one failing 5-minute period, recovers after 20 minutes without one (more than a sweep).
      expect(alarm.Properties).toMatchObject({
        Period: 300,
        EvaluationPeriods: 4,
        DatapointsToAlarm: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.Properties.Period * alarm.Properties.EvaluationPeriods).toBeGreaterThan(15 * 60);
    }
    expect(notifyErrors).toHaveLength(1);
  });

  it('treats no data as nothing failed on the event-count alarms, which recover after a clean 5 minutes', () => {
    const eventAlarms = [...alarmsOn('Errors'), ...alarmsOn('ApproximateNumberOfMessagesVisible')].filter(
      (a) => !String(a.Properties.AlarmName).endsWith('-notify-errors'),
    );
    expect(eventAlarms.length).toBeGreaterThan(0);
    for (const alarm of eventAlarms)
      expect(alarm.Properties).toMatchObject({ EvaluationPeriods: 1, TreatMissingData: 'notBreaching' });
  });

  it('draws the pipeline on one dashboard: ingest, evaluations, alerts, API and DLQ depth', () => {
    const [dashboard] = Object.values(monitoring.findResources('AWS::CloudWatch::Dashboard'));
    const body = JSON.stringify(dashboard?.Properties.DashboardBody);
    for (const metric of [
      'ObservationsWritten',
      'ObservationsRejected',
      'Evaluations',
      'AlertsSent',
      '4xx',
      '5xx',
      'Latency',
      'ApproximateNumberOfMessagesVisible',
    ]) {
      expect(body, metric).toContain(metric);
    }
  });
});

describe('cdk-nag and CDK checks', () => {
  it('reports no unacknowledged AwsSolutions errors or warnings', () => {
    // Act
    const report = new AwsSolutionsChecks(undefined, { verbose: true }).validateScope(app);

    // Assert
    const findings = report.violations.map(
      (v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`,
    );
    expect(findings).toEqual([]);
  });

  it('synthesizes the three stacks without CDK warnings or errors', () => {
    for (const stack of [stacks.stateful, stacks.stateless, stacks.monitoring]) {
      const annotations = Annotations.fromStack(stack);
      const problems = [
        ...annotations.findError('*', Match.anyValue()),
        ...annotations.findWarning('*', Match.anyValue()),
      ].map((m) => `${m.id}: ${JSON.stringify(m.entry.data)}`);
      expect(problems).toEqual([]);
    }
  });

  it('acknowledges only known findings, each with a reason a reviewer can read', () => {
    // Arrange
    const allowed = [
      /^AwsSolutions-IAM5\[Resource::\*\]$/, // dynamodb:ListStreams for stream triggers
      /^AwsSolutions-IAM5\[Resource::<\w+\.Arn>:\*\]$/, // scheduler invoking one function's versions
      /^AwsSolutions-APIG4$/, // public read routes (writes are IAM-authorized)
      /^AwsSolutions-SQS3$/, // failure queues are DLQs themselves
      /^AwsSolutions-SMG4$/, // the cursor key: a new one only invalidates open cursors
    ];

    // Act
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, string>))
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), reason }));

    // Assert
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const { id, reason } of acknowledgements) {
      expect(
        allowed.some((pattern) => pattern.test(id)),
        `unexpected acknowledgement ${id}`,
      ).toBe(true);
      expect(reason.trim().length, `reason for ${id}`).toBeGreaterThanOrEqual(40);
    }
  });
});
