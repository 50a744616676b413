// BatchWrite under throttling: DynamoDB leaves items unprocessed, which DynamoDB Local never does.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { batchPut } from '../../../shared/store/observations.ts';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const db = DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'us-east-1', credentials }));
const mock = mockClient(db);
const items = [
  { pk: 'IND#a', sk: 'OBS#2026-01-01' },
  { pk: 'IND#a', sk: 'OBS#2026-02-01' },
];

describe('batchPut', () => {
  afterEach(() => {
    mock.reset();
  });

  it('sends the items DynamoDB left unprocessed again, and only those', async () => {
    // Arrange
    const left = [{ PutRequest: { Item: items[1] } }];
    mock
      .on(BatchWriteCommand)
      .resolvesOnce({ UnprocessedItems: { 'signpost-test': left } })
      .resolves({});

    // Act
    await batchPut({ db, name: 'signpost-test' }, items);

    // Assert
    const sent = mock
      .commandCalls(BatchWriteCommand)
      .map((c) => c.args[0].input.RequestItems?.['signpost-test']);
    expect(sent).toEqual([items.map((Item) => ({ PutRequest: { Item } })), left]);
  });
});
