// The fan-out's ceiling, end to end on DynamoDB Local and fauxqs (docs/scaling.md): N scenarios of M
// indicators each, every indicator shared by S scenarios, through the real handlers and queues with K
// workers. Prints per-item costs (fetch, ingest write, evaluate with forecast and projection, notify;
// one worker, no simulated latency, on a sample), the throughput of 1 and of K workers on the first T
// scenarios with a simulated store latency, twice: each worker using what CPU it gets, then each held
// to the share of a vCPU a deployed function gets; and a daily cycle of the whole set with K workers.
// The throughput rounds and the daily cycle run each worker in a thread of its own, as each Lambda
// instance has its own CPU (bench/thread-workers.ts).
//   npm run bench:scale -- --scenarios 200 --indicators 10 --shared 5 --workers 4 --latency-ms 8 --sample 50 --throughput 200 (the defaults)
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Handlers, importHandlers, invoke } from '../cli/local/lambda.ts';
import { createTable, createTopicWithSubscriber, publishFolder } from '../cli/local/resources.ts';
import { localAwsEnv, startLocalServices } from '../cli/local/services.ts';
import { StreamPump } from '../cli/local/stream-pump.ts';
import { createWorkQueues, drainQueue, workQueueEnv } from '../cli/local/work-queues.ts';
import { FUNCTION_MEMORY_MB } from '../infra/constructs/function-memory.ts';
import { evaluationMessages } from '../shared/app/fan-out.ts';
import type { IngestReport } from '../shared/app/ingest.ts';
import { loadScenarios } from '../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../shared/config/registry.ts';
import { periodId, shiftPeriod } from '../shared/domain/period.ts';
import { sendMessages } from '../shared/runtime/queue.ts';
import { QUEUE_TRIGGERS } from '../shared/runtime/queue-triggers.ts';
import { STREAM_TRIGGERS, triggers } from '../shared/runtime/stream-triggers.ts';
import { readIndicator } from '../shared/sources/read-indicator.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../test/fixtures/scenario.ts';
import { ThreadWorkers } from './thread-workers.ts';

const { values: args } = parseArgs({
  options: {
    scenarios: { type: 'string', default: '200' },
    indicators: { type: 'string', default: '10' },
    shared: { type: 'string', default: '5' },
    workers: { type: 'string', default: '4' },
    'latency-ms': { type: 'string', default: '8' },
    sample: { type: 'string', default: '50' },
    throughput: { type: 'string', default: '200' },
    months: { type: 'string', default: '36' },
  },
});
const N = Number(args.scenarios);
const M = Number(args.indicators);
const K = Number(args.workers);
const LATENCY_MS = Number(args['latency-ms']);
const SAMPLE = Math.min(N, Number(args.sample));
/** Scenarios each throughput round evaluates (and whose indicators it fetches). */
const THROUGHPUT = Math.min(N, Number(args.throughput));
/**
 * Lambda gives a function CPU in proportion to its memory, one vCPU at 1,769 MB (AWS Lambda developer
 * guide, "Configuring Lambda function memory"): the share of a core a deployed worker gets.
 */
const VCPU_MEMORY_MB = 1769;
const LAMBDA_CPU_SHARE = FUNCTION_MEMORY_MB / VCPU_MEMORY_MB;
const MONTHS = Number(args.months);
/** Distinct indicators: each shared by `shared` scenarios on average. */
const POOL = Math.max(M, Math.round((N * M) / Number(args.shared)));

process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await work();
  return [result, performance.now() - start];
};
/** CPU seconds a process has used so far (user and system), from /proc: DynamoDB Local's JVM. */
const cpuOf = (pid: number | undefined): number => {
  if (pid === undefined) return 0;
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
/** Cores this process and DynamoDB Local used while `work` ran: how near the machine's two it came. */
const withCores = async <T>(pid: number | undefined, work: () => Promise<T>) => {
  const [node, jvm] = [process.cpuUsage(), cpuOf(pid)];
  const [result, ms] = await timed(work);
  const nodeCpu = (process.cpuUsage(node).user + process.cpuUsage(node).system) / 1e6;
  return { result, ms, cores: { node: nodeCpu / (ms / 1000), dynamo: (cpuOf(pid) - jvm) / (ms / 1000) } };
};

// Data ending last month: near path a's mean, then near b's for the last month (a shift to alert).
const last = periodId(new Date(), 'P1M');
const months = Array.from({ length: MONTHS }, (_, i) => shiftPeriod(last, 'P1M', i - MONTHS));
const dir = mkdtempSync(join(tmpdir(), 'signpost-scale-'));
const services = await startLocalServices();
try {
  mkdirSync(join(dir, 'data'));
  for (let p = 0; p < POOL; p++) {
    const rows = months.map((m, i) => `${m},${(i < MONTHS - 1 ? 1 : 2.5) + ((p + i) % 7) / 20}`);
    writeFileSync(join(dir, 'data', `x${p}.csv`), `month,value\n${rows.join('\n')}\n`);
  }
  const indicatorsOf = (s: number) => Array.from({ length: M }, (_, k) => `x${(s * M + k * 7919) % POOL}`);
  for (let s = 0; s < N; s++) {
    const ids = [...new Set(indicatorsOf(s))];
    const indicators = ids.map((id) => ({ id, staleAfter: 'P10Y', expect: AB_EXPECT }));
    // One update confirms a shift: the second evaluation of the sample raises one alert each.
    const alerting = { confirm: { m: 1, n: 1 }, enterMargin: 0.1, minIndicators: 1, revertWindow: 'P3M' };
    writeFileSync(
      join(dir, `s${s}.yaml`),
      scenarioYaml({ id: `s${s}`, paths: EVEN_AB, indicators, alerting }),
    );
  }
  const tableName = `signpost-scale-${Date.now()}`;
  Object.assign(process.env, localAwsEnv(services), { TABLE_NAME: tableName, SCENARIOS_DIR: dir });
  await createTable(tableName);
  const subscriber = await createTopicWithSubscriber('scale-alerts', 'scale-subscriber');
  Object.assign(process.env, workQueueEnv(await createWorkQueues('scale')), {
    TOPIC_ARN: subscriber.topicArn,
    PUBLIC_API_URL: 'https://signpost.example.test',
    HOST_SPACING_SECONDS: '0',
  });
  const [, publishMs] = await timed(() => publishFolder(tableName, dir, 'bench'));
  const handlers: Handlers = await importHandlers();
  const registry = new ScenarioRegistry(await loadScenarios(dir));
  console.log(
    `${N} scenarios × ${M} indicators (${POOL} distinct, each shared by ~${args.shared}), ${MONTHS} months each`,
  );
  console.log(`published in ${seconds(publishMs)}`);

  /** Runs one worker on a queue, in this thread, until it is empty; what every invocation returned. */
  const drain = async <R>(kind: 'ingest' | 'evaluate', take: (result: R) => unknown[]) => {
    const url = kind === 'ingest' ? process.env.INGEST_QUEUE_URL : process.env.EVALUATE_QUEUE_URL;
    const drained = await drainQueue<R & object>(url ?? '', handlers[kind], kind, QUEUE_TRIGGERS[kind], 1);
    return drained.results.flatMap(take);
  };
  const ingestQueue = () => drain<{ reports: IngestReport[] }>('ingest', (r) => r.reports);
  const evaluateQueue = () => drain<{ results: unknown[] }>('evaluate', (r) => r.results);
  const ingestSample = async (ids: string[]) => {
    await invoke(handlers.dispatch, 'dispatch', { dispatch: 'ingest', indicators: ids });
    return (await ingestQueue()).length;
  };
  const evaluateSample = async (ids: string[], asOf: string) => {
    await sendMessages(
      process.env.EVALUATE_QUEUE_URL ?? '',
      evaluationMessages(ids.map((scenarioId) => ({ scenarioId, version: asOf, asOf }))),
    );
    return (await evaluateQueue()).length;
  };

  // Per-item costs: one worker, no simulated latency, on the sample.
  const sampleScenarios = registry.scenarios.slice(0, SAMPLE);
  const sampleIndicators = [...new Set(sampleScenarios.flatMap((s) => s.indicators.map((i) => i.id)))];
  const fetchOnly = sampleIndicators
    .slice(0, 50)
    .map((id) => registry.indicators().find((e) => e.indicator.id === id));
  const [, fetchMs] = await timed(async () => {
    for (const entry of fetchOnly) if (entry) await readIndicator(entry.indicator, dir, { now: new Date() });
  });
  const [fetched, ingestMs] = await timed(() => ingestSample(sampleIndicators));
  const pump = await StreamPump.open(tableName);
  const asOf = (monthsBack: number) =>
    new Date(`${shiftPeriod(last, 'P1M', -monthsBack)}T00:00:00Z`).toISOString();
  const [evaluated, evaluateMs] = await timed(() =>
    evaluateSample(
      sampleScenarios.map((s) => s.id),
      asOf(1),
    ),
  );
  await pump.poll();
  await evaluateSample(
    sampleScenarios.map((s) => s.id),
    asOf(0),
  );
  const alerts = (await pump.poll()).filter((r) => triggers(STREAM_TRIGGERS.notify, r));
  const [, notifyMs] = await timed(async () => {
    for (let i = 0; i < alerts.length; i += STREAM_TRIGGERS.notify.batchSize)
      await invoke(handlers.notify, 'notify', {
        Records: alerts.slice(i, i + STREAM_TRIGGERS.notify.batchSize),
      });
  });
  const fetchPer = fetchMs / fetchOnly.length;
  const ingestPer = ingestMs / fetched;
  console.log('\nPer-item cost (1 worker, no simulated latency):');
  console.log(
    `  fetch (read and parse a ${MONTHS}-row CSV file)     ${fetchPer.toFixed(1)} ms per indicator`,
  );
  console.log(
    `  ingest write (queue, diff, write, run, health)    ${(ingestPer - fetchPer).toFixed(1)} ms per indicator (${ingestPer.toFixed(1)} with the fetch)`,
  );
  console.log(
    `  evaluate (assess, ${M} forecasts, projection, commit) ${(evaluateMs / evaluated).toFixed(1)} ms per scenario`,
  );
  console.log(
    `  notify (claim, render, publish, mark)             ${alerts.length ? (notifyMs / alerts.length).toFixed(1) : '–'} ms per alert (${alerts.length} alerts)`,
  );

  // Throughput of 1 and of K workers, each worker in a thread of its own (as each Lambda instance has its
  // own CPU: bench/thread-workers.ts), each store request delayed by LATENCY_MS; each round evaluates
  // the throughput set as of its own later instant (a full evaluation, not a backfill).
  const throughputScenarios = registry.scenarios.slice(0, THROUGHPUT);
  const throughputIndicators = [
    ...new Set(throughputScenarios.flatMap((s) => s.indicators.map((i) => i.id))),
  ];
  // Every indicator of the set fetched once first, untimed: each round then evaluates scenarios with all
  // their data and re-fetches indicators whose data is stored (the daily poll that finds nothing new),
  // so the rounds do the same work.
  await ingestSample(throughputIndicators);
  await pump.poll();
  /** Throughput of 1 and of K workers (items per second) and the cores used, each worker held to `cpuShare`. */
  const throughput = async (cpuShare: number) => {
    const rounds: Record<string, { rate: number; cores: { node: number; dynamo: number } }> = {};
    for (const [label, count] of [
      ['1', 1],
      [String(K), K],
    ] as const) {
      const [evaluators, ingesters] = await Promise.all([
        ThreadWorkers.start('evaluate', count),
        ThreadWorkers.start('ingest', count),
      ]);
      const drain = (workers: ThreadWorkers, queueUrl = '') =>
        workers.drain({ queueUrl, latencyMs: LATENCY_MS, cpuShare });
      try {
        const evaluation = await withCores(services.dynamoPid, async () => {
          const asOf = new Date().toISOString();
          const version = `${cpuShare}/${label}@${asOf}`;
          const requests = throughputScenarios.map(({ id }) => ({ scenarioId: id, version, asOf }));
          await sendMessages(process.env.EVALUATE_QUEUE_URL ?? '', evaluationMessages(requests));
          return (await drain(evaluators, process.env.EVALUATE_QUEUE_URL)).items;
        });
        const ingestion = await withCores(services.dynamoPid, async () => {
          await invoke(handlers.dispatch, 'dispatch', {
            dispatch: 'ingest',
            indicators: throughputIndicators,
          });
          return (await drain(ingesters, process.env.INGEST_QUEUE_URL)).items;
        });
        rounds[`evaluate ${count}`] = {
          rate: (evaluation.result / evaluation.ms) * 1000,
          cores: evaluation.cores,
        };
        rounds[`ingest ${count}`] = {
          rate: (ingestion.result / ingestion.ms) * 1000,
          cores: ingestion.cores,
        };
      } finally {
        await Promise.all([evaluators.stop(), ingesters.stop()]);
      }
    }
    for (const kind of ['ingest', 'evaluate']) {
      const [one, many] = [rounds[`${kind} 1`], rounds[`${kind} ${K}`]];
      if (!one || !many) continue;
      const cores = (r: typeof one) => `${r.cores.node.toFixed(2)} + ${r.cores.dynamo.toFixed(2)}`;
      // What K workers could reach here at most if nothing were serial: K times one worker, or as many
      // times as one worker's cores fit in the machine's, whichever is less.
      const bound = Math.min(K, availableParallelism() / (one.cores.node + one.cores.dynamo));
      const ratio = many.rate / one.rate;
      console.log(
        `  ${kind.padEnd(8)} 1 worker ${one.rate.toFixed(1)} (${cores(one)}), ${K} workers ${many.rate.toFixed(1)} ` +
          `(${cores(many)}): ${ratio.toFixed(2)}x of at most ${bound.toFixed(2)}x on these cores ` +
          `(${((ratio / bound) * 100).toFixed(0)} %)`,
      );
    }
  };
  console.log(
    `\nThroughput of ${throughputScenarios.length} scenarios and their ${throughputIndicators.length} indicators, each worker in a thread of its own,`,
  );
  console.log(
    `${LATENCY_MS} ms simulated latency per store request (items per second; cores used by this process + DynamoDB Local,`,
  );
  console.log(`of the ${availableParallelism()} this machine has and others share).`);
  console.log('Each worker using what CPU it gets:');
  await throughput(1);
  console.log(
    `Each worker held to a ${FUNCTION_MEMORY_MB} MB Lambda's share of a vCPU (${LAMBDA_CPU_SHARE.toFixed(2)}: one vCPU at ${VCPU_MEMORY_MB} MB):`,
  );
  await throughput(LAMBDA_CPU_SHARE);
  await pump.poll();

  // The daily cycle of the whole set with K workers in threads, no simulated latency: every indicator
  // fetched, then every scenario evaluated (the daily run's dispatch).
  const [evaluators, ingesters] = await Promise.all([
    ThreadWorkers.start('evaluate', K),
    ThreadWorkers.start('ingest', K),
  ]);
  const [ingested, cycleIngestMs] = await timed(async () => {
    await invoke(handlers.dispatch, 'dispatch', { dispatch: 'ingest' });
    return (
      await ingesters.drain({ queueUrl: process.env.INGEST_QUEUE_URL ?? '', latencyMs: 0, cpuShare: 1 })
    ).items;
  });
  const [evaluations, cycleEvaluateMs] = await timed(async () => {
    await invoke(handlers.dispatch, 'dispatch', { dispatch: 'evaluate' });
    return (
      await evaluators.drain({ queueUrl: process.env.EVALUATE_QUEUE_URL ?? '', latencyMs: 0, cpuShare: 1 })
    ).items;
  });
  await Promise.all([evaluators.stop(), ingesters.stop()]);
  pump.close();
  console.log(`\nDaily cycle, ${K} workers in threads, no simulated latency:`);
  console.log(
    `  ingest   ${ingested} indicators in ${seconds(cycleIngestMs)} (${((ingested / cycleIngestMs) * 1000).toFixed(0)}/s)`,
  );
  console.log(
    `  evaluate ${evaluations} scenarios in ${seconds(cycleEvaluateMs)} (${((evaluations / cycleEvaluateMs) * 1000).toFixed(1)}/s)`,
  );
} finally {
  await services.stop();
  rmSync(dir, { recursive: true, force: true });
}
