// The claim and the settlement of an alert on DynamoDB Local: each write's condition is what stops a
// second delivery, so each is tested where it alone decides.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  CLAIM_MS,
  claimAlert,
  markAlertSent,
  markAlertSuppressed,
  releaseClaim,
} from '../../shared/store/alert-delivery.ts';
import { type AlertRecord, alertKey, alertToItem, getAlert } from '../../shared/store/alerts.ts';
import { useFreshTable } from './local-stack.ts';

const T0 = new Date('2024-01-01T00:00:00Z');
const later = (ms: number) => new Date(T0.getTime() + ms);

describe('claiming and settling an alert', () => {
  const store = useFreshTable('delivery');
  let sequence = 0;
  let alert: AlertRecord;

  beforeEach(async () => {
    sequence++;
    alert = {
      kind: 'data-stale',
      sequence,
      indicators: ['x'],
      at: T0.toISOString(),
      scenarioId: 'claims',
      createdAt: T0.toISOString(),
      path: 'a',
      probabilities: { a: 0.6, b: 0.4 },
      contributions: [],
      stale: ['x'],
      status: 'pending',
    };
    await store.db.send(new PutCommand({ TableName: store.name, Item: alertToItem(alert) }));
  });

  const stored = () => getAlert(store, alertKey('claims', sequence));

  it('gives a pending alert to one claim at a time, numbering the attempts', async () => {
    // Act
    const first = await claimAlert(store, alert, 'one', T0);
    const second = await claimAlert(store, alert, 'two', later(CLAIM_MS - 1));

    // Assert
    expect(first).toEqual({ id: 'one', until: later(CLAIM_MS).toISOString(), attempt: 1 });
    expect(second).toBeNull();
  });

  it('lets another delivery take the alert over once the claim has run out', async () => {
    // Arrange
    await claimAlert(store, alert, 'dead', T0);

    // Act
    const takeover = await claimAlert(store, alert, 'sweep', later(CLAIM_MS));

    // Assert
    expect(takeover).toMatchObject({ id: 'sweep', attempt: 2 });
  });

  it('refuses to claim an alert that is settled, whatever its claim', async () => {
    // Arrange
    const claim = await claimAlert(store, alert, 'one', T0);
    if (!claim) throw new Error('not claimed');
    await markAlertSent(store, alert, claim, 'm-1', T0.toISOString());

    // Act
    const again = await claimAlert(store, alert, 'two', later(10 * CLAIM_MS));

    // Assert
    expect(again).toBeNull();
  });

  it('marks an alert sent once: a second mark under the same claim changes nothing', async () => {
    // Arrange
    const claim = await claimAlert(store, alert, 'one', T0);
    if (!claim) throw new Error('not claimed');

    // Act
    const first = await markAlertSent(store, alert, claim, 'm-1', later(1_000).toISOString());
    const second = await markAlertSent(store, alert, claim, 'm-2', later(2_000).toISOString());

    // Assert
    expect([first, second]).toEqual([true, false]);
    expect(await stored()).toMatchObject({
      status: 'sent',
      messageId: 'm-1',
      sentAt: later(1_000).toISOString(),
    });
  });

  it('does not mark an alert sent under a claim another delivery has taken over', async () => {
    // Arrange: the first holder outlives its claim; the sweep takes the alert over.
    const stale = await claimAlert(store, alert, 'slow', T0);
    if (!stale) throw new Error('not claimed');
    await claimAlert(store, alert, 'sweep', later(CLAIM_MS));

    // Act
    const marked = await markAlertSent(store, alert, stale, 'm-slow', later(CLAIM_MS).toISOString());
    const suppressed = await markAlertSuppressed(store, alert, stale, 'quiet');

    // Assert
    expect([marked, suppressed]).toEqual([false, false]);
    expect(await stored()).toMatchObject({ status: 'pending' });
  });

  it('marks a claimed alert suppressed by a silence, once', async () => {
    // Arrange
    const claim = await claimAlert(store, alert, 'one', T0);
    if (!claim) throw new Error('not claimed');

    // Act
    const first = await markAlertSuppressed(store, alert, claim, 'quiet');
    const second = await markAlertSuppressed(store, alert, claim, 'other');

    // Assert
    expect([first, second]).toEqual([true, false]);
    expect(await stored()).toMatchObject({ status: 'suppressed', silenceId: 'quiet' });
  });

  it('passes on an error that is not a lost race (a missing table), claiming or releasing', async () => {
    // Arrange
    const missing = { ...store, name: `${store.name}-missing` };
    const claim = { id: 'one', until: T0.toISOString(), attempt: 1 };

    // Act and assert
    await expect(claimAlert(missing, alert, 'one', T0)).rejects.toThrow(/non-existent table|not found/i);
    await expect(releaseClaim(missing, alert, claim)).rejects.toThrow(/non-existent table|not found/i);
    await expect(markAlertSent(missing, alert, claim, 'm', T0.toISOString())).rejects.toThrow(
      /non-existent table|not found/i,
    );
  });

  it('frees a released claim at once, and leaves a claim taken over alone', async () => {
    // Arrange
    const mine = await claimAlert(store, alert, 'mine', T0);
    if (!mine) throw new Error('not claimed');

    // Act: released, the alert can be claimed again before the claim would have run out.
    await releaseClaim(store, alert, mine);
    const next = await claimAlert(store, alert, 'next', later(1_000));
    // Releasing the old claim again must not free the new holder's.
    await releaseClaim(store, alert, mine);
    const third = await claimAlert(store, alert, 'third', later(2_000));

    // Assert
    expect(next).toMatchObject({ id: 'next', attempt: 2 });
    expect(third).toBeNull();
  });
});
