// The one query, on the SDK's paginator: DynamoDB's pages followed, and a limit or a page of the API's
// lists read no further than they need. DynamoDB Local cuts no pages at these sizes, so the pages are mocked.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, QueryCommand, type QueryCommandInput } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Item } from '../../../shared/store/item.ts';
import { queryBetween, queryPage } from '../../../shared/store/query.ts';
import { key, partition, TABLE_KEY } from '../../../shared/store/table.ts';

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
);
const table = { db, name: 'signpost-test' };
const mock = mockClient(db);

const pk = partition.indicator('fires');
const item = (n: number): Item => ({ pk, sk: `OBS#${n}`, n });
const numberOf = (stored: Item) => Number(stored.n);

/** Answers with these pages in turn, each but the last pointing past itself; records each request. */
function pages(...contents: number[][]): QueryCommandInput[] {
  const requests: QueryCommandInput[] = [];
  mock.on(QueryCommand).callsFake((input: QueryCommandInput) => {
    // The paginator reuses one input object: keep each request as it was sent.
    requests.push(structuredClone(input));
    const index = requests.length - 1;
    const more = index < contents.length - 1;
    return {
      Items: (contents[index] ?? []).map(item),
      ...(more ? { LastEvaluatedKey: { pk, sk: `page ${index}` } } : {}),
    };
  });
  return requests;
}

describe('queryBetween', () => {
  beforeEach(() => {
    mock.reset();
  });

  it('follows the pages DynamoDB cuts, each request starting after the previous page', async () => {
    // Arrange
    const requests = pages([1, 2], [3], [4, 5]);

    // Act
    const read = await queryBetween(table, { pk, low: 'OBS#', high: 'OBS#\uffff' }, numberOf);

    // Assert
    expect(read).toEqual([1, 2, 3, 4, 5]);
    expect(requests.map((r) => r.ExclusiveStartKey)).toEqual([
      undefined,
      { pk, sk: 'page 0' },
      { pk, sk: 'page 1' },
    ]);
  });

  it('stops at the limit, reading no page after the one that reaches it', async () => {
    // Arrange: a page cut short (DynamoDB's 1 MB) before the limit is reached.
    const requests = pages([1], [2, 3], [4]);

    // Act
    const read = await queryBetween(table, { pk, low: 'OBS#', high: 'OBS#\uffff', limit: 2 }, numberOf);

    // Assert
    expect(read).toEqual([1, 2]);
    expect(requests).toHaveLength(2);
    expect(requests.map((r) => r.Limit)).toEqual([2, 2]);
  });

  it('reads the range and its attribute names as the table names them, newest first when asked', async () => {
    // Arrange
    const requests = pages([2, 1]);

    // Act
    await queryBetween(table, { pk, low: 'OBS#', high: 'OBS#9', descending: true }, numberOf);

    // Assert
    expect(requests[0]).toMatchObject({
      KeyConditionExpression: '#pk = :pk AND #sk BETWEEN :low AND :high',
      ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#sk': TABLE_KEY.sort },
      ExpressionAttributeValues: { ':pk': pk, ':low': 'OBS#', ':high': 'OBS#9' },
      ScanIndexForward: false,
    });
  });
});

describe('queryPage', () => {
  beforeEach(() => {
    mock.reset();
  });

  it('reads one item more than the page to tell that another page follows', async () => {
    // Arrange
    const requests = pages([1, 2], [3, 4]);

    // Act
    const page = await queryPage(table, key(pk, 'OBS', ''), { limit: 2 }, numberOf);

    // Assert
    expect(page).toEqual({ items: [1, 2], more: true });
    expect(requests.map((r) => r.Limit)).toEqual([3, 3]);
  });

  it('tells that no page follows when the range ends within the page', async () => {
    // Arrange
    pages([1], [2]);

    // Act
    const page = await queryPage(table, key(pk, 'OBS', ''), { limit: 2 }, numberOf);

    // Assert
    expect(page).toEqual({ items: [1, 2], more: false });
  });

  it('reads a filtered range without a limit, page after page, until the page is full', async () => {
    // Arrange: pages of what passed the filter; DynamoDB read more than it returned.
    const requests = pages([1], [], [2, 3], [4]);
    const filter = { expression: '#at >= :from', names: { '#at': 'at' }, values: { ':from': '2024' } };

    // Act
    const page = await queryPage(table, key(pk, 'ALERT', ''), { limit: 2 }, numberOf, filter);

    // Assert
    expect(page).toEqual({ items: [1, 2], more: true });
    expect(requests).toHaveLength(3);
    expect(requests[0]?.Limit).toBeUndefined();
    expect(requests[0]).toMatchObject({ FilterExpression: '#at >= :from' });
  });

  it('answers an empty page without a query when the bounds leave no range', async () => {
    // Arrange
    const requests = pages([1]);

    // Act
    const page = await queryPage(
      table,
      key(pk, 'OBS', ''),
      { from: '2024-02', to: '2024-01', limit: 2 },
      numberOf,
    );

    // Assert
    expect(page).toEqual({ items: [], more: false });
    expect(requests).toHaveLength(0);
  });
});
