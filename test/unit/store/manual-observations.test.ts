// Manual writes under contention: the failures real DynamoDB produces and DynamoDB Local (which runs
// transactions one at a time) does not. The happy paths run on DynamoDB Local in api-writes.test.ts.
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { ConcurrentWriteError, putManualObservations } from '../../../shared/store/manual-observations.ts';

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const table = { db, name: 'signpost-test' };
const mock = mockClient(db);

const observation = { indicatorId: 'probe', period: '2026-01-01', value: 2, source: 'manual:api' };
const stored = { ...observation, value: 1, fetchedAt: '2026-01-05T00:00:00.000Z' };

/** A transaction cancelled with these reason codes, one per item, as DynamoDB reports it. */
const cancelled = (...codes: string[]) =>
  new TransactionCanceledException({
    message: 'Transaction cancelled',
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const write = () => putManualObservations(table, [observation], '2026-01-06T00:00:00.000Z');

describe('a manual write that meets a concurrent one', () => {
  afterEach(() => {
    mock.reset();
  });

  it('reads again and retries after a TransactionConflict, then writes the value with its revision', async () => {
    // Arrange
    mock.on(QueryCommand).resolves({ Items: [stored] });
    mock.on(TransactWriteCommand).rejectsOnce(cancelled('None', 'TransactionConflict')).resolves({});

    // Act
    const result = await write();

    // Assert
    expect(result).toEqual({ written: 1, revised: 1 });
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(2);
    expect(mock.commandCalls(QueryCommand)).toHaveLength(2);
  });

  it('reads what it conditions the write on with a strongly consistent read', async () => {
    mock.on(QueryCommand).resolves({ Items: [stored] });
    mock.on(TransactWriteCommand).resolves({});

    await write();

    expect(mock.commandCalls(QueryCommand).map((call) => call.args[0].input.ConsistentRead)).toEqual([true]);
  });

  it('gives up with a ConcurrentWriteError after three cancelled attempts', async () => {
    mock.on(QueryCommand).resolves({ Items: [stored] });
    mock.on(TransactWriteCommand).rejects(cancelled('ConditionalCheckFailed', 'None'));

    await expect(write()).rejects.toBeInstanceOf(ConcurrentWriteError);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(3);
  });

  it('passes on a cancellation that no retry can mend, after one attempt', async () => {
    const invalid = cancelled('ValidationError', 'None');
    mock.on(QueryCommand).resolves({ Items: [stored] });
    mock.on(TransactWriteCommand).rejects(invalid);

    await expect(write()).rejects.toBe(invalid);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });
});
