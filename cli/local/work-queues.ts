// The work queues on fauxqs, as the stateless stack deploys them (a standard ingest queue, a FIFO
// evaluation queue, each with its dead-letter queue), and the workers that take their messages as
// Lambda's SQS event source mappings do: several at once, batches of QUEUE_TRIGGERS' size, partial batch
// failures returned to the queue, in order per message group on the FIFO queue.
import { randomUUID } from 'node:crypto';
import {
  ChangeMessageVisibilityBatchCommand,
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSRecord } from 'aws-lambda';
import { QUEUE_TRIGGERS, type QueueTrigger } from '../../shared/runtime/queue-triggers.ts';
import { LOCAL_WORKERS } from '../options.ts';
import { type Invocable, invoke } from './lambda.ts';

export interface WorkQueueUrls {
  ingest: string;
  evaluate: string;
}

/** The environment the dispatch function reads the queues from. */
export function workQueueEnv(urls: WorkQueueUrls): Record<string, string> {
  return { INGEST_QUEUE_URL: urls.ingest, EVALUATE_QUEUE_URL: urls.evaluate };
}

/** The queues of the process's environment (set by whoever imported the handlers). */
export function workQueuesFromEnv(env: NodeJS.ProcessEnv = process.env): WorkQueueUrls {
  const { INGEST_QUEUE_URL: ingest, EVALUATE_QUEUE_URL: evaluate } = env;
  if (!ingest || !evaluate)
    throw new Error('INGEST_QUEUE_URL and EVALUATE_QUEUE_URL must be set: create the work queues first');
  return { ingest, evaluate };
}

function client(): SQSClient {
  return new SQSClient({ useQueueUrlAsEndpoint: false });
}

/** Creates the two work queues and their dead-letter queues, named with `prefix`. */
export async function createWorkQueues(
  prefix = `signpost-${randomUUID().slice(0, 8)}`,
): Promise<WorkQueueUrls> {
  const sqs = client();
  try {
    const create = async (name: string, trigger: QueueTrigger): Promise<string> => {
      const fifo = trigger.fifo ? { FifoQueue: 'true' } : {};
      const suffix = trigger.fifo ? '.fifo' : '';
      const dlq = await sqs.send(
        new CreateQueueCommand({ QueueName: `${prefix}-${name}-dlq${suffix}`, Attributes: fifo }),
      );
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: dlq.QueueUrl, AttributeNames: ['QueueArn'] }),
      );
      const queue = await sqs.send(
        new CreateQueueCommand({
          QueueName: `${prefix}-${name}${suffix}`,
          Attributes: {
            ...fifo,
            ...(trigger.fifo
              ? { DeduplicationScope: 'messageGroup', FifoThroughputLimit: 'perMessageGroupId' }
              : {}),
            VisibilityTimeout: '60',
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: Attributes?.QueueArn,
              maxReceiveCount: trigger.maxReceiveCount,
            }),
          },
        }),
      );
      if (!queue.QueueUrl) throw new Error(`fauxqs did not create the ${name} queue`);
      return queue.QueueUrl;
    };
    return {
      ingest: await create('ingest', QUEUE_TRIGGERS.ingest),
      evaluate: await create('evaluate', QUEUE_TRIGGERS.evaluate),
    };
  } finally {
    sqs.destroy();
  }
}

/** A received message as Lambda hands it to a function. */
function toRecord(message: Message, queueUrl: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? '',
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? '',
      ...(attributes.MessageGroupId ? { MessageGroupId: attributes.MessageGroupId } : {}),
      ...(attributes.MessageDeduplicationId
        ? { MessageDeduplicationId: attributes.MessageDeduplicationId }
        : {}),
      ...(attributes.SequenceNumber ? { SequenceNumber: attributes.SequenceNumber } : {}),
    },
    messageAttributes: {},
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueUrl,
    awsRegion: process.env.AWS_REGION ?? 'us-east-1',
  };
}

export interface Drained<R> {
  /** What each invocation returned. */
  results: R[];
  /** Invocations made. */
  batches: number;
  /** The bodies of the messages that failed every receive and were moved to the dead-letter queue. */
  deadLettered: string[];
}

/** The dead-letter queue createWorkQueues made for a work queue. */
export function deadLetterUrl(queueUrl: string): string {
  return queueUrl.replace(/(\.fifo)?$/, '-dlq$1');
}

/** Takes every message out of a queue: their bodies. */
async function takeAll(sqs: SQSClient, queueUrl: string): Promise<string[]> {
  const bodies: string[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
    );
    if (Messages.length === 0) return bodies;
    bodies.push(...Messages.map((m) => m.Body ?? ''));
    await sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
      }),
    );
  }
}

/**
 * Runs `workers` workers on `queueUrl` until it is empty (nothing visible, in flight or delayed) and
 * every worker is idle. Each takes a batch, invokes `handler`, deletes what succeeded and makes what
 * failed visible again at once (Lambda waits for the visibility timeout; locally there is no reason to),
 * so that after `maxReceiveCount` receives it lands in the dead-letter queue, whose messages are then
 * taken and returned. An invocation that throws fails its whole batch, as on Lambda.
 */
export async function drainQueue<R extends object>(
  queueUrl: string,
  handler: Invocable,
  name: string,
  trigger: QueueTrigger,
  workers = LOCAL_WORKERS,
): Promise<Drained<R>> {
  const sqs = client();
  const drained: Drained<R> = { results: [], batches: 0, deadLettered: [] };
  let busy = 0;
  const pending = async () => {
    const { Attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: queueUrl,
        AttributeNames: [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
          'ApproximateNumberOfMessagesDelayed',
        ],
      }),
    );
    return Object.values(Attributes).reduce((sum, n) => sum + Number(n), 0);
  };
  const worker = async () => {
    for (;;) {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: queueUrl,
          MaxNumberOfMessages: trigger.batchSize,
          MessageSystemAttributeNames: ['All'],
          WaitTimeSeconds: 0,
        }),
      );
      if (Messages.length === 0) {
        if (busy === 0 && (await pending()) === 0) return;
        // Another worker holds the rest (or a FIFO group is in flight, or a message is delayed).
        await new Promise((resolve) => setTimeout(resolve, 20));
        continue;
      }
      busy++;
      try {
        const records = Messages.map((m) => toRecord(m, queueUrl));
        let failed: Set<string>;
        try {
          const result = await invoke<R>(handler, name, { Records: records });
          drained.results.push(result);
          const { batchItemFailures = [] } = result as Partial<SQSBatchResponse>;
          failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        } catch {
          failed = new Set(records.map((r) => r.messageId));
        }
        drained.batches++;
        const done = Messages.filter((m) => !failed.has(m.MessageId ?? ''));
        const again = Messages.filter((m) => failed.has(m.MessageId ?? ''));
        const entries = (list: Message[]) =>
          list.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle }));
        if (done.length > 0)
          await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries(done) }));
        if (again.length > 0)
          await sqs.send(
            new ChangeMessageVisibilityBatchCommand({
              QueueUrl: queueUrl,
              Entries: entries(again).map((e) => ({ ...e, VisibilityTimeout: 0 })),
            }),
          );
      } finally {
        busy--;
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: workers }, worker));
    drained.deadLettered = await takeAll(sqs, deadLetterUrl(queueUrl));
    return drained;
  } finally {
    sqs.destroy();
  }
}
