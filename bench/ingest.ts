// Benchmark of ingestion: 10,000 observations (BENCH_OBSERVATIONS) through `ingest` (read a CSV, validate, bucket,
// diff against the table, BatchWrite, run record and health) against a raw BatchWrite of the same items.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createTable } from '../cli/local/resources.ts';
import { localAwsEnv, startLocalServices } from '../cli/local/services.ts';
import { ingest } from '../shared/app/ingest.ts';
import { loadScenarios } from '../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../shared/config/registry.ts';
import { shiftPeriod } from '../shared/domain/period.ts';
import { BATCH_CONCURRENCY, batchPut, observationToItem } from '../shared/store/observations.ts';
import type { Table } from '../shared/store/table.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../test/fixtures/scenario.ts';
import { median } from './median.ts';

const OBSERVATIONS = Number(process.env.BENCH_OBSERVATIONS ?? 10_000);
const RUNS = 3;

const dir = await mkdtemp(join(tmpdir(), 'signpost-bench-'));
try {
  const days = Array.from({ length: OBSERVATIONS }, (_, i) => shiftPeriod('1990-01-01', 'P1D', i));
  await writeFile(join(dir, 'series.csv'), `day,value\n${days.map((d, i) => `${d},${i % 97}`).join('\n')}\n`);
  // One daily indicator with OBSERVATIONS observations.
  await writeFile(
    join(dir, 'bench.yaml'),
    scenarioYaml({
      id: 'bench',
      paths: EVEN_AB,
      indicators: [
        {
          id: 'series',
          cadence: 'P1D',
          source: { kind: 'file', format: 'csv', path: 'series.csv', time: 'day', value: 'value' },
          expect: AB_EXPECT,
        },
      ],
    }),
  );
  const registry = new ScenarioRegistry(await loadScenarios(dir));
  const now = new Date('2026-01-01T00:00:00Z');
  const fetchedAt = now.toISOString();
  const items = days.map((period, i) =>
    observationToItem({ indicatorId: 'series', period, value: i % 97, source: 'series.csv' }, fetchedAt),
  );

  // Each run gets its own DynamoDB Local process and a fresh table with a stream (as deployed). One
  // process for all runs measured the previous run, not this one: after 10,000 writes, deleting the
  // table (and its stream records) slows the JVM for tens of seconds, so whichever side ran second
  // looked 8 times slower (a measured 41.6 s against 7.9 s for the same ingest alone).
  async function timed(prefix: string, body: (store: Table) => Promise<void>) {
    const services = await startLocalServices();
    Object.assign(process.env, localAwsEnv(services));
    const client = new DynamoDBClient({ endpoint: services.dynamoEndpoint });
    const store: Table = {
      db: DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } }),
      name: `${prefix}-${randomUUID().slice(0, 8)}`,
    };
    try {
      await createTable(store.name);
      const started = performance.now();
      await body(store);
      return performance.now() - started;
    } finally {
      store.db.destroy();
      await services.stop();
    }
  }

  const timeIngest = () =>
    timed('bench-ingest', async (store) => {
      const [report] = await ingest(store, registry, undefined, now);
      if (report?.written !== OBSERVATIONS)
        throw new Error(`ingest wrote ${report?.written}: ${report?.error}`);
    });

  const batches: Record<string, unknown>[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  const timeRaw = () =>
    timed('bench-raw', async (store) => {
      // The same batch size and concurrency as ingest uses: the ratio measures ingest's own overhead.
      for (let i = 0; i < batches.length; i += BATCH_CONCURRENCY) {
        await Promise.all(batches.slice(i, i + BATCH_CONCURRENCY).map((batch) => batchPut(store, batch)));
      }
    });

  // Alternating runs, and alternating which goes first, so drift (the JVM warming up, a table
  // deleted in the background, a noisy machine) hits both alike.
  const raw: number[] = [];
  const ingested: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    if (run % 2 === 0) {
      raw.push(await timeRaw());
      ingested.push(await timeIngest());
    } else {
      ingested.push(await timeIngest());
      raw.push(await timeRaw());
    }
  }
  const rawMs = median(raw);
  const ingestMs = median(ingested);
  const perSecond = (ms: number) => Math.round((OBSERVATIONS / ms) * 1000);
  console.log(`ingest ${OBSERVATIONS} observations on DynamoDB Local, median of ${RUNS} runs`);
  console.log(`  raw BatchWrite  ${(rawMs / 1000).toFixed(2)} s  ${perSecond(rawMs)} items/s`);
  console.log(`  ingest          ${(ingestMs / 1000).toFixed(2)} s  ${perSecond(ingestMs)} items/s`);
  console.log(`  throughput ratio (ingest / raw) ${(rawMs / ingestMs).toFixed(2)}  (goal >= 0.8)`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
