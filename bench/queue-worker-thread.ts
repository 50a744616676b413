// One queue worker in a thread of its own (bench/thread-workers.ts starts them): on Lambda each worker is
// an instance with its own CPU, so the scale bench runs each worker on its own event loop and V8 isolate,
// not all of them in one thread. The thread imports its function's handler once (its cold start), then
// on each request from the bench drains the queue as one worker and reports how many items it handled.
import { parentPort, workerData } from 'node:worker_threads';
import type { Invocable } from '../cli/local/lambda.ts';
import { drainQueue } from '../cli/local/work-queues.ts';
import { table } from '../shared/runtime/clients.ts';
import { QUEUE_TRIGGERS } from '../shared/runtime/queue-triggers.ts';

export type WorkerKind = 'ingest' | 'evaluate';
export interface DrainRequest {
  queueUrl: string;
  /** Each store request of the handler waits this long first (the simulated store latency). */
  latencyMs: number;
  /**
   * The share of a core the worker may use (1: as much as it gets). Below 1 an invocation lasts at
   * least its CPU time divided by the share: what a Lambda instance given that share of a vCPU takes.
   */
  cpuShare: number;
}
export interface DrainReport {
  /** Items the worker's invocations handled: indicators fetched, scenarios evaluated. */
  items: number;
  batches: number;
  deadLettered: string[];
}

const kind = (workerData as { kind: WorkerKind }).kind;
const port = parentPort;
if (!port) throw new Error('bench/queue-worker-thread.ts runs as a worker thread (bench/thread-workers.ts)');

const { handler } = (await import(`../functions/${kind}/handler.ts`)) as { handler: Invocable };
// The handler's one document client (shared/runtime/clients.ts) is this thread's own: delay its requests.
let latencyMs = 0;
table(process.env.TABLE_NAME ?? '').db.middlewareStack.add(
  (next) => async (request) => {
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    return next(request);
  },
  { step: 'initialize', name: 'simulatedLatency' },
);

/**
 * The handler held to `share` of a core: after an invocation that used c ms of this thread's CPU in
 * w ms, it waits c / share − w ms more (as Lambda's CPU quota would have stretched it). Only the
 * handler runs in this thread while it is invoked (the one worker awaits it), so the thread's CPU time
 * is the invocation's.
 */
function heldTo(share: number): Invocable {
  if (share >= 1) return handler;
  return async (event, context) => {
    const [cpu, start] = [process.threadCpuUsage(), performance.now()];
    const result = await handler(event, context);
    const used = process.threadCpuUsage(cpu);
    const cpuMs = (used.user + used.system) / 1000;
    const wait = cpuMs / share - (performance.now() - start);
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    return result;
  };
}

port.on('message', async (request: DrainRequest) => {
  latencyMs = request.latencyMs;
  const drained = await drainQueue<{ reports?: unknown[]; results?: unknown[] }>(
    request.queueUrl,
    heldTo(request.cpuShare),
    kind,
    QUEUE_TRIGGERS[kind],
    1,
  );
  const items = drained.results.reduce((sum, r) => sum + (r.reports ?? r.results ?? []).length, 0);
  const report: DrainReport = { items, batches: drained.batches, deadLettered: drained.deadLettered };
  port.postMessage(report);
});
port.postMessage('ready');
