// Queue workers in threads of their own (bench/queue-worker-thread.ts), for the scale bench's throughput
// rounds: K workers on K event loops, as K Lambda instances would run, instead of K workers sharing the
// bench's one thread (where one CPU-bound evaluation worker already fills it).
import { Worker } from 'node:worker_threads';
import type { DrainReport, DrainRequest, WorkerKind } from './queue-worker-thread.ts';

export class ThreadWorkers {
  readonly #threads: Worker[];

  private constructor(threads: Worker[]) {
    this.#threads = threads;
  }

  /**
   * Starts `count` threads, each importing the `kind` function's handler with this process's environment
   * (set it first); resolves once every one is ready, so that no round pays their cold starts.
   */
  static async start(kind: WorkerKind, count: number): Promise<ThreadWorkers> {
    const threads = Array.from(
      { length: count },
      () => new Worker(new URL('./queue-worker-thread.ts', import.meta.url), { workerData: { kind } }),
    );
    await Promise.all(threads.map((thread) => reply<'ready'>(thread)));
    return new ThreadWorkers(threads);
  }

  /** Every thread drains the queue as one worker until it is empty; their reports, summed. */
  async drain(request: DrainRequest): Promise<DrainReport> {
    const reports = await Promise.all(
      this.#threads.map((thread) => {
        const answered = reply<DrainReport>(thread);
        thread.postMessage(request);
        return answered;
      }),
    );
    return {
      items: reports.reduce((sum, r) => sum + r.items, 0),
      batches: reports.reduce((sum, r) => sum + r.batches, 0),
      deadLettered: reports.flatMap((r) => r.deadLettered),
    };
  }

  async stop(): Promise<void> {
    await Promise.all(this.#threads.map((thread) => thread.terminate()));
  }
}

/** The thread's next message; its error or exit if it fails first. */
function reply<T>(thread: Worker): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const done = () => {
      thread.off('message', onMessage);
      thread.off('error', onError);
      thread.off('exit', onExit);
    };
    const onMessage = (message: T) => {
      done();
      resolve(message);
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`a queue worker thread exited with code ${code}`));
    };
    thread.on('message', onMessage);
    thread.on('error', onError);
    thread.on('exit', onExit);
  });
}
