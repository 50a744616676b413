import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { SWEEP_AFTER_MS, sweepPendingAlerts } from '../../shared/app/notify.ts';
import { summarizeEndedSilences } from '../../shared/app/silences.ts';
import { sns } from '../../shared/runtime/clients.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import type { Table } from '../../shared/store/table.ts';
import {
  CONFIRMED_SHIFT,
  deliverNewAlerts,
  evaluateMonths,
  receivedAlerts,
  seedScenario,
  silenceForAnHour,
  useLocalStack,
} from './local-stack.ts';

/**
 * The table as DynamoDB serves a global secondary index: eventually consistent. Each distinct query of
 * the index answers what it first answered (DynamoDB Local's indexes are always current, so the lag
 * is simulated); reads of the table itself stay consistent.
 */
function laggingIndex(table: Table): Table {
  const first = new Map<string, unknown>();
  const db = Object.create(table.db) as DynamoDBDocumentClient;
  db.send = (async (command: { input: { IndexName?: string } }) => {
    if (!command.input.IndexName) return table.db.send(command as never);
    const key = JSON.stringify(command.input);
    if (!first.has(key)) first.set(key, await table.db.send(command as never));
    return first.get(key);
  }) as DynamoDBDocumentClient['send'];
  return { db, name: table.name };
}

/** The table where every transaction fails (a summary is the sweep's only transaction). */
function failingTransactions(table: Table): Table {
  const db = Object.create(table.db) as DynamoDBDocumentClient;
  db.send = (async (command: { constructor: { name: string } }) => {
    if (command.constructor.name === 'TransactWriteCommand') throw new Error('simulated outage');
    return table.db.send(command as never);
  }) as DynamoDBDocumentClient['send'];
  return { db, name: table.name };
}

describe('silence summaries in the notify sweep', () => {
  const stack = useLocalStack({ ingested: true });
  let end: string;

  beforeAll(async () => {
    end = await silenceForAnHour(stack, Date.now());
    await evaluateMonths(stack, CONFIRMED_SHIFT);
    await deliverNewAlerts(stack);
    // After the silence: the return to the baseline path, raised but not delivered yet (pending).
    await evaluateMonths(
      stack,
      ['2024-03-01', '2024-04-01', '2024-05-01'],
      new Date(Date.parse(end) + 60_000),
    );
    await stack.pump.poll();
  });

  it('still delivers the pending alerts when a summary cannot be written, then fails the run', async () => {
    // Arrange
    const pending = (await listAlerts(stack.table, 'kupyansk')).filter((a) => a.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    const notifier = {
      table: failingTransactions(stack.table),
      sns: sns(),
      topicArn: stack.subscriber.topicArn,
      scenarios: stack.registry,
      apiBaseUrl: 'https://api.example.org',
    };

    // Act
    const sweep = sweepPendingAlerts(notifier, () => new Date(Date.parse(end) + 60_000 + SWEEP_AFTER_MS + 1));

    // Assert
    await expect(sweep).rejects.toThrow(
      /the sweep failed for silence summary of kupyansk: .*simulated outage/,
    );
    const received = await receivedAlerts(stack);
    expect(received.map((a) => a.attributes.kind)).toEqual(pending.map((a) => a.kind));
    const after = await listAlerts(stack.table, 'kupyansk');
    expect(after.filter((a) => a.kind === 'silence-summary')).toEqual([]);
  });

  it('writes one summary and does not fail on the alerts the index still lists as held', async () => {
    // Arrange: the silence has ended; its alerts are held
    const held = (await listAlerts(stack.table, 'kupyansk')).filter((a) => a.status === 'suppressed');
    expect(held.length).toBeGreaterThan(0);

    // Act
    const written = await summarizeEndedSilences(
      laggingIndex(stack.table),
      seedScenario(stack),
      new Date(Date.parse(end) + 60_000),
    );

    // Assert
    const summaries = (await listAlerts(stack.table, 'kupyansk')).filter((a) => a.kind === 'silence-summary');
    expect(written).toBe(1);
    expect(summaries).toHaveLength(1);
    expect(summaries[0]?.held?.map((h) => h.sequence)).toEqual(held.map((a) => a.sequence));
  });
});
