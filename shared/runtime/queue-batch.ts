// A batch of SQS messages as a function's event source mapping delivers it: the bodies checked, worked
// through in order per message group, the failures reported as a partial batch response.
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from './validation.ts';

/** A message of a batch, its body checked; `body` is null when it does not match (it will never do). */
export interface Received<T> {
  messageId: string;
  /** The FIFO message group; the message id on a standard queue (every message its own group). */
  group: string;
  body: T | null;
  /** Why the body does not match: `not JSON`, or the schema's issues (field path and message each). */
  problem?: string | z.core.$ZodIssue[];
}

export function received<T>(records: SQSRecord[], schema: z.ZodMiniType<T>): Received<T>[] {
  return records.map((record) => {
    const group = record.attributes.MessageGroupId ?? record.messageId;
    let parsed: unknown;
    try {
      parsed = JSON.parse(record.body);
    } catch {
      return { messageId: record.messageId, group, body: null, problem: 'not JSON' };
    }
    const result = z.safeParse(schema, parsed);
    return result.success
      ? { messageId: record.messageId, group, body: result.data }
      : {
          messageId: record.messageId,
          group,
          body: null,
          problem: result.error.issues,
        };
  });
}

/**
 * Works through a batch: groups in parallel, each group's messages in order. A message that fails is
 * reported with every later message of its group (SQS returns them to the queue, and the group's order
 * holds); the other groups go on. Returned as Lambda's partial batch response.
 */
export async function inOrderPerGroup<T>(
  messages: Received<T>[],
  work: (message: Received<T>) => Promise<boolean>,
): Promise<SQSBatchResponse> {
  const groups = new Map<string, Received<T>[]>();
  for (const message of messages) groups.set(message.group, [...(groups.get(message.group) ?? []), message]);
  const failed = await Promise.all(
    [...groups.values()].map(async (group) => {
      for (const [i, message] of group.entries()) if (!(await work(message))) return group.slice(i);
      return [];
    }),
  );
  return { batchItemFailures: failed.flat().map((m) => ({ itemIdentifier: m.messageId })) };
}

/** Whether `event` is a batch from an SQS event source mapping (not a schedule's or a direct input). */
export function isQueueEvent(event: unknown): event is SQSEvent {
  const records = (event as { Records?: unknown } | null)?.Records;
  return Array.isArray(records) && (records[0] as SQSRecord | undefined)?.eventSource === 'aws:sqs';
}

/**
 * The messages a later one of their group makes redundant: each message for which `current` holds
 * (it asks for the state of things when it is worked, not of a given instant) and which a later message
 * of its group, for which `current` holds too, follows. Malformed messages are never superseded.
 */
export function supersededInGroup<T>(messages: Received<T>[], current: (body: T) => boolean): Set<string> {
  const isCurrent = (m: Received<T>) => m.body !== null && current(m.body);
  return new Set(
    messages
      .filter(
        (m, i) => isCurrent(m) && messages.slice(i + 1).some((n) => n.group === m.group && isCurrent(n)),
      )
      .map((m) => m.messageId),
  );
}
