// Commands sharing a data folder, run as a user runs them: a stale lock does not block `start`, a
// running `start` or a replay holding the folder is respected, and Ctrl-C releases the lock.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServices } from '../../cli/local/services.ts';
import { type RunningCli, runCli, spawnCli } from './run-cli.ts';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

const MANUAL_FIXTURES = 'test/e2e/fixtures/manual-scenarios';

let dir: string;
const children: RunningCli[] = [];
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'signpost-lock-cli-'));
});
afterAll(async () => {
  for (const { child } of children) if (child.exitCode === null) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

/** The arguments of `signpost start` on the data folder `data`: a free port, the manual fixtures. */
const startArgs = (data: string) => [
  'start',
  '--data-dir',
  data,
  '--port',
  '0',
  '--scenarios',
  MANUAL_FIXTURES,
];

/** `signpost start` on `data` in a process of its own, once its API is ready. */
async function readyStart(data: string): Promise<RunningCli> {
  const start = spawnCli(process.execPath, ['cli/main.ts', ...startArgs(data)]);
  children.push(start);
  await start.waitFor(/API ready after/, 120_000);
  return start;
}

/** Reads the lock until `ready` accepts it. */
async function lockWhen(
  file: string,
  ready: (lock: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const lock = JSON.parse(await readFile(file, 'utf8'));
      if (ready(lock)) return lock;
    } catch {
      // Not written yet, or being written.
    }
    if (Date.now() > deadline) throw new Error(`${file} never became ready`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The processes serving DynamoDB Local on this database folder, as `ps` lists them. */
function dynamoLocalsOn(folder: string): { jvms: number[]; watchdogs: number[] } {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line.includes('DynamoDBLocal.jar') && line.includes(`-dbPath ${folder} `));
  const pids = (match: RegExp) => lines.filter((l) => match.test(l)).map((l) => Number.parseInt(l, 10));
  return { jvms: pids(/^\d+ java /), watchdogs: pids(/dynamo-local-watchdog\.sh/) };
}

async function until(check: () => boolean, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  return check();
}

describe.concurrent('the data folder lock', () => {
  it('takes DynamoDB Local down with a start killed with SIGKILL', async () => {
    // Arrange
    const data = await mkdtemp(join(dir, 'sigkill-'));
    const start = await readyStart(data);
    const { jvms } = dynamoLocalsOn(data);
    expect(jvms).toHaveLength(1);
    // The lock names the JVM itself, not its watchdog shell: the pid a later command stops.
    expect(await lockWhen(join(data, 'local.json'), (l) => l.dynamoPid !== undefined)).toMatchObject({
      dynamoPid: jvms[0],
    });

    // Act
    start.child.kill('SIGKILL');
    await start.result;

    // Assert: no JVM is left on the folder
    expect(await until(() => dynamoLocalsOn(data).jvms.length === 0)).toBe(true);
  }, 180_000);

  it('stops the DynamoDB Local a killed start left on the folder, so the next start runs the only one', async () => {
    // Arrange: a start and its watchdog killed with SIGKILL (as an OOM killer may) leave the JVM running
    const data = await mkdtemp(join(dir, 'killed-'));
    const killed = await readyStart(data);
    for (const pid of dynamoLocalsOn(data).watchdogs) process.kill(pid, 'SIGKILL');
    killed.child.kill('SIGKILL');
    await killed.result;
    const orphans = dynamoLocalsOn(data).jvms;
    try {
      expect(orphans).toHaveLength(1);

      // Act
      const next = await readyStart(data);
      const running = dynamoLocalsOn(data).jvms;
      next.child.kill('SIGINT');
      const result = await next.result;

      // Assert: the orphan was stopped, with a note; one JVM ran, the new start's, and none is left
      expect(result.stderr).toMatch(
        new RegExp(
          `its process \\(pid ${killed.child.pid}\\) is gone; stopping the DynamoDB Local it left running on this folder \\(pid [\\d, ]*\\b${orphans[0]}\\b`,
        ),
      );
      expect(running).toHaveLength(1);
      expect(running).not.toContain(orphans[0]);
      expect(result.code).toBe(0);
      expect(await until(() => dynamoLocalsOn(data).jvms.length === 0)).toBe(true);
    } finally {
      for (const pid of dynamoLocalsOn(data).jvms) process.kill(pid, 'SIGKILL');
    }
  }, 150_000);

  it('refuses a second start while the first is stopped (SIGSTOP) and leaves its DynamoDB Local running', async () => {
    // Arrange: a start and its JVM stopped, so neither endpoint answers the second command's probes
    const data = await mkdtemp(join(dir, 'stopped-'));
    const first = await readyStart(data);
    const [jvm] = dynamoLocalsOn(data).jvms;
    if (jvm === undefined || first.child.pid === undefined) throw new Error('the first start runs no JVM');
    process.kill(jvm, 'SIGSTOP');
    process.kill(first.child.pid, 'SIGSTOP');
    try {
      // Act
      const second = await runCli(startArgs(data));

      // Assert: refused, naming the first start; its JVM was not touched
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(`is in use by signpost start (pid ${first.child.pid}`);
      expect(dynamoLocalsOn(data).jvms).toEqual([jvm]);
    } finally {
      process.kill(jvm, 'SIGCONT');
      process.kill(first.child.pid, 'SIGCONT');
    }
    first.child.kill('SIGINT');
    expect((await first.result).code).toBe(0);
    expect(await until(() => dynamoLocalsOn(data).jvms.length === 0)).toBe(true);
  }, 180_000);

  it('lets start replace a lock naming its own pid (a crashed run in a container), with a note', async () => {
    // Arrange: the shell writes its own pid, then exec hands that pid to the CLI (the reported reproduction)
    const data = await mkdtemp(join(dir, 'own-pid-'));
    const lock = join(data, 'local.json');
    const script =
      `echo '{"pid": '$$', "dynamoEndpoint": "http://127.0.0.1:9", "snsEndpoint": "http://127.0.0.1:9", "api": "http://127.0.0.1:9", "table": "signpost-local"}' > ${lock}; ` +
      `exec "${process.execPath}" cli/main.ts start --data-dir ${data} --port 0 --scenarios ${MANUAL_FIXTURES}`;
    const start = spawnCli('bash', ['-c', script]);
    children.push(start);

    // Act
    await start.waitFor(/API ready after/, 120_000);
    const held = JSON.parse(await readFile(lock, 'utf8'));
    start.child.kill('SIGINT');
    const result = await start.result;

    // Assert
    expect(result.stderr).toMatch(
      new RegExp(
        `signpost: replacing the stale lock ${lock}: it names this process \\(pid ${start.child.pid}\\)`,
      ),
    );
    expect(held).toMatchObject({ pid: start.child.pid, command: 'start' });
    expect(result.code).toBe(0);
    expect(existsSync(lock)).toBe(false);
  }, 180_000);

  it('refuses a start while a replay holds the folder, naming the replay; Ctrl-C on the replay frees it', async () => {
    // Arrange: a data folder with a database, so the replay starts its own DynamoDB Local on it
    const data = await mkdtemp(join(dir, 'replay-'));
    const lockFile = join(data, 'local.json');
    await writeFile(join(data, 'shared-local-instance.db'), '');
    const replay = spawnCli(process.execPath, [
      'cli/main.ts',
      'replay',
      '--scenario',
      'kupyansk',
      '--data-dir',
      data,
      '--from',
      '2022-03-01',
    ]);
    children.push(replay);
    const lock = await lockWhen(lockFile, (l) => typeof l.dynamoEndpoint === 'string');

    const replayTables = async (endpoint: string) => {
      const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
      try {
        const { TableNames = [] } = await client.send(new ListTablesCommand({}));
        return TableNames.filter((t) => t.startsWith('signpost-replay-'));
      } finally {
        client.destroy();
      }
    };
    // The replay's workspace table exists before it is interrupted.
    for (let tries = 0; (await replayTables(lock.dynamoEndpoint as string)).length === 0; tries++) {
      if (tries > 200) throw new Error('the replay never created its table');
      await new Promise((r) => setTimeout(r, 50));
    }

    // Act
    const start = await runCli(['start', '--data-dir', data, '--port', '0', '--scenarios', MANUAL_FIXTURES]);
    replay.child.kill('SIGINT');
    const replayed = await replay.result;

    // Assert: start refused in one line, naming the replay; the replay ended at once and left nothing behind
    expect(lock).toMatchObject({ pid: replay.child.pid, command: 'replay' });
    expect(start.code).toBe(1);
    expect(start.stderr).toBe(
      `signpost: ${data} is in use by signpost replay (pid ${replay.child.pid}); wait for it to finish, or use --data-dir or --in-memory\n`,
    );
    expect(replayed.code).toBe(130);
    expect(existsSync(lockFile)).toBe(false);
    await expect(fetch(lock.dynamoEndpoint as string)).rejects.toThrow();
    // and its workspace table was dropped from the persisted database
    const reopened = await startLocalServices({ dbPath: data });
    try {
      expect(await replayTables(reopened.dynamoEndpoint)).toEqual([]);
    } finally {
      await reopened.stop();
    }
  }, 180_000);

  it('releases the lock when an assess on the persisted database finishes', async () => {
    // Arrange
    const data = await mkdtemp(join(dir, 'assess-'));
    await writeFile(join(data, 'shared-local-instance.db'), '');

    // Act
    const result = await runCli(['assess', '--scenario', 'kupyansk', '--data-dir', data, '--json']);

    // Assert
    expect(result.code).toBe(0);
    expect(existsSync(join(data, 'local.json'))).toBe(false);
  }, 180_000);
});
