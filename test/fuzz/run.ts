// `npm run fuzz`: fast-check inputs at the scenario loader, every source parser and every API route
// (the real handler on DynamoDB Local). Counts inputs, crashes (a non-domain error or a 5xx) and bad
// writes (the table changed by a rejected write); exits non-zero on any. A new seed each run unless
// FUZZ_SEED is set, printed first so that a failure can be run again; FUZZ_SCALE scales the counts.
import { createHash, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import fc from 'fast-check';
import { parse } from 'yaml';
import type { AreaOfInterestSpec } from '../../shared/config/area-schema.ts';
import { parseScenario } from '../../shared/config/load-scenarios.ts';
import type { Indicator } from '../../shared/config/scenario-schema.ts';
import { areaOfInterest } from '../../shared/sources/area-of-interest.ts';
import * as csv from '../../shared/sources/csv.ts';
import * as feed from '../../shared/sources/feed.ts';
import * as geojson from '../../shared/sources/geojson.ts';
import * as json from '../../shared/sources/json.ts';
import { toObservations } from '../../shared/sources/records.ts';
import { TABLE_KEY } from '../../shared/store/table.ts';
import { indicatorWithSource } from '../fixtures/scenario.ts';
import {
  type ApiRequest,
  anyText,
  apiRequest,
  csvText,
  feedText,
  geojsonText,
  jsonText,
  rawRecords,
  scenarioText,
} from './inputs.ts';

const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : randomInt(2 ** 31);
process.stdout.write(`Fuzz seed ${seed} (run this again: FUZZ_SEED=${seed} npm run fuzz)\n`);
const scale = Number(process.env.FUZZ_SCALE ?? 1);
const runs = (n: number) => Math.max(1, Math.round(n * scale));
/** Errors that are the parsers' answer to bad input, not crashes. */
const DOMAIN_ERRORS = new Set(['ScenarioError', 'SourceError', 'FetchError']);

interface Tally {
  target: string;
  inputs: number;
  crashes: number;
  badWrites: number;
  firstCrash?: string;
}
const tallies: Tally[] = [];

function fuzzSync<T>(
  target: string,
  arbitrary: fc.Arbitrary<T>,
  count: number,
  run: (input: T) => void,
): void {
  const tally: Tally = { target, inputs: 0, crashes: 0, badWrites: 0 };
  for (const input of fc.sample(arbitrary, { numRuns: runs(count), seed })) {
    tally.inputs++;
    try {
      run(input);
    } catch (error) {
      if (DOMAIN_ERRORS.has((error as Error).name)) continue;
      tally.crashes++;
      tally.firstCrash ??= `${(error as Error).stack ?? error}\n  input: ${JSON.stringify(input).slice(0, 300)}`;
    }
  }
  tallies.push(tally);
}

// The scenario loader.
const seedText = readFileSync('scenarios/kupyansk.yaml', 'utf8');
fuzzSync('parseScenario', scenarioText(seedText, parse(seedText)), 3000, (text) => {
  parseScenario(text, 'fuzz.yaml');
});

/** A source as the loader fills it in (defaults and all), whatever the schema's current fields. */
const sourceOf = (yaml: string) => indicatorWithSource(yaml).source as never;
const pick = <T>(items: readonly T[], i: number): T => items[i % items.length] as T;

// The source parsers, each input read under one of a few configurations of its kind.
const parsers: {
  target: string;
  text: fc.Arbitrary<string>;
  count: number;
  sources: string[];
  read: (text: string, source: never) => unknown;
}[] = [
  {
    target: 'readCsv',
    text: csvText,
    count: 2000,
    sources: [
      '{ kind: csv, path: x.csv, time: date, value: value }',
      "{ kind: csv, path: x.csv, time: date, value: value, delimiter: ';' }",
      '{ kind: csv, path: x.csv, time: date, aggregate: count }',
    ],
    read: (text, source) => csv.readCsv(text, source, 'fuzz.csv'),
  },
  {
    target: 'readJson',
    text: jsonText,
    count: 2000,
    sources: [
      '{ kind: json, path: x.json, time: date, value: value }',
      "{ kind: json, path: x.json, time: date, value: value, records: 'data.series' }",
    ],
    read: (text, source) => json.readJson(text, source, 'fuzz.json'),
  },
  {
    target: 'readFeed',
    text: feedText,
    count: 1500,
    sources: [
      '{ kind: feed, url: "https://example.org/feed" }',
      '{ kind: feed, url: "https://example.org/feed", keywords: [a, b] }',
    ],
    read: (text, source) => feed.readFeed(text, source, 'fuzz.xml'),
  },
  {
    target: 'readGeojson',
    text: geojsonText,
    count: 1500,
    sources: [
      '{ kind: geojson, url: "https://example.org/g.json", time: date }',
      '{ kind: geojson, url: "https://example.org/g.json", where: { kind: a } }',
    ],
    read: (text, source) =>
      geojson.readGeojson(text, source, 'fuzz.geojson', new Date('2024-06-01T00:00:00Z')),
  },
  {
    // Clipping odd rings (crossing, degenerate, antimeridian-wide) to an area of interest.
    target: 'readGeojson within',
    text: geojsonText,
    count: 1000,
    sources: [
      '{ kind: geojson, url: "https://example.org/g.json", within: { centre: { lon: 10, lat: 10 }, radiusKm: 900 } }',
      '{ kind: geojson, url: "https://example.org/g.json", within: { polygon: [[[-60, -30], [60, -30], [60, 30], [-60, 30], [-60, -30]]] } }',
    ],
    read: (text, source) =>
      geojson.readGeojson(
        text,
        source,
        'fuzz.geojson',
        new Date('2024-06-01T00:00:00Z'),
        areaOfInterest((source as { within: AreaOfInterestSpec }).within),
      ),
  },
];
const configured = parsers.map((parser) => ({ ...parser, loaded: parser.sources.map(sourceOf) }));
for (const { target, text, count, loaded, read } of configured) {
  fuzzSync(target, fc.tuple(text, fc.nat()), count, ([input, i]) => read(input, pick(loaded, i)));
}
const recordIndicators = (['P1D', 'P1W', 'P1M', 'P3M', 'P1Y'] as const).map((cadence) =>
  indicatorWithSource('{ kind: csv, path: x.csv, time: date, value: value }', cadence),
);
fuzzSync('toObservations', fc.tuple(rawRecords, fc.nat()), 2000, ([records, i]) => {
  toObservations(recordIndicators[i % recordIndicators.length] as Indicator, records, 'fuzz');
});
// Unstructured text at the text parsers too (csv, json, feed), under their first configuration.
fuzzSync('parsers on any text', anyText, 500, (text) => {
  for (const { read, loaded } of configured.filter((parser) => !parser.target.startsWith('readGeojson'))) {
    try {
      read(text, pick(loaded, 0));
    } catch (error) {
      if (!DOMAIN_ERRORS.has((error as Error).name)) throw error;
    }
  }
});

// Every route, through the real handler on DynamoDB Local.
const { startLocalServices, localAwsEnv } = await import('../../cli/local/services.ts');
const { createTable, publishFolder } = await import('../../cli/local/resources.ts');
const services = await startLocalServices();
let exitCode = 0;
try {
  const TABLE = `signpost-fuzz-${Date.now()}`;
  const TOKEN = 'fuzz-token';
  Object.assign(process.env, localAwsEnv(services), {
    TABLE_NAME: TABLE,
    SCENARIOS_DIR: resolve('test/fixtures/api-scenarios'),
    SIGNPOST_LOCAL_TOKEN: TOKEN,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    POWERTOOLS_METRICS_DISABLED: 'true',
  });
  await createTable(TABLE);
  await publishFolder(TABLE, resolve('test/fixtures/api-scenarios'), 'fuzz');
  const { handler } = await import('../../functions/api/handler.ts');
  // The page routes go to the pages function, as API Gateway routes them.
  const { handler: pages } = await import('../../functions/pages/handler.ts');
  const { PAGE_ROUTE_KEYS } = await import('../../functions/pages/routes.ts');
  const pageRoutes = new Set<string>(PAGE_ROUTE_KEYS);
  const { table } = await import('../../shared/runtime/clients.ts');
  const { lambdaContext } = await import('../../cli/local/lambda.ts');
  const { toApiEvent } = await import('../../cli/local/http-api.ts');
  const db = table(TABLE);

  const snapshot = async () => {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const page = await db.db.send(
        new ScanCommand({ TableName: TABLE, ExclusiveStartKey: start, ConsistentRead: true }),
      );
      items.push(...(page.Items ?? []));
      start = page.LastEvaluatedKey;
    } while (start);
    const { partition, sort } = TABLE_KEY;
    items.sort((a, b) => `${a[partition]}|${a[sort]}`.localeCompare(`${b[partition]}|${b[sort]}`));
    return createHash('sha256').update(JSON.stringify(items)).digest('hex');
  };

  const toEvent = (r: ApiRequest): APIGatewayProxyEventV2 => {
    const base = toApiEvent(r.method, new URL('http://127.0.0.1/fuzz'), { host: '127.0.0.1' }, '');
    const rawQueryString = new URLSearchParams(r.query).toString();
    const headers: Record<string, string> = { host: '127.0.0.1' };
    if (r.contentType) headers['content-type'] = r.contentType;
    if (r.authorized === true) headers.authorization = `Bearer ${TOKEN}`;
    if (r.authorized === 'wrong') headers.authorization = `Bearer ${TOKEN}-`;
    if (r.ifNoneMatch !== undefined) headers['if-none-match'] = r.ifNoneMatch;
    const { pathParameters: _p, queryStringParameters: _q, body: _b, ...rest } = base;
    return {
      ...rest,
      routeKey: r.routeKey,
      rawQueryString,
      headers,
      ...(Object.keys(r.query).length ? { queryStringParameters: r.query } : {}),
      ...(Object.keys(r.pathParameters).length ? { pathParameters: r.pathParameters } : {}),
      ...(r.bytes !== undefined
        ? { body: Buffer.from(r.bytes).toString('base64'), isBase64Encoded: true }
        : r.body !== undefined
          ? { body: r.base64 ? Buffer.from(r.body).toString('base64') : r.body, isBase64Encoded: r.base64 }
          : {}),
      requestContext: {
        ...base.requestContext,
        routeKey: r.routeKey,
        http: { ...base.requestContext.http, method: r.method },
      },
    };
  };

  const tally: Tally = {
    target: 'API routes and pages (+ DynamoDB Local)',
    inputs: 0,
    crashes: 0,
    badWrites: 0,
  };
  const statuses = new Map<number, number>();
  for (const request of fc.sample(apiRequest, { numRuns: runs(4000), seed })) {
    tally.inputs++;
    const write = request.method !== 'GET';
    const before = write ? await snapshot() : '';
    let status: number;
    const page = pageRoutes.has(request.routeKey);
    try {
      const result = (await (page ? pages : handler)(
        toEvent(request),
        lambdaContext(page ? 'fuzz-pages' : 'fuzz-api'),
      )) as APIGatewayProxyStructuredResultV2;
      status = result.statusCode ?? 200;
      const type = result.headers?.['content-type'];
      // A page's 4xx is an HTML page for people; the JSON routes answer problem+json.
      if (status >= 500 || (!page && status >= 400 && type !== 'application/problem+json')) {
        tally.crashes++;
        tally.firstCrash ??= `${status} ${result.body}\n  input: ${JSON.stringify(request).slice(0, 400)}`;
      }
    } catch (error) {
      status = -1;
      tally.crashes++;
      tally.firstCrash ??= `${(error as Error).stack}\n  input: ${JSON.stringify(request).slice(0, 400)}`;
    }
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (write && (status >= 400 || status < 0) && (await snapshot()) !== before) {
      tally.badWrites++;
      tally.firstCrash ??= `bad write (${status}): ${JSON.stringify(request).slice(0, 400)}`;
    }
  }
  tallies.push(tally);
  const byStatus = [...statuses]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}: ${n}`)
    .join(', ');
  process.stdout.write(`API statuses: ${byStatus}\n`);
} finally {
  await services.stop();
}

const say = (line: string) => process.stdout.write(`${line}\n`);
say(`\nFuzz (fast-check, seed ${seed})`);
say(`${'target'.padEnd(40)} ${'inputs'.padStart(7)} ${'crashes'.padStart(8)} ${'bad writes'.padStart(11)}`);
for (const t of tallies) {
  say(
    `${t.target.padEnd(40)} ${String(t.inputs).padStart(7)} ${String(t.crashes).padStart(8)} ${String(t.badWrites).padStart(11)}`,
  );
}
const total = tallies.reduce(
  (a, t) => ({ inputs: a.inputs + t.inputs, crashes: a.crashes + t.crashes, bad: a.bad + t.badWrites }),
  {
    inputs: 0,
    crashes: 0,
    bad: 0,
  },
);
say(
  `${'total'.padEnd(40)} ${String(total.inputs).padStart(7)} ${String(total.crashes).padStart(8)} ${String(total.bad).padStart(11)}`,
);
for (const t of tallies) if (t.firstCrash) say(`\nfirst failure in ${t.target}:\n${t.firstCrash}`);
if (total.crashes > 0 || total.bad > 0) exitCode = 1;
process.exit(exitCode);
