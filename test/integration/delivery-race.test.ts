// Exactly once in effect: a stream delivery and the sweep racing for the same alert, a delivery that
// dies between publish and mark, and a stream batch whose first record fails to publish.
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { deliverAlert, type Notifier, SWEEP_AFTER_MS, sweepPendingAlerts } from '../../shared/app/notify.ts';
import { sns } from '../../shared/runtime/clients.ts';
import { CLAIM_MS } from '../../shared/store/alert-delivery.ts';
import { type AlertRecord, alertKey, alertToItem, getAlert, listAlerts } from '../../shared/store/alerts.ts';
import type { Key, Table } from '../../shared/store/table.ts';
import { barrier, intercepted } from './interleave.ts';
import { API_BASE, receivedAlerts, useLocalStack } from './local-stack.ts';

const isGetOf = (command: object, key: Key) =>
  command instanceof GetCommand && command.input.Key?.sk === key.sk && command.input.Key?.pk === key.pk;

describe('delivering one alert from several places at once', () => {
  const stack = useLocalStack();
  let sequence = 1000;

  const notifier = (table: Table = stack.table): Notifier => ({
    table,
    sns: sns(),
    topicArn: stack.subscriber.topicArn,
    scenarios: stack.registry,
    apiBaseUrl: API_BASE,
  });

  /** A pending data-stale alert of the seed scenario, written `ageMs` ago. */
  async function pendingAlert(ageMs: number): Promise<AlertRecord> {
    sequence++;
    const createdAt = new Date(Date.now() - ageMs).toISOString();
    const alert: AlertRecord = {
      kind: 'data-stale',
      sequence,
      indicators: ['ua-fires'],
      at: createdAt,
      scenarioId: 'kupyansk',
      createdAt,
      path: 'baseline',
      probabilities: { baseline: 0.7, risk: 0.3 },
      contributions: [],
      stale: ['ua-fires'],
      status: 'pending',
    };
    await stack.table.db.send(new PutCommand({ TableName: stack.table.name, Item: alertToItem(alert) }));
    return alert;
  }

  it('delivers nothing for an alert that is not there, and refuses one of a scenario it does not know', async () => {
    // Arrange: an alert of a scenario no longer deployed.
    const orphan = await pendingAlert(0);
    await stack.table.db.send(
      new PutCommand({ TableName: stack.table.name, Item: alertToItem({ ...orphan, scenarioId: 'gone' }) }),
    );

    // Act
    const missing = await deliverAlert(notifier(), alertKey('kupyansk', 99_999), () => new Date());
    const unknown = deliverAlert(notifier(), alertKey('gone', orphan.sequence), () => new Date());

    // Assert
    expect(missing).toBe('not-found');
    await expect(unknown).rejects.toThrow(
      `alert SCN#gone/ALERT#${String(orphan.sequence).padStart(8, '0')} names unknown scenario gone`,
    );
    await receivedAlerts(stack);
  });

  it('publishes each alert once when the stream delivery and the sweep race, 20 times over', async () => {
    const published: string[] = [];
    const expected: string[] = [];
    const left: number[] = [];
    for (let run = 0; run < 20; run++) {
      // Arrange: an alert old enough for the sweep; both deliveries read it before either goes on.
      const alert = await pendingAlert(SWEEP_AFTER_MS + 60_000);
      expected.push(`kupyansk#${alert.sequence}`);
      const key = alertKey(alert.scenarioId, alert.sequence);
      const bothRead = barrier(2);
      const table = intercepted(stack.table, (command) => (isGetOf(command, key) ? bothRead() : undefined));

      // Act
      await Promise.all([
        deliverAlert(notifier(table), key, () => new Date()),
        sweepPendingAlerts(notifier(table), () => new Date()),
      ]);

      // Assert (collected): what reached the subscriber, and what is still not sent.
      published.push(...(await receivedAlerts(stack)).map((a) => a.attributes.dedupKey ?? ''));
      if ((await getAlert(stack.table, key))?.status !== 'sent') left.push(alert.sequence);
    }
    expect(published.sort()).toEqual(expected.sort());
    expect(left).toEqual([]);
  });

  it('publishes again with the same dedupKey only once the dead holder’s claim has run out', async () => {
    // Arrange: the delivery publishes, then dies before its mark (the mark's write fails).
    const alert = await pendingAlert(SWEEP_AFTER_MS + 60_000);
    const key = alertKey(alert.scenarioId, alert.sequence);
    const dying = intercepted(stack.table, (command) => {
      if (command instanceof UpdateCommand && command.input.UpdateExpression?.startsWith('SET #status'))
        throw new Error('the function was stopped');
    });
    await expect(deliverAlert(notifier(dying), key, () => new Date())).rejects.toThrow('stopped');

    // Act: the stream retries at once; the sweep runs before and after the claim runs out.
    const retry = await deliverAlert(notifier(), key, () => new Date());
    const early = await sweepPendingAlerts(notifier(), () => new Date(Date.now() + CLAIM_MS - 5_000));
    const late = await sweepPendingAlerts(notifier(), () => new Date(Date.now() + CLAIM_MS + 1_000));

    // Assert
    expect([retry, early, late]).toEqual(['claimed', ['claimed'], ['sent']]);
    const received = await receivedAlerts(stack);
    expect(received.map((a) => [a.attributes.dedupKey, a.attributes.attempt])).toEqual([
      [`kupyansk#${alert.sequence}`, '1'],
      [`kupyansk#${alert.sequence}`, '2'],
    ]);
    // A receiver that drops a dedupKey it has seen acts once.
    expect(new Set(received.map((a) => a.attributes.dedupKey)).size).toBe(1);
    expect((await getAlert(stack.table, key))?.status).toBe('sent');
  });

  it('leaves an alert pending and unclaimed when DynamoDB throttles its claim, and the retry publishes it once', async () => {
    // Arrange: the claim's write is throttled past the SDK's own retries.
    const alert = await pendingAlert(0);
    const key = alertKey(alert.scenarioId, alert.sequence);
    const throttled = intercepted(stack.table, (command) => {
      if (command instanceof UpdateCommand && command.input.UpdateExpression?.startsWith('SET claimId'))
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
          name: 'ProvisionedThroughputExceededException',
        });
    });

    // Act
    const first = deliverAlert(notifier(throttled), key, () => new Date());
    await expect(first).rejects.toThrow('allowed throughput');
    const retry = await deliverAlert(notifier(), key, () => new Date());

    // Assert
    expect(retry).toBe('sent');
    expect((await receivedAlerts(stack)).map((a) => [a.attributes.dedupKey, a.attributes.attempt])).toEqual([
      [`kupyansk#${alert.sequence}`, '1'],
    ]);
  });

  describe('a stream batch whose first alert fails to publish', () => {
    const mock = mockClient(SNSClient);
    mock.restore();
    afterEach(() => mock.restore());

    it('publishes none of the records after it, and reports the failed one for retry', async () => {
      // Arrange: two new alerts, as the stream hands them to notify.
      const first = await pendingAlert(0);
      const second = await pendingAlert(0);
      const records = [first, second].map(
        (a, i): DynamoDBRecord => ({
          eventName: 'INSERT',
          dynamodb: {
            SequenceNumber: String(100 + i),
            Keys: {
              pk: { S: alertKey(a.scenarioId, a.sequence).pk },
              sk: { S: alertKey(a.scenarioId, a.sequence).sk },
            },
            NewImage: { entity: { S: 'alert' } },
          },
        }),
      );
      mock.reset();
      mock
        .on(PublishCommand)
        .rejectsOnce(Object.assign(new Error('Internal'), { name: 'InternalError' }))
        .resolves({ MessageId: 'm' });

      // Act
      const result = await invoke<{ batchItemFailures: { itemIdentifier: string }[] }>(
        stack.handlers.notify,
        'notify',
        { Records: records },
      );

      // Assert
      expect(mock.commandCalls(PublishCommand)).toHaveLength(1);
      expect(result.batchItemFailures).toEqual([{ itemIdentifier: '100' }]);
      const statuses = (await listAlerts(stack.table, 'kupyansk'))
        .filter((a) => a.sequence >= first.sequence)
        .map((a) => a.status);
      expect(statuses).toEqual(['pending', 'pending']);
    });
  });

  it('goes on past an alert it cannot deliver, and fails at the end naming it', async () => {
    // Arrange: two stranded alerts; SNS refuses the first one's message for good.
    const refused = await pendingAlert(SWEEP_AFTER_MS + 60_000);
    const next = await pendingAlert(SWEEP_AFTER_MS + 60_000);
    const real = sns();
    const refusing = {
      send: (command: PublishCommand) =>
        command.input.MessageAttributes?.dedupKey?.StringValue === `kupyansk#${refused.sequence}`
          ? Promise.reject(
              Object.assign(new Error('Invalid parameter: Message'), { name: 'InvalidParameter' }),
            )
          : real.send(command),
    } as unknown as SNSClient;

    // Act
    const sweep = sweepPendingAlerts({ ...notifier(), sns: refusing }, () => new Date());

    // Assert
    await expect(sweep).rejects.toThrow(
      new RegExp(`the sweep failed for alert kupyansk#${refused.sequence}: Invalid parameter`),
    );
    expect((await getAlert(stack.table, alertKey('kupyansk', next.sequence)))?.status).toBe('sent');
    expect((await getAlert(stack.table, alertKey('kupyansk', refused.sequence)))?.status).toBe('pending');
    const received = (await receivedAlerts(stack)).map((a) => a.attributes.dedupKey);
    expect(received).toContain(`kupyansk#${next.sequence}`);
    expect(received).not.toContain(`kupyansk#${refused.sequence}`);
  });

  it('looks up only the scenarios of open alerts, and goes on past one it does not know', async () => {
    // Arrange: stranded alerts of the seed and of a scenario no longer published.
    const known = await pendingAlert(SWEEP_AFTER_MS + 60_000);
    const orphan = { ...(await pendingAlert(SWEEP_AFTER_MS + 60_000)), scenarioId: 'gone' };
    await stack.table.db.send(new PutCommand({ TableName: stack.table.name, Item: alertToItem(orphan) }));
    const asked = new Set<string>();
    const scenarios = {
      scenario: (id: string) => {
        asked.add(id);
        return stack.registry.scenario(id);
      },
    };

    // Act
    const sweep = sweepPendingAlerts({ ...notifier(), scenarios }, () => new Date());

    // Assert
    await expect(sweep).rejects.toThrow(`names unknown scenario gone`);
    expect([...asked].sort()).toEqual(['gone', 'kupyansk']);
    expect((await getAlert(stack.table, alertKey('kupyansk', known.sequence)))?.status).toBe('sent');
    await receivedAlerts(stack);
  });
});
