// The data folder's lock: which locks stand for a running command and which are stale, and how a
// command takes, publishes and releases it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataDir, DataDirInUseError, type LocalLock, staleness } from '../../cli/local/data-dir.ts';

/** A port nothing listens on: bound, then closed again. */
async function deadEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return `http://127.0.0.1:${port}`;
}

// The parent of the test worker: a live process that is not this one.
const OTHER_LIVE_PID = process.ppid;
/** The test run's DynamoDB Local and SNS emulator: endpoints that answer, as a running command's do. */
const LIVE_ENDPOINTS = {
  dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
  snsEndpoint: process.env.AWS_ENDPOINT_URL_SNS,
};

let dataDir: DataDir;
beforeEach(async () => {
  dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'signpost-lock-')));
});
afterEach(async () => {
  await rm(dataDir.path, { recursive: true, force: true });
});

async function writeLock(lock: Partial<LocalLock>): Promise<void> {
  await writeFile(dataDir.lockFile, JSON.stringify(lock));
}

describe('staleness of a data folder lock', () => {
  it('judges a lock naming this very process stale (a crashed run got the same pid again)', async () => {
    const reason = await staleness({
      pid: process.pid,
      command: 'start',
      dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
    });

    expect(reason).toMatch(/names this process/);
  });

  it('judges a live pid whose DynamoDB Local and API do not answer stale', async () => {
    const dead = await deadEndpoint();

    const reason = await staleness({
      pid: OTHER_LIVE_PID,
      command: 'start',
      dynamoEndpoint: dead,
      snsEndpoint: dead,
      api: dead,
    });

    expect(reason).toMatch(new RegExp(`pid ${OTHER_LIVE_PID} is alive but none of its endpoints answers`));
  });

  it('respects a live pid whose DynamoDB Local answers ListTables', async () => {
    const reason = await staleness({
      pid: OTHER_LIVE_PID,
      command: 'start',
      dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      api: await deadEndpoint(),
    });

    expect(reason).toBeNull();
  });

  it('judges a lock of a process that is gone stale', async () => {
    // Pids are below 2^22 on Linux; this one cannot exist.
    const reason = await staleness({ pid: 2 ** 30, command: 'replay' });

    expect(reason).toMatch(/is gone/);
  });

  it('respects a starting command until its endpoints are due, then judges it stale', async () => {
    const since = '2026-01-01T00:00:00.000Z';
    const lock: LocalLock = { pid: OTHER_LIVE_PID, command: 'start', since };

    expect(await staleness(lock, Date.parse(since) + 10_000)).toBeNull();
    expect(await staleness(lock, Date.parse(since) + 10 * 60_000)).toMatch(/never published its endpoints/);
  });
});

describe('DataDir lock', () => {
  it('replaces a lock naming this process and says so', async () => {
    // Arrange
    await writeLock({ pid: process.pid, dynamoEndpoint: await deadEndpoint(), snsEndpoint: 'x', api: 'y' });
    const notes: string[] = [];

    // Act
    const lock = await dataDir.acquire('start', (note) => notes.push(note));

    // Assert
    expect(notes).toEqual([
      expect.stringMatching(/^replacing the stale lock .*local\.json: it names this process/),
    ]);
    expect(JSON.parse(await readFile(dataDir.lockFile, 'utf8'))).toMatchObject({
      pid: process.pid,
      command: 'start',
    });
    await lock.release();
  });

  it('replaces a live pid lock whose endpoints do not answer', async () => {
    const dead = await deadEndpoint();
    await writeLock({
      pid: OTHER_LIVE_PID,
      command: 'start',
      dynamoEndpoint: dead,
      snsEndpoint: dead,
      api: dead,
    });
    const notes: string[] = [];

    const lock = await dataDir.acquire('replay', (note) => notes.push(note));

    expect(notes).toEqual([expect.stringContaining('none of its endpoints answers')]);
    expect(await dataDir.holder()).toMatchObject({ pid: process.pid, command: 'replay' });
    await lock.release();
  });

  it('refuses while a running start holds it, naming the command and its API', async () => {
    // Arrange: a start in another process, on the test run's DynamoDB Local
    await writeLock({
      pid: OTHER_LIVE_PID,
      command: 'start',
      ...LIVE_ENDPOINTS,
      api: 'http://127.0.0.1:3000',
      table: 'signpost-local',
    });

    // Act
    const taking = dataDir.acquire('start');

    // Assert
    await expect(taking).rejects.toThrow(DataDirInUseError);
    await expect(taking).rejects.toThrow(
      `${dataDir.path} is in use by signpost start (pid ${OTHER_LIVE_PID}, API http://127.0.0.1:3000); stop it or use --data-dir`,
    );
    expect(await dataDir.running()).toMatchObject({ pid: OTHER_LIVE_PID, command: 'start' });
  });

  it('reads a lock written before locks named their command as a start', async () => {
    await writeLock({ pid: OTHER_LIVE_PID, ...LIVE_ENDPOINTS });

    expect(await dataDir.running()).toMatchObject({ command: 'start' });
  });

  it('does not offer a replay holding the folder as a running start', async () => {
    await writeLock({ pid: OTHER_LIVE_PID, command: 'replay', ...LIVE_ENDPOINTS });

    expect(await dataDir.running()).toBeNull();
    await expect(dataDir.acquire('start')).rejects.toThrow(
      /is in use by signpost replay \(pid \d+\); wait for it to finish/,
    );
  });

  it('replaces a lock cut short mid-write', async () => {
    await writeFile(dataDir.lockFile, '{"pid": 12');
    const notes: string[] = [];

    const lock = await dataDir.acquire('assess', (note) => notes.push(note));

    expect(notes).toEqual([expect.stringContaining('not JSON')]);
    await lock.release();
  });

  it('publishes the endpoints, and release removes only its own lock', async () => {
    // Arrange
    const lock = await dataDir.acquire('start');

    // Act
    await lock.publish({ dynamoEndpoint: 'http://a', snsEndpoint: 'http://b', api: 'http://c' });
    const published = JSON.parse(await readFile(dataDir.lockFile, 'utf8'));
    await writeLock({ pid: OTHER_LIVE_PID, command: 'replay' });
    await lock.release();

    // Assert
    expect(published).toMatchObject({ pid: process.pid, dynamoEndpoint: 'http://a', api: 'http://c' });
    expect(existsSync(dataDir.lockFile)).toBe(true);
  });
});

describe('DataDir lock within one process', () => {
  it('is held, not stale, for the process that took it, and a second taker is refused', async () => {
    const lock = await dataDir.acquire('replay');

    expect(await dataDir.holder()).toMatchObject({ pid: process.pid, command: 'replay' });
    await expect(dataDir.acquire('start')).rejects.toThrow(/in use by signpost replay/);
    await lock.release();
    expect(existsSync(dataDir.lockFile)).toBe(false);
  });
});

describe('DataDir lock across processes', () => {
  it('gives a stale lock to exactly one of three commands that judge it at the same moment', async () => {
    // Arrange: a lock of a process that is gone, and three processes released on the same tick.
    await writeLock({ pid: 999_999, command: 'start', since: new Date().toISOString() });
    const script = join(dataDir.path, 'take.ts');
    await writeFile(
      script,
      `import { DataDir } from ${JSON.stringify(join(process.cwd(), 'cli/local/data-dir.ts'))};
const at = Number(process.argv[3]);
while (Date.now() < at) {}
try {
  await new DataDir(process.argv[2]).acquire('replay');
  console.log('held');
  await new Promise((r) => setTimeout(r, 1500));
} catch (error) {
  console.log((error as Error).name);
}
`,
    );
    const at = String(Date.now() + 1_500);

    // Act
    const outcomes = await Promise.all(
      [1, 2, 3].map(
        () =>
          new Promise<string>((done, fail) =>
            execFile(process.execPath, [script, dataDir.path, at], (error, stdout) =>
              error ? fail(error) : done(stdout.trim()),
            ),
          ),
      ),
    );

    // Assert
    expect(outcomes.sort()).toEqual(['DataDirInUseError', 'DataDirInUseError', 'held']);
  }, 30_000);
});
