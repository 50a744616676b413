import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import {
  CONFIRMED_SHIFT,
  deliverNewAlerts,
  evaluateMonths,
  receivedAlerts,
  silenceForAnHour,
  useLocalStack,
} from './local-stack.ts';

describe('a silence set through the API', () => {
  const stack = useLocalStack({ ingested: true });
  let end: string;

  beforeAll(async () => {
    end = await silenceForAnHour(stack, Date.now());
  });

  afterAll(() => {
    vi.useRealTimers();
  });

  it('holds back the alerts raised during it: stored as suppressed, nothing published', async () => {
    // Arrange: a confirmed shift while the silence is in force
    await evaluateMonths(stack, CONFIRMED_SHIFT);

    // Act
    const delivered = await deliverNewAlerts(stack);

    // Assert
    const alerts = await listAlerts(stack.table, 'kupyansk');
    expect(delivered).toBe(alerts.length);
    expect(alerts.map((a) => a.kind)).toContain('path-shift');
    expect(alerts.map((a) => [a.status, a.silenceId])).toEqual(alerts.map(() => ['suppressed', 'review']));
    expect(await receivedAlerts(stack)).toEqual([]);
  });

  it('sends one summary of what it held once it has ended, and only once', async () => {
    // Arrange: after the end (only the clock is faked)
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.parse(end) + 60_000);
    const held = await listAlerts(stack.table, 'kupyansk');

    // Act
    await invoke(stack.handlers.notify, 'notify', { sweep: true });
    await deliverNewAlerts(stack);
    await invoke(stack.handlers.notify, 'notify', { sweep: true });
    const again = await deliverNewAlerts(stack);

    // Assert
    const received = await receivedAlerts(stack);
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
