// The notify sweep over the open-alerts index, on a table of its own: which alerts it re-delivers and in
// what order, which scenarios it visits, the summaries of ended silences, and what it does with an open
// item it cannot read.
import { type PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTopicWithSubscriber } from '../../cli/local/resources.ts';
import { type Notifier, SWEEP_AFTER_MS, sweepPendingAlerts } from '../../shared/app/notify.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { type AlertRecord, alertKey, alertToItem, getAlert, listAlerts } from '../../shared/store/alerts.ts';
import { pathStateKey } from '../../shared/store/path-states.ts';
import { OPEN_ALERTS_INDEX } from '../../shared/store/table.ts';
import { AB_EXPECT, buildScenario, EVEN_AB } from '../fixtures/scenario.ts';
import { useFreshTable } from './local-stack.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const old = new Date(NOW - SWEEP_AFTER_MS - 60_000).toISOString();
const boundary = new Date(NOW - SWEEP_AFTER_MS).toISOString();
const fresh = new Date(NOW - 60_000).toISOString();

function alert(scenarioId: string, sequence: number, createdAt: string, more: Partial<AlertRecord> = {}) {
  return {
    kind: 'data-stale',
    sequence,
    indicators: ['x'],
    at: createdAt,
    scenarioId,
    createdAt,
    path: 'a',
    probabilities: { a: 0.5, b: 0.5 },
    contributions: [],
    stale: ['x'],
    status: 'pending',
    ...more,
  } as AlertRecord;
}

describe('the notify sweep', () => {
  const store = useFreshTable('sweep');
  let topicArn = '';
  beforeAll(async () => {
    topicArn = (await createTopicWithSubscriber('sweep-alerts', 'sweep-subscriber')).topicArn;
  });

  /** A notifier whose SNS client records what it publishes, and whose scenarios record who asked. */
  function notifier() {
    const real = new SNSClient({});
    const published: string[] = [];
    const asked: string[] = [];
    const sns = {
      send: (command: PublishCommand) => {
        published.push(command.input.MessageAttributes?.dedupKey?.StringValue ?? '');
        return real.send(command);
      },
    } as unknown as SNSClient;
    const scenarios = {
      scenario: (id: string): Scenario | undefined => {
        asked.push(id);
        return id === 'gone'
          ? undefined
          : buildScenario({ id, paths: EVEN_AB, indicators: [{ id: 'x', expect: AB_EXPECT }] });
      },
    };
    const settings: Notifier = {
      table: store,
      sns,
      topicArn,
      scenarios,
      apiBaseUrl: 'https://api.example.org',
    };
    return { settings, published, asked };
  }

  const put = (item: Record<string, unknown>) =>
    store.db.send(new PutCommand({ TableName: store.name, Item: item }));

  it('re-delivers the stranded alerts in order per scenario, and leaves fresh ones and their scenarios alone', async () => {
    // Arrange: written out of order; `late` has only an alert still in flight; one is exactly at the limit.
    for (const a of [
      alert('two', 1, boundary),
      alert('one', 2, old),
      alert('late', 1, fresh),
      alert('one', 1, old),
      alert('one', 3, fresh),
    ])
      await put(alertToItem(a));
    const { settings, published, asked } = notifier();

    // Act
    const deliveries = await sweepPendingAlerts(settings, () => new Date(NOW));

    // Assert
    expect(published).toEqual(['one#1', 'one#2', 'two#1']);
    expect(deliveries).toEqual(['sent', 'sent', 'sent']);
    expect(new Set(asked)).toEqual(new Set(['one', 'two']));
    expect((await getAlert(store, alertKey('one', 3)))?.status).toBe('pending');
    expect((await getAlert(store, alertKey('late', 1)))?.status).toBe('pending');
  });

  it('summarizes the alerts held by a silence that is gone, visiting only scenarios that hold some', async () => {
    // Arrange: `held` has an alert its silence held back (the silence removed since); `other`, a sent one.
    await put({ ...pathStateKey('held'), alerts: 1, version: 1 });
    await put(alertToItem(alert('held', 1, old, { status: 'suppressed', silenceId: 'gone-silence' })));
    await put(alertToItem(alert('other', 1, old, { status: 'sent', sentAt: old, messageId: 'm' })));
    const { settings, asked } = notifier();

    // Act
    const deliveries = await sweepPendingAlerts(settings, () => new Date(NOW));

    // Assert: nothing delivered (the summary goes out through the stream), the held alert summarized.
    expect(deliveries).toEqual([]);
    const held = await listAlerts(store, 'held');
    expect(held.map((a) => [a.sequence, a.kind])).toEqual([
      [1, 'data-stale'],
      [2, 'silence-summary'],
    ]);
    expect(held[0]?.summarizedAt).toBeDefined();
    expect(asked).toContain('held');
    expect(asked).not.toContain('other');
  });

  it('goes on past an open item it cannot read or a scenario it cannot find, and fails naming both', async () => {
    // Arrange: an open item without an alert's fields, an alert of an unpublished scenario, a good one.
    await put({
      pk: 'SCN#broken',
      sk: 'ALERT#00000001',
      entity: 'alert',
      [OPEN_ALERTS_INDEX.partition]: 'SCN#broken',
    });
    await put(alertToItem(alert('gone', 1, old, { status: 'suppressed', silenceId: 's' })));
    await put(alertToItem(alert('three', 1, old)));
    const { settings, published } = notifier();

    // Act
    const sweep = sweepPendingAlerts(settings, () => new Date(NOW));

    // Assert
    const failure = await sweep.catch((error: unknown) => error);
    expect((failure as AggregateError).errors).toHaveLength(2);
    await expect(sweep).rejects.toThrow(
      /^the sweep failed for open alert SCN#broken\/ALERT#00000001, silence summary of gone: .+; held alerts name unknown scenario gone$/,
    );
    expect(published).toContain('three#1');
  });
});
