// Reading DynamoDB stream records (as Lambda delivers them) without unmarshalling whole images.
import type { DynamoDBRecord } from 'aws-lambda';
import type { Key } from '../store/keys.ts';

export function recordKey(record: DynamoDBRecord): Key | null {
  const keys = record.dynamodb?.Keys;
  const pk = keys?.pk?.S;
  const sk = keys?.sk?.S;
  return pk && sk ? { pk, sk } : null;
}

/** A string attribute of the record's new image. */
export function newImageString(record: DynamoDBRecord, attribute: string): string | undefined {
  return record.dynamodb?.NewImage?.[attribute]?.S;
}
