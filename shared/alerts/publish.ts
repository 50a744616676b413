// Publishes a rendered alert to the SNS topic, with the attributes subscribers filter on.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { AlertRecord } from '../store/alerts.ts';
import type { RenderedAlert } from './render.ts';

export async function publishAlert(
  sns: SNSClient,
  topicArn: string,
  alert: AlertRecord,
  rendered: RenderedAlert,
): Promise<string> {
  const result = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: rendered.subject,
      MessageStructure: 'json',
      Message: JSON.stringify({ default: rendered.default, email: rendered.email, sms: rendered.sms }),
      MessageAttributes: {
        scenario: { DataType: 'String', StringValue: alert.scenarioId },
        kind: { DataType: 'String', StringValue: alert.kind },
      },
    }),
  );
  return result.MessageId ?? '';
}
