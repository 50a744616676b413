// Publishes a rendered alert to the SNS topic, with the attributes subscribers filter on.
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { type AlertRecord, isForecastAlert, isPathAlert } from '../store/alerts.ts';
import { type RenderedAlert, SEVERITY } from './render.ts';

/** One alert's identity across retries: a consumer that sees it twice can drop the second. */
export function dedupKey(alert: AlertRecord): string {
  return `${alert.scenarioId}#${alert.sequence}`;
}

/** The SNS message attributes: what filter policies match on (attribute values must not be empty). */
export function messageAttributes(alert: AlertRecord): Record<string, string> {
  return {
    scenario: alert.scenarioId,
    kind: alert.kind,
    severity: SEVERITY[alert.kind],
    dedupKey: dedupKey(alert),
    ...(isPathAlert(alert) ? { fromPath: alert.from, toPath: alert.to } : {}),
    // A forecast-warning names the path it warns about (and the confirmed one, once there is one).
    ...(isForecastAlert(alert) ? { ...(alert.from ? { fromPath: alert.from } : {}), toPath: alert.to } : {}),
  };
}

export async function publishAlert(
  sns: SNSClient,
  topicArn: string,
  alert: AlertRecord,
  rendered: RenderedAlert,
  attempt = 1,
): Promise<string> {
  const result = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: rendered.subject,
      MessageStructure: 'json',
      Message: JSON.stringify({ default: rendered.default, email: rendered.email, sms: rendered.sms }),
      MessageAttributes: Object.fromEntries(
        Object.entries({ ...messageAttributes(alert), attempt: String(attempt) }).map(([name, value]) => [
          name,
          { DataType: 'String', StringValue: value },
        ]),
      ),
    }),
  );
  return result.MessageId ?? '';
}
