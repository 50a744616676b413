// AWS clients, created once per process. Endpoints come from the SDK's own settings
// (AWS_ENDPOINT_URL_DYNAMODB, AWS_ENDPOINT_URL_SNS), which local mode and tests point at local services.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SNSClient } from '@aws-sdk/client-sns';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Table } from '../store/table.ts';

let documentClient: DynamoDBDocumentClient | undefined;
let snsClient: SNSClient | undefined;

export function table(name: string): Table {
  documentClient ??= DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  return { db: documentClient, name };
}

export function sns(): SNSClient {
  snsClient ??= new SNSClient({});
  return snsClient;
}
