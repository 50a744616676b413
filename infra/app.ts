// CDK entry point: stage config from context, the two stacks, and cdk-nag's AWS Solutions checks on synth.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { loadScenarios } from '../shared/config/load-scenarios.ts';
import { buildApp } from './build-app.ts';
import { operatorErrorText, readStageConfig } from './config.ts';
import { REPO_ROOT } from './constructs/signpost-function.ts';

try {
  const app = new App();
  buildApp(app, readStageConfig(app), await loadScenarios(`${REPO_ROOT}scenarios`));
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
} catch (error) {
  const text = operatorErrorText(error);
  if (text === undefined) throw error;
  process.stderr.write(`${text}\n`);
  process.exit(1);
}
