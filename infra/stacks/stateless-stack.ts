// The code and its wiring: five functions, their schedules and stream triggers, failure queues, the HTTP API.
import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import type { StageConfig } from '../config.ts';
import { ApiFunction } from '../constructs/api-function.ts';
import { EvaluateFunction } from '../constructs/evaluate-function.ts';
import { FailureQueue } from '../constructs/failure-queue.ts';
import { SignpostHttpApi } from '../constructs/http-api.ts';
import { IngestFunction } from '../constructs/ingest-function.ts';
import { NotifyFunction } from '../constructs/notify-function.ts';
import { PagesFunction } from '../constructs/pages-function.ts';

export interface StatelessStackProps extends StackProps {
  config: StageConfig;
  table: ITable;
  topic: ITopic;
  scenarios: LoadedScenario[];
}

/**
 * Each construct keeps the id (and the scope: this stack) its resources had when they were all created
 * here: a logical id follows from the construct path, and a changed one would replace the resource on
 * deploy (a failure queue with the events it holds). So the function constructs create their schedules
 * and queues beside themselves, in this stack, as SignpostFunction does its log group and role.
 */
export class StatelessStack extends Stack {
  readonly ingest: IngestFunction;
  readonly evaluate: EvaluateFunction;
  readonly notify: NotifyFunction;
  readonly api: ApiFunction;
  readonly pages: PagesFunction;
  readonly httpApi: SignpostHttpApi;
  readonly apiStage: HttpStage;
  /** Every dead-letter and failure queue: their depth is alarmed on. */
  readonly failureQueues: Queue[];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, topic, scenarios } = props;
    // Export/import: CloudFormation refuses to delete the table stack while these functions use it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    // Failed asynchronous deliveries from the scheduler and failed scheduled invocations land here.
    const scheduleFailures = new FailureQueue(
      this,
      'ScheduleFailures',
      'scheduled ingest and evaluate invocations',
      config,
    );
    this.ingest = new IngestFunction(this, 'Ingest', { config, scenarios, table, scheduleFailures });
    this.evaluate = new EvaluateFunction(this, 'Evaluate', { config, scenarios, table, scheduleFailures });
    this.api = new ApiFunction(this, 'Api', { config, scenarios, table });
    this.pages = new PagesFunction(this, 'Pages', { config, scenarios, table });
    this.httpApi = new SignpostHttpApi(this, 'HttpApi', { config, handler: this.api, pages: this.pages });
    this.apiStage = this.httpApi.stage;
    this.notify = new NotifyFunction(this, 'Notify', {
      config,
      scenarios,
      table,
      topic,
      publicApiUrl: this.httpApi.apiEndpoint,
      // The pages are behind the same API unless the stage names another address for them.
      publicUrl: config.publicUrl ?? this.httpApi.apiEndpoint,
      scheduleFailures,
    });
    this.failureQueues = [scheduleFailures, this.evaluate.streamFailures, this.notify.streamFailures];
  }
}
