import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { receiveAlerts } from '../../cli/local/pipeline.ts';
import { evaluate } from '../../shared/app/evaluate.ts';
import { STREAM_TRIGGERS, triggers } from '../../shared/runtime/stream-triggers.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import { putSilence } from '../../shared/store/silences.ts';
import { type LocalStack, seedScenario, startIngestedStack } from './local-stack.ts';

describe('a silence set through the API', () => {
  let stack: LocalStack;
  const started = Date.now();
  const end = new Date(started + 60 * 60_000).toISOString();

  const deliverNewAlerts = async () => {
    const records = (await stack.pump.poll()).filter((r) => triggers(STREAM_TRIGGERS.notify, r));
    await invoke(stack.handlers.notify, 'notify', { Records: records });
    return records.length;
  };

  beforeAll(async () => {
    stack = await startIngestedStack();
    await putSilence(stack.table, {
      scenarioId: 'kupyansk',
      silenceId: 'review',
      start: new Date(started - 60_000).toISOString(),
      end,
      reason: 'analysts re-validating the indicators',
      updatedAt: new Date(started).toISOString(),
    });
  });

  afterAll(() => {
    vi.useRealTimers();
    stack?.pump.close();
  });

  it('holds back the alerts raised during it: stored as suppressed, nothing published', async () => {
    // Arrange: a confirmed shift while the silence is in force
    const scenario = seedScenario(stack);
    for (const month of ['2023-12-01', '2024-01-01', '2024-02-01']) {
      await evaluate(stack.table, scenario, new Date(`${month}T00:00:00Z`), new Date());
    }

    // Act
    const delivered = await deliverNewAlerts();

    // Assert
    const alerts = await listAlerts(stack.table, 'kupyansk');
    expect(delivered).toBe(alerts.length);
    expect(alerts.map((a) => a.kind)).toContain('path-shift');
    expect(alerts.map((a) => [a.status, a.silenceId])).toEqual(alerts.map(() => ['suppressed', 'review']));
    expect(await receiveAlerts(stack.subscriber.queueUrl)).toEqual([]);
  });

  it('sends one summary of what it held once it has ended, and only once', async () => {
    // Arrange: after the end (only the clock is faked)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(end) + 60_000);
    const held = await listAlerts(stack.table, 'kupyansk');

    // Act
    await invoke(stack.handlers.notify, 'notify', { sweep: true });
    await deliverNewAlerts();
    await invoke(stack.handlers.notify, 'notify', { sweep: true });
    const again = await deliverNewAlerts();

    // Assert
    const received = await receiveAlerts(stack.subscriber.queueUrl);
    expect(received.map((a) => a.attributes.kind)).toEqual(['silence-summary']);
    expect(again).toBe(0);
    const summary = JSON.parse(JSON.parse(received[0]?.message ?? '{}').default);
    expect(summary.held.map((h: { sequence: number }) => h.sequence)).toEqual(held.map((a) => a.sequence));
    expect(summary.sequence).toBe(Math.max(...held.map((a) => a.sequence)) + 1);
    const after = await listAlerts(stack.table, 'kupyansk');
    expect(after.filter((a) => a.kind !== 'silence-summary').every((a) => a.summarizedAt !== undefined)).toBe(
      true,
    );
  });
});
