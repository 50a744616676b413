// How each work queue feeds its function: the CDK event source mappings and local mode's workers are both
// derived from this, so local mode runs the shape that is deployed.

export interface QueueTrigger {
  /** FIFO: in order within a message group (a scenario), in parallel across groups. */
  fifo: boolean;
  /** The most messages one invocation receives (a FIFO queue gives at most 10). */
  batchSize: number;
  /** The most invocations the queue runs at once (Lambda's event source `maxConcurrency`, 2 to 1,000). */
  maxConcurrency: number;
  /** Receives before a message is moved to its dead-letter queue. */
  maxReceiveCount: number;
}

export const QUEUE_TRIGGERS = {
  /**
   * One indicator per message. Five per batch keep a batch well inside the function's two minutes
   * (30 s fetch budget each, one after another); 20 at once bound the fetches in flight across all
   * publishers, and the dispatcher spaces one host's indicators (shared/app/fan-out.ts).
   */
  ingest: { fifo: false, batchSize: 5, maxConcurrency: 20, maxReceiveCount: 3 },
  /** One scenario per message, grouped by scenario. 50 at once leave room under 200 in all. */
  evaluate: { fifo: true, batchSize: 10, maxConcurrency: 50, maxReceiveCount: 3 },
} as const satisfies Record<string, QueueTrigger>;
