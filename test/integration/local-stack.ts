// Per-file test resources on the shared local services: a fresh table, topic and subscriber queue,
// the environment the handlers read at cold start, and the handlers themselves.
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { type Handlers, importHandlers } from '../../cli/local/lambda.ts';
import { runIngest } from '../../cli/local/pipeline.ts';
import { createTable, createTopicWithSubscriber, type Subscriber } from '../../cli/local/resources.ts';
import { StreamPump } from '../../cli/local/stream-pump.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { table } from '../../shared/runtime/clients.ts';
import type { Table } from '../../shared/store/table.ts';

export const API_BASE = 'https://signpost.example.test';

export interface LocalStack {
  table: Table;
  subscriber: Subscriber;
  pump: StreamPump;
  handlers: Handlers;
  registry: ScenarioRegistry;
}

let started = false;

/** Once per test file: the handlers read their environment at import, and a file imports them once. */
export async function startLocalStack(scenariosDir = resolve('scenarios')): Promise<LocalStack> {
  if (started) throw new Error('startLocalStack runs once per test file; put a second stack in another file');
  started = true;
  const suffix = randomUUID().slice(0, 8);
  const tableName = `signpost-test-${suffix}`;
  await createTable(tableName);
  const subscriber = await createTopicWithSubscriber(`alerts-${suffix}`, `subscriber-${suffix}`);
  Object.assign(process.env, {
    TABLE_NAME: tableName,
    TOPIC_ARN: subscriber.topicArn,
    SCENARIOS_DIR: scenariosDir,
    PUBLIC_API_URL: API_BASE,
  });
  const pump = await StreamPump.open(tableName);
  const handlers = await importHandlers();
  const registry = new ScenarioRegistry(await loadScenarios(scenariosDir));
  return { table: table(tableName), subscriber, pump, handlers, registry };
}

/** A local stack with the example data already ingested. */
export async function startIngestedStack(): Promise<LocalStack> {
  const stack = await startLocalStack();
  await runIngest(stack.handlers);
  return stack;
}

/** The seed scenario, `kupyansk`. */
export function seedScenario(stack: LocalStack): Scenario {
  const scenario = stack.registry.scenario('kupyansk');
  if (!scenario) throw new Error('the seed scenario scenarios/kupyansk.yaml is missing');
  return scenario;
}
