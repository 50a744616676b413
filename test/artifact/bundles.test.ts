// What ships works: synthesizes the app once, then imports each function's bundle from the cloud assembly
// (not the source) and runs the pipeline through them on DynamoDB Local and fauxqs.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toApiEvent } from '../../cli/local/http-api.ts';
import { type Handlers, invoke } from '../../cli/local/lambda.ts';
import {
  drainStream,
  receiveAlerts,
  replayHistory,
  runIngest,
  type StreamRound,
} from '../../cli/local/pipeline.ts';
import {
  createTable,
  createTopicWithSubscriber,
  publishFolder,
  type Subscriber,
} from '../../cli/local/resources.ts';
import { StreamPump } from '../../cli/local/stream-pump.ts';
import { createWorkQueues, workQueueEnv } from '../../cli/local/work-queues.ts';
import { buildApp } from '../../infra/build-app.ts';
import { readStageConfig } from '../../infra/config.ts';
import { REPO_ROOT } from '../../infra/constructs/signpost-function.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import { table as tableOf } from '../../shared/runtime/clients.ts';
import type { Table } from '../../shared/store/table.ts';

const SYNTH_TIMEOUT_MS = 120_000;
const NAMES = ['dispatch', 'ingest', 'evaluate', 'notify', 'api', 'pages'] as const;
const API_BASE = 'https://signpost.example.test';

let outdir: string;
const assets = {} as Record<(typeof NAMES)[number], string>;
const bundles = {} as Handlers;
let table: Table;
let subscriber: Subscriber;
let pump: StreamPump;
let registry: ScenarioRegistry;
let round: StreamRound;

beforeAll(async () => {
  // Synthesize once: CDK bundles each function with esbuild into cdk.out-style asset folders.
  outdir = mkdtempSync(join(tmpdir(), 'signpost-artifact-'));
  const app = new App({ outdir, context: { stage: 'dev' } });
  const scenarios = await loadScenarios(join(REPO_ROOT, 'scenarios'));
  registry = new ScenarioRegistry(scenarios);
  const { stateless } = buildApp(app, readStageConfig(app), scenarios);
  const resources = Template.fromStack(stateless).toJSON().Resources as Record<
    string,
    { Type: string; Properties: { FunctionName?: string; Code: { S3Key: string } } }
  >;
  for (const name of NAMES) {
    const fn = Object.values(resources).find(
      (r) => r.Type === 'AWS::Lambda::Function' && r.Properties.FunctionName === `signpost-dev-${name}`,
    );
    assets[name] = join(outdir, `asset.${String(fn?.Properties.Code.S3Key).replace(/\.zip$/, '')}`);
  }

  const suffix = randomUUID().slice(0, 8);
  const tableName = `signpost-artifact-${suffix}`;
  await createTable(tableName);
  await publishFolder(tableName, join(REPO_ROOT, 'scenarios'), 'test');
  subscriber = await createTopicWithSubscriber(`alerts-${suffix}`, `subscriber-${suffix}`);
  pump = await StreamPump.open(tableName);
  table = tableOf(tableName);
  Object.assign(process.env, workQueueEnv(await createWorkQueues(`signpost-artifact-${suffix}`)));

  // Each bundle reads its environment at cold start: point it at its own package, as /var/task would be.
  for (const name of NAMES) {
    Object.assign(process.env, {
      TABLE_NAME: tableName,
      TOPIC_ARN: subscriber.topicArn,
      PUBLIC_API_URL: API_BASE,
      SCENARIOS_DIR: join(assets[name], 'scenarios'),
      AUGURS_WASM_DIR: assets[name],
    });
    const module = (await import(pathToFileURL(join(assets[name], 'index.mjs')).href)) as {
      handler: Handlers[typeof name];
    };
    bundles[name] = module.handler;
  }
}, SYNTH_TIMEOUT_MS);

afterAll(() => {
  delete process.env.AUGURS_WASM_DIR;
  rmSync(outdir, { recursive: true, force: true });
});

describe('the synthesized bundles', () => {
  it('dispatch enqueues the indicators and ingest stores the example data from the file sources it carries', async () => {
    // Act
    const reports = await runIngest(bundles);

    // Assert
    expect(reports.filter((r) => r.error)).toEqual([]);
    expect(reports.reduce((sum, r) => sum + r.written, 0)).toBeGreaterThan(100);
  });

  it('evaluate assesses the seed scenario from a direct request and from the queue dispatch fills', async () => {
    // Act: month-end evaluations of the example history (direct invokes), then the stream batches of
    // the ingest above as the event source mapping hands them to dispatch, and the evaluation queue's
    // messages to evaluate (with the notify bundle for alerts).
    const steps: { shift: unknown }[] = [];
    await replayHistory(bundles, table, registry, new Date('2024-03-01T00:00:00Z'), (s) => steps.push(s));
    round = await drainStream(pump, bundles);

    // Assert
    expect(steps.length).toBeGreaterThan(3);
    expect(steps.filter((s) => s.shift !== null).length).toBeGreaterThan(0);
    expect(round.evaluations).toBeGreaterThan(0);
  });

  it('notify publishes each alert from its stream record to a subscribed queue', async () => {
    // Act
    const received = await receiveAlerts(subscriber.queueUrl);

    // Assert
    expect(round.alertsDelivered).toBeGreaterThan(0);
    expect(received.length).toBe(round.alertsDelivered);
    expect(received.map((a) => a.attributes.kind)).toContain('path-shift');
    expect(received.every((a) => a.attributes.scenario === 'kupyansk')).toBe(true);
  });

  it('api answers the latest assessment of the seed scenario', async () => {
    // Arrange
    const url = new URL('/v1/scenarios/kupyansk/assessment', API_BASE);

    // Act
    const response = await invoke<{ statusCode: number; headers: Record<string, string>; body: string }>(
      bundles.api,
      'api',
      toApiEvent('GET', url, {}, ''),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers.etag).toMatch(/^"/);
    const body = JSON.parse(response.body);
    expect(body.scenarioId).toBe('kupyansk');
    expect(Object.keys(body.probabilities).sort()).toEqual(['baseline', 'risk']);
  });

  it('api serves the OpenAPI document generated at synth', async () => {
    // Act
    const response = await invoke<{ statusCode: number; body: string }>(
      bundles.api,
      'api',
      toApiEvent('GET', new URL('/v1/openapi.json', API_BASE), {}, ''),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    const document = JSON.parse(response.body);
    expect(document.openapi).toBe('3.1.0');
    expect(Object.keys(document.paths)).toContain('/v1/scenarios/{id}/assessments');
  });

  it('api names each invalid query parameter in a 400, with zod messages in English', async () => {
    // Arrange
    const url = new URL(
      `/v1/scenarios/kupyansk/assessments?limit=abc&from=yesterday&cursor=${'x'.repeat(513)}`,
      API_BASE,
    );

    // Act
    const response = await invoke<{ statusCode: number; body: string }>(
      bundles.api,
      'api',
      toApiEvent('GET', url, {}, ''),
    );

    // Assert
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body).errors).toEqual([
      { in: 'query', field: 'from', message: 'an ISO 8601 date or date-time' },
      { in: 'query', field: 'limit', message: 'an integer from 1 to 100' },
      { in: 'query', field: 'cursor', message: 'Too big: expected string to have <=512 characters' },
    ]);
  });

  it('pages draws the seed scenario page from its bundle, with the charts and what would change the call', async () => {
    // Act
    const response = await invoke<{ statusCode: number; headers: Record<string, string>; body: string }>(
      bundles.pages,
      'pages',
      toApiEvent('GET', new URL('/scenarios/kupyansk', API_BASE), {}, ''),
    );

    // Assert
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.body).toContain('<svg');
    expect(response.body).toMatch(/<tr data-indicator="ru-mechanized" data-need="\w+">/);
  });
});
