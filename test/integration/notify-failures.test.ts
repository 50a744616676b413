import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { DynamoDBRecord } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { runIngest } from '../../cli/local/pipeline.ts';
import { metrics } from '../../shared/runtime/metrics.ts';
import { STREAM_TRIGGERS, triggers } from '../../shared/runtime/stream-triggers.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import { getLatestAssessment } from '../../shared/store/assessments.ts';
import { capturePerIdMetrics } from '../fixtures/metrics.ts';
import { CONFIRMED_SHIFT, invokeEvaluate, receivedAlerts, useLocalStack } from './local-stack.ts';

// SNS failures cannot be produced for real on the emulator, so these mock the SNS client (only).
describe('notify when SNS fails', () => {
  // Mocked only inside the tests that fail SNS: the stack itself is set up on the real emulator.
  const sns = mockClient(SNSClient);
  sns.restore();
  const stack = useLocalStack({ ingested: true });
  let alertRecords: DynamoDBRecord[];

  beforeAll(async () => {
    // December 2023 sets baseline; January and February favour risk: one confirmed shift, one alert.
    await invokeEvaluate(stack, CONFIRMED_SHIFT);
    // The shift's alert only (the seed's forecast warnings travel the same way).
    alertRecords = (await stack.pump.poll()).filter(
      (r) => triggers(STREAM_TRIGGERS.notify, r) && r.dynamodb?.NewImage?.kind?.S === 'path-shift',
    );
  });

  afterEach(() => {
    sns.restore();
  });

  const shiftStatuses = async () =>
    (await listAlerts(stack.table, 'kupyansk')).filter((a) => a.kind === 'path-shift').map((a) => a.status);

  it.each([
    { failure: 'throttling', error: Object.assign(new Error('Rate exceeded'), { name: 'Throttling' }) },
    {
      failure: 'an internal error (500)',
      error: Object.assign(new Error('Internal'), { name: 'InternalError' }),
    },
  ])('leaves the alert pending and reports the record for retry on $failure', async ({ error }) => {
    // Arrange
    expect(alertRecords).toHaveLength(1);
    sns.reset();
    sns.on(PublishCommand).rejects(error);

    // Act
    const result = await invoke<{ batchItemFailures: { itemIdentifier: string }[] }>(
      stack.handlers.notify,
      'notify',
      {
        Records: alertRecords,
      },
    );

    // Assert
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: alertRecords[0]?.dynamodb?.SequenceNumber }]);
    expect(await shiftStatuses()).toEqual(['pending']);
  });

  it('publishes the pending alert exactly once when the stream retries after SNS recovers', async () => {
    // Act: SNS is back (the real emulator); the stream redelivers the same record, twice.
    const first = await invoke<{ batchItemFailures: unknown[] }>(stack.handlers.notify, 'notify', {
      Records: alertRecords,
    });
    const again = await invoke<{ batchItemFailures: unknown[] }>(stack.handlers.notify, 'notify', {
      Records: alertRecords,
    });

    // Assert
    expect([first.batchItemFailures, again.batchItemFailures]).toEqual([[], []]);
    expect(await shiftStatuses()).toEqual(['sent']);
    const received = await receivedAlerts(stack);
    expect(received.map((a) => a.attributes)).toEqual([
      {
        scenario: 'kupyansk',
        kind: 'path-shift',
        severity: 'high',
        dedupKey: `kupyansk#${alertRecords[0]?.dynamodb?.NewImage?.sequence?.N}`,
        fromPath: 'baseline',
        toPath: 'risk',
        // The failed publishes gave their claims up: this is the third claim of the alert.
        attempt: '3',
      },
    ]);
  });

  it('reports the failures in a row of each ingested indicator, for the per-indicator alarms', async () => {
    // Arrange
    const { emitted, restore } = capturePerIdMetrics();
    try {
      // Act: one indicator whose example data reads fine.
      await runIngest(stack.handlers, { indicators: ['ua-fires'] });

      // Assert
      expect(emitted).toEqual([['ua-fires', 'ConsecutiveFetchFailures', 0]]);
    } finally {
      restore();
    }
  });

  it('reports the stale indicators per evaluated scenario, for the per-scenario alarms', async () => {
    // Arrange: capture what the evaluate handler hands to Powertools.
    const dimensions: [string, string][] = [];
    const emitted: [string, number][] = [];
    const single = vi.spyOn(metrics, 'singleMetric').mockImplementation(
      () =>
        ({
          addDimension: (name: string, value: string) => dimensions.push([name, value]),
          addMetric: (name: string, _unit: string, value: number) => emitted.push([name, value]),
        }) as unknown as ReturnType<typeof metrics.singleMetric>,
    );
    try {
      // Act: the seed scenario in March 2024 (its western-assistance series has no current data).
      const { results } = await invoke<{ results: { scenarioId: string }[] }>(
        stack.handlers.evaluate,
        'evaluate',
        {
          scenarioId: 'kupyansk',
          asOf: '2024-03-01T00:00:00Z',
        },
      );
      const latest = await getLatestAssessment(stack.table, 'kupyansk');

      // Assert
      expect(results.map((r) => r.scenarioId)).toEqual(['kupyansk']);
      expect(dimensions).toEqual([
        ['scenario', 'kupyansk'],
        ['scenario', 'kupyansk'],
      ]);
      expect(emitted).toEqual([
        ['EvaluationFailures', 0],
        ['StaleIndicators', latest?.stale.length],
      ]);
    } finally {
      single.mockRestore();
    }
  });
});
