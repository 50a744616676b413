// The fan-out end to end on fauxqs with several workers: the ingest schedule's dispatch, the workers on
// the ingest queue, the changed observations enqueued by scenario on the FIFO queue, the evaluate
// workers, and notify.
import { describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { drainStream, runIngest } from '../../cli/local/pipeline.ts';
import { drainQueue } from '../../cli/local/work-queues.ts';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import { listAlerts } from '../../shared/store/alerts.ts';
import { getLatestAssessment } from '../../shared/store/assessments.ts';
import { listObservations } from '../../shared/store/observations.ts';
import { MONTHS, SHARED, scenarioIds, sharedScenarioFolder } from './fan-out-fixture.ts';
import { receivedAlerts, useLocalStack } from './local-stack.ts';

const SCENARIOS = scenarioIds(5);
const WORKERS = 4;

describe('the fan-out from schedule to alert', () => {
  const stack = useLocalStack({ scenariosDir: sharedScenarioFolder(SCENARIOS.length) });

  it('fetches every indicator once, shared ones included, on several workers', async () => {
    // Act
    const reports = await runIngest(stack.handlers, { workers: WORKERS });

    // Assert
    const ids = [...SHARED, ...SCENARIOS.map((id) => `own-${id}`)].sort();
    expect(reports.map((r) => [r.indicatorId, r.status, r.written])).toEqual(
      ids.map((id) => [id, 'succeeded', MONTHS.length]),
    );
    expect(await listObservations(stack.table, 'shared-a')).toHaveLength(MONTHS.length);
  });

  it("fetches on a cadence's schedule only the indicators of that cadence, and refuses an unknown cadence", async () => {
    // Act: the fixture's indicators are all monthly.
    const weekly = await runIngest(stack.handlers, { cadences: ['P1W', 'P1D'], workers: WORKERS });
    const monthly = await runIngest(stack.handlers, { cadences: ['P1M'], workers: WORKERS });
    const unknown = runIngest(stack.handlers, { cadences: ['P2M'] });

    // Assert
    expect(weekly).toEqual([]);
    expect(monthly).toHaveLength(SHARED.length + SCENARIOS.length);
    await expect(unknown).rejects.toThrow(/"cadences",\s*0[\s\S]*expected one of[\s\S]*P1D/);
  });

  it('evaluates every scenario using the changed observations and delivers each alert once', async () => {
    // Act: the stream's observation records to dispatch, the evaluation queue to four workers.
    const round = await drainStream(stack.pump, stack.handlers, WORKERS);
    const received = await receivedAlerts(stack);

    // Assert
    expect(round.failed).toEqual([]);
    expect(round.evaluations).toBeGreaterThanOrEqual(SCENARIOS.length);
    for (const id of SCENARIOS) expect(await getLatestAssessment(stack.table, id)).not.toBeNull();
    const outbox = (await Promise.all(SCENARIOS.map((id) => listAlerts(stack.table, id)))).flat();
    expect(round.alertsDelivered).toBe(outbox.length);
    expect(received.map((a) => a.attributes.dedupKey).sort()).toEqual(
      outbox.map((a) => `${a.scenarioId}#${a.sequence}`).sort(),
    );
  });

  it('enqueues nothing again for a stream batch delivered twice', async () => {
    // Arrange: one change of a shared indicator, as the stream would hand it to dispatch.
    const records = [
      {
        eventName: 'MODIFY',
        dynamodb: {
          NewImage: { entity: { S: 'observation' }, indicatorId: { S: 'shared-a' } },
          SequenceNumber: '42',
        },
      },
    ];

    // Act
    await invoke(stack.handlers.dispatch, 'dispatch', { Records: records });
    await invoke(stack.handlers.dispatch, 'dispatch', { Records: records });
    const drained = await drainQueue<{ results: { scenarioId: string }[] }>(
      stack.queues.evaluate,
      stack.handlers.evaluate,
      'evaluate',
      QUEUE_TRIGGERS.evaluate,
      WORKERS,
    );

    // Assert: every scenario sharing the indicator, once.
    expect(drained.results.flatMap((r) => r.results.map((e) => e.scenarioId)).sort()).toEqual(SCENARIOS);
  });
});
