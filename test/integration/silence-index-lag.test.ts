import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { receiveAlerts } from '../../cli/local/pipeline.ts';
import { evaluate } from '../../shared/app/evaluate.ts';
import { SWEEP_AFTER_MS, sweepPendingAlerts } from '../../shared/app/notify.ts';
import { summarizeEndedSilences } from '../../shared/app/silences.ts';
import { sns } from '../../shared/runtime/clients.ts';
import { STREAM_TRIGGERS, triggers } from '../../shared/runtime/stream-triggers.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import { putSilence } from '../../shared/store/silences.ts';
import type { Table } from '../../shared/store/table.ts';
import { type LocalStack, seedScenario, startIngestedStack } from './local-stack.ts';

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
  let stack: LocalStack;
  const started = Date.now();
  const end = new Date(started + 60 * 60_000).toISOString();

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
    const scenario = seedScenario(stack);
    for (const month of ['2023-12-01', '2024-01-01', '2024-02-01']) {
      await evaluate(stack.table, scenario, new Date(`${month}T00:00:00Z`), new Date());
    }
    const records = (await stack.pump.poll()).filter((r) => triggers(STREAM_TRIGGERS.notify, r));
    await invoke(stack.handlers.notify, 'notify', { Records: records });
    // After the silence: the return to the baseline path, raised but not delivered yet (pending).
    for (const month of ['2024-03-01', '2024-04-01', '2024-05-01']) {
      await evaluate(
        stack.table,
        scenario,
        new Date(`${month}T00:00:00Z`),
        new Date(Date.parse(end) + 60_000),
      );
    }
    await stack.pump.poll();
  });

  afterAll(() => stack?.pump.close());

  it('still delivers the pending alerts when a summary cannot be written, then fails the run', async () => {
    // Arrange
    const pending = (await listAlerts(stack.table, 'kupyansk')).filter((a) => a.status === 'pending');
    expect(pending.length).toBeGreaterThan(0);
    const notifier = {
      table: failingTransactions(stack.table),
      sns: sns(),
      topicArn: stack.subscriber.topicArn,
      registry: stack.registry,
      apiBaseUrl: 'https://api.example.org',
    };

    // Act
    const sweep = sweepPendingAlerts(notifier, () => new Date(Date.parse(end) + 60_000 + SWEEP_AFTER_MS + 1));

    // Assert
    await expect(sweep).rejects.toThrow(/silence summaries failed for kupyansk: .*simulated outage/);
    const received = await receiveAlerts(stack.subscriber.queueUrl);
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
