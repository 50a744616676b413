// Silences live in their own partition (SIL#), the one scenario partition the API may write; those set
// before it existed (under SCN#) are still read until they end.
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import {
  deleteSilence,
  listSilences,
  putSilence,
  type Silence,
  silenceKey,
} from '../../shared/store/silences.ts';
import { key, partition } from '../../shared/store/table.ts';
import { useFreshTable } from './local-stack.ts';

const silence = (silenceId: string, reason: string): Silence => ({
  scenarioId: 'quiet',
  silenceId,
  start: '2026-01-01T00:00:00.000Z',
  end: '2026-01-02T00:00:00.000Z',
  reason,
  updatedAt: '2025-12-31T00:00:00.000Z',
});

describe('the silences of a scenario', () => {
  const store = useFreshTable('silence-partitions');

  it('are written to the silence partition and read with the legacy ones, a new one winning on its id', async () => {
    // Arrange: two silences set before the partition existed, one of them set anew since.
    const legacy = (s: Silence) => ({
      ...s,
      ...key(partition.scenario('quiet'), 'SILENCE', s.silenceId),
      entity: 'silence',
    });
    for (const s of [silence('old', 'legacy'), silence('both', 'legacy')])
      await store.db.send(new PutCommand({ TableName: store.name, Item: legacy(s) }));

    // Act
    await putSilence(store, silence('both', 'set anew'));
    await putSilence(store, silence('new', 'set anew'));
    const listed = await listSilences(store, 'quiet');

    // Assert
    expect(silenceKey('quiet', 'new').pk).toBe('SIL#quiet');
    expect(listed.map((s) => [s.silenceId, s.reason])).toEqual([
      ['both', 'set anew'],
      ['new', 'set anew'],
      ['old', 'legacy'],
    ]);
  });

  it('are deleted from the silence partition only', async () => {
    // Act
    const removed = await deleteSilence(store, 'quiet', 'new');
    const again = await deleteSilence(store, 'quiet', 'new');
    const legacyOnly = await deleteSilence(store, 'quiet', 'old');

    // Assert
    expect([removed, again, legacyOnly]).toEqual([true, false, false]);
    expect((await listSilences(store, 'quiet')).map((s) => s.silenceId)).toEqual(['both', 'old']);
  });
});
