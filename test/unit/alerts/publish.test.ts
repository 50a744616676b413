// What SNS receives for an alert: one JSON message with a text per protocol, and the attributes
// subscribers' filter policies match on.
import type { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it, vi } from 'vitest';
import { publishAlert } from '../../../shared/alerts/publish.ts';
import type { RenderedAlert } from '../../../shared/alerts/render.ts';
import type { ForecastAlert } from '../../../shared/store/alerts.ts';

// A forecast-warning before any confirmed path: publishing reads only what its attributes are made of.
const alert = {
  scenarioId: 'rail',
  sequence: 6,
  kind: 'forecast-warning',
  from: null,
  to: 'breaks',
} as ForecastAlert;

const rendered: RenderedAlert = {
  subject: 'the subject',
  email: 'the email',
  sms: 'the sms',
  default: '{"kind":"forecast-warning"}',
};

/** An SNS client that records what it is sent and answers with `reply`. */
function fakeSns(reply: { MessageId?: string }) {
  const send = vi.fn(async (_command: PublishCommand) => reply);
  return { sns: { send } as unknown as SNSClient, send };
}

describe('publishAlert', () => {
  it('sends one JSON-structured message with the default, email and SMS texts and the filter attributes', async () => {
    // Arrange
    const { sns, send } = fakeSns({ MessageId: 'm-1' });

    // Act
    const messageId = await publishAlert(sns, 'arn:aws:sns:eu-west-1:1:alerts', alert, rendered, 2);

    // Assert
    expect(messageId).toBe('m-1');
    expect(send).toHaveBeenCalledOnce();
    const input = send.mock.calls[0]?.[0].input;
    expect(input?.TopicArn).toBe('arn:aws:sns:eu-west-1:1:alerts');
    expect(input?.Subject).toBe('the subject');
    expect(input?.MessageStructure).toBe('json');
    expect(JSON.parse(input?.Message ?? '')).toEqual({
      default: '{"kind":"forecast-warning"}',
      email: 'the email',
      sms: 'the sms',
    });
    const string = (value: string) => ({ DataType: 'String', StringValue: value });
    expect(input?.MessageAttributes).toEqual({
      scenario: string('rail'),
      kind: string('forecast-warning'),
      severity: string('medium'),
      dedupKey: string('rail#6'),
      toPath: string('breaks'),
      attempt: string('2'),
    });
  });

  it('returns an empty id when SNS answers without one', async () => {
    // Arrange
    const { sns } = fakeSns({});

    // Act
    const messageId = await publishAlert(sns, 'arn:aws:sns:eu-west-1:1:alerts', alert, rendered);

    // Assert
    expect(messageId).toBe('');
  });
});
