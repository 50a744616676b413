// The code and its wiring: four functions, their schedules and stream triggers, failure queues, the HTTP API.
import {
  CfnOutput,
  CrossStackReferences,
  Duration,
  ReferenceStrength,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  type HttpMethod,
  HttpStage,
  LogGroupLogDestination,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import {
  type CfnFunction,
  FilterCriteria,
  FilterRule,
  type IFunction,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Schedule, ScheduleExpression, ScheduleTargetInput, TimeWindow } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { openApiDocument } from '../../functions/api/openapi.ts';
import { operations, ROUTE_KEYS } from '../../functions/api/operations.ts';
import { OPENAPI_SNAPSHOT } from '../../functions/api/routes/openapi.ts';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import type { Cadence } from '../../shared/domain/period.ts';
import { STREAM_TRIGGERS, type StreamTrigger } from '../../shared/runtime/stream-triggers.ts';
import { ENTITY_ATTRIBUTE, OPEN_ALERTS_INDEX, partition } from '../../shared/store/table.ts';
import type { StageConfig } from '../config.ts';
import { SignpostFunction } from '../constructs/signpost-function.ts';

/**
 * When ingest polls the indicators of each cadence (UTC). Sources publish with a lag and revise recent
 * periods, so a monthly, quarterly or yearly figure can appear on any day: those are polled daily, not
 * once per period. Daily series are polled every six hours so a new day is seen within a few hours.
 * Ingest writes each period idempotently, so a poll that finds nothing new costs only a few requests.
 */
export const INGEST_SCHEDULES: Record<Cadence, { hour: string; description: string }> = {
  P1D: { hour: '*/6', description: 'every six hours' },
  P1W: { hour: '4', description: 'daily' },
  P1M: { hour: '4', description: 'daily' },
  P3M: { hour: '4', description: 'daily' },
  P1Y: { hour: '4', description: 'daily' },
};

/** Nothing here needs to-the-minute timing; a window lets the scheduler spread invocations out. */
const FLEXIBLE_WINDOW = Duration.minutes(30);

/** The augurs WebAssembly the evaluate function's forecasts load (shared/forecast/wasm.ts). */
export const EVALUATE_WASM = ['@bsull/augurs/ets_bg.wasm', '@bsull/augurs/mstl_bg.wasm'];

/** Request headers a browser may send: SigV4 signing (authorization, x-amz-*), JSON bodies, ETags. */
export const CORS_ALLOW_HEADERS = [
  'authorization',
  'content-type',
  'if-none-match',
  'x-amz-content-sha256',
  'x-amz-date',
  'x-amz-security-token',
];

/** The table actions each function's code performs (shared/store/*), read and write apart. */
export const TABLE_ACCESS = {
  ingest: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'],
  },
  evaluate: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: ['dynamodb:PutItem'] },
  notify: {
    read: ['dynamodb:GetItem', 'dynamodb:Query'],
    write: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
  },
  api: { read: ['dynamodb:GetItem', 'dynamodb:Query'], write: ['dynamodb:PutItem', 'dynamodb:DeleteItem'] },
} as const;

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
  topic: ITopic;
  scenarios: LoadedScenario[];
}

export class StatelessStack extends Stack {
  readonly ingest: SignpostFunction;
  readonly evaluate: SignpostFunction;
  readonly notify: SignpostFunction;
  readonly api: SignpostFunction;
  readonly httpApi: HttpApi;
  readonly apiStage: HttpStage;
  /** Every dead-letter and failure queue: their depth is alarmed on. */
  readonly failureQueues: Queue[] = [];
  private readonly scheduledFunctions = new Set<SignpostFunction>();

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, topic, scenarios } = props;
    const allIndicators = scenarios.flatMap(({ scenario }) => scenario.indicators);
    // Partition keys each function may write (dynamodb:LeadingKeys), as shared/store/table.ts builds them.
    const scenarioPartitions = scenarios.map(({ scenario }) => partition.scenario(scenario.id));
    const indicatorPartitions = (manual: boolean) =>
      allIndicators
        .filter((i) => (i.source.kind === 'manual') === manual)
        .map((i) => partition.indicator(i.id));
    // Export/import: CloudFormation refuses to delete the table stack while these functions use it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);
    const tableEnv = { TABLE_NAME: table.tableName };

    // Failed asynchronous deliveries from the scheduler and failed scheduled invocations land here.
    const scheduleFailures = this.failureQueue(
      'ScheduleFailures',
      'scheduled ingest and evaluate invocations',
    );

    // ingest: fetches each indicator's source and stores new observations.
    this.ingest = new SignpostFunction(this, 'Ingest', {
      name: 'ingest',
      description: 'Fetches indicator sources and stores new observations',
      config,
      timeout: Duration.minutes(2),
      environment: tableEnv,
      scenarios,
    });
    // Observations, revisions, fetch runs and source health: all in the fetched indicators' partitions.
    grantTable(this.ingest, table, TABLE_ACCESS.ingest, indicatorPartitions(false));
    for (const secretId of secretIds(scenarios)) {
      const secret = secretId.startsWith('arn:')
        ? Secret.fromSecretCompleteArn(this, `Secret-${secretId}`, secretId)
        : Secret.fromSecretNameV2(this, `Secret-${secretId}`, secretId);
      secret.grantRead(this.ingest);
    }
    this.ingest.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    for (const [cadence, indicators] of indicatorsByCadence(props.scenarios)) {
      const when = INGEST_SCHEDULES[cadence];
      new Schedule(this, `Ingest${cadence}`, {
        description: `Ingest the ${cadence} indicators ${when.description}`,
        schedule: ScheduleExpression.cron({ minute: '0', hour: when.hour }),
        timeWindow: TimeWindow.flexible(FLEXIBLE_WINDOW),
        target: this.scheduledInvoke(this.ingest, { indicators }, scheduleFailures),
      });
    }

    // evaluate: recomputes a scenario's assessment when one of its indicators has a new observation.
    // Reserved concurrency 1: a scenario is never evaluated by two invocations at once, by design. The
    // stream (one shard poller per shard), the daily schedule and direct invokes all queue behind the one
    // instance; Lambda retries what it throttles (stream: in order, blocking the shard; async: up to six
    // hours), and the use case's optimistic lock on the path state is the second line (docs/operations.md).
    this.evaluate = new SignpostFunction(this, 'Evaluate', {
      name: 'evaluate',
      description: 'Re-evaluates scenarios on new observations and daily for staleness',
      config,
      timeout: Duration.minutes(1),
      reservedConcurrentExecutions: 1,
      environment: tableEnv,
      scenarios,
      wasmFiles: EVALUATE_WASM,
    });
    // Reads observations anywhere; writes assessments, path state, forecasts and alerts (one transaction).
    grantTable(this.evaluate, table, TABLE_ACCESS.evaluate, scenarioPartitions);
    this.evaluate.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    this.evaluate.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: STREAM_TRIGGERS.evaluate.batchSize,
        maxBatchingWindow: Duration.seconds(30),
        retryAttempts: 3,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.failureQueue('EvaluateStreamFailures', 'observation stream records')),
        parallelizationFactor: 1,
        filters: [streamFilter(STREAM_TRIGGERS.evaluate)],
      }),
    );
    // Without new data nothing would trigger evaluate, so a stale indicator would go unnoticed.
    // 07:00 UTC: after the daily ingest window (04:00-04:30), so a fresh poll is not reported stale.
    new Schedule(this, 'EvaluateDaily', {
      description: 'Evaluate every scenario daily so that stale indicators are noticed',
      schedule: ScheduleExpression.cron({ minute: '0', hour: '7' }),
      timeWindow: TimeWindow.flexible(FLEXIBLE_WINDOW),
      target: this.scheduledInvoke(this.evaluate, {}, scheduleFailures),
    });

    // api: the public read API, and the IAM-authorized writes (manual observations, silences).
    this.api = new SignpostFunction(this, 'Api', {
      name: 'api',
      description: 'Serves the HTTP API: public reads, IAM-authorized writes',
      config,
      timeout: Duration.seconds(10),
      environment: {
        ...tableEnv,
        API_READ_ACCESS: config.apiReads,
        // Deployed, API Gateway answers CORS itself and ignores the function's CORS headers; the
        // function's copy keeps its answers (and local mode) consistent with what is configured.
        CORS_ORIGIN: corsOriginForFunction(config.corsOrigins),
      },
      scenarios,
      // Served by GET /v1/openapi.json; generated here so the generator stays out of the bundle.
      files: { [OPENAPI_SNAPSHOT]: JSON.stringify(openApiDocument()) },
    });
    // Writes: manual observations (their indicators' partitions only) and silences (scenario partitions).
    grantTable(this.api, table, TABLE_ACCESS.api, [...indicatorPartitions(true), ...scenarioPartitions]);
    [this.httpApi, this.apiStage] = this.publicApi(config, this.api);

    // notify: publishes each new alert to the topic and records the delivery on the alert item.
    this.notify = new SignpostFunction(this, 'Notify', {
      name: 'notify',
      description: 'Publishes new alerts to the alerts topic',
      config,
      timeout: Duration.seconds(30),
      environment: { ...tableEnv, TOPIC_ARN: topic.topicArn, PUBLIC_API_URL: this.httpApi.apiEndpoint },
      scenarios,
    });
    // Marks alerts sent or suppressed, and stores silence summaries: scenario partitions only.
    grantTable(this.notify, table, TABLE_ACCESS.notify, scenarioPartitions);
    // The sweep and the silence summaries read the open alerts through their sparse index.
    this.notify.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:Query'],
        resources: [`${table.tableArn}/index/${OPEN_ALERTS_INDEX.name}`],
      }),
    );
    // Not topic.grantPublish: for the AWS-managed key it would add a KMS grant on every key (`key/*`,
    // narrowed only by an alias condition), yet that key's own policy already lets any principal of the
    // account use it through SNS. Publishing needs sns:Publish on this topic, nothing more.
    this.notify.addToRolePolicy(
      new PolicyStatement({ actions: ['sns:Publish'], resources: [topic.topicArn] }),
    );
    this.notify.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: STREAM_TRIGGERS.notify.batchSize,
        retryAttempts: 5,
        // The handler reports the first record it could not publish; the stream retries from there.
        reportBatchItemFailures: true,
        bisectBatchOnError: true,
        onFailure: new SqsDlq(this.failureQueue('NotifyStreamFailures', 'alert stream records')),
        parallelizationFactor: 1,
        filters: [streamFilter(STREAM_TRIGGERS.notify)],
      }),
    );
    // The sweep: alerts still pending ten minutes after they were written (their stream records
    // exhausted while SNS failed) are re-delivered; delivery marks each one sent exactly once.
    this.notify.configureAsyncInvoke({ retryAttempts: 2, onFailure: new SqsDestination(scheduleFailures) });
    new Schedule(this, 'NotifySweep', {
      description: 'Re-deliver alerts left pending after their stream records were exhausted',
      schedule: ScheduleExpression.rate(Duration.minutes(15)),
      timeWindow: TimeWindow.flexible(Duration.minutes(5)),
      target: this.scheduledInvoke(this.notify, { sweep: true }, scheduleFailures),
    });

    for (const fn of [this.evaluate, this.notify]) {
      Validations.of(fn.executionRole).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'dynamodb:ListStreams, granted by DynamoEventSource for the stream trigger, does not support ' +
          'resource-level permissions; the stream read actions themselves are scoped to the table stream ARN.',
      });
    }
  }

  /**
   * The HTTP API: every route of functions/api/operations.ts, plus $default, which the handler answers
   * with a 404 problem. Write routes need SigV4 (IAM); reads too when the stage sets `apiReads: iam`.
   */
  private publicApi(config: StageConfig, handler: IFunction): [HttpApi, HttpStage] {
    const integration = new HttpLambdaIntegration('ApiIntegration', handler);
    const iam = new HttpIamAuthorizer();
    const httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `signpost-${config.stage}`,
      description: 'Signpost HTTP API',
      createDefaultStage: false,
      defaultIntegration: integration,
      ...(config.apiReads === 'iam' ? { defaultAuthorizer: iam } : {}),
      corsPreflight: {
        allowOrigins: config.corsOrigins,
        allowMethods: [
          CorsHttpMethod.GET,
          CorsHttpMethod.POST,
          CorsHttpMethod.PUT,
          CorsHttpMethod.DELETE,
          CorsHttpMethod.OPTIONS,
        ],
        allowHeaders: CORS_ALLOW_HEADERS,
        exposeHeaders: ['etag'],
        maxAge: Duration.days(1),
      },
    });
    for (const key of ROUTE_KEYS) {
      const [method = '', path = ''] = key.split(' ');
      const signed = operations[key].access === 'write' || config.apiReads === 'iam';
      httpApi.addRoutes({
        path,
        methods: [method as HttpMethod],
        integration,
        ...(signed ? { authorizer: iam } : {}),
      });
    }
    // Reads are public on purpose (published assessments); every write route is IAM-authorized.
    if (config.apiReads === 'public') {
      Validations.of(httpApi).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The read routes are public by design: they serve published scenario assessments and hold no ' +
          'personal data; every write route uses the IAM authorizer. Abuse is bounded by stage throttling.',
      });
    }

    const accessLogs = new LogGroup(this, 'ApiAccessLogs', {
      retention: config.logRetentionDays as RetentionDays,
      removalPolicy: config.removalPolicy,
    });
    const stage = new HttpStage(this, 'DefaultStage', {
      httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: { burstLimit: config.apiBurstLimit, rateLimit: config.apiRateLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            httpMethod: '$context.httpMethod',
            routeKey: '$context.routeKey',
            path: '$context.path',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    new CfnOutput(this, 'ApiUrl', { value: stage.url, description: 'Base URL of the HTTP API' });
    return [httpApi, stage];
  }

  /** An SSL-only, encrypted queue that keeps failed events for 14 days for inspection and redrive. */
  private failureQueue(id: string, holds: string): Queue {
    const queue = new Queue(this, id, {
      enforceSSL: true,
      encryption: QueueEncryption.SQS_MANAGED,
      retentionPeriod: Duration.days(14),
    });
    this.failureQueues.push(queue);
    Validations.of(queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue is itself the dead-letter destination for failed ${holds}; a further DLQ would add nothing.`,
    });
    return queue;
  }

  private scheduledInvoke(fn: SignpostFunction, input: object, deadLetterQueue: Queue): LambdaInvoke {
    if (!this.scheduledFunctions.has(fn)) {
      this.scheduledFunctions.add(fn);
      // The scheduler's role is created by the target (one per function), so the finding is acknowledged
      // by its exact id: `<function ARN>:*` covers this one function's versions and aliases, nothing else.
      const functionId = this.getLogicalId(fn.node.defaultChild as CfnFunction);
      Validations.of(this).acknowledge({
        id: `AwsSolutions-IAM5[Resource::<${functionId}.Arn>:*]`,
        reason:
          `EventBridge Scheduler may invoke only ${fn.node.id}: LambdaInvoke grants lambda:InvokeFunction on ` +
          'that function ARN and on its qualified ARNs (`:*`: versions and aliases of the same function).',
      });
    }
    return new LambdaInvoke(fn, {
      input: ScheduleTargetInput.fromObject(input),
      retryAttempts: 3,
      maxEventAge: Duration.hours(6),
      deadLetterQueue,
    });
  }
}

/** The distinct cadences across all scenarios, each with the sorted ids of its indicators. */
export function indicatorsByCadence(scenarios: LoadedScenario[]): Map<Cadence, string[]> {
  const byCadence = new Map<Cadence, Set<string>>();
  for (const { scenario } of scenarios) {
    // Manual indicators are posted through the API: there is nothing to fetch on a schedule.
    for (const indicator of scenario.indicators.filter((i) => i.source.kind !== 'manual')) {
      const ids = byCadence.get(indicator.cadence) ?? new Set<string>();
      ids.add(indicator.id);
      byCadence.set(indicator.cadence, ids);
    }
  }
  return new Map(
    [...byCadence].sort(([a], [b]) => a.localeCompare(b)).map(([c, ids]) => [c, [...ids].sort()]),
  );
}

/**
 * Grants exactly `access.read` on the table, and `access.write` only on items whose partition key is
 * one of `partitions` (dynamodb:LeadingKeys; for a transaction, IAM checks each item's own action).
 */
function grantTable(
  fn: SignpostFunction,
  table: ITable,
  access: { read: readonly string[]; write: readonly string[] },
  partitions: string[],
): void {
  // On the table itself: a grant through the table would add every index (`index/*`) too.
  fn.addToRolePolicy(new PolicyStatement({ actions: [...access.read], resources: [table.tableArn] }));
  fn.addToRolePolicy(
    new PolicyStatement({
      actions: [...access.write],
      resources: [table.tableArn],
      conditions: {
        'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [...new Set(partitions)].sort() },
      },
    }),
  );
}

/** The Secrets Manager secrets the scenarios' HTTP sources take header values from. */
export function secretIds(scenarios: LoadedScenario[]): string[] {
  const ids = new Set<string>();
  for (const { scenario } of scenarios) {
    for (const { source } of scenario.indicators) {
      const headers = 'headers' in source ? source.headers : undefined;
      for (const value of Object.values(headers ?? {})) if ('secret' in value) ids.add(value.secret);
    }
  }
  return [...ids].sort();
}

/**
 * The origins the api function allows in its own CORS headers: `*`, or the configured list, of which
 * it echoes the request's origin when listed (as API Gateway does when deployed).
 */
export function corsOriginForFunction(origins: string[]): string {
  return origins.includes('*') ? '*' : origins.join(',');
}

/** The event source filter for a stream trigger: its event names, and items of its entity. */
function streamFilter(trigger: StreamTrigger): Record<string, unknown> {
  return FilterCriteria.filter({
    eventName: FilterRule.or(...trigger.eventNames),
    dynamodb: { NewImage: { [ENTITY_ATTRIBUTE]: { S: FilterRule.isEqual(trigger.entity) } } },
  });
}
