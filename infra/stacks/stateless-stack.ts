// The code and its wiring: six functions, their schedules, stream triggers and work queues, failure
// queues, the HTTP API.
import { CrossStackReferences, ReferenceStrength, Stack, type StackProps } from 'aws-cdk-lib';
import type { HttpStage } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { LoadedScenario } from '../../shared/config/load-scenarios.ts';
import type { StageConfig } from '../config.ts';
import { ApiFunction } from '../constructs/api-function.ts';
import { DispatchFunction } from '../constructs/dispatch-function.ts';
import { EvaluateFunction } from '../constructs/evaluate-function.ts';
import { FailureQueue } from '../constructs/failure-queue.ts';
import { SignpostHttpApi } from '../constructs/http-api.ts';
import { IngestFunction } from '../constructs/ingest-function.ts';
import { NotifyFunction } from '../constructs/notify-function.ts';
import { PagesFunction } from '../constructs/pages-function.ts';
import type { WorkQueue } from '../constructs/work-queue.ts';

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
  readonly dispatch: DispatchFunction;
  readonly ingest: IngestFunction;
  readonly evaluate: EvaluateFunction;
  readonly notify: NotifyFunction;
  readonly api: ApiFunction;
  readonly pages: PagesFunction;
  readonly httpApi: SignpostHttpApi;
  readonly apiStage: HttpStage;
  /** Every dead-letter and failure queue: their depth is alarmed on. */
  readonly failureQueues: Queue[];
  /** The queues of work the functions take: the age of their oldest message is alarmed on. */
  readonly workQueues: WorkQueue[];

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const { config, table, topic, scenarios } = props;
    // Export/import: CloudFormation refuses to delete the table stack while these functions use it.
    CrossStackReferences.of(this).consume(ReferenceStrength.STRONG);

    // Failed asynchronous deliveries from the scheduler and failed scheduled invocations land here.
    const scheduleFailures = new FailureQueue(
      this,
      'ScheduleFailures',
      'scheduled dispatch, evaluate and notify invocations',
      config,
    );
    this.ingest = new IngestFunction(this, 'Ingest', { config, scenarios, table });
    this.evaluate = new EvaluateFunction(this, 'Evaluate', { config, scenarios, table, scheduleFailures });
    this.dispatch = new DispatchFunction(this, 'Dispatch', {
      config,
      scenarios,
      table,
      scheduleFailures,
      ingestQueue: this.ingest.queue,
      evaluateQueue: this.evaluate.queue,
    });
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
    this.failureQueues = [
      scheduleFailures,
      this.dispatch.streamFailures,
      this.notify.streamFailures,
      this.ingest.queue.deadLetters,
      this.evaluate.queue.deadLetters,
    ];
    this.workQueues = [this.ingest.queue, this.evaluate.queue];
  }
}
