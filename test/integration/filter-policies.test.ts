import { randomUUID } from 'node:crypto';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { receiveAlerts } from '../../cli/local/pipeline.ts';
import { oneScenario, scenarioPathChanges } from '../../shared/alerts/filter-policies.ts';
import { publishAlert } from '../../shared/alerts/publish.ts';
import { renderAlert } from '../../shared/alerts/render.ts';
import type { AlertRecord } from '../../shared/store/alerts.ts';
import { BASELINE_RISK, buildScenario } from '../fixtures/scenario.ts';

// The documented filter policies, applied by the SNS emulator to real subscriptions.
const scenario = buildScenario({
  id: 'kupyansk',
  paths: BASELINE_RISK,
  indicators: [{ id: 'aid', expect: { baseline: { mean: 1, sd: 1 }, risk: { mean: 0, sd: 1 } } }],
});

type Kind = 'path-shift' | 'reverted' | 'data-stale' | 'data-recovered';

function alert(scenarioId: string, kind: Kind, sequence: number): AlertRecord {
  const common = {
    scenarioId,
    sequence,
    at: '2024-02-01T00:00:00.000Z',
    createdAt: '2024-02-01T00:00:00.000Z',
    path: 'risk',
    probabilities: { baseline: 0.2, risk: 0.8 },
    contributions: [],
    stale: [],
    status: 'pending' as const,
  };
  return kind === 'path-shift' || kind === 'reverted'
    ? {
        ...common,
        kind,
        from: 'baseline',
        to: 'risk',
        probabilitiesBefore: null,
        probabilitiesAfter: common.probabilities,
      }
    : { ...common, kind, indicators: ['aid'] };
}

/** A scenario's alerts of these kinds, numbered from 1 in that order (its dedup keys `<scenario>#<n>`). */
function alertsOf(scenarioId: string, ...kinds: Kind[]): AlertRecord[] {
  return kinds.map((kind, i) => alert(scenarioId, kind, i + 1));
}

describe('documented SNS filter policies', () => {
  const sns = new SNSClient({});
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  let topicArn: string;
  const queues: Record<string, string> = {};

  async function subscribe(name: string, policy: object): Promise<void> {
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `${name}-${randomUUID().slice(0, 8)}` }),
    );
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }),
    );
    await sns.send(
      new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: 'sqs',
        Endpoint: Attributes?.QueueArn,
        Attributes: { FilterPolicy: JSON.stringify(policy) },
      }),
    );
    queues[name] = QueueUrl ?? '';
  }

  beforeAll(async () => {
    ({ TopicArn: topicArn = '' } = await sns.send(
      new CreateTopicCommand({ Name: `policies-${randomUUID().slice(0, 8)}` }),
    ));
    await subscribe('scenario', oneScenario('kupyansk'));
    await subscribe('sms', scenarioPathChanges('kupyansk'));
    const published = [
      ...alertsOf('kupyansk', 'path-shift', 'data-stale', 'reverted'),
      ...alertsOf('other', 'path-shift', 'data-recovered'),
    ];
    for (const a of published)
      await publishAlert(
        sns,
        topicArn,
        a,
        renderAlert(a, { ...scenario, id: a.scenarioId }, 'https://x.example'),
      );
  });

  afterAll(() => {
    sns.destroy();
    sqs.destroy();
  });

  it('delivers every kind of one scenario, and nothing of the others, to a one-scenario subscription', async () => {
    const received = await receiveAlerts(queues.scenario ?? '');

    expect(received.map((a) => a.attributes.dedupKey).sort()).toEqual([
      'kupyansk#1',
      'kupyansk#2',
      'kupyansk#3',
    ]);
  });

  it('delivers only the path changes of one scenario to a path-changes subscription', async () => {
    const received = await receiveAlerts(queues.sms ?? '');

    expect(received.map((a) => [a.attributes.dedupKey, a.attributes.kind]).sort()).toEqual([
      ['kupyansk#1', 'path-shift'],
      ['kupyansk#3', 'reverted'],
    ]);
  });
});
