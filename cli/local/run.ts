// The local mode (`signpost start`): Signpost on embedded real services, over the scenarios' data,
// serving the API, delivering alerts to the terminal and an outbox file, and reloading scenarios when
// their files change. Reports what happens as events; the CLI decides how they look.
import { randomBytes } from 'node:crypto';
import { type FSWatcher, watch } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { IngestReport } from '../../shared/app/ingest.ts';
import { publishScenarios } from '../../shared/app/publish.ts';
import { loadScenarios, ScenarioError } from '../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import { table } from '../../shared/runtime/clients.ts';
import { OPEN_ALERTS_INDEX } from '../../shared/store/table.ts';
import { DataDir, type HeldLock, LOCAL_TABLE } from './data-dir.ts';
import { serveApi } from './http-api.ts';
import { type Handlers, importHandlers } from './lambda.ts';
import {
  drainStream,
  type ReceivedAlert,
  type ReplayStep,
  receiveAlerts,
  replayHistory,
  runIngest,
} from './pipeline.ts';
import { createTable, createTopicWithSubscriber, hasOpenAlertsIndex } from './resources.ts';
import { type LocalServices, localAwsEnv, startLocalServices } from './services.ts';
import { StreamPump } from './stream-pump.ts';
import { createWorkQueues, workQueueEnv } from './work-queues.ts';

export interface LocalOptions {
  port: number;
  host: string;
  scenariosDir: string;
  /** The data folder; null keeps everything in memory (nothing survives a restart). */
  dataDir: string | null;
  /** Workers on each work queue (default LOCAL_WORKERS). */
  workers?: number;
}

/** A delivered alert as the outbox file keeps it: one JSON line each. */
export interface OutboxEntry {
  deliveredAt: string;
  scenarioId: string;
  kind: string;
  dedupKey: string;
  subject: string;
  sms: string;
  email: string;
  attributes: Record<string, string>;
}

export type LocalEvent =
  | { type: 'scenarios'; scenarios: { id: string; indicators: number }[] }
  | {
      type: 'services';
      dynamoEndpoint: string;
      snsEndpoint: string;
      dataDir: string | null;
      elapsedMs: number;
    }
  | { type: 'ingest'; reports: IngestReport[] }
  | { type: 'step'; step: ReplayStep }
  | { type: 'stream'; evaluations: number; alertsDelivered: number }
  | { type: 'alert'; alert: OutboxEntry; outbox: string | null }
  | { type: 'ready'; api: string; scenarios: string[]; token: string | null; elapsedMs: number }
  | { type: 'reloaded'; scenarios: string[] }
  | { type: 'reload-failed'; problems: string[] }
  | { type: 'error'; message: string }
  | { type: 'stale-lock'; message: string }
  | { type: 'stopping'; signal: string };

export interface LocalRun {
  api: string;
  /** Stops the API, the watcher, the pump and the services; resolves when all are down. */
  stop(signal: string): Promise<void>;
}

export class PortInUseError extends Error {
  constructor(host: string, port: number, cause: Error) {
    super(`cannot listen on ${host}:${port}: ${cause.message} (use --port or PORT to choose another)`);
    this.name = 'PortInUseError';
  }
}

/** Local mode publishes as `signpost start`; files gone from the folder are removed from the table too. */
const PUBLISHED_BY = () => ({ by: 'signpost start', at: new Date(), removeMissing: true });

/** How often the running mode reads the table's stream (new observations posted, alerts raised). */
const POLL_MS = 500;
/** Editors write a file in several steps; wait for them to settle before reloading. */
const RELOAD_DEBOUNCE_MS = 300;

export async function runLocal(options: LocalOptions, emit: (event: LocalEvent) => void): Promise<LocalRun> {
  const started = Date.now();
  // Fail on a bad scenario before starting anything.
  let registry = new ScenarioRegistry(await loadScenarios(options.scenariosDir));
  emit({
    type: 'scenarios',
    scenarios: registry.scenarios.map((s) => ({ id: s.id, indicators: s.indicators.length })),
  });

  const dataDir = options.dataDir === null ? null : new DataDir(options.dataDir);
  // Taken before DynamoDB Local starts on the folder: a replay or another start must not open it too.
  const lock: HeldLock | undefined = await dataDir?.acquire('start', (message) =>
    emit({ type: 'stale-lock', message }),
  );

  // Bind the port first: a taken port fails before anything starts, and port 0 gets a real port.
  const api = serveApi();
  try {
    await new Promise((resolve, reject) =>
      api.server.once('listening', resolve).once('error', reject).listen(options.port, options.host),
    );
  } catch (error) {
    await lock?.release();
    throw new PortInUseError(options.host, options.port, error as Error);
  }
  const apiUrl = `http://${options.host}:${(api.server.address() as AddressInfo).port}`;

  let services: LocalServices | undefined;
  let pump: StreamPump | undefined;
  let watcher: FSWatcher | undefined;
  let poller: NodeJS.Timeout | undefined;
  let stopped: Promise<void> | undefined;
  // Rounds of the pipeline run one after another (each with several workers on its queues): a poll of
  // the stream must not start while a reload's catch-up is still feeding it.
  let work: Promise<unknown> = Promise.resolve();
  const serially = (task: () => Promise<void>) => {
    work = work.then(task).catch((error: Error) => emit({ type: 'error', message: error.message }));
    return work;
  };

  const stop = (signal: string) => {
    stopped ??= (async () => {
      emit({ type: 'stopping', signal });
      watcher?.close();
      clearInterval(poller);
      api.server.close();
      api.server.closeAllConnections();
      // Let a round in progress finish before the services go away under it.
      await work.catch(() => undefined);
      pump?.close();
      await services?.stop();
      await lock?.release();
    })();
    return stopped;
  };

  try {
    services = await startLocalServices({ dbPath: dataDir?.path });
    Object.assign(process.env, localAwsEnv(services), {
      TABLE_NAME: LOCAL_TABLE,
      SCENARIOS_DIR: options.scenariosDir,
      PUBLIC_API_URL: apiUrl,
      SIGNPOST_ALLOW_LOOPBACK_SOURCES: 'true',
      // The cursors' key, new for each start (deployed: a generated secret, infra/constructs/api-function.ts).
      CURSOR_KEY: process.env.CURSOR_KEY ?? randomBytes(24).toString('base64url'),
    });
    // Locally a bearer token stands in for IAM on the write routes; read by the API handler at import.
    const generatedToken = process.env.SIGNPOST_LOCAL_TOKEN ? null : randomBytes(24).toString('base64url');
    if (generatedToken) process.env.SIGNPOST_LOCAL_TOKEN = generatedToken;
    emit({
      type: 'services',
      dynamoEndpoint: services.dynamoEndpoint,
      snsEndpoint: services.snsEndpoint,
      dataDir: dataDir?.path ?? null,
      elapsedMs: Date.now() - started,
    });
    await createTableIfMissing(LOCAL_TABLE);
    // As a deployment does: the functions read the published scenarios (only changed ones are written).
    await publishScenarios(table(LOCAL_TABLE), registry.loaded, PUBLISHED_BY());
    const subscriber = await createTopicWithSubscriber('signpost-alerts', 'signpost-local-subscriber');
    process.env.TOPIC_ARN = subscriber.topicArn;
    // The work queues the dispatch function fills and the ingest and evaluate workers take from.
    Object.assign(process.env, workQueueEnv(await createWorkQueues('signpost-local')));
    await lock?.publish({
      dynamoEndpoint: services.dynamoEndpoint,
      dynamoPid: services.dynamoPid,
      snsEndpoint: services.snsEndpoint,
      api: apiUrl,
      table: LOCAL_TABLE,
    });
    const streamPump = await StreamPump.open(LOCAL_TABLE);
    pump = streamPump;
    let generation = 0;
    let handlers: Handlers = await importHandlers(generation);

    /** Publishes what the stream holds and hands what the subscriber received to the terminal and outbox. */
    const deliver = async () => {
      const round = await drainStream(streamPump, handlers, options.workers);
      if (round.failed.length > 0)
        emit({ type: 'error', message: `evaluation failed on every attempt: ${round.failed.join(', ')}` });
      const alerts = await receiveAlerts(subscriber.queueUrl);
      const entries = alerts.map(toOutboxEntry);
      await dataDir?.appendOutbox(entries);
      for (const alert of entries) emit({ type: 'alert', alert, outbox: dataDir?.outbox ?? null });
      return round;
    };

    /** Ingests, evaluates the periods not yet assessed, and delivers the alerts: at start and on reload. */
    const catchUp = async () => {
      emit({ type: 'ingest', reports: await runIngest(handlers, { workers: options.workers }) });
      await replayHistory(handlers, table(LOCAL_TABLE), registry, new Date(), (step) =>
        emit({ type: 'step', step }),
      );
      const round = await deliver();
      emit({ type: 'stream', ...round });
    };
    await catchUp();

    api.ready(handlers.api, handlers.pages);
    emit({
      type: 'ready',
      api: apiUrl,
      scenarios: registry.scenarios.map((s) => s.id),
      token: generatedToken,
      elapsedMs: Date.now() - started,
    });

    // Values posted through the API land on the stream: evaluate and notify them as Lambda would.
    poller = setInterval(() => {
      if (!stopped) void serially(async () => void (await deliver()));
    }, POLL_MS);

    let debounce: NodeJS.Timeout | undefined;
    const reload = async () => {
      let next: ScenarioRegistry;
      try {
        next = new ScenarioRegistry(await loadScenarios(options.scenariosDir));
      } catch (error) {
        if (!(error instanceof ScenarioError)) throw error;
        // The previous scenarios keep running: a half-saved or wrong edit must not take local mode down.
        emit({ type: 'reload-failed', problems: error.message.split('\n') });
        return;
      }
      await publishScenarios(table(LOCAL_TABLE), next.loaded, PUBLISHED_BY());
      generation += 1;
      handlers = await importHandlers(generation);
      registry = next;
      api.ready(handlers.api, handlers.pages);
      emit({ type: 'reloaded', scenarios: registry.scenarios.map((s) => s.id) });
      await catchUp();
    };
    watcher = watch(options.scenariosDir, { recursive: true }, () => {
      clearTimeout(debounce);
      debounce = setTimeout(() => void serially(reload), RELOAD_DEBOUNCE_MS);
    });
  } catch (error) {
    await stop('error');
    throw error;
  }
  return { api: apiUrl, stop };
}

async function createTableIfMissing(name: string): Promise<void> {
  try {
    await createTable(name);
  } catch (error) {
    // A persisted data folder already has it (DynamoDB Local answers ResourceInUseException).
    if ((error as Error).name !== 'ResourceInUseException') throw error;
    if (!(await hasOpenAlertsIndex(name)))
      throw new Error(
        `the data folder was written by an earlier Signpost, without the ${OPEN_ALERTS_INDEX.name} index: ` +
          'remove it (e.g. rm -rf .signpost) or start with --in-memory',
      );
  }
}

function toOutboxEntry(alert: ReceivedAlert): OutboxEntry {
  return {
    deliveredAt: new Date().toISOString(),
    scenarioId: alert.attributes.scenario ?? '',
    kind: alert.attributes.kind ?? '',
    dedupKey: alert.attributes.dedupKey ?? '',
    subject: alert.subject,
    sms: alert.sms,
    email: alert.email,
    attributes: alert.attributes,
  };
}
