// The resources that hold data and must survive redeploys of code: the table and the alerts topic.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table, TableEncryption } from 'aws-cdk-lib/aws-dynamodb';
import { Alias } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { StageConfig } from '../config.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly table: Table;
  readonly topic: Topic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.removalPolicy === RemovalPolicy.RETAIN;

    // One table for every entity; shared/store/keys.ts is the only place its keys are built.
    this.table = new Table(this, 'Table', {
      partitionKey: { name: 'pk', type: AttributeType.STRING },
      sortKey: { name: 'sk', type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: 'expiresAt',
      // evaluate reacts to new observations and notify to new alerts; both only need the new image.
      stream: StreamViewType.NEW_IMAGE,
      deletionProtection: retain,
      removalPolicy: config.removalPolicy,
    });

    // The AWS-managed key needs no key policy of ours. Services that publish on their own behalf
    // (CloudWatch alarms, EventBridge) cannot use it; switch to a customer-managed key if they must publish here.
    this.topic = new Topic(this, 'Alerts', {
      displayName: `Signpost ${config.stage} alerts`,
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(config.removalPolicy);
    for (const email of config.alertEmails) this.topic.addSubscription(new EmailSubscription(email));
    for (const phone of config.alertPhones) this.topic.addSubscription(new SmsSubscription(phone));

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The Signpost table' });
    new CfnOutput(this, 'TopicArn', {
      value: this.topic.topicArn,
      description: 'SNS topic that carries alerts',
    });
  }
}
