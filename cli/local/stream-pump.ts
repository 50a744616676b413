// Reads the table's DynamoDB stream on DynamoDB Local and hands the records to consumers, as Lambda's
// event source mappings do on AWS (with the same filters the CDK stack declares).

import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';

export class StreamPump {
  readonly #streams = new DynamoDBStreamsClient({});
  readonly #streamArn: string;
  /** Next iterator per shard; null once a closed shard has been read to its end. */
  readonly #iterators = new Map<string, string | null>();

  private constructor(streamArn: string) {
    this.#streamArn = streamArn;
  }

  /** Starts reading at the stream's current end (LATEST), like a new event source mapping. */
  static async open(tableName: string): Promise<StreamPump> {
    const dynamo = new DynamoDBClient({});
    try {
      const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: tableName }));
      if (!Table?.LatestStreamArn) throw new Error(`table ${tableName} has no stream`);
      const pump = new StreamPump(Table.LatestStreamArn);
      await pump.#discoverShards('LATEST');
      return pump;
    } finally {
      dynamo.destroy();
    }
  }

  async #discoverShards(position: 'LATEST' | 'TRIM_HORIZON'): Promise<void> {
    const { StreamDescription } = await this.#streams.send(
      new DescribeStreamCommand({ StreamArn: this.#streamArn }),
    );
    for (const shard of StreamDescription?.Shards ?? []) {
      const shardId = shard.ShardId;
      if (!shardId || this.#iterators.has(shardId)) continue;
      const { ShardIterator } = await this.#streams.send(
        new GetShardIteratorCommand({
          StreamArn: this.#streamArn,
          ShardId: shardId,
          ShardIteratorType: position,
        }),
      );
      this.#iterators.set(shardId, ShardIterator ?? null);
    }
  }

  /** Every record written since the last call, in order per shard. */
  async poll(): Promise<DynamoDBRecord[]> {
    // Shards that appear later hold only records written after we started: read them from their start.
    await this.#discoverShards('TRIM_HORIZON');
    const records: DynamoDBRecord[] = [];
    for (const [shardId, iterator] of this.#iterators) {
      let next = iterator;
      while (next) {
        const page = await this.#streams.send(new GetRecordsCommand({ ShardIterator: next }));
        records.push(...((page.Records ?? []) as unknown as DynamoDBRecord[]));
        const drained = (page.Records ?? []).length === 0;
        next = page.NextShardIterator ?? null;
        if (drained) break;
      }
      this.#iterators.set(shardId, next);
    }
    return records;
  }

  close(): void {
    this.#streams.destroy();
  }
}
