import { describe, expect, it, vi } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import { CONFIRMED_SHIFT, evaluateMonths, receivedAlerts, useLocalStack } from './local-stack.ts';

describe('the sweep of pending alerts', () => {
  const stack = useLocalStack({ ingested: true });

  it('leaves a fresh pending alert to the stream, then re-delivers it once it is stranded', async () => {
    // Arrange: one confirmed shift, written now; its stream record is never delivered.
    await evaluateMonths(stack, CONFIRMED_SHIFT);
    const pending = (await listAlerts(stack.table, 'kupyansk')).filter((a) => a.status === 'pending');
    expect(pending.map((a) => a.kind)).toContain('path-shift');

    // Act
    const early = await invoke<{ sent: number }>(stack.handlers.notify, 'notify', { sweep: true });
    // Eleven minutes later (only the clock is faked; the SDK's timers run for real).
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    let late: { sent: number };
    let again: { sent: number };
    try {
      late = await invoke<{ sent: number }>(stack.handlers.notify, 'notify', { sweep: true });
      again = await invoke<{ sent: number }>(stack.handlers.notify, 'notify', { sweep: true });
    } finally {
      vi.useRealTimers();
    }

    // Assert
    expect(early.sent).toBe(0);
    expect(late.sent).toBe(pending.length);
    expect(again.sent).toBe(0);
    expect((await listAlerts(stack.table, 'kupyansk')).map((a) => a.status)).toEqual(
      pending.map(() => 'sent'),
    );
    expect(await receivedAlerts(stack)).toHaveLength(pending.length);
  });

  it('rejects an event that is neither a stream batch nor a sweep request', async () => {
    await expect(invoke(stack.handlers.notify, 'notify', { sweep: 'yes' })).rejects.toThrow();
  });
});
