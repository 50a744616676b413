// Hysteresis: the confirmed path changes only after m of the last n new data updates favour a challenger.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { advance, pending } from '../../../shared/domain/hysteresis.ts';
import type { Assessment, PathShift, PathState } from '../../../shared/domain/model.ts';
import { initialPathState } from '../../../shared/domain/model.ts';

const rules: Scenario['alerting'] = { enterMargin: 0.2, confirm: { m: 2, n: 3 } };

interface Reading {
  leader: string;
  margin: number;
  /** Defaults to a key unique to this reading, i.e. new data. */
  key?: string;
}

let readings = 0;

function assessment({ leader, margin, key }: Reading): Assessment {
  readings += 1;
  const other = leader === 'baseline' ? 'risk' : 'baseline';
  const top = (1 + margin) / 2;
  return {
    scenarioId: 'test-scenario',
    asOf: new Date(Date.UTC(2024, 0, readings)).toISOString(),
    probabilities: { [leader]: top, [other]: 1 - top },
    leader,
    margin,
    contributions: [],
    stale: [],
    evidence: key === '' ? {} : { fires: key ?? `reading-${readings}` },
  };
}

/** A state already confirmed on `baseline`, as after the first clear reading. */
function onBaseline(): PathState {
  return advance(initialPathState, assessment({ leader: 'baseline', margin: 0.6 }), rules, null).state;
}

/** Feeds readings in order; returns the final state and every shift raised on the way. */
function replay(
  start: PathState,
  sequence: Reading[],
  withRules: Scenario['alerting'] = rules,
): { state: PathState; shifts: PathShift[] } {
  let state = start;
  let before: Record<string, number> | null = null;
  const shifts: PathShift[] = [];
  for (const reading of sequence) {
    const a = assessment(reading);
    const step = advance(state, a, withRules, before);
    if (step.shift) shifts.push(step.shift);
    state = step.state;
    before = a.probabilities;
  }
  return { state, shifts };
}

const risk = (margin = 0.5, key?: string): Reading => ({
  leader: 'risk',
  margin,
  ...(key === undefined ? {} : { key }),
});
const baseline = (margin = 0.5, key?: string): Reading => ({
  leader: 'baseline',
  margin,
  ...(key === undefined ? {} : { key }),
});

describe('advance from the initial state', () => {
  it('sets the path from the first clear reading without raising a shift', () => {
    // Arrange
    const first = assessment({ leader: 'risk', margin: 0.3, key: 'k1' });

    // Act
    const { state, shift } = advance(initialPathState, first, rules, null);

    // Assert
    expect(shift).toBeNull();
    expect(state).toEqual({
      ...initialPathState,
      path: 'risk',
      since: first.asOf,
      window: [],
      seen: { fires: 'k1' },
      shifts: 0,
    });
  });

  it('leaves the path unset while the leader is below the enter margin, but remembers the evidence', () => {
    // Arrange
    const unclear = assessment({ leader: 'risk', margin: 0.19, key: 'k1' });

    // Act
    const { state, shift } = advance(initialPathState, unclear, rules, null);

    // Assert
    expect(shift).toBeNull();
    expect(state.path).toBeNull();
    expect(state.since).toBeNull();
    expect(state.seen).toEqual({ fires: 'k1' });
  });

  it('never sets the path from an assessment without evidence', () => {
    // Arrange: all data missing gives the priors and an empty evidence key
    const priorsOnly = assessment({ leader: 'baseline', margin: 0.6, key: '' });

    // Act
    const { state, shift } = advance(initialPathState, priorsOnly, rules, null);

    // Assert
    expect(shift).toBeNull();
    expect(state).toBe(initialPathState);
  });

  it('does not change the state object it is given', () => {
    // Arrange
    const frozen = Object.freeze({ ...initialPathState, window: Object.freeze([]) as unknown as [] });

    // Act
    const step = () => replay(frozen, [baseline(), risk(), risk()]);

    // Assert
    expect(step).not.toThrow();
    expect(frozen).toEqual(initialPathState);
  });
});

describe('advance once a path is set', () => {
  it.each([
    {
      name: 'keeps the current path when only one of three updates favours the challenger',
      sequence: [risk(), baseline(), baseline()],
      path: 'baseline',
      shifts: 0,
    },
    {
      name: 'keeps the current path when two challenger updates are more than three apart',
      sequence: [risk(), baseline(), baseline(), risk()],
      path: 'baseline',
      shifts: 0,
    },
    {
      name: 'shifts when two of the last three updates favour the challenger',
      sequence: [risk(), baseline(), risk()],
      path: 'risk',
      shifts: 1,
    },
    {
      name: 'shifts when two updates in a row favour the challenger',
      sequence: [risk(), risk()],
      path: 'risk',
      shifts: 1,
    },
    {
      name: 'counts a lead exactly at the enter margin',
      sequence: [risk(0.2), risk(0.2)],
      path: 'risk',
      shifts: 1,
    },
    {
      name: 'does not count a challenger that leads by less than the enter margin',
      sequence: [risk(0.19), risk(0.19), risk(0.19)],
      path: 'baseline',
      shifts: 0,
    },
    {
      name: 'does not count unclear readings towards the challenger',
      sequence: [risk(), risk(0.1), baseline(0.05)],
      path: 'baseline',
      shifts: 0,
    },
  ])('$name', ({ sequence, path, shifts }) => {
    // Arrange
    const start = onBaseline();

    // Act
    const result = replay(start, sequence);

    // Assert
    expect(result.state.path).toBe(path);
    expect(result.shifts).toHaveLength(shifts);
    expect(result.state.shifts).toBe(shifts);
  });

  it('records a clear reading for the current path as no support for a challenger', () => {
    // Act
    const { state } = replay(onBaseline(), [baseline(), risk(0.1), risk()]);

    // Assert
    expect(state.window).toEqual([null, null, 'risk']);
  });

  it('keeps only the last n updates in the window', () => {
    // Act
    const { state } = replay(onBaseline(), [risk(), baseline(), baseline(), baseline(), baseline()]);

    // Assert
    expect(state.window).toEqual([null, null, null]);
  });

  it('does not advance the window when the same evidence key comes again', () => {
    // Arrange: the evaluator re-runs on unchanged data three times
    const sequence = [risk(0.5, 'same'), risk(0.5, 'same'), risk(0.5, 'same')];

    // Act
    const result = replay(onBaseline(), sequence);

    // Assert
    expect(result.shifts).toEqual([]);
    expect(result.state.path).toBe('baseline');
    expect(result.state.window).toEqual(['risk']);
    expect(result.state.seen).toEqual({ fires: 'same' });
  });

  it('returns the very same state for a repeated evidence key', () => {
    // Arrange
    const { state } = replay(onBaseline(), [risk(0.5, 'k')]);

    // Act
    const step = advance(state, assessment(risk(0.9, 'k')), rules, null);

    // Assert
    expect(step.state).toBe(state);
    expect(step.shift).toBeNull();
  });

  it('never confirms a shift from an assessment with an empty evidence key', () => {
    // Arrange: one update already favours risk; then all data drops out, repeatedly
    const { state } = replay(onBaseline(), [risk()]);

    // Act
    const result = replay(state, [risk(0.9, ''), risk(0.9, ''), risk(0.9, '')]);

    // Assert
    expect(result.shifts).toEqual([]);
    expect(result.state).toBe(state);
    expect(result.state.window).toEqual(['risk']);
  });

  it('resets the window after a shift, so one blip back does not undo it', () => {
    // Act
    const afterShift = replay(onBaseline(), [risk(), risk()]);
    const afterBlip = replay(afterShift.state, [baseline(), risk()]);

    // Assert
    expect(afterShift.state.window).toEqual([]);
    expect(afterShift.state.path).toBe('risk');
    expect(afterBlip.shifts).toEqual([]);
    expect(afterBlip.state.path).toBe('risk');
    expect(afterBlip.state.window).toEqual(['baseline', null]);
  });

  it('numbers successive shifts', () => {
    // Act
    const result = replay(onBaseline(), [risk(), risk(), baseline(), baseline(), risk(), risk()]);

    // Assert
    expect(result.shifts.map((s) => [s.sequence, s.from, s.to])).toEqual([
      [1, 'baseline', 'risk'],
      [2, 'risk', 'baseline'],
      [3, 'baseline', 'risk'],
    ]);
    expect(result.state.shifts).toBe(3);
  });

  it('carries from, to, sequence, time and probabilities before and after in the shift', () => {
    // Arrange
    const { state } = replay(onBaseline(), [risk(0.5, 'k2')]);
    const confirming = assessment(risk(0.4, 'k3'));
    const before = { baseline: 0.3, risk: 0.7 };

    // Act
    const step = advance(state, confirming, rules, before);

    // Assert
    expect(step.shift).toEqual({
      sequence: 1,
      from: 'baseline',
      to: 'risk',
      at: confirming.asOf,
      probabilitiesBefore: before,
      probabilitiesAfter: confirming.probabilities,
    });
    expect(step.state).toEqual({
      ...state,
      path: 'risk',
      since: confirming.asOf,
      window: [],
      seen: { fires: 'k3' },
      shifts: 1,
    });
  });

  it('confirms only the challenger that reaches m, with three paths', () => {
    // Arrange
    const other = (margin = 0.5): Reading => ({ leader: 'other', margin });

    // Act
    const split = replay(onBaseline(), [risk(), other()]);
    const confirmed = replay(split.state, [risk()]);

    // Assert
    expect(split.shifts).toEqual([]);
    expect(confirmed.shifts.map((s) => s.to)).toEqual(['risk']);
  });

  it('applies other m-of-n rules, here 3 of 5', () => {
    // Arrange
    const threeOfFive: Scenario['alerting'] = { enterMargin: 0.2, confirm: { m: 3, n: 5 } };

    // Act
    const twoOnly = replay(onBaseline(), [risk(), baseline(), risk(), baseline()], threeOfFive);
    const third = replay(twoOnly.state, [risk()], threeOfFive);

    // Assert
    expect(twoOnly.shifts).toEqual([]);
    expect(third.shifts).toHaveLength(1);
    expect(third.state.path).toBe('risk');
  });

  it('shifts on a single update when the rule is 1 of 1', () => {
    // Act
    const result = replay(onBaseline(), [risk()], { enterMargin: 0.2, confirm: { m: 1, n: 1 } });

    // Assert
    expect(result.shifts).toHaveLength(1);
  });
});

describe('pending', () => {
  it.each([
    { window: [], expected: null },
    { window: [null, null, null], expected: null },
    { window: ['risk'], expected: { path: 'risk', count: 1 } },
    { window: ['risk', null, 'risk'], expected: { path: 'risk', count: 2 } },
    { window: ['risk', 'other'], expected: { path: 'other', count: 1 } },
    { window: ['other', 'risk', null], expected: { path: 'risk', count: 1 } },
    { window: ['risk', 'risk', 'other'], expected: { path: 'risk', count: 2 } },
    { window: ['other', 'risk', 'other', 'risk'], expected: { path: 'risk', count: 2 } },
  ])('finds $expected as the leading challenger in $window', ({ window, expected }) => {
    // Act
    const result = pending(window);

    // Assert
    expect(result).toEqual(expected);
  });
});

describe('data updates', () => {
  const base: PathState = {
    ...initialPathState,
    path: 'baseline',
    since: '2024-01-01T00:00:00.000Z',
    seen: { fires: '2024-05-01=10', aid: '2024-05-01=2' },
    version: 3,
  };
  const leaningRisk = (evidence: Record<string, string>): Assessment => ({
    scenarioId: 'test-scenario',
    asOf: '2024-07-01T00:00:00.000Z',
    probabilities: { baseline: 0.1, risk: 0.9 },
    leader: 'risk',
    margin: 0.8,
    contributions: [],
    stale: ['aid'],
    evidence,
  });

  it('does not count an indicator dropping out (stale) as a data update', () => {
    const step = advance(base, leaningRisk({ fires: '2024-05-01=10' }), rules, null);

    expect(step).toEqual({ state: base, shift: null });
  });

  it('counts a revised value of an observation already seen as a data update', () => {
    const step = advance(base, leaningRisk({ fires: '2024-05-01=12' }), rules, null);

    expect(step.state.window).toEqual(['risk']);
    expect(step.state.seen).toEqual({ fires: '2024-05-01=12', aid: '2024-05-01=2' });
  });
});
