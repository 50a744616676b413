// The resources that hold data and must survive redeploys of code: the table, the alerts topic and the ops topic.
import { CfnOutput, Duration, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Alias, Key } from 'aws-cdk-lib/aws-kms';
import { SubscriptionFilter, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SmsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import { pathChangesOnly } from '../../shared/alerts/filter-policies.ts';
import { OPEN_ALERTS_INDEX, TABLE_DEFINITION, TABLE_KEY } from '../../shared/store/table.ts';
import type { StageConfig } from '../config.ts';

export interface StatefulStackProps extends StackProps {
  config: StageConfig;
}

export class StatefulStack extends Stack {
  readonly table: Table;
  /** Alerts for people and systems (notify publishes here). */
  readonly topic: Topic;
  /** Alarms for the operator (CloudWatch publishes here). */
  readonly opsTopic: Topic;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;
    const retain = config.removalPolicy === RemovalPolicy.RETAIN;

    // One table for every entity, as shared/store/table.ts defines it (local mode creates the same).
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE_KEY.partition, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEY.sort, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      encryption: TableEncryption.AWS_MANAGED,
      timeToLiveAttribute: TABLE_DEFINITION.TimeToLiveAttribute,
      stream: StreamViewType[TABLE_DEFINITION.StreamViewType],
      deletionProtection: retain,
      removalPolicy: config.removalPolicy,
    });
    // Sparse: only alerts still to publish or summarize carry the key (see table.ts).
    this.table.addGlobalSecondaryIndex({
      indexName: OPEN_ALERTS_INDEX.name,
      partitionKey: { name: OPEN_ALERTS_INDEX.partition, type: AttributeType.STRING },
      sortKey: { name: OPEN_ALERTS_INDEX.sort, type: AttributeType.STRING },
      projectionType: ProjectionType.ALL,
    });

    // Only the notify function publishes alerts, with its IAM role, which the AWS-managed SNS key serves
    // at no key cost and with no key policy of ours to get wrong.
    this.topic = new Topic(this, 'Alerts', {
      displayName: `Signpost ${config.stage} alerts`,
      masterKey: Alias.fromAliasName(this, 'SnsManagedKey', 'alias/aws/sns'),
      enforceSSL: true,
    });
    this.topic.applyRemovalPolicy(config.removalPolicy);
    this.subscribeAlertRecipients(config);

    // CloudWatch alarms publish as the cloudwatch.amazonaws.com service, which the AWS-managed key's
    // policy does not admit: the ops topic needs a customer-managed key whose policy lets it encrypt.
    const opsKey = new Key(this, 'OpsTopicKey', {
      description: `Signpost ${config.stage}: encrypts the ops (alarm) topic`,
      enableKeyRotation: true,
      pendingWindow: Duration.days(7),
      removalPolicy: config.removalPolicy,
    });
    opsKey.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsPublishToOpsTopic',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        // As documented for AWS services publishing to encrypted topics.
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy `*` means this key.
        resources: ['*'],
      }),
    );
    this.opsTopic = new Topic(this, 'Ops', {
      displayName: `Signpost ${config.stage} ops`,
      masterKey: opsKey,
      enforceSSL: true,
    });
    this.opsTopic.applyRemovalPolicy(config.removalPolicy);
    for (const email of config.opsEmails) this.opsTopic.addSubscription(new EmailSubscription(email));

    new CfnOutput(this, 'TableName', { value: this.table.tableName, description: 'The Signpost table' });
    new CfnOutput(this, 'TopicArn', {
      value: this.topic.topicArn,
      description: 'SNS topic that carries alerts',
    });
    new CfnOutput(this, 'OpsTopicArn', {
      value: this.opsTopic.topicArn,
      description: 'SNS topic that carries the alarms',
    });
  }

  /**
   * Email gets every kind of alert; SMS only confirmed path changes (shifts and reversals), the ones worth
   * a text. With `alertScenarios` both are limited to those scenarios. Filters match the message
   * attributes notify sets (docs/alerts.md).
   */
  private subscribeAlertRecipients(config: StageConfig): void {
    const scenarios: Record<string, SubscriptionFilter> =
      config.alertScenarios.length > 0
        ? { scenario: SubscriptionFilter.stringFilter({ allowlist: config.alertScenarios }) }
        : {};
    for (const email of config.alertEmails) {
      const filterPolicy = config.alertScenarios.length > 0 ? scenarios : undefined;
      this.topic.addSubscription(new EmailSubscription(email, { filterPolicy }));
    }
    for (const phone of config.alertPhones) {
      this.topic.addSubscription(
        new SmsSubscription(phone, {
          filterPolicy: {
            ...scenarios,
            kind: SubscriptionFilter.stringFilter({ allowlist: [...pathChangesOnly.kind] }),
          },
        }),
      );
    }
  }
}
