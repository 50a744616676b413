import { describe, expect, it } from 'vitest';
import { evaluate } from '../../shared/app/evaluate.ts';
import { getLatestAssessment, listAssessments } from '../../shared/store/assessments.ts';
import { getPathState } from '../../shared/store/path-states.ts';
import { seedScenario, useLocalStack } from './local-stack.ts';

describe('an evaluation older than the latest one', () => {
  const stack = useLocalStack({ ingested: true });

  it('goes into the history without moving the latest assessment or the path state', async () => {
    // Arrange
    const scenario = seedScenario(stack);
    const now = new Date('2026-01-01T00:00:00Z');
    await evaluate(stack.table, scenario, new Date('2025-06-01T00:00:00Z'), now);
    const stateBefore = await getPathState(stack.table, 'kupyansk');

    // Act: a late backfill of a month when risk led
    const late = await evaluate(stack.table, scenario, new Date('2024-02-01T00:00:00Z'), now);

    // Assert
    expect(late).toMatchObject({ applied: false, shift: null });
    expect(late.assessment.leader).toBe('risk');
    expect((await getLatestAssessment(stack.table, 'kupyansk'))?.asOf).toBe('2025-06-01T00:00:00.000Z');
    expect(await getPathState(stack.table, 'kupyansk')).toEqual(stateBefore);
    expect((await listAssessments(stack.table, 'kupyansk')).map((a) => a.asOf)).toEqual([
      '2024-02-01T00:00:00.000Z',
      '2025-06-01T00:00:00.000Z',
    ]);
  });
});
