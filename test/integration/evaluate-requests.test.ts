// Evaluation requests on the real local table: an asOf in the future is refused, and a backfill records
// the state in force at its instant rather than the current one.

import { describe, expect, it } from 'vitest';
import { FutureAsOfError } from '../../shared/app/as-of.ts';
import { evaluate } from '../../shared/app/evaluate.ts';
import { evaluateRequested } from '../../shared/app/evaluate-requested.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { getLatestAssessment, listAssessments } from '../../shared/store/assessments.ts';
import { getPathState } from '../../shared/store/path-states.ts';
import { seedScenario, useLocalStack } from './local-stack.ts';

const stack = useLocalStack({ ingested: true });
let copies = 0;

/** The seed scenario under an id of its own: the same observations, a history and state apart. */
function freshScenario(): Scenario {
  copies += 1;
  return { ...seedScenario(stack), id: `kupyansk-copy-${copies}` };
}

const at = (day: string) => new Date(`${day}T00:00:00Z`);
const now = at('2026-01-01');

describe('an evaluation request with an asOf in the future', () => {
  it('is refused with an error naming asOf, and nothing is written', async () => {
    // Arrange
    const scenario = freshScenario();
    const registry = new ScenarioRegistry([{ scenario, file: 'copy.yaml', dir: '.' }]);

    // Act
    const request = evaluateRequested(
      stack.table,
      registry,
      { scenarioId: scenario.id, asOf: '2062-10-01T00:00:00Z' },
      now,
    );

    // Assert
    await expect(request).rejects.toThrow(FutureAsOfError);
    await expect(request).rejects.toThrow(
      /^asOf: expected an instant no later than now .*got 2062-10-01T00:00:00Z/,
    );
    expect(await getLatestAssessment(stack.table, scenario.id)).toBeNull();
    expect(await listAssessments(stack.table, scenario.id)).toEqual([]);
    expect((await getPathState(stack.table, scenario.id)).version).toBe(0);
  });

  it('is accepted within the clock-skew allowance of a few minutes', async () => {
    // Arrange
    const scenario = freshScenario();
    const registry = new ScenarioRegistry([{ scenario, file: 'copy.yaml', dir: '.' }]);
    const asOf = new Date(now.getTime() + 2 * 60_000).toISOString();

    // Act
    const [outcome] = await evaluateRequested(stack.table, registry, { scenarioId: scenario.id, asOf }, now);

    // Assert
    const evaluation = outcome?.evaluation;
    expect(evaluation?.applied).toBe(true);
    expect(evaluation?.assessment.asOf).toBe(asOf);
  });
});

describe('a backfill', () => {
  it("keeps the state and events a month's history entry recorded when it is re-evaluated later", async () => {
    // Arrange: January is pending, February confirms the shift to risk, March follows.
    const scenario = freshScenario();
    for (const day of ['2023-12-01', '2024-01-01', '2024-02-01', '2024-03-01'])
      await evaluate(stack.table, scenario, at(day), now);
    const entry = async () =>
      (await listAssessments(stack.table, scenario.id)).find((a) => a.asOf === '2024-01-01T00:00:00.000Z');
    const before = await entry();

    // Act
    const again = await evaluate(stack.table, scenario, at('2024-01-01'), new Date('2026-02-01T00:00:00Z'));

    // Assert
    expect(again.applied).toBe(false);
    expect(before?.state).toMatchObject({ status: 'pending', path: 'baseline' });
    const after = await entry();
    expect(after?.evaluatedAt).toBe('2026-02-01T00:00:00.000Z');
    expect({ state: after?.state, events: after?.events }).toEqual({
      state: before?.state,
      events: before?.events,
    });
  });

  it('records the state held at its instant for a month never assessed, not the current state', async () => {
    // Arrange: March is applied after the shift of February; January was skipped.
    const scenario = freshScenario();
    for (const day of ['2023-12-01', '2024-02-01', '2024-03-01'])
      await evaluate(stack.table, scenario, at(day), now);
    const history = await listAssessments(stack.table, scenario.id);
    const december = history.find((a) => a.asOf === '2023-12-01T00:00:00.000Z');
    const march = history.find((a) => a.asOf === '2024-03-01T00:00:00.000Z');

    // Act
    const late = await evaluate(stack.table, scenario, at('2024-01-15'), now);

    // Assert
    expect(late.applied).toBe(false);
    expect(late.assessment.state).toEqual(december?.state);
    expect(late.assessment.events).toEqual([]);
    expect(march?.state).not.toEqual(december?.state);
  });

  it('records insufficient data for an instant before any assessment', async () => {
    // Arrange
    const scenario = freshScenario();
    await evaluate(stack.table, scenario, at('2024-03-01'), now);

    // Act
    const late = await evaluate(stack.table, scenario, at('2023-06-01'), now);

    // Assert
    expect(late.assessment.state).toEqual({ status: 'insufficient-data', path: null, since: null });
    const stored = (await listAssessments(stack.table, scenario.id)).find(
      (a) => a.asOf === late.assessment.asOf,
    );
    expect(stored?.state).toEqual(late.assessment.state);
  });
});
