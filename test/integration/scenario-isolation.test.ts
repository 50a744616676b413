// One scenario never blocks another: a scenario whose evaluation fails (here its indicator's stored
// data is corrupt) is reported, counted and retried on its own, and the scenarios after it are evaluated.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SQSBatchResponse } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { drainQueue } from '../../cli/local/work-queues.ts';
import { evaluateRequested } from '../../shared/app/evaluate-requested.ts';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import { getLatestAssessment } from '../../shared/store/assessments.ts';
import { observationKey, observationToItem } from '../../shared/store/observations.ts';
import { capturePerIdMetrics } from '../fixtures/metrics.ts';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';
import { useLocalStack } from './local-stack.ts';

/** Two scenarios, `broken` first (the registry orders by id), each with a manual indicator of its own. */
function scenarioFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), 'signpost-isolation-'));
  mkdirSync(join(dir, 'data'));
  for (const id of ['broken', 'healthy']) {
    const indicators = [
      { id: `${id}-readings`, source: { kind: 'manual' }, staleAfter: 'P10Y', expect: AB_EXPECT },
    ];
    writeFileSync(join(dir, `${id}.yaml`), scenarioYaml({ id, paths: EVEN_AB, indicators }));
  }
  return dir;
}

const asOf = '2024-03-01T00:00:00Z';

describe('evaluating several scenarios when one of them fails', () => {
  const stack = useLocalStack({ scenariosDir: scenarioFiles() });

  beforeAll(async () => {
    const put = (Item: Record<string, unknown>) =>
      stack.table.db.send(new PutCommand({ TableName: stack.table.name, Item }));
    for (const period of ['2024-01-01', '2024-02-01']) {
      const fetchedAt = '2024-02-15T00:00:00.000Z';
      await put(
        observationToItem(
          { indicatorId: 'healthy-readings', period, value: 1, source: 'manual:api' },
          fetchedAt,
        ),
      );
      // Corrupt: a value that is not a number, as a bad restore or a hand edit could leave it.
      await put({
        ...observationKey('broken-readings', period),
        entity: 'observation',
        indicatorId: 'broken-readings',
        period,
        value: 'lots',
        source: 'x',
      });
    }
  });

  it('reports the failing scenario with its error and evaluates the others', async () => {
    // Act
    const outcomes = await evaluateRequested(
      stack.table,
      stack.registry,
      { asOf },
      new Date('2024-03-02T00:00:00Z'),
    );

    // Assert
    expect(outcomes.map((o) => [o.scenarioId, o.error?.name ?? 'evaluated'])).toEqual([
      ['broken', 'MalformedItemError'],
      ['healthy', 'evaluated'],
    ]);
    expect(outcomes[0]?.error?.message).toContain('value is not a number');
    expect((await getLatestAssessment(stack.table, 'healthy'))?.asOf).toBe('2024-03-01T00:00:00.000Z');
    expect(await getLatestAssessment(stack.table, 'broken')).toBeNull();
  });

  it('returns the failing scenario to the queue until its dead-letter queue, counting a failure for it alone', async () => {
    // Arrange: capture the per-scenario metrics the handler hands to Powertools.
    const { emitted, restore } = capturePerIdMetrics();
    try {
      // Act: the daily run's dispatch, then the workers on the evaluation queue.
      await invoke(stack.handlers.dispatch, 'dispatch', {
        dispatch: 'evaluate',
        asOf: '2024-04-01T00:00:00Z',
      });
      const drained = await drainQueue<SQSBatchResponse>(
        stack.queues.evaluate,
        stack.handlers.evaluate,
        'evaluate',
        QUEUE_TRIGGERS.evaluate,
      );

      // Assert: broken failed each of its receives and waits in the dead-letter queue; healthy moved on.
      expect(drained.deadLettered.map((body) => JSON.parse(body))).toEqual([
        { scenarioId: 'broken', asOf: '2024-04-01T00:00:00.000Z' },
      ]);
      const failures = emitted.filter(([, name]) => name === 'EvaluationFailures');
      expect(failures.filter(([id]) => id === 'broken')).toEqual(
        Array(QUEUE_TRIGGERS.evaluate.maxReceiveCount).fill(['broken', 'EvaluationFailures', 1]),
      );
      expect(failures.filter(([id]) => id === 'healthy')).toEqual([['healthy', 'EvaluationFailures', 0]]);
      expect((await getLatestAssessment(stack.table, 'healthy'))?.asOf).toBe('2024-04-01T00:00:00.000Z');
    } finally {
      restore();
    }
  });

  it('fails a direct invocation of the failing scenario, naming it', async () => {
    // Act
    const run = invoke(stack.handlers.evaluate, 'evaluate', {
      scenarioId: 'broken',
      asOf: '2024-04-01T00:00:00Z',
    });

    // Assert: the invocation fails (Lambda retries an asynchronous one).
    await expect(run).rejects.toThrow(/^evaluation failed for broken \(malformed observation item .*\)$/);
  });
});
