// The local run: Signpost on embedded real services, over the example data, serving the API (see start.ts).

import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { loadScenarios } from '../config/load-scenarios.ts';
import { ScenarioRegistry } from '../config/registry.ts';
import { table } from '../runtime/clients.ts';
import { serveApi } from './http-api.ts';
import { importHandlers } from './lambda.ts';
import { drainStream, type ReplayStep, receiveAlerts, replayHistory, runIngest } from './pipeline.ts';
import { createTable, createTopicWithSubscriber } from './resources.ts';
import { type LocalServices, localAwsEnv, startLocalServices } from './services.ts';
import { StreamPump } from './stream-pump.ts';

const TABLE = 'signpost-local';
const started = Date.now();
const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
const scenariosDir = resolve(process.env.SCENARIOS_DIR ?? 'scenarios');
const say = (line = '') => process.stdout.write(`${line}\n`);
const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

// Fail on a bad scenario before starting anything.
const registry = new ScenarioRegistry(await loadScenarios(scenariosDir));
say(
  `Signpost local: ${registry.scenarios.map((s) => `${s.id} (${s.indicators.length} indicators)`).join(', ')}`,
);

// Bind the port first: a taken port fails before anything starts, and PORT=0 gets a real port.
const api = serveApi();
try {
  await new Promise((resolve, reject) =>
    api.server.once('listening', resolve).once('error', reject).listen(port, host),
  );
} catch (error) {
  process.stderr.write(
    `cannot listen on ${host}:${port}: ${(error as Error).message} (set PORT to use another)\n`,
  );
  process.exit(1);
}
const apiUrl = `http://${host}:${(api.server.address() as AddressInfo).port}`;

let services: LocalServices | undefined;
let pump: StreamPump | undefined;
let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  say(`\n${signal}: stopping`);
  api.server.close();
  pump?.close();
  await services?.stop();
  process.exit(0);
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));

try {
  services = await startLocalServices();
  Object.assign(process.env, localAwsEnv(services), {
    TABLE_NAME: TABLE,
    SCENARIOS_DIR: scenariosDir,
    PUBLIC_API_URL: apiUrl,
    SIGNPOST_ALLOW_LOOPBACK_SOURCES: 'true',
  });
  // Locally a bearer token stands in for IAM on the write routes; read by the API handler at import.
  const generatedToken = process.env.SIGNPOST_LOCAL_TOKEN ? null : randomBytes(24).toString('base64url');
  if (generatedToken) process.env.SIGNPOST_LOCAL_TOKEN = generatedToken;
  say(`DynamoDB Local ${services.dynamoEndpoint}, SNS/SQS emulator ${services.snsEndpoint} (${elapsed()})`);
  await createTable(TABLE);
  const subscriber = await createTopicWithSubscriber('signpost-alerts', 'signpost-local-subscriber');
  process.env.TOPIC_ARN = subscriber.topicArn;
  pump = await StreamPump.open(TABLE);
  const handlers = await importHandlers();

  say('\nIngest');
  for (const r of await runIngest(handlers)) {
    const counts = `${r.read} read, ${r.written} written, ${r.unchanged} unchanged, ${r.rejected} rejected`;
    say(`  ${r.indicatorId.padEnd(24)} ${r.error ? `FAILED: ${r.error}` : counts}`);
  }

  say('\nAssessments (replay of the example history, one per period)');
  await replayHistory(handlers, table(TABLE), registry, new Date(), printStep);
  const round = await drainStream(pump, handlers);
  say(
    `\nStream: ${round.evaluations} evaluation(s) on new observations, ${round.alertsDelivered} alert(s) published`,
  );

  const alerts = await receiveAlerts(subscriber.queueUrl);
  say(`\nAlerts received by the subscriber queue: ${alerts.length}`);
  for (const alert of alerts) {
    say(`\n--- email -------------------------------------------------------------`);
    say(`Subject: ${alert.subject}\n`);
    say(alert.email);
    say(`--- sms (${alert.sms.length} chars) ------------------------------------------------`);
    say(alert.sms);
  }

  api.ready(handlers.api);
  say(`\nAPI ready after ${elapsed()}:`);
  for (const s of registry.scenarios) say(`  curl ${apiUrl}/v1/scenarios/${s.id}/assessment`);
  say(`  curl ${apiUrl}/v1/openapi.json`);
  // Only a token generated here is shown; one the operator set stays out of the output.
  say(
    generatedToken
      ? `Write routes take: Authorization: Bearer ${generatedToken} (set SIGNPOST_LOCAL_TOKEN to choose one)`
      : 'Write routes take: Authorization: Bearer $SIGNPOST_LOCAL_TOKEN',
  );
  say('Ctrl-C stops everything.');
} catch (error) {
  process.stderr.write(`${(error as Error).stack ?? error}\n`);
  await services?.stop();
  process.exit(1);
}

function printStep(step: ReplayStep): void {
  const probabilities = Object.entries(step.probabilities)
    .map(([path, p]) => `${path} ${(p * 100).toFixed(1).padStart(5)}%`)
    .join('  ');
  const label = step.shift?.kind === 'reverted' ? 'REVERTED' : 'SHIFT';
  const shift = step.shift
    ? `  ${label} ${step.shift.from} -> ${step.shift.to} (alert #${step.shift.sequence})`
    : '';
  say(`  ${step.asOf.slice(0, 10)}  ${step.scenarioId}  ${probabilities}  path ${step.path ?? '-'}${shift}`);
}
