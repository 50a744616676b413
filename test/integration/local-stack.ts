// Per-file test resources on the shared local services: a fresh table, topic and subscriber queue,
// the environment the handlers read at cold start, and the handlers themselves; for ingest tests without
// the whole stack, a fresh table and a folder of scenario files. `use*` functions register the hooks that
// set a resource up before a file's tests and take it down after them.
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { parse, stringify } from 'yaml';
import { type Handlers, importHandlers, invoke } from '../../cli/local/lambda.ts';
import { type ReceivedAlert, receiveAlerts, runIngest } from '../../cli/local/pipeline.ts';
import {
  createTable,
  createTopicWithSubscriber,
  publishFolder,
  type Subscriber,
} from '../../cli/local/resources.ts';
import { StreamPump } from '../../cli/local/stream-pump.ts';
import { createWorkQueues, type WorkQueueUrls, workQueueEnv } from '../../cli/local/work-queues.ts';
import { evaluate } from '../../shared/app/evaluate.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { table } from '../../shared/runtime/clients.ts';
import { STREAM_TRIGGERS, triggers } from '../../shared/runtime/stream-triggers.ts';
import { putSilence } from '../../shared/store/silences.ts';
import type { Table } from '../../shared/store/table.ts';
import { type ApiClient, serveForTest } from './api-http.ts';

export const API_BASE = 'https://signpost.example.test';

export interface LocalStack {
  table: Table;
  subscriber: Subscriber;
  queues: WorkQueueUrls;
  pump: StreamPump;
  handlers: Handlers;
  registry: ScenarioRegistry;
}

let started = false;

/**
 * The shipped scenarios as the pipeline tests read them: each one's dynamics set to carry nothing over
 * (`switch: 1`), so an assessment is the priors times its period's evidence and the dates the tests name
 * (a confirmed shift, a pending vote) depend on the data and the alerting rules, not on the path
 * filter's settings, which the domain tests and the backtest judge. The example data is linked, not
 * copied.
 */
async function snapshotScenarios(): Promise<string> {
  const shipped = resolve('scenarios');
  const dir = await mkdtemp(join(tmpdir(), 'signpost-scenarios-'));
  for (const file of await readdir(shipped)) {
    if (!/\.ya?ml$/.test(file)) continue;
    const document = parse(await readFile(join(shipped, file), 'utf8')) as Record<string, unknown>;
    await writeFile(join(dir, file), stringify({ ...document, dynamics: { switch: 1 } }));
  }
  await symlink(join(shipped, 'data'), join(dir, 'data'));
  return dir;
}

/** Once per test file: the handlers read their environment at import, and a file imports them once. */
export async function startLocalStack(dir?: string): Promise<LocalStack> {
  if (started) throw new Error('startLocalStack runs once per test file; put a second stack in another file');
  started = true;
  const scenariosDir = dir ?? (await snapshotScenarios());
  const suffix = randomUUID().slice(0, 8);
  const tableName = `signpost-test-${suffix}`;
  await createTable(tableName);
  // As a deployment does: the functions read the published scenarios.
  await publishFolder(tableName, scenariosDir, 'test');
  const subscriber = await createTopicWithSubscriber(`alerts-${suffix}`, `subscriber-${suffix}`);
  const queues = await createWorkQueues(`signpost-test-${suffix}`);
  Object.assign(process.env, workQueueEnv(queues), {
    // The test publishers all listen on loopback: spacing their fetches would only slow the tests.
    HOST_SPACING_SECONDS: '0',
    TABLE_NAME: tableName,
    TOPIC_ARN: subscriber.topicArn,
    SCENARIOS_DIR: scenariosDir,
    PUBLIC_API_URL: API_BASE,
  });
  const pump = await StreamPump.open(tableName);
  const handlers = await importHandlers();
  const registry = new ScenarioRegistry(await loadScenarios(scenariosDir));
  return { table: table(tableName), subscriber, queues, pump, handlers, registry };
}

/** The seed scenario, `kupyansk`. */
export function seedScenario(stack: LocalStack): Scenario {
  const scenario = stack.registry.scenario('kupyansk');
  if (!scenario) throw new Error('the seed scenario scenarios/kupyansk.yaml is missing');
  return scenario;
}

export interface LocalStackOptions {
  /** The scenarios the handlers load (default: the shipped `scenarios/`, read one period at a time). */
  scenariosDir?: string;
  /** Ingest the example data before the tests. */
  ingested?: boolean;
  /** Environment to set (or, with `undefined`, unset) before the handlers are imported. */
  env?: Record<string, string | undefined>;
}

/**
 * The local stack of a test file: started before its tests, its stream pump closed after them. The
 * object is filled in when the tests start: read it in hooks and tests, not while they are collected.
 */
export function useLocalStack(options: LocalStackOptions = {}): LocalStack {
  const stack = {} as LocalStack;
  beforeAll(async () => {
    for (const [name, value] of Object.entries(options.env ?? {})) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    Object.assign(stack, await startLocalStack(options.scenariosDir));
    if (options.ingested) await runIngest(stack.handlers);
  });
  afterAll(() => stack.pump?.close());
  return stack;
}

/** The local HTTP API in front of the stack's API handler, for a test file (filled in as useLocalStack). */
export function useApi(stack: LocalStack): ApiClient {
  const api = {} as ApiClient;
  beforeAll(async () => {
    Object.assign(api, await serveForTest(stack.handlers.api, stack.handlers.pages));
  });
  afterAll(async () => {
    await api.close?.();
  });
  return api;
}

/** The write token of the API test files, and the header that carries it. */
export const WRITE_TOKEN = 'test-token-0123456789';
export const WRITE_AUTH = { authorization: `Bearer ${WRITE_TOKEN}` };

/**
 * The local stack of an API test file on test/fixtures/api-scenarios (the manual indicator
 * probe-readings), writes allowed with WRITE_TOKEN, and the HTTP API in front of it.
 */
export function useWriteApi(): { stack: LocalStack; api: ApiClient } {
  const stack = useLocalStack({
    scenariosDir: resolve('test/fixtures/api-scenarios'),
    env: { SIGNPOST_LOCAL_TOKEN: WRITE_TOKEN },
  });
  return { stack, api: useApi(stack) };
}

/** December 2023 sets baseline; January and February 2024 favour risk: one confirmed shift to risk. */
export const CONFIRMED_SHIFT = ['2023-12-01', '2024-01-01', '2024-02-01'];

/** Evaluates the seed scenario as of the first day of each month (`YYYY-MM-DD`), in order. */
export async function evaluateMonths(stack: LocalStack, months: string[], now = new Date()): Promise<void> {
  const scenario = seedScenario(stack);
  for (const month of months) await evaluate(stack.table, scenario, new Date(`${month}T00:00:00Z`), now);
}

/** Invokes the evaluate handler for the seed scenario as of the first day of each month, in order. */
export async function invokeEvaluate(stack: LocalStack, months: string[]): Promise<void> {
  for (const month of months) {
    await invoke(stack.handlers.evaluate, 'evaluate', { scenarioId: 'kupyansk', asOf: `${month}T00:00:00Z` });
  }
}

/** Hands the alerts written since the last poll of the stream to notify, as its trigger would; their count. */
export async function deliverNewAlerts(stack: LocalStack): Promise<number> {
  const records = (await stack.pump.poll()).filter((r) => triggers(STREAM_TRIGGERS.notify, r));
  await invoke(stack.handlers.notify, 'notify', { Records: records });
  return records.length;
}

/** The alerts the alert topic's subscriber queue holds that no earlier read handed out. */
export function receivedAlerts(stack: LocalStack): Promise<ReceivedAlert[]> {
  return receiveAlerts(stack.subscriber.queueUrl);
}

/** The silence `review` of the seed scenario, from a minute before `from` (ms) for an hour; its end. */
export async function silenceForAnHour(stack: LocalStack, from: number): Promise<string> {
  const end = new Date(from + 60 * 60_000).toISOString();
  await putSilence(stack.table, {
    scenarioId: 'kupyansk',
    silenceId: 'review',
    start: new Date(from - 60_000).toISOString(),
    end,
    reason: 'analysts re-validating the indicators',
    updatedAt: new Date(from).toISOString(),
  });
  return end;
}

/** A table of its own on DynamoDB Local, named after what it is for. */
export async function freshTable(purpose: string): Promise<Table> {
  const fresh = table(`signpost-${purpose}-${randomUUID().slice(0, 8)}`);
  await createTable(fresh.name);
  return fresh;
}

/** A fresh table for a test file, created before its tests (filled in as useLocalStack). */
export function useFreshTable(purpose: string): Table {
  const fresh = {} as Table;
  beforeAll(async () => {
    Object.assign(fresh, await freshTable(purpose));
  });
  return fresh;
}

/** A temporary folder of scenario files and their data, and the registry of the scenarios in it. */
export interface ScenarioFolder {
  registry: ScenarioRegistry;
  /** Writes (or rewrites) a file in the folder. */
  write(name: string, text: string): Promise<void>;
  remove(): Promise<void>;
}

/** Writes `files` (name to text: scenario YAML and the data it reads) into a new temporary folder. */
export async function scenarioFolder(
  purpose: string,
  files: Record<string, string>,
): Promise<ScenarioFolder> {
  const dir = await mkdtemp(join(tmpdir(), `signpost-${purpose}-`));
  const write = (name: string, text: string) => writeFile(join(dir, name), text);
  for (const [name, text] of Object.entries(files)) await write(name, text);
  return {
    registry: new ScenarioRegistry(await loadScenarios(dir)),
    write,
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/**
 * The scenario folder of a test file, written before its tests and removed after them (filled in as
 * useLocalStack). `files` is called then, so it may use what earlier hooks set up (a publisher's URL).
 */
export function useScenarioFolder(purpose: string, files: () => Record<string, string>): ScenarioFolder {
  const folder = {} as ScenarioFolder;
  beforeAll(async () => {
    Object.assign(folder, await scenarioFolder(purpose, files()));
  });
  afterAll(async () => {
    await folder.remove?.();
  });
  return folder;
}
