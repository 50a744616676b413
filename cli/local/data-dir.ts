// The local data folder (`.signpost/` by default): DynamoDB Local's database file, the outbox of
// delivered alerts, and a lock naming the command (`start`, `replay`, `assess`) whose DynamoDB Local
// has the database open, so a second JVM never opens the same file.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import * as z from 'zod';
import { descendsFrom, dynamoLocalsOn, isAlive, stopDynamoLocals } from './dynamo-local-process.ts';
import { LOCAL_REGION } from './services.ts';

export const DEFAULT_DATA_DIR = '.signpost';
/** The table `start` keeps its data in (replays use fresh tables next to it). */
export const LOCAL_TABLE = 'signpost-local';
/** How long a probed endpoint may take to answer before the lock naming it is judged stale. */
const PROBE_TIMEOUT_MS = 1_500;
/**
 * A lock is written before DynamoDB Local starts, so for a while it names no endpoint to probe; past
 * this age (DynamoDB Local's start-up timeout and some) a lock still without one is stale.
 */
const STARTING_GRACE_MS = 90_000;

/** Lock files this process holds: a lock naming this pid is stale unless it is one of these. */
const heldHere = new Set<string>();

export type LockCommand = 'start' | 'replay' | 'backtest' | 'assess' | 'calibrate';

const lockSchema = z.object({
  pid: z.int().positive(),
  // Locks written before replay/assess took the lock too carry no command: only `start` wrote them.
  command: z.enum(['start', 'replay', 'backtest', 'assess', 'calibrate']).default('start'),
  since: z.iso.datetime().optional(),
  dynamoEndpoint: z.string().optional(),
  /** The DynamoDB Local JVM's pid, so a lock left by a killed command leads to the JVM it left. */
  dynamoPid: z.int().positive().optional(),
  snsEndpoint: z.string().optional(),
  api: z.string().optional(),
  table: z.string().optional(),
});

/** What the lock file says about the command holding the data folder. */
export type LocalLock = z.infer<typeof lockSchema>;

/** A `start` that is up: other commands use its DynamoDB Local instead of starting their own. */
export interface RunningLocal extends LocalLock {
  command: 'start';
  dynamoEndpoint: string;
  snsEndpoint: string;
}

/** The endpoints a lock holder publishes once its services answer. */
export interface LockEndpoints {
  dynamoEndpoint: string;
  dynamoPid?: number | undefined;
  snsEndpoint: string;
  api?: string;
  table?: string;
}

export class DataDirInUseError extends Error {
  readonly holder: LocalLock;
  constructor(dir: string, holder: LocalLock) {
    const api = holder.api ? `, API ${holder.api}` : '';
    const what =
      holder.command === 'start'
        ? 'stop it or use --data-dir'
        : `wait for it to finish, or use --data-dir or --in-memory`;
    super(`${dir} is in use by signpost ${holder.command} (pid ${holder.pid}${api}); ${what}`);
    this.name = 'DataDirInUseError';
    this.holder = holder;
  }
}

/** The lock this process holds on a data folder. */
export interface HeldLock {
  /** Adds the endpoints of the services now running, so other commands can probe and use them. */
  publish(endpoints: LockEndpoints): Promise<void>;
  /** Removes the lock file (only if it still names this process). */
  release(): Promise<void>;
}

export class DataDir {
  readonly path: string;
  constructor(path: string) {
    this.path = resolve(path);
  }

  get outbox(): string {
    return join(this.path, 'outbox.jsonl');
  }

  get lockFile(): string {
    return join(this.path, 'local.json');
  }

  /** True once DynamoDB Local has written its database file here (`-sharedDb` names it so). */
  hasDatabase(): boolean {
    return existsSync(join(this.path, 'shared-local-instance.db'));
  }

  async create(): Promise<void> {
    await mkdir(this.path, { recursive: true });
  }

  /** The command holding this folder, if it is really running; a stale lock (see `staleness`) is ignored. */
  async holder(): Promise<LocalLock | null> {
    const lock = await this.#read();
    if (lock === null || 'unreadable' in lock) return null;
    return (await this.#staleness(lock)) === null ? lock : null;
  }

  /** The `start` running on this folder and serving its DynamoDB Local, if any. */
  async running(): Promise<RunningLocal | null> {
    const lock = await this.holder();
    return lock?.command === 'start' && lock.dynamoEndpoint && lock.snsEndpoint
      ? (lock as RunningLocal)
      : null;
  }

  /**
   * Takes the lock for `command`, replacing a stale one (reported through `onStale`); throws
   * DataDirInUseError when a live command holds it. The file is created exclusively, so of two commands
   * racing for the folder only one wins. The lock is also removed when the process exits.
   */
  async acquire(command: LockCommand, onStale?: (message: string) => void): Promise<HeldLock> {
    await this.create();
    const file = this.lockFile;
    let lock: LocalLock = { pid: process.pid, command, since: new Date().toISOString() };
    const write = (flag: 'wx' | 'w') => writeFile(file, `${JSON.stringify(lock, null, 2)}\n`, { flag });
    // Judging a lock stale and replacing it happens under a mutex: two commands that both judged the
    // same stale lock could otherwise each remove what the other had just created, and both hold it.
    await withMutex(`${file}.mutex`, async () => {
      // Two rounds: a stale lock found in the first is removed, and the second must then win the file.
      for (let round = 0; ; round++) {
        try {
          await write('wx');
          break;
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || round > 0) {
            const other = await this.#read();
            if (other && !('unreadable' in other)) throw new DataDirInUseError(this.path, other);
            throw error;
          }
        }
        const other = await this.#read();
        if (other !== null) {
          const reason = 'unreadable' in other ? other.unreadable : await this.#staleness(other);
          if (reason === null) throw new DataDirInUseError(this.path, other as LocalLock);
          // Its command is gone, but a JVM it started may not be (kill -9 skips the exit hooks): stop
          // it, or the new command's DynamoDB Local would be a second one on the same database.
          const recorded = 'unreadable' in other ? undefined : other.dynamoPid;
          const orphans = dynamoLocalsOn(this.path, recorded);
          // A live command whose endpoints were too slow to answer (a loaded machine, a stopped
          // process) still runs the DynamoDB Local it started: its lock stands, and its JVM lives.
          if (
            !('unreadable' in other) &&
            other.pid !== process.pid &&
            orphans.some((pid) => descendsFrom(pid, other.pid))
          ) {
            throw new DataDirInUseError(this.path, other);
          }
          const stopped =
            orphans.length === 0
              ? ''
              : `; stopping the DynamoDB Local it left running on this folder (pid ${orphans.join(', ')})`;
          onStale?.(`replacing the stale lock ${file}: ${reason}${stopped}`);
          await stopDynamoLocals(this.path, orphans);
          await rm(file, { force: true });
        }
      }
    });
    // A crash or a signal ending the process through exit() must not leave the lock behind.
    const onExit = () => {
      if (ownsLockFile(file)) rmSync(file, { force: true });
    };
    process.once('exit', onExit);
    heldHere.add(file);
    return {
      publish: async (endpoints) => {
        lock = { ...lock, ...endpoints };
        await write('w');
      },
      release: async () => {
        process.removeListener('exit', onExit);
        heldHere.delete(file);
        if (ownsLockFile(file)) await rm(file, { force: true });
      },
    };
  }

  /** Appends one JSON line per delivered alert. */
  async appendOutbox(entries: unknown[]): Promise<void> {
    if (entries.length === 0) return;
    await appendFile(this.outbox, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }

  #staleness(lock: LocalLock): Promise<string | null> {
    return lock.pid === process.pid && heldHere.has(this.lockFile) ? Promise.resolve(null) : staleness(lock);
  }

  async #read(): Promise<LocalLock | { unreadable: string } | null> {
    let text: string;
    try {
      text = await readFile(this.lockFile, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    try {
      const parsed = lockSchema.safeParse(JSON.parse(text));
      if (parsed.success) return parsed.data;
      return { unreadable: `not a lock (${z.prettifyError(parsed.error).replaceAll('\n', ' ')})` };
    } catch {
      // A lock cut short by a crash mid-write: nobody can be holding the folder through it.
      return { unreadable: 'not JSON (cut short?)' };
    }
  }
}

/** How long a mutex file may stand before it is taken for one left by a crash. */
const MUTEX_STALE_MS = 30_000;
/** How long to wait for another command to finish taking or refusing the lock. */
const MUTEX_WAIT_MS = 10_000;

/** Runs `body` while holding `mutex`, a file created exclusively and removed afterwards. */
async function withMutex<T>(mutex: string, body: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + MUTEX_WAIT_MS;
  for (;;) {
    try {
      await writeFile(mutex, String(process.pid), { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const since = (await stat(mutex).catch(() => null))?.mtimeMs;
      if (since !== undefined && Date.now() - since > MUTEX_STALE_MS) await rm(mutex, { force: true });
      else if (Date.now() > deadline)
        throw new Error(`${mutex}: another signpost command is still taking the lock; try again`);
      else await new Promise((r) => setTimeout(r, 25));
    }
  }
  try {
    return await body();
  } finally {
    await rm(mutex, { force: true });
  }
}

/**
 * Why a lock no longer stands for a running command, or null when it does. A pid alone proves
 * nothing: in a container the CLI tends to get the same pid on every run, so a crashed run's lock
 * names a live process (often this one). The lock must name another live process AND, once it has
 * published its endpoints, one of them must answer (DynamoDB Local to ListTables, the API to
 * /v1/health).
 */
export async function staleness(lock: LocalLock, now = Date.now()): Promise<string | null> {
  if (lock.pid === process.pid) return `it names this process (pid ${lock.pid}), left by an earlier run`;
  if (!isAlive(lock.pid)) return `its process (pid ${lock.pid}) is gone`;
  const probes = [
    lock.dynamoEndpoint ? dynamoAnswers(lock.dynamoEndpoint) : null,
    lock.api ? apiAnswers(lock.api) : null,
  ].filter((p) => p !== null);
  if (probes.length === 0) {
    const age = lock.since ? now - Date.parse(lock.since) : Number.POSITIVE_INFINITY;
    return age <= STARTING_GRACE_MS
      ? null
      : `pid ${lock.pid} never published its endpoints (since ${lock.since ?? 'unknown'})`;
  }
  const answers = await Promise.all(probes);
  if (answers.some(Boolean)) return null;
  const endpoints = [lock.dynamoEndpoint, lock.api].filter(Boolean).join(', ');
  return `pid ${lock.pid} is alive but none of its endpoints answers (${endpoints}): another process has that pid`;
}

function ownsLockFile(file: string): boolean {
  try {
    return (JSON.parse(readFileSync(file, 'utf8')) as { pid?: unknown }).pid === process.pid;
  } catch {
    return false;
  }
}

async function dynamoAnswers(endpoint: string): Promise<boolean> {
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    requestHandler: { connectionTimeout: PROBE_TIMEOUT_MS, requestTimeout: PROBE_TIMEOUT_MS },
  });
  try {
    // The request timeout alone only logs a warning (the SDK's handler): a stopped JVM that accepted the
    // connection would hold this probe for ever. The abort signal ends it.
    await client.send(new ListTablesCommand({ Limit: 1 }), {
      abortSignal: AbortSignal.timeout(PROBE_TIMEOUT_MS),
    });
    return true;
  } catch {
    return false;
  } finally {
    client.destroy();
  }
}

async function apiAnswers(api: string): Promise<boolean> {
  try {
    // Any HTTP answer will do: before its handlers are loaded a starting API may answer 503.
    await fetch(new URL('/v1/health', api), { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    return true;
  } catch {
    return false;
  }
}
