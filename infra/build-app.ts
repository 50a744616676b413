// Creates Signpost's stacks on an App; shared by the CDK entry point (app.ts) and the infrastructure tests.
import { type App, Tags } from 'aws-cdk-lib';
import type { LoadedScenario } from '../shared/config/load-scenarios.ts';
import type { StageConfig } from './config.ts';
import { StatefulStack } from './stacks/stateful-stack.ts';
import { StatelessStack } from './stacks/stateless-stack.ts';

export interface SignpostStacks {
  stateful: StatefulStack;
  stateless: StatelessStack;
}

export function buildApp(app: App, config: StageConfig, scenarios: LoadedScenario[]): SignpostStacks {
  // Undefined account/region keeps synth offline; `cdk deploy` fills them from the caller's profile.
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const prefix = `Signpost-${config.stage}`;
  const stateful = new StatefulStack(app, `${prefix}-Stateful`, {
    env,
    config,
    description: `Signpost ${config.stage}: table and alerts topic (data that outlives deployments)`,
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
  Tags.of(app).add('project', 'signpost');
  Tags.of(app).add('stage', config.stage);
  return { stateful, stateless };
}
