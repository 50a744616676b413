// Per scenario, in order and exactly once with several workers: every scenario's evaluations enqueued on
// the FIFO queue at once (a redelivered schedule among them), taken by four workers racing across the
// scenarios that share the indicators; and an older evaluation never applied after a newer one.
import type { SQSBatchResponse } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { invoke } from '../../cli/local/lambda.ts';
import { runIngest } from '../../cli/local/pipeline.ts';
import { drainQueue } from '../../cli/local/work-queues.ts';
import { evaluate } from '../../shared/app/evaluate.ts';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import { isPathAlert, listAlerts } from '../../shared/store/alerts.ts';
import { getLatestAssessment, listAssessments } from '../../shared/store/assessments.ts';
import { getPathState } from '../../shared/store/path-states.ts';
import { scenarioIds, sharedScenarioFolder } from './fan-out-fixture.ts';
import { barrier, intercepted } from './interleave.ts';
import { deliverNewAlerts, receivedAlerts, useLocalStack } from './local-stack.ts';

const SCENARIOS = scenarioIds(6);
const WORKERS = 4;
/** Month starts: each evaluates the month before it. */
const AS_OF = ['2024-02-01', '2024-03-01', '2024-04-01', '2024-05-01', '2024-06-01', '2024-07-01'].map(
  (d) => `${d}T00:00:00.000Z`,
);

type Evaluated = SQSBatchResponse & { results: { scenarioId: string; asOf: string; applied: boolean }[] };

describe('evaluations fanned out to racing workers', () => {
  const stack = useLocalStack({ scenariosDir: sharedScenarioFolder(SCENARIOS.length) });
  const drain = () =>
    drainQueue<Evaluated>(
      stack.queues.evaluate,
      stack.handlers.evaluate,
      'evaluate',
      QUEUE_TRIGGERS.evaluate,
      WORKERS,
    );
  const dispatch = (asOf: string) =>
    invoke(stack.handlers.dispatch, 'dispatch', { dispatch: 'evaluate', asOf });

  beforeAll(async () => {
    await runIngest(stack.handlers, { workers: WORKERS });
  });

  it('evaluates each scenario once per month, in order, and alerts each confirmed shift exactly once', async () => {
    // Arrange: every month's run enqueued before any worker starts, each one delivered twice.
    for (const asOf of AS_OF) {
      await dispatch(asOf);
      await dispatch(asOf);
    }

    // Act
    const drained = await drain();
    const delivered = await deliverNewAlerts(stack);
    const received = await receivedAlerts(stack);

    // Assert: one evaluation per scenario and month (the duplicates dropped), applied in month order.
    const results = drained.results.flatMap((r) => r.results);
    expect(results).toHaveLength(SCENARIOS.length * AS_OF.length);
    expect(drained.deadLettered).toEqual([]);
    for (const id of SCENARIOS) {
      const mine = results.filter((r) => r.scenarioId === id);
      expect(mine.map((r) => r.asOf)).toEqual(AS_OF);
      expect(mine.every((r) => r.applied)).toBe(true);
      expect((await listAssessments(stack.table, id)).map((a) => a.asOf)).toEqual(AS_OF);
      const alerts = await listAlerts(stack.table, id);
      expect(alerts.filter(isPathAlert).map((a) => [a.from, a.to])).toEqual([['a', 'b']]);
      expect(alerts.map((a) => a.sequence)).toEqual(alerts.map((_, i) => i + 1));
      expect((await getPathState(stack.table, id)).path).toBe('b');
    }
    // Every alert published once: one SNS message per outbox entry, none twice.
    const outbox = (await Promise.all(SCENARIOS.map((id) => listAlerts(stack.table, id)))).flat();
    expect(delivered).toBe(outbox.length);
    expect(received.map((a) => a.attributes.dedupKey).sort()).toEqual(
      outbox.map((a) => `${a.scenarioId}#${a.sequence}`).sort(),
    );
  });

  it('keeps an older evaluation taken after a newer one in the history only', async () => {
    // Arrange: what the newest evaluation left.
    const [id] = SCENARIOS as [string];
    const before = await getPathState(stack.table, id);
    const alertsBefore = await listAlerts(stack.table, id);

    // Act: a late run for March, enqueued after July's.
    await dispatch('2024-03-15T00:00:00.000Z');
    const drained = await drain();

    // Assert
    const late = drained.results.flatMap((r) => r.results).filter((r) => r.scenarioId === id);
    expect(late).toEqual([expect.objectContaining({ asOf: '2024-03-15T00:00:00.000Z', applied: false })]);
    expect((await getLatestAssessment(stack.table, id))?.asOf).toBe(AS_OF.at(-1));
    expect(await getPathState(stack.table, id)).toEqual(before);
    expect(await listAlerts(stack.table, id)).toEqual(alertsBefore);
  });

  it('never applies an older evaluation that commits after a newer one it raced', async () => {
    // Arrange: both read the state, then the older waits to commit until the newer has committed.
    const id = SCENARIOS[1] as string;
    const scenario = stack.registry.scenario(id);
    if (!scenario) throw new Error(`scenario ${id} is missing`);
    const before = await getPathState(stack.table, id);
    const bothRead = barrier(2);
    let newerCommitted: () => void = () => {};
    const committed = new Promise<void>((resolve) => {
      newerCommitted = resolve;
    });
    const isCommit = (command: object) => command.constructor.name === 'TransactWriteCommand';
    const isStateRead = (command: object) =>
      command.constructor.name === 'GetCommand' && JSON.stringify(command).includes('STATE');
    let olderCommits = 0;
    const older = intercepted(stack.table, async (command) => {
      if (isStateRead(command) && olderCommits === 0) await bothRead();
      if (isCommit(command) && olderCommits++ === 0) await committed;
    });
    const newer = intercepted(stack.table, async (command) => {
      if (isStateRead(command)) await bothRead();
    });
    const now = new Date();

    // Act
    const [late, fresh] = await Promise.all([
      evaluate(older, scenario, new Date('2024-04-15T00:00:00.000Z'), now),
      evaluate(newer, scenario, new Date('2024-08-01T00:00:00.000Z'), now).finally(() => newerCommitted()),
    ]);

    // Assert: the older lost the race, re-read the state and stored itself as history only.
    expect(fresh.applied).toBe(true);
    expect(late.applied).toBe(false);
    expect((await getLatestAssessment(stack.table, id))?.asOf).toBe('2024-08-01T00:00:00.000Z');
    expect((await getPathState(stack.table, id)).version).toBe(before.version + 1);
    expect((await listAssessments(stack.table, id)).map((a) => a.asOf)).toContain('2024-04-15T00:00:00.000Z');
  });
});
