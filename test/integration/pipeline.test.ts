import type { DynamoDBRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import {
  drainStream,
  type ReceivedAlert,
  type ReplayStep,
  replayHistory,
  runIngest,
} from '../../cli/local/pipeline.ts';
import { alertKey, listAlerts } from '../../shared/store/alerts.ts';
import { listAssessments } from '../../shared/store/assessments.ts';
import { listObservations } from '../../shared/store/observations.ts';
import { getPathState } from '../../shared/store/path-states.ts';
import { ENTITY_ATTRIBUTE, TABLE_KEY } from '../../shared/store/table.ts';
import { API_BASE, receivedAlerts, useLocalStack } from './local-stack.ts';

// The example data ends in 2026; a fixed end keeps the replay the same whatever the date of the run.
const REPLAY_UNTIL = new Date('2026-09-01T00:00:00Z');

describe('ingest -> evaluate -> notify on DynamoDB Local and the SNS emulator', () => {
  const stack = useLocalStack();
  const steps: ReplayStep[] = [];
  let received: ReceivedAlert[] = [];

  it('stores every example observation on the first ingest and nothing on a second', async () => {
    // Act
    const first = await runIngest(stack.handlers);
    const second = await runIngest(stack.handlers);

    // Assert
    expect(first.map((r) => r.error)).toEqual(first.map(() => undefined));
    expect(first.every((r) => r.written > 0 && r.rejected === 0)).toBe(true);
    expect(second.map((r) => r.written)).toEqual(first.map(() => 0));
    expect(second.map((r) => r.unchanged)).toEqual(first.map((r) => r.written));
    const fires = await listObservations(stack.table, 'ua-fires');
    expect(fires).toHaveLength(first.find((r) => r.indicatorId === 'ua-fires')?.written ?? -1);
    expect(fires[0]).toEqual({
      indicatorId: 'ua-fires',
      period: '2022-03-01',
      value: 312,
      source: 'data/kupyansk/artillery-systems.csv',
    });
  });

  it('publishes exactly one SNS message per alert: one per confirmed shift and one per data episode', async () => {
    // Act
    await replayHistory(stack.handlers, stack.table, stack.registry, REPLAY_UNTIL, (s) => steps.push(s));
    const round = await drainStream(stack.pump, stack.handlers);
    received = await receivedAlerts(stack);

    // Assert
    const outbox = await listAlerts(stack.table, 'kupyansk');
    const shifts = steps.flatMap((s) => (s.shift ? [s.shift] : []));
    expect(shifts.length).toBeGreaterThanOrEqual(1);
    expect(round.alertsDelivered).toBe(outbox.length);
    expect(received.map((a) => a.attributes.dedupKey).sort()).toEqual(
      outbox.map((a) => `kupyansk#${a.sequence}`).sort(),
    );
    const pathAlerts = received.filter(
      (a) => a.attributes.kind === 'path-shift' || a.attributes.kind === 'reverted',
    );
    expect(pathAlerts.map((a) => [a.attributes.fromPath, a.attributes.toPath])).toEqual(
      shifts.map((s) => [s.from, s.to]),
    );
    const title = (id: string) =>
      stack.registry.scenario('kupyansk')?.paths.find((p) => p.id === id)?.title ?? '?';
    expect(pathAlerts.map((a) => a.subject)).toEqual(shifts.map((s) => expect.stringContaining(title(s.to))));
  });

  it('sends each alert with email, SMS and default texts and the scenario, kind and severity attributes', () => {
    expect(received.length).toBeGreaterThan(0);
    for (const alert of received) {
      // fauxqs delivers the whole MessageStructure=json document to queues (AWS would pick `default`),
      // which lets this test see every per-protocol text that was published.
      expect(Object.keys(JSON.parse(alert.message)).sort()).toEqual(['default', 'email', 'sms']);
      expect(alert.attributes).toMatchObject({ scenario: 'kupyansk', severity: expect.any(String) });
      expect(alert.sms.length).toBeLessThanOrEqual(160);
      expect(alert.email).toContain(`${API_BASE}/v1/scenarios/kupyansk/assessment`);
    }
  });

  it('publishes nothing more when the stream delivers the alert records again', async () => {
    // Arrange: the alert items, as the stream would present them on a retry.
    const alerts = await listAlerts(stack.table, 'kupyansk');
    expect(alerts.map((a) => a.status)).toEqual(alerts.map(() => 'sent'));
    const records = alerts.map((alert, i): DynamoDBRecord => {
      const { pk, sk } = alertKey(alert.scenarioId, alert.sequence);
      return {
        eventName: 'INSERT',
        dynamodb: {
          Keys: { [TABLE_KEY.partition]: { S: pk }, [TABLE_KEY.sort]: { S: sk } },
          NewImage: { [ENTITY_ATTRIBUTE]: { S: 'alert' } },
          SequenceNumber: `${i}`,
        },
      };
    });

    // Act
    const result = await invoke<{ batchItemFailures: unknown[] }>(stack.handlers.notify, 'notify', {
      Records: records,
    });

    // Assert
    expect(result.batchItemFailures).toEqual([]);
    expect(await receivedAlerts(stack)).toEqual([]);
  });

  it('keeps an assessment in the history for every replayed instant, and the state of the last shift', async () => {
    const history = await listAssessments(stack.table, 'kupyansk');
    const replayed = history.map((a) => a.asOf).filter((asOf) => asOf <= REPLAY_UNTIL.toISOString());
    expect(replayed).toEqual(steps.map((s) => s.asOf));

    const shifts = steps.flatMap((s) => (s.shift ? [s.shift] : []));
    const state = await getPathState(stack.table, 'kupyansk');
    expect(state).toMatchObject({ path: shifts.at(-1)?.to, since: shifts.at(-1)?.at, shifts: shifts.length });
  });
});
