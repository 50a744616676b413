// Finds and stops a DynamoDB Local JVM left running on a data folder by a command that died without
// cleaning up (kill -9, an OOM kill): its 'exit' hook never ran, and the JVM lives on under pid 1.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** How long a JVM gets to end on SIGTERM before SIGKILL. */
const TERM_GRACE_MS = 5_000;

/**
 * The pids of the DynamoDB Local processes whose `-dbPath` is `dbPath`: the one the lock recorded
 * (checked, as a pid may have been reused) and, on Linux, any other found in /proc (a command killed
 * between starting the JVM and recording its pid in the lock).
 */
export function dynamoLocalsOn(dbPath: string, recordedPid?: number): number[] {
  const folder = resolve(dbPath);
  const candidates = new Set<number>(recordedPid === undefined ? [] : [recordedPid]);
  for (const pid of procPids()) candidates.add(pid);
  return [...candidates].filter((pid) => pid !== process.pid && servesFolder(commandLine(pid), folder));
}

/** Stops each process (SIGTERM, then SIGKILL) and waits until none is DynamoDB Local on the folder. */
export async function stopDynamoLocals(dbPath: string, pids: number[]): Promise<void> {
  const folder = resolve(dbPath);
  const running = () => pids.filter((pid) => servesFolder(commandLine(pid), folder));
  for (const pid of running()) signal(pid, 'SIGTERM');
  const deadline = Date.now() + TERM_GRACE_MS;
  while (running().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  for (const pid of running()) signal(pid, 'SIGKILL');
  // A zombie (its new parent has not reaped it yet) has an empty command line, so this ends, unless a
  // process is not ours to kill (another user's): then say so rather than wait for ever.
  const killDeadline = Date.now() + TERM_GRACE_MS;
  while (running().length > 0 && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 50));
  const left = running();
  if (left.length > 0) {
    throw new Error(
      `cannot stop the DynamoDB Local running on ${folder} (pid ${left.join(', ')}); stop it, then run the command again`,
    );
  }
}

/**
 * Whether `ancestor` started `pid`, directly or through other processes (the watchdog shell): read from
 * /proc on Linux, from `ps` elsewhere; false when the chain cannot be read.
 */
export function descendsFrom(pid: number, ancestor: number): boolean {
  let current: number | undefined = pid;
  // A process tree is shallow; the bound only guards against a chain read while it changes.
  for (let depth = 0; depth < 32 && current !== undefined && current > 1; depth++) {
    current = parentOf(current);
    if (current === ancestor) return true;
  }
  return false;
}

function parentOf(pid: number): number | undefined {
  try {
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so read after the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    return Number.isSafeInteger(ppid) ? ppid : undefined;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || process.platform === 'linux') return undefined;
  }
  try {
    const ppid = Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
    return Number.isSafeInteger(ppid) && ppid > 0 ? ppid : undefined;
  } catch {
    return undefined;
  }
}

function servesFolder(args: string[] | null, folder: string): boolean {
  if (!args?.some((a) => a.endsWith('DynamoDBLocal.jar'))) return false;
  const at = args.indexOf('-dbPath');
  return at >= 0 && args[at + 1] !== undefined && resolve(args[at + 1] as string) === folder;
}

function procPids(): number[] {
  try {
    return readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return []; // not Linux: only the recorded pid is checked
  }
}

/** A process's arguments (/proc on Linux, `ps` elsewhere), or null when it is gone. */
function commandLine(pid: number): string[] | null {
  try {
    const raw = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw === '' ? null : raw.split('\0').filter(Boolean);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || process.platform === 'linux') return null;
  }
  try {
    // Without /proc the arguments come as one line: split on spaces (the folder must not contain any).
    const line = execFileSync('ps', ['-ww', '-o', 'args=', '-p', String(pid)], { encoding: 'utf8' });
    return line.trim() === '' ? null : line.trim().split(/\s+/);
  } catch {
    return null;
  }
}

/** Sends a signal, ignoring a process that is already gone. */
export function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Already gone.
  }
}

/** Whether the process exists (signal 0 checks without touching it; EPERM: it exists, not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
