// Manual writes under contention: the failures real DynamoDB produces and DynamoDB Local (which runs
// transactions one at a time) does not. The happy paths run on DynamoDB Local in api-writes.test.ts.
import { DynamoDBClient, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ConcurrentWriteError,
  MAX_MANUAL_OBSERVATIONS,
  putManualObservations,
} from '../../../shared/store/manual-observations.ts';
import { NO_ITEM_YET } from '../../../shared/store/table.ts';

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

    const failed = write();

    await expect(failed).rejects.toBeInstanceOf(ConcurrentWriteError);
    await expect(failed).rejects.toMatchObject({
      name: 'ConcurrentWriteError',
      message: 'the stored values of probe changed during 3 attempts to write them',
    });
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

/** The items of the one transaction written. */
const transactItems = () => {
  const calls = mock.commandCalls(TransactWriteCommand);
  expect(calls).toHaveLength(1);
  return calls[0]?.args[0].input.TransactItems ?? [];
};

describe('a manual write', () => {
  afterEach(() => {
    mock.reset();
  });

  it('passes on an error that is not a cancelled transaction, after one attempt', async () => {
    const down = new Error('socket hang up');
    mock.on(QueryCommand).resolves({ Items: [stored] });
    mock.on(TransactWriteCommand).rejects(down);

    await expect(write()).rejects.toBe(down);
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('writes a new value on the condition that no item is there yet, with no revision', async () => {
    mock.on(QueryCommand).resolves({ Items: [] });
    mock.on(TransactWriteCommand).resolves({});

    const result = await write();

    expect(result).toEqual({ written: 1, revised: 0 });
    const [put] = transactItems();
    expect(transactItems()).toHaveLength(1);
    expect(put?.Put).toMatchObject({
      TableName: 'signpost-test',
      Item: { value: 2, fetchedAt: '2026-01-06T00:00:00.000Z' },
      ConditionExpression: NO_ITEM_YET,
    });
  });

  it('replaces a changed value on the condition that it still holds the value and fetch read', async () => {
    mock.on(QueryCommand).resolves({ Items: [stored] });
    mock.on(TransactWriteCommand).resolves({});

    await write();

    const [revision, put] = transactItems();
    expect(revision?.Put).toMatchObject({ Item: { value: 1 }, ConditionExpression: NO_ITEM_YET });
    expect(put?.Put).toMatchObject({
      Item: { value: 2 },
      ConditionExpression: '#value = :value AND fetchedAt = :fetchedAt',
      ExpressionAttributeNames: { '#value': 'value' },
      ExpressionAttributeValues: { ':value': 1, ':fetchedAt': '2026-01-05T00:00:00.000Z' },
    });
  });

  it('conditions the replacement of a value stored without a fetch time on there still being none', async () => {
    const { fetchedAt: _, ...unfetched } = stored;
    mock.on(QueryCommand).resolves({ Items: [unfetched] });
    mock.on(TransactWriteCommand).resolves({});

    await write();

    const put = transactItems().at(-1)?.Put;
    expect(put?.ConditionExpression).toBe('#value = :value AND attribute_not_exists(fetchedAt)');
    expect(put?.ExpressionAttributeValues).toStrictEqual({ ':value': 1 }); // no :fetchedAt to compare with
  });

  it('rewrites an unchanged value without a revision, on the same condition', async () => {
    mock.on(QueryCommand).resolves({ Items: [{ ...stored, value: 2 }] });
    mock.on(TransactWriteCommand).resolves({});

    const result = await write();

    expect(result).toEqual({ written: 1, revised: 0 });
    expect(transactItems()).toHaveLength(1);
    expect(transactItems()[0]?.Put?.ConditionExpression).toBe('#value = :value AND fetchedAt = :fetchedAt');
  });

  it('writes nothing and reads nothing for no observations', async () => {
    const result = await putManualObservations(table, [], '2026-01-06T00:00:00.000Z');

    expect(result).toEqual({ written: 0, revised: 0 });
    expect(mock.calls()).toHaveLength(0);
  });

  it(`takes ${MAX_MANUAL_OBSERVATIONS} observations in one transaction and refuses one more`, async () => {
    mock.on(QueryCommand).resolves({ Items: [] });
    mock.on(TransactWriteCommand).resolves({});
    const periods = (n: number) =>
      Array.from({ length: n }, (_, i) => ({
        ...observation,
        period: `2026-01-01T${String(i).padStart(4, '0')}`,
      }));

    const result = await putManualObservations(
      table,
      periods(MAX_MANUAL_OBSERVATIONS),
      '2026-01-06T00:00:00.000Z',
    );
    const tooMany = putManualObservations(
      table,
      periods(MAX_MANUAL_OBSERVATIONS + 1),
      '2026-01-06T00:00:00.000Z',
    );

    expect(result).toEqual({ written: MAX_MANUAL_OBSERVATIONS, revised: 0 });
    await expect(tooMany).rejects.toThrow(
      new RangeError(`at most ${MAX_MANUAL_OBSERVATIONS} observations per write`),
    );
    expect(mock.commandCalls(TransactWriteCommand)).toHaveLength(1);
  });

  it('refuses observations of two indicators in one write, writing nothing', async () => {
    const mixed = [observation, { ...observation, indicatorId: 'other' }];

    const written = putManualObservations(table, mixed, '2026-01-06T00:00:00.000Z');

    await expect(written).rejects.toThrow(new RangeError('the observations of one indicator per write'));
    expect(mock.calls()).toHaveLength(0);
  });
});
