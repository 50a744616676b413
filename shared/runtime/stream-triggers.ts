// Which table changes trigger which function: the CDK event source filters and the local stream pump
// are both derived from this, so local mode runs exactly what is deployed.
import type { DynamoDBRecord } from 'aws-lambda';
import { ENTITY_ATTRIBUTE, type Entity } from '../store/table.ts';
import { newImageString } from './stream.ts';

export interface StreamTrigger {
  eventNames: readonly ('INSERT' | 'MODIFY' | 'REMOVE')[];
  entity: Entity;
  /** The most records one invocation receives. */
  batchSize: number;
  /** What its failure queue holds: the records that failed every retry. */
  holds: string;
}

export const STREAM_TRIGGERS = {
  /** New or revised observations: enqueue the scenarios that use them for evaluation. */
  dispatch: {
    eventNames: ['INSERT', 'MODIFY'],
    entity: 'observation',
    batchSize: 100,
    holds: 'observation stream records',
  },
  /** A new alert in the outbox: publish it. */
  notify: { eventNames: ['INSERT'], entity: 'alert', batchSize: 10, holds: 'alert stream records' },
} as const satisfies Record<string, StreamTrigger>;

export function triggers(trigger: StreamTrigger, record: DynamoDBRecord): boolean {
  return (
    trigger.eventNames.some((name) => name === record.eventName) &&
    newImageString(record, ENTITY_ATTRIBUTE) === trigger.entity
  );
}
