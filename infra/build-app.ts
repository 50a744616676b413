// Creates Signpost's stacks on an App; shared by the CDK entry point (app.ts) and the infrastructure tests.
import { type App, Tags } from 'aws-cdk-lib';
import type { LoadedScenario } from '../shared/config/load-scenarios.ts';
import type { StageConfig } from './config.ts';
import { MonitoringStack } from './stacks/monitoring-stack.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface SignpostStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
  monitoring: MonitoringStack;
}

export function buildApp(app: App, config: StageConfig, scenarios: LoadedScenario[]): SignpostStacks {
  // Undefined account/region keeps synth offline; `cdk deploy` fills them from the caller's profile.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prefix = `Signpost-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    config,
    description: `Signpost ${config.stage}: table, alerts and ops topics (data that outlives deployments)`,
    terminationProtection: config.stage === 'prod',
  });
  const stateless = new StatelessStack(app, `${prefix}-Stateless`, {
    env,
    config,
    scenarios,
    table: stateful.table,
    topic: stateful.topic,
    description: `Signpost ${config.stage}: functions, schedules, stream triggers and the public API`,
  });
  const monitoring = new MonitoringStack(app, `${prefix}-Monitoring`, {
    env,
    config,
    opsTopic: stateful.opsTopic,
    functions: {
      dispatch: stateless.dispatch,
      ingest: stateless.ingest,
      evaluate: stateless.evaluate,
      notify: stateless.notify,
      api: stateless.api,
      pages: stateless.pages,
    },
    failureQueues: stateless.failureQueues,
    workQueues: stateless.workQueues,
    httpApi: stateless.httpApi,
    description: `Signpost ${config.stage}: alarms to the ops topic and the pipeline dashboard`,
  });
  Tags.of(app).add('project', 'signpost');
  Tags.of(app).add('stage', config.stage);
  return { stateful, stateless, monitoring };
}
