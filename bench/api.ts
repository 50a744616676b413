// Benchmark: the local latest-assessment route (HTTP adapter + middy handler + one GetItem) against a
// bare HTTP server doing the same GetItem, on the same DynamoDB Local, with autocannon on loopback.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import autocannon from 'autocannon';
import { medianRound } from './median.ts';

const DURATION_S = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = 10;
const ROUNDS = 3;

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const { startLocalServices, localAwsEnv } = await import('../cli/local/services.ts');
const { createTable, publishFolder } = await import('../cli/local/resources.ts');
const services = await startLocalServices();
const TABLE = `signpost-bench-${Date.now()}`;
Object.assign(process.env, localAwsEnv(services), { TABLE_NAME: TABLE, SCENARIOS_DIR: resolve('scenarios') });

async function listen(server: Server): Promise<string> {
  await new Promise((done) => server.listen(0, '127.0.0.1', () => done(undefined)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function load(url: string) {
  const result = await autocannon({ url, connections: CONNECTIONS, duration: DURATION_S });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${url}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return result;
}

try {
  await createTable(TABLE);
  await publishFolder(TABLE, resolve('scenarios'), 'bench');
  const { table } = await import('../shared/runtime/clients.ts');
  const { assessmentToItem, latestAssessmentKey } = await import('../shared/store/assessments.ts');
  const db = table(TABLE);
  const key = latestAssessmentKey('kupyansk');
  // A latest assessment of the seed scenario's size: two paths, four indicators.
  const contributions = ['ua-fires', 'ru-mechanized', 'western-assistance', 'assistance-announcements'].map(
    (id) => ({
      indicatorId: id,
      status: 'used' as const,
      model: 'bands',
      value: 369,
      period: '2026-07-01',
      source: `data/kupyansk/${id}.csv`,
      outcome: 'below 400',
      weight: 1,
      decibans: { baseline: 4.771, risk: -4.771 },
    }),
  );
  await db.db.send(
    new PutCommand({
      TableName: TABLE,
      Item: assessmentToItem(
        {
          scenarioId: 'kupyansk',
          evaluatedAt: '2026-11-25T00:00:00.000Z',
          asOf: '2026-11-25T00:00:00.000Z',
          leader: 'baseline',
          margin: 0.976,
          entropy: 0.095,
          probabilities: { baseline: 0.988, risk: 0.012 },
          state: { status: 'steady', path: 'baseline', since: '2026-04-01T00:00:00.000Z' },
          contributions,
          stale: [],
          events: [],
        },
        'latest',
      ),
    }),
  );

  const { handler } = await import('../functions/api/handler.ts');
  const { serveApi } = await import('../cli/local/http-api.ts');
  const api = serveApi(handler as never);
  const apiUrl = `${await listen(api.server)}/v1/scenarios/kupyansk/assessment`;
  const bare = createServer(async (_request, response) => {
    const { Item } = await db.db.send(new GetCommand({ TableName: TABLE, Key: key }));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify(Item));
  });
  const bareUrl = await listen(bare);

  // DynamoDB Local (a JVM) speeds up for a while: warm it on both servers before measuring.
  await autocannon({ url: bareUrl, connections: CONNECTIONS, duration: 3 });
  await autocannon({ url: apiUrl, connections: CONNECTIONS, duration: 3 });
  // Alternating rounds, so drift of the shared JVM (JIT, GC) and of the machine hits both alike.
  const rounds: { route: autocannon.Result; bare: autocannon.Result }[] = [];
  for (let i = 0; i < ROUNDS; i++) rounds.push({ bare: await load(bareUrl), route: await load(apiUrl) });
  const total = (pick: (r: (typeof rounds)[number]) => autocannon.Result) =>
    rounds.reduce((sum, r) => sum + pick(r).requests.total, 0);
  const ratio = total((r) => r.route) / total((r) => r.bare);
  const throughput = (result: autocannon.Result) => result.requests.average;
  const route = medianRound(
    rounds.map((r) => r.route),
    throughput,
  );
  const baseline = medianRound(
    rounds.map((r) => r.bare),
    throughput,
  );
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(
    `\nAPI: GET /v1/scenarios/{id}/assessment vs a bare GetItem server (${CONNECTIONS} connections, ${ROUNDS} alternating rounds of ${DURATION_S} s; median round shown)`,
  );
  for (const [name, r] of [
    ['latest-assessment route', route],
    ['bare GetItem server', baseline],
  ] as const) {
    say(
      `  ${name.padEnd(24)} ${r.requests.average.toFixed(0).padStart(6)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms`,
    );
  }
  say(`  throughput ratio ${ratio.toFixed(2)} (all requests of the route / of the bare server; goal >= 0.9)`);
  api.server.close();
  bare.close();
} finally {
  await services.stop();
}
