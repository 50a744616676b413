import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  inOrderPerGroup,
  isQueueEvent,
  type Received,
  received,
  supersededInGroup,
} from '../../../shared/runtime/queue-batch.ts';
import * as z from '../../../shared/runtime/validation.ts';

function record(messageId: string, body: string, group?: string): SQSRecord {
  return {
    messageId,
    receiptHandle: messageId,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'test',
      ApproximateFirstReceiveTimestamp: '0',
      ...(group ? { MessageGroupId: group } : {}),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:us-east-1:000000000000:q',
    awsRegion: 'us-east-1',
  };
}

const message = (messageId: string, group: string): Received<{ n: number }> => ({
  messageId,
  group,
  body: { n: 0 },
});

describe('a batch from the queue', () => {
  it('checks each body, naming the field of one that does not match and telling non-JSON apart', () => {
    // Act
    const [good, wrong, garbled] = received(
      [record('1', '{"n":1}', 'g'), record('2', '{"n":"x"}'), record('3', 'not json')],
      z.strictObject({ n: z.number() }),
    );

    // Assert
    expect(good).toEqual({ messageId: '1', group: 'g', body: { n: 1 } });
    expect(wrong).toMatchObject({
      messageId: '2',
      group: '2',
      body: null,
      problem: [expect.objectContaining({ path: ['n'], code: 'invalid_type' })],
    });
    expect(garbled).toMatchObject({ body: null, problem: 'not JSON' });
  });

  it('works through each group in order and the groups side by side', async () => {
    // Arrange: two groups; record the order of starts and ends.
    const log: string[] = [];
    const work = async (m: Received<{ n: number }>) => {
      log.push(`start ${m.messageId}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      log.push(`end ${m.messageId}`);
      return true;
    };

    // Act
    const response = await inOrderPerGroup(
      [message('a1', 'a'), message('b1', 'b'), message('a2', 'a')],
      work,
    );

    // Assert: b1 starts before a1 ends (side by side); a2 starts only after a1 ends (in order).
    expect(response.batchItemFailures).toEqual([]);
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
    expect(log.indexOf('start a2')).toBeGreaterThan(log.indexOf('end a1'));
  });

  it("reports a failed message with its group's later ones, unworked, and lets the other groups finish", async () => {
    // Arrange
    const worked: string[] = [];
    const work = async (m: Received<{ n: number }>) => {
      worked.push(m.messageId);
      return m.messageId !== 'a2';
    };

    // Act
    const response = await inOrderPerGroup(
      [message('a1', 'a'), message('a2', 'a'), message('b1', 'b'), message('a3', 'a'), message('b2', 'b')],
      work,
    );

    // Assert
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'a2' }, { itemIdentifier: 'a3' }]);
    expect(worked.sort()).toEqual(['a1', 'a2', 'b1', 'b2']);
  });

  it('tells an SQS batch from a stream batch and a direct input', () => {
    expect(isQueueEvent({ Records: [record('1', '{}')] })).toBe(true);
    expect(isQueueEvent({ Records: [{ eventSource: 'aws:dynamodb' }] })).toBe(false);
    expect(isQueueEvent({ scenarioId: 'x' })).toBe(false);
    expect(isQueueEvent(null)).toBe(false);
  });

  it("supersedes a group's 'now' messages by a later one of the same group, never an asOf or another group's", () => {
    // Arrange: a and b are groups; `now` messages carry no instant, the others one.
    const m = (messageId: string, group: string, now: boolean | null): Received<{ now: boolean }> => ({
      messageId,
      group,
      body: now === null ? null : { now },
    });
    const batch = [
      m('a1', 'a', true),
      m('b1', 'b', true),
      m('a2', 'a', false),
      m('a3', 'a', true),
      m('x', 'a', null),
    ];

    // Act
    const superseded = supersededInGroup(batch, (body) => body.now);

    // Assert: a1 (a3 follows it); not a3 (the last), a2 (an instant), b1 (alone), x (malformed).
    expect([...superseded]).toEqual(['a1']);
  });
});
