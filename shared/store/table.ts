// The table handle every store module takes: a document client and the table's name.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export interface Table {
  db: DynamoDBDocumentClient;
  name: string;
}
