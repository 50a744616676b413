import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SendError, sendMessages } from '../../../shared/runtime/queue.ts';

const sqs = mockClient(SQSClient);
const QUEUE = 'https://sqs.us-east-1.amazonaws.com/000000000000/work.fifo';

describe('sending work to a queue', () => {
  beforeEach(() => {
    sqs.reset();
  });

  it('sends ten messages per request with their group, deduplication id and delay', async () => {
    // Arrange
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const messages = Array.from({ length: 23 }, (_, i) => ({
      body: { n: i },
      groupId: `g${i % 2}`,
      deduplicationId: `d${i}`,
      ...(i === 0 ? {} : { delaySeconds: i }),
    }));

    // Act
    await sendMessages(QUEUE, messages);

    // Assert
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Entries?.length)).toEqual([10, 10, 3]);
    expect(calls.every((c) => c.QueueUrl === QUEUE)).toBe(true);
    expect(calls[0]?.Entries?.slice(0, 2)).toEqual([
      { Id: '0', MessageBody: '{"n":0}', MessageGroupId: 'g0', MessageDeduplicationId: 'd0' },
      {
        Id: '1',
        MessageBody: '{"n":1}',
        MessageGroupId: 'g1',
        MessageDeduplicationId: 'd1',
        DelaySeconds: 1,
      },
    ]);
  });

  it('sends again only the entries SQS failed for its own reasons', async () => {
    // Arrange: the first attempt loses entry 1 to throttling.
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'ThrottlingException', SenderFault: false }] })
      .resolves({ Failed: [] });

    // Act
    await sendMessages(QUEUE, [{ body: 'a' }, { body: 'b' }, { body: 'c' }]);

    // Assert
    const calls = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries);
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual([{ Id: '1', MessageBody: '"b"' }]);
  });

  it("fails at once, naming the code, when an entry is the sender's fault", async () => {
    // Arrange
    sqs.on(SendMessageBatchCommand).resolves({
      Failed: [{ Id: '0', Code: 'InvalidParameterValue', Message: 'too long', SenderFault: true }],
    });

    // Act
    const sending = sendMessages(QUEUE, [{ body: 'a' }]);

    // Assert
    await expect(sending).rejects.toThrow(SendError);
    await expect(sending).rejects.toThrow(
      `1 message(s) not accepted by ${QUEUE}: InvalidParameterValue (too long)`,
    );
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });

  it('sends nothing for no messages', async () => {
    await sendMessages(QUEUE, []);
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });
});
