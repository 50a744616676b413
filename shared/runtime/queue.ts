// Sending work to an SQS queue in batches of ten, retrying the entries SQS did not take. The SQS client
// is imported on first send: the functions send after their work, and a cold start that only consumes
// (or only evaluates) never loads it (it would take most of evaluate's room in the 300 KB budget).
import type { SendMessageBatchRequestEntry, SQSClient } from '@aws-sdk/client-sqs';
import { retry } from './retry.ts';

/** One message: its body, and on a FIFO queue its group and deduplication id; on a standard one a delay. */
export interface QueueMessage {
  body: unknown;
  groupId?: string;
  deduplicationId?: string;
  delaySeconds?: number;
}

/** SQS takes at most ten entries per SendMessageBatch. */
const BATCH = 10;
/** Batches sent at once. */
const PARALLEL = 25;
/** Entries SQS failed for its own reasons (throttling, an internal error) are sent again: 4 attempts. */
const SEND_RETRY = {
  attempts: 4,
  minDelayMs: 100,
  maxDelayMs: 2_000,
  retryOn: (e: unknown) => e instanceof SendError && e.retriable,
};

/** Entries SQS did not take; `retriable` unless one was the sender's fault (it would fail again). */
export class SendError extends Error {
  readonly retriable: boolean;
  constructor(
    queueUrl: string,
    failed: {
      Id?: string | undefined;
      Code?: string | undefined;
      Message?: string | undefined;
      SenderFault?: boolean | undefined;
    }[],
  ) {
    super(
      `${failed.length} message(s) not accepted by ${queueUrl}: ` +
        failed.map((f) => `${f.Code ?? 'error'} (${f.Message ?? 'no message'})`).join('; '),
    );
    this.name = 'SendError';
    this.retriable = !failed.some((f) => f.SenderFault);
  }
}

type Sqs = Pick<typeof import('@aws-sdk/client-sqs'), 'SendMessageBatchCommand'> & { client: SQSClient };
let loaded: Promise<Sqs> | undefined;

function sqs(): Promise<Sqs> {
  loaded ??= import('@aws-sdk/client-sqs').then(({ SQSClient, SendMessageBatchCommand }) => ({
    // The endpoint follows the region (or AWS_ENDPOINT_URL_SQS locally), not the queue URL's host.
    client: new SQSClient({ useQueueUrlAsEndpoint: false }),
    SendMessageBatchCommand,
  }));
  return loaded;
}

/** Sends every message (ten per request, 25 requests at once); throws SendError naming what failed. */
export async function sendMessages(queueUrl: string, messages: QueueMessage[]): Promise<void> {
  if (messages.length === 0) return;
  const { client, SendMessageBatchCommand } = await sqs();
  const batches = Array.from({ length: Math.ceil(messages.length / BATCH) }, (_, i) =>
    messages.slice(i * BATCH, (i + 1) * BATCH),
  );
  const sendBatch = async (batch: QueueMessage[]) => {
    let pending: SendMessageBatchRequestEntry[] = batch.map((m, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify(m.body),
      ...(m.groupId ? { MessageGroupId: m.groupId } : {}),
      ...(m.deduplicationId ? { MessageDeduplicationId: m.deduplicationId } : {}),
      ...(m.delaySeconds ? { DelaySeconds: m.delaySeconds } : {}),
    }));
    await retry(async () => {
      const { Failed = [] } = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: pending }),
      );
      if (Failed.length === 0) return;
      const failedIds = new Set(Failed.map((f) => f.Id));
      pending = pending.filter((e) => failedIds.has(e.Id));
      throw new SendError(queueUrl, Failed);
    }, SEND_RETRY);
  };
  // At most PARALLEL requests in flight: the SDK's 50 sockets, with room for the function's other calls.
  for (let i = 0; i < batches.length; i += PARALLEL)
    await Promise.all(batches.slice(i, i + PARALLEL).map(sendBatch));
}
