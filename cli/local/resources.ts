// Creates, on the local services, what the CDK stateful stack creates on AWS: the table and the alerts topic,
// plus an SQS queue subscribed to the topic that stands in for a subscriber; and publishes the scenarios.
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { type PublishReport, publishScenarios } from '../../shared/app/publish.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { table } from '../../shared/runtime/clients.ts';
import { OPEN_ALERTS_INDEX, TABLE_DEFINITION } from '../../shared/store/table.ts';

/** The table as the stateful stack deploys it (TABLE_DEFINITION), TTL off: fetch runs never expire locally. */
export async function createTable(name: string): Promise<void> {
  const { KeySchema, AttributeDefinitions, GlobalSecondaryIndexes, StreamViewType } = TABLE_DEFINITION;
  const client = new DynamoDBClient({});
  try {
    await client.send(
      new CreateTableCommand({
        TableName: name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions,
        KeySchema,
        GlobalSecondaryIndexes,
        StreamSpecification: { StreamEnabled: true, StreamViewType },
      }),
    );
  } finally {
    client.destroy();
  }
}

/** Whether an existing table has the open-alerts index (tables made before it was added do not). */
export async function hasOpenAlertsIndex(name: string): Promise<boolean> {
  const client = new DynamoDBClient({});
  try {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: name }));
    return (Table?.GlobalSecondaryIndexes ?? []).some((i) => i.IndexName === OPEN_ALERTS_INDEX.name);
  } finally {
    client.destroy();
  }
}

export interface Subscriber {
  topicArn: string;
  queueUrl: string;
}

/** Creates the alerts topic and a queue subscribed to it (raw delivery off: the queue sees the SNS envelope). */
export async function createTopicWithSubscriber(topicName: string, queueName: string): Promise<Subscriber> {
  const sns = new SNSClient({});
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  try {
    const { TopicArn } = await sns.send(new CreateTopicCommand({ Name: topicName }));
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName }));
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    if (!TopicArn || !QueueUrl || !Attributes?.QueueArn)
      throw new Error('the SNS emulator did not create the topic');
    await sns.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes.QueueArn }));
    return { topicArn: TopicArn, queueUrl: QueueUrl };
  } finally {
    sns.destroy();
    sqs.destroy();
  }
}

/**
 * Publishes the scenarios of a folder to the table (validated first), as a deployment publishes them:
 * the functions read them from there. Scenarios published before and gone from the folder are removed.
 */
export async function publishFolder(tableName: string, dir: string, by: string): Promise<PublishReport> {
  return publishScenarios(table(tableName), await loadScenarios(dir), {
    by,
    at: new Date(),
    removeMissing: true,
  });
}
