// Reads every item under a key prefix, following DynamoDB's pages.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Table } from './table.ts';

export async function queryPrefix(
  table: Table,
  prefix: { pk: string; sk: string },
): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await table.db.send(
      new QueryCommand({
        TableName: table.name,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :sk)',
        ExpressionAttributeValues: { ':pk': prefix.pk, ':sk': prefix.sk },
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start);
  return items;
}
