// An isolated table to replay or assess in: a fresh table on DynamoDB Local (the running `start`'s, the
// persisted one in the data folder, or a new in-memory one), filled with the stored observations or
// with the scenario's example data, and dropped afterwards unless kept. On the persisted database it
// holds the data folder's lock for its duration, as `start` does.
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type IngestReport, ingest } from '../../shared/app/ingest.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { dayOf } from '../../shared/domain/period.ts';
import { table as tableOf } from '../../shared/runtime/clients.ts';
import { listObservations, saveObservations } from '../../shared/store/observations.ts';
import type { Table } from '../../shared/store/table.ts';
import { type DataDir, DataDirInUseError, type HeldLock, LOCAL_TABLE, type LockCommand } from './data-dir.ts';
import { createTable } from './resources.ts';
import { type LocalServices, localAwsEnv, startLocalServices } from './services.ts';

export interface WorkspaceOptions {
  dataDir: DataDir;
  /** The command the data folder's lock names while this workspace holds it. */
  command: Exclude<LockCommand, 'start'>;
  /** Told when a stale lock on the data folder is replaced. */
  onStaleLock?: (message: string) => void;
  /** Ignore stored data: start an in-memory DynamoDB Local and ingest the example data. */
  inMemory: boolean;
  /** Keep the workspace table afterwards (only useful on a persisted or running DynamoDB Local). */
  keep: boolean;
  /** Called per indicator while the workspace is filled. */
  onIndicator?: (indicatorId: string) => void;
}

export interface Workspace {
  table: Table;
  /** Where the observations came from. */
  history: 'stored' | 'example';
  /** Where DynamoDB Local runs: `running` (the `start` on the data folder), `persisted` or `in-memory`. */
  database: 'running' | 'persisted' | 'in-memory';
  ingest: IngestReport[];
  close(): Promise<void>;
}

export async function openWorkspace(
  scenario: Scenario,
  dir: string,
  options: WorkspaceOptions,
): Promise<Workspace> {
  let running = options.inMemory ? null : await options.dataDir.running();
  let lock: HeldLock | undefined;
  if (!running && !options.inMemory && options.dataDir.hasDatabase()) {
    try {
      lock = await options.dataDir.acquire(options.command, options.onStaleLock);
    } catch (error) {
      // A `start` that came up meanwhile is as good as one found running: use its DynamoDB Local.
      if (!(error instanceof DataDirInUseError)) throw error;
      running = await options.dataDir.running();
      if (!running) throw error;
    }
  }
  let services: LocalServices | undefined;
  let database: Workspace['database'];
  const name = `signpost-replay-${dayOf(new Date())}-${randomBytes(3).toString('hex')}`;
  let created = false;
  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      try {
        if (!options.keep && created) await dropTable(name);
      } finally {
        await services?.stop();
        await lock?.release();
        stopOnSignal();
      }
    })();
    return closing;
  };
  // On a persisted or running database, Ctrl-C must not leave the workspace table or the lock behind.
  const stopOnSignal = lock || running ? exitOnSignal(close) : () => undefined;
  try {
    if (running) {
      database = 'running';
      setLocalEnv(running.dynamoEndpoint, running.snsEndpoint);
    } else {
      database = lock ? 'persisted' : 'in-memory';
      services = await startLocalServices({ dbPath: lock ? options.dataDir.path : undefined });
      Object.assign(process.env, localAwsEnv(services));
      if (lock)
        await lock.publish({
          dynamoEndpoint: services.dynamoEndpoint,
          dynamoPid: services.dynamoPid,
          snsEndpoint: services.snsEndpoint,
        });
    }
    await createTable(name);
    created = true;
    const table = tableOf(name);
    const stored =
      database === 'in-memory' ? false : await copyStored(scenario, tableOf(LOCAL_TABLE), table, options);
    let reports: IngestReport[] = [];
    if (!stored) {
      const registry = new ScenarioRegistry([{ scenario, file: '', dir }]);
      for (const { indicator } of registry.indicators()) {
        reports.push(...(await ingest(table, registry, [indicator.id], new Date())));
        options.onIndicator?.(indicator.id);
      }
      reports = reports.filter((r) => r.status !== 'skipped');
    }
    return { table, history: stored ? 'stored' : 'example', database, ingest: reports, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Ctrl-C (or a SIGTERM) closes the workspace (drops its table, stops DynamoDB Local, removes the lock)
 * and exits 130; a second signal exits at once. Node's default for these signals skips all of that.
 * Returns the function that restores the default.
 */
function exitOnSignal(close: () => Promise<void>): () => void {
  const onSignal = () => {
    process.once('SIGINT', () => process.exit(130)).once('SIGTERM', () => process.exit(130));
    void close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal).once('SIGTERM', onSignal);
  return () => {
    process.removeListener('SIGINT', onSignal).removeListener('SIGTERM', onSignal);
  };
}

function setLocalEnv(dynamoEndpoint: string, snsEndpoint: string): void {
  Object.assign(process.env, localAwsEnv({ dynamoEndpoint, snsEndpoint }));
}

/** Copies the scenario's stored observations; false when the store has none of them. */
async function copyStored(
  scenario: Scenario,
  from: Table,
  to: Table,
  options: WorkspaceOptions,
): Promise<boolean> {
  if (!(await tableExists(from.name))) return false;
  const series = await Promise.all(scenario.indicators.map((i) => listObservations(from, i.id)));
  if (series.every((s) => s.length === 0)) return false;
  const now = new Date().toISOString();
  for (const [i, indicator] of scenario.indicators.entries()) {
    await saveObservations(to, indicator.id, series[i] ?? [], now);
    options.onIndicator?.(indicator.id);
  }
  return true;
}

async function tableExists(name: string): Promise<boolean> {
  const client = new DynamoDBClient({});
  try {
    await client.send(new DescribeTableCommand({ TableName: name }));
    return true;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return false;
    throw error;
  } finally {
    client.destroy();
  }
}

async function dropTable(name: string): Promise<void> {
  const client = new DynamoDBClient({});
  try {
    await client.send(new DeleteTableCommand({ TableName: name }));
  } finally {
    client.destroy();
  }
}
