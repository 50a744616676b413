// The local data folder (`.signpost/` by default): DynamoDB Local's database file, the outbox of
// delivered alerts, and a lock naming the `start` that is running on it.
import { existsSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

export const DEFAULT_DATA_DIR = '.signpost';
/** The table `start` keeps its data in (replays use fresh tables next to it). */
export const LOCAL_TABLE = 'signpost-local';

/** What a running `start` publishes about itself, so other commands can use its DynamoDB Local. */
export interface RunningLocal {
  pid: number;
  dynamoEndpoint: string;
  snsEndpoint: string;
  api: string;
  table: string;
}

export class DataDir {
  readonly path: string;
  constructor(path: string) {
    this.path = resolve(path);
  }

  get outbox(): string {
    return join(this.path, 'outbox.jsonl');
  }

  get #lock(): string {
    return join(this.path, 'local.json');
  }

  /** True once DynamoDB Local has written its database file here (`-sharedDb` names it so). */
  hasDatabase(): boolean {
    return existsSync(join(this.path, 'shared-local-instance.db'));
  }

  async create(): Promise<void> {
    await mkdir(this.path, { recursive: true });
  }

  /** The `start` running on this folder, if any; a lock left by a process that died is ignored. */
  async running(): Promise<RunningLocal | null> {
    let lock: RunningLocal;
    try {
      lock = JSON.parse(await readFile(this.#lock, 'utf8')) as RunningLocal;
    } catch {
      return null;
    }
    return isAlive(lock.pid) ? lock : null;
  }

  async lock(running: RunningLocal): Promise<void> {
    await writeFile(this.#lock, `${JSON.stringify(running, null, 2)}\n`);
  }

  async unlock(): Promise<void> {
    await rm(this.#lock, { force: true });
  }

  /** Appends one JSON line per delivered alert. */
  async appendOutbox(entries: unknown[]): Promise<void> {
    if (entries.length === 0) return;
    await appendFile(this.outbox, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
  }
}

function isAlive(pid: number): boolean {
  try {
    // Signal 0 checks that the process exists without touching it.
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
