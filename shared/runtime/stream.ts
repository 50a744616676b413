// Reading DynamoDB stream records (as Lambda delivers them) without unmarshalling whole images.
import type { DynamoDBRecord } from 'aws-lambda';
import { isPartition, type Key, TABLE_KEY } from '../store/table.ts';

export function recordKey(record: DynamoDBRecord): Key | null {
  const keys = record.dynamodb?.Keys;
  const pk = keys?.[TABLE_KEY.partition]?.S;
  const sk = keys?.[TABLE_KEY.sort]?.S;
  return pk && sk && isPartition(pk) ? { pk, sk } : null;
}

/** A string attribute of the record's new image. */
export function newImageString(record: DynamoDBRecord, attribute: string): string | undefined {
  return record.dynamodb?.NewImage?.[attribute]?.S;
}
