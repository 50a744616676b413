// Runs the `signpost` CLI as a user does: a child process, its stdout, stderr and exit code.
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['cli/main.ts', ...args], {
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A CLI run still going: its child process, the output so far, and a wait for a line of it. */
export interface RunningCli {
  child: ChildProcess;
  output(): string;
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  result: Promise<CliResult & { signal: NodeJS.Signals | null }>;
}

/** Spawns `command` (the CLI, or a shell that execs it) and keeps reading its stdout and stderr. */
export function spawnCli(command: string, args: string[], env: NodeJS.ProcessEnv = {}): RunningCli {
  const child = spawn(command, args, {
    env: { ...process.env, NO_COLOR: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const result = new Promise<CliResult & { signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const output = () => stdout + stderr;
  return {
    child,
    output,
    result,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = output().match(pattern);
        if (match) return match;
        if (Date.now() > deadline || child.exitCode !== null)
          throw new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${output()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/**
 * A data folder under `parent` whose lock names this test process as a running `start` on the test
 * run's DynamoDB Local: replays and backtests run there (in a fresh table they drop) instead of
 * starting their own.
 */
export async function dataDirOfRunningStart(parent: string): Promise<string> {
  const dataDir = await mkdtemp(join(parent, 'data-'));
  await writeFile(
    join(dataDir, 'local.json'),
    JSON.stringify({
      pid: process.pid,
      dynamoEndpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      snsEndpoint: process.env.AWS_ENDPOINT_URL_SNS,
      api: 'http://127.0.0.1:1',
      table: 'signpost-local',
    }),
  );
  return dataDir;
}
