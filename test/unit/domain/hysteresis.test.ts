// Hysteresis: the confirmed path changes only after m of the last n new data updates favour a challenger.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { assess } from '../../../shared/domain/assess.ts';
import { advance, pending, view } from '../../../shared/domain/hysteresis.ts';
import type { Assessment, Observation, PathShift, PathState } from '../../../shared/domain/model.ts';
import { initialPathState } from '../../../shared/domain/model.ts';
import { BASELINE_RISK, buildRules, buildScenario, FIRES } from '../../fixtures/scenario.ts';

/** Enter 0.2, exit 0.1 (the default half), 2 of 3, one indicator, no dwell or cooldown. */
const rules: Scenario['alerting'] = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 } });

interface Reading {
  leader: string;
  margin: number;
  /** Defaults to a key unique to this reading, i.e. new data. */
  key?: string;
}

let readings = 0;

function entropyOf(probabilities: number[]): number {
  return probabilities.reduce((h, p) => (p > 0 ? h - p * Math.log2(p) : h), 0);
}

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
    entropy: entropyOf([top, 1 - top]),
    contributions: [],
    stale: [],
    evidence: key === '' ? {} : { fires: key ?? `reading-${readings}` },
    informative: key === '' ? 0 : 1,
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
    expect(state).toEqual(initialPathState);
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
      name: 'does not count readings between the exit and the enter margin towards the challenger',
      sequence: [risk(), risk(0.1), risk(0.15)],
      path: 'baseline',
      shifts: 0,
    },
    {
      name: 'shifts when an update between the margins sits between two decisive ones',
      sequence: [risk(), risk(0.15), risk()],
      path: 'risk',
      shifts: 1,
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

  it('records a clear reading for the current path, or a challenger below the exit margin, as no support', () => {
    // Act: 0.09 is below the exit margin (0.1); 0.15 is between exit and enter and is not recorded
    const { state } = replay(onBaseline(), [baseline(), risk(0.09), risk(0.15), risk()]);

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

  it('returns an equal state for a repeated evidence key', () => {
    // Arrange
    const { state } = replay(onBaseline(), [risk(0.5, 'k')]);

    // Act
    const step = advance(state, assessment(risk(0.9, 'k')), rules, null);

    // Assert
    expect(step.state).toEqual(state);
    expect(step.shift).toBeNull();
    expect(step.dataEvents).toEqual([]);
  });

  it('never confirms a shift from an assessment with an empty evidence key', () => {
    // Arrange: one update already favours risk; then all data drops out, repeatedly
    const { state } = replay(onBaseline(), [risk()]);

    // Act
    const result = replay(state, [risk(0.9, ''), risk(0.9, ''), risk(0.9, '')]);

    // Assert
    expect(result.shifts).toEqual([]);
    expect(result.state).toEqual(state);
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

  it('numbers successive path alerts, shifts and reversals alike', () => {
    // Act: daily readings, so each return to the previous path is within the 3-month revert window
    const result = replay(onBaseline(), [risk(), risk(), baseline(), baseline(), risk(), risk()]);

    // Assert
    expect(result.shifts.map((s) => [s.sequence, s.kind, s.from, s.to])).toEqual([
      [1, 'path-shift', 'baseline', 'risk'],
      [2, 'reverted', 'risk', 'baseline'],
      [3, 'reverted', 'baseline', 'risk'],
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
      kind: 'path-shift',
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
      previousPath: 'baseline',
      lastShiftAt: confirming.asOf,
      shifts: 1,
      alerts: 1,
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
    const threeOfFive = buildRules({ enterMargin: 0.2, confirm: { m: 3, n: 5 } });

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
    const result = replay(onBaseline(), [risk()], buildRules({ enterMargin: 0.2, confirm: { m: 1, n: 1 } }));

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
    entropy: entropyOf([0.1, 0.9]),
    contributions: [],
    stale: ['aid'],
    evidence,
    informative: Object.keys(evidence).length,
  });

  it('does not count an indicator dropping out (stale) as a data update, but reports it stale', () => {
    // Act
    const step = advance(base, leaningRisk({ fires: '2024-05-01=10' }), rules, null);

    // Assert
    expect(step).toEqual({
      state: { ...base, stale: ['aid'], alerts: base.alerts + 1 },
      shift: null,
      dataEvents: [
        {
          kind: 'data-stale',
          sequence: base.alerts + 1,
          indicators: ['aid'],
          at: '2024-07-01T00:00:00.000Z',
        },
      ],
    });
  });

  it('counts a revised value of an observation already seen as a data update', () => {
    // Act
    const step = advance(base, leaningRisk({ fires: '2024-05-01=12' }), rules, null);

    // Assert
    expect(step.state.window).toEqual(['risk']);
    expect(step.state.seen).toEqual({ fires: '2024-05-01=12', aid: '2024-05-01=2' });
  });
});

// ---------------------------------------------------------------------------------------------------
// The full state machine: view, margins, minIndicators, dwell, cooldown, reversals and data events.

interface Update {
  /** Days after 2024-01-01. */
  day: number;
  leader: string;
  margin: number;
  informative?: number;
  /** The data used; defaults to a key unique to the day, i.e. new data. */
  evidence?: Record<string, string>;
  stale?: string[];
}

function at(day: number): string {
  return new Date(Date.UTC(2024, 0, 1) + day * 86_400_000).toISOString();
}

function update({ day, leader, margin, informative = 1, evidence, stale = [] }: Update): Assessment {
  const paths = ['baseline', 'risk', 'other'].filter((p) => p !== leader);
  const top = (1 + margin) / 2;
  return {
    scenarioId: 'test-scenario',
    asOf: at(day),
    probabilities: { [leader]: top, [paths[0] as string]: 1 - top, [paths[1] as string]: 0 },
    leader,
    margin,
    entropy: entropyOf([top, 1 - top]),
    contributions: [],
    stale,
    evidence: evidence ?? { fires: `day-${day}` },
    informative,
  };
}

/** Runs updates in order from `start`; returns every step. */
function run(start: PathState, updates: Update[], withRules: Scenario['alerting']) {
  let state = start;
  const steps: { state: PathState; shift: PathShift | null; dataEvents: unknown[] }[] = [];
  for (const u of updates) {
    const step = advance(state, update(u), withRules, null);
    steps.push(step);
    state = step.state;
  }
  return { state, steps, shifts: steps.flatMap((s) => (s.shift ? [s.shift] : [])) };
}

/** Steady on `path` since day 0, having seen `fires`. */
function steadyOn(path: string, since = 0): PathState {
  return { ...initialPathState, path, since: at(since), seen: { fires: 'start' } };
}

describe('view', () => {
  const twoOfThree = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 } });

  it.each([
    {
      name: 'insufficient-data before any clear update',
      state: initialPathState,
      expected: { status: 'insufficient-data', path: null, since: null },
    },
    {
      name: 'steady with an empty window',
      state: steadyOn('baseline'),
      expected: { status: 'steady', path: 'baseline', since: at(0) },
    },
    {
      name: 'steady when the window holds only votes for no challenger',
      state: { ...steadyOn('baseline'), window: [null, null] },
      expected: { status: 'steady', path: 'baseline', since: at(0) },
    },
    {
      name: 'pending 1 of 2 with one vote for a challenger',
      state: { ...steadyOn('baseline'), window: [null, 'risk'] },
      expected: {
        status: 'pending',
        path: 'baseline',
        since: at(0),
        pending: { path: 'risk', count: 1, of: 2 },
      },
    },
  ])('is $name', ({ state, expected }) => {
    // Act
    const result = view(state, twoOfThree);

    // Assert
    expect(result).toEqual(expected);
  });

  it('follows the state machine from insufficient data through steady and pending to a new path', () => {
    // Arrange
    const updates: Update[] = [
      { day: 1, leader: 'baseline', margin: 0.1 },
      { day: 2, leader: 'baseline', margin: 0.5 },
      { day: 3, leader: 'risk', margin: 0.5 },
      { day: 4, leader: 'risk', margin: 0.5 },
    ];

    // Act
    const { steps } = run(initialPathState, updates, twoOfThree);

    // Assert
    expect(steps.map((s) => view(s.state, twoOfThree))).toEqual([
      { status: 'insufficient-data', path: null, since: null },
      { status: 'steady', path: 'baseline', since: at(2) },
      { status: 'pending', path: 'baseline', since: at(2), pending: { path: 'risk', count: 1, of: 2 } },
      { status: 'steady', path: 'risk', since: at(4) },
    ]);
  });
});

describe('leaving insufficient-data', () => {
  const needsTwo = buildRules({ enterMargin: 0.2, minIndicators: 2 });

  it.each([
    { name: 'a clear update from enough indicators', margin: 0.3, informative: 2, path: 'risk' },
    { name: 'an update exactly at the enter margin', margin: 0.2, informative: 3, path: 'risk' },
    { name: 'an update below the enter margin', margin: 0.19, informative: 2, path: null },
    { name: 'a clear update from too few indicators', margin: 0.9, informative: 1, path: null },
    { name: 'a clear update from no indicator at all', margin: 0.9, informative: 0, path: null },
  ])('sets the path to $path after $name', ({ margin, informative, path }) => {
    // Act
    const { state, shifts } = run(
      initialPathState,
      [{ day: 1, leader: 'risk', margin, informative }],
      needsTwo,
    );

    // Assert
    expect(state.path).toBe(path);
    expect(state.since).toBe(path ? at(1) : null);
    expect(shifts).toEqual([]);
  });

  it('does not count a challenger update carried by fewer than minIndicators indicators', () => {
    // Act
    const { state, shifts } = run(
      steadyOn('baseline'),
      [
        { day: 1, leader: 'risk', margin: 0.9, informative: 1 },
        { day: 2, leader: 'risk', margin: 0.9, informative: 1 },
      ],
      needsTwo,
    );

    // Assert
    expect(shifts).toEqual([]);
    expect(state.window).toEqual([]);
  });
});

describe('exit margin', () => {
  const rules = buildRules({ enterMargin: 0.2, exitMargin: 0.05, confirm: { m: 2, n: 3 } });

  it.each([
    {
      name: 'a challenger at or past the enter margin votes for it',
      leader: 'risk',
      margin: 0.2,
      window: ['risk'],
    },
    {
      name: 'a challenger between the margins leaves the window as it was',
      leader: 'risk',
      margin: 0.1,
      window: [],
    },
    {
      name: 'a challenger exactly at the exit margin leaves the window',
      leader: 'risk',
      margin: 0.05,
      window: [],
    },
    {
      name: 'a challenger below the exit margin votes for no challenger',
      leader: 'risk',
      margin: 0.04,
      window: [null],
    },
    {
      name: 'the current path leading by little votes for no challenger',
      leader: 'baseline',
      margin: 0.01,
      window: [null],
    },
    {
      name: 'the current path leading by much votes for no challenger',
      leader: 'baseline',
      margin: 0.9,
      window: [null],
    },
  ])('$name', ({ leader, margin, window }) => {
    // Act
    const { state } = run(steadyOn('baseline'), [{ day: 1, leader, margin }], rules);

    // Assert
    expect(state.window).toEqual(window);
    expect(state.seen).toEqual({ fires: 'day-1' });
  });

  it('lets updates between the margins keep a pending challenger alive', () => {
    // Act: one vote, three undecided updates, then a second vote
    const { shifts } = run(
      steadyOn('baseline'),
      [0.5, 0.1, 0.1, 0.1, 0.5].map((margin, i) => ({ day: i + 1, leader: 'risk', margin })),
      rules,
    );

    // Assert
    expect(shifts.map((s) => s.to)).toEqual(['risk']);
  });

  it('lets updates below the exit margin push a pending challenger out of the window', () => {
    // Act: one vote, three near-ties that count against it, then a second vote
    const { shifts, state } = run(
      steadyOn('baseline'),
      [0.5, 0.01, 0.01, 0.01, 0.5].map((margin, i) => ({ day: i + 1, leader: 'risk', margin })),
      rules,
    );

    // Assert
    expect(shifts).toEqual([]);
    expect(state.window).toEqual([null, null, 'risk']);
  });

  it('defaults to half the enter margin', () => {
    // Arrange
    const defaults = buildRules({ enterMargin: 0.2 });

    // Act
    const between = run(steadyOn('baseline'), [{ day: 1, leader: 'risk', margin: 0.1 }], defaults);
    const below = run(steadyOn('baseline'), [{ day: 1, leader: 'risk', margin: 0.099 }], defaults);

    // Assert
    expect(defaults.exitMargin).toBeUndefined();
    expect(between.state.window).toEqual([]);
    expect(below.state.window).toEqual([null]);
  });
});

describe('minimum dwell', () => {
  const rules = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 }, minDwell: 'P2M' });

  it('holds a confirmed shift until the dwell is over, then shifts on the next data update', () => {
    // Arrange: steady since 1 January; the dwell ends on 1 March (day 60 of 2024)
    const updates: Update[] = [10, 20, 59, 60].map((day) => ({ day, leader: 'risk', margin: 0.5 }));

    // Act
    const { steps } = run(steadyOn('baseline'), updates, rules);

    // Assert
    expect(steps.map((s) => s.shift?.at ?? null)).toEqual([null, null, null, at(60)]);
    expect(view(steps[2]?.state ?? initialPathState, rules)).toMatchObject({
      status: 'pending',
      pending: { path: 'risk', count: 3, of: 2 },
    });
    expect(steps[3]?.state).toMatchObject({ path: 'risk', since: at(60), window: [] });
  });

  it('measures the dwell from the last shift, so a new path is held too', () => {
    // Act: shift to risk on day 2 (3 January), then baseline is favoured at once; 3 March is day 62
    const { shifts } = run(
      steadyOn('baseline', -100),
      [1, 2, 3, 4, 61, 62].map((day, i) => ({ day, leader: i < 2 ? 'risk' : 'baseline', margin: 0.5 })),
      rules,
    );

    // Assert
    expect(shifts.map((s) => [s.to, s.at])).toEqual([
      ['risk', at(2)],
      ['baseline', at(62)],
    ]);
  });
});

describe('cooldown', () => {
  const rules = buildRules({
    enterMargin: 0.2,
    confirm: { m: 2, n: 3 },
    cooldown: 'P1M',
    revertWindow: 'P1D',
  });

  it('allows no second path alert until the cooldown after the first is over', () => {
    // Act: a shift on day 2 (3 January), then the third path is favoured at once; 3 February is day 33
    const { shifts } = run(
      steadyOn('baseline'),
      [1, 2, 5, 6, 32, 33].map((day, i) => ({ day, leader: i < 2 ? 'risk' : 'other', margin: 0.5 })),
      rules,
    );

    // Assert
    expect(shifts.map((s) => [s.from, s.to, s.at])).toEqual([
      ['baseline', 'risk', at(2)],
      ['risk', 'other', at(33)],
    ]);
  });

  it('does not delay the first shift', () => {
    // Act
    const { shifts } = run(
      steadyOn('baseline'),
      [
        { day: 1, leader: 'risk', margin: 0.5 },
        { day: 2, leader: 'risk', margin: 0.5 },
      ],
      rules,
    );

    // Assert
    expect(shifts).toHaveLength(1);
  });
});

describe('reversals', () => {
  const rules = buildRules({ enterMargin: 0.2, confirm: { m: 1, n: 1 }, revertWindow: 'P1M' });

  it.each([
    {
      name: 'back to the previous path within the revert window',
      back: 'baseline',
      day: 20,
      kind: 'reverted',
    },
    {
      name: 'back to the previous path exactly at the end of the window',
      back: 'baseline',
      day: 41,
      kind: 'reverted',
    },
    {
      name: 'back to the previous path after the revert window',
      back: 'baseline',
      day: 42,
      kind: 'path-shift',
    },
    { name: 'on to a third path within the revert window', back: 'other', day: 20, kind: 'path-shift' },
  ])('reports a move $name as $kind', ({ back, day, kind }) => {
    // Arrange: shift baseline -> risk on day 10 (11 January); the window runs to 11 February (day 41)
    const { state } = run(steadyOn('baseline'), [{ day: 10, leader: 'risk', margin: 0.5 }], rules);

    // Act
    const step = advance(state, update({ day, leader: back, margin: 0.5 }), rules, {
      baseline: 0.2,
      risk: 0.8,
    });

    // Assert
    expect(step.shift).toMatchObject({ kind, sequence: 2, from: 'risk', to: back, at: at(day) });
    expect(step.state).toMatchObject({ path: back, previousPath: 'risk', lastShiftAt: at(day), shifts: 2 });
  });

  it('never reports the first move away from a path as a reversal', () => {
    // Act
    const { shifts } = run(steadyOn('baseline'), [{ day: 1, leader: 'risk', margin: 0.5 }], rules);

    // Assert
    expect(shifts.map((s) => s.kind)).toEqual(['path-shift']);
  });
});

describe('data events', () => {
  const rules = buildRules({ enterMargin: 0.2 });
  const seen = { ...steadyOn('baseline'), seen: { fires: 'start', aid: 'aid-1' } };

  it('reports data-stale once per episode and data-recovered when the data returns', () => {
    // Arrange: aid goes stale on day 1, stays stale on day 2 and 3, is back on day 4
    const updates: Update[] = [
      { day: 1, leader: 'baseline', margin: 0.5, stale: ['aid'] },
      { day: 2, leader: 'baseline', margin: 0.5, stale: ['aid'] },
      { day: 3, leader: 'baseline', margin: 0.5, stale: ['aid'], evidence: { fires: 'day-2' } },
      { day: 4, leader: 'baseline', margin: 0.5, evidence: { fires: 'day-2', aid: 'aid-2' } },
    ];

    // Act
    const { steps } = run(seen, updates, rules);

    // Assert
    expect(steps.map((s) => s.dataEvents)).toEqual([
      [{ kind: 'data-stale', sequence: 1, indicators: ['aid'], at: at(1) }],
      [],
      [],
      [{ kind: 'data-recovered', sequence: 2, indicators: ['aid'], at: at(4) }],
    ]);
    expect(steps.map((s) => s.state.stale)).toEqual([['aid'], ['aid'], ['aid'], []]);
  });

  it('reports indicators going stale and recovering at the same assessment in two events, sorted', () => {
    // Arrange
    const state = { ...seen, seen: { ...seen.seen, armour: 'a', zeta: 'z' }, stale: ['aid'] };

    // Act
    const step = advance(
      state,
      update({ day: 5, leader: 'baseline', margin: 0.5, stale: ['zeta', 'armour'] }),
      rules,
      null,
    );

    // Assert
    expect(step.dataEvents).toEqual([
      { kind: 'data-stale', sequence: state.alerts + 1, indicators: ['armour', 'zeta'], at: at(5) },
      { kind: 'data-recovered', sequence: state.alerts + 2, indicators: ['aid'], at: at(5) },
    ]);
  });

  it('never reports an indicator that has never had data as stale', () => {
    // Act
    const { steps, state } = run(
      seen,
      [
        { day: 1, leader: 'baseline', margin: 0.5, stale: ['new-indicator'] },
        { day: 2, leader: 'baseline', margin: 0.5, stale: [] },
      ],
      rules,
    );

    // Assert
    expect(steps.flatMap((s) => s.dataEvents)).toEqual([]);
    expect(state.stale).toEqual([]);
  });

  it('reports staleness on an assessment that is not a data update', () => {
    // Act
    const step = advance(
      seen,
      update({ day: 1, leader: 'risk', margin: 0.9, evidence: { fires: 'start' }, stale: ['aid'] }),
      rules,
      null,
    );

    // Assert
    expect(step.dataEvents).toEqual([{ kind: 'data-stale', sequence: 1, indicators: ['aid'], at: at(1) }]);
    expect(step.state.window).toEqual([]);
    expect(step.state.seen).toEqual(seen.seen);
  });
});

describe('missing data and shifts', () => {
  const oneOfOne = buildRules({ enterMargin: 0.2, confirm: { m: 1, n: 1 } });

  it('never advances the window when indicators only drop out, however far the leader moves', () => {
    // Arrange: one vote for risk so far; then the same data, with more and more indicators stale
    const { state } = run(
      seen(),
      [{ day: 1, leader: 'risk', margin: 0.5 }],
      buildRules({ enterMargin: 0.2 }),
    );
    const dropouts: Update[] = [2, 3, 4].map((day) => ({
      day,
      leader: 'risk',
      margin: 0.99,
      evidence: { fires: 'day-1' },
      stale: day > 2 ? ['aid', 'armour'] : ['aid'],
    }));

    // Act
    const result = run(state, dropouts, buildRules({ enterMargin: 0.2 }));

    // Assert
    expect(result.shifts).toEqual([]);
    expect(result.state.window).toEqual(['risk']);
    expect(result.state.path).toBe('baseline');

    function seen(): PathState {
      return { ...steadyOn('baseline'), seen: { fires: 'start', aid: 'a', armour: 'b' } };
    }
  });

  it.each([
    { policy: 'ignore' as const, path: 'baseline', shifts: 0 },
    { policy: 'keepLast' as const, path: 'baseline', shifts: 0 },
    { policy: { absence: { baseline: 0.01, risk: 0.99 } }, path: 'risk', shifts: 1 },
  ])('shifts on data dropping out only when absence is evidence ($policy)', ({ policy, path, shifts }) => {
    // Arrange: fires favours baseline in January, then no more data
    const scenario = buildScenario({
      paths: BASELINE_RISK,
      indicators: [{ id: 'fires', missing: policy, expect: FIRES }],
    });
    const data = [{ indicatorId: 'fires', period: '2024-01-01', value: 100, source: 's' }];
    const asOfs = ['2024-02-01', '2024-03-15', '2024-04-01', '2024-05-01', '2024-06-01'];

    // Act
    let state: PathState = initialPathState;
    const raised: PathShift[] = [];
    for (const asOf of asOfs) {
      const step = advance(state, assess(scenario, data, `${asOf}T00:00:00.000Z`), oneOfOne, null);
      if (step.shift) raised.push(step.shift);
      state = step.state;
    }

    // Assert
    expect(state.path).toBe(path);
    expect(raised).toHaveLength(shifts);
  });

  it('counts a switch to absence-as-evidence as one data update, not one per assessment', () => {
    // Arrange
    const start = { ...steadyOn('baseline'), seen: { fires: 'start' } };
    const absent = (day: number): Update => ({
      day,
      leader: 'risk',
      margin: 0.9,
      evidence: { fires: 'absent' },
    });

    // Act
    const { state } = run(start, [absent(1), absent(2), absent(3)], buildRules({ enterMargin: 0.2 }));

    // Assert
    expect(state.window).toEqual(['risk']);
    expect(state.seen).toEqual({ fires: 'absent' });
  });
});

describe('data updates from indicators that give no evidence', () => {
  it('does not let new data of a weight-0 indicator count the same evidence again', () => {
    // Arrange: fires (January, fresh all year) favours risk; aid has weight 0 and a new value every month
    const scenario = buildScenario({
      paths: BASELINE_RISK,
      indicators: [
        { id: 'fires', staleAfter: 'P1Y', expect: FIRES },
        { id: 'aid', weight: 0, expect: { baseline: { mean: 1, sd: 1 }, risk: { mean: 0, sd: 1 } } },
      ],
    });
    const data: Observation[] = [
      { indicatorId: 'fires', period: '2024-01-01', value: 50, source: 's' },
      ...['2024-01-01', '2024-02-01', '2024-03-01'].map((period, i) => ({
        indicatorId: 'aid',
        period,
        value: i,
        source: 's',
      })),
    ];
    const rules = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 } });
    let state: PathState = { ...initialPathState, path: 'baseline', since: '2023-01-01T00:00:00.000Z' };
    const raised: PathShift[] = [];

    // Act: three monthly evaluations; only the weight-0 indicator has new data after the first
    for (const asOf of ['2024-02-01', '2024-03-01', '2024-04-01']) {
      const step = advance(state, assess(scenario, data, `${asOf}T00:00:00.000Z`), rules, null);
      if (step.shift) raised.push(step.shift);
      state = step.state;
    }

    // Assert: one reading of fires is one vote, not three
    expect(raised).toEqual([]);
    expect(state.window).toEqual(['risk']);
  });
});

describe('one vote per data period', () => {
  /** December's data of two indicators, as updates see it when they arrive one at a time or together. */
  const ruOnly = { ru: '2023-12-01=40', fires: '2023-11-01=90' };
  const december = { ru: '2023-12-01=40', fires: '2023-12-01=60' };
  const january = { ru: '2024-01-01=45', fires: '2024-01-01=55' };

  it('casts one vote for a month whose indicators arrive in separate evaluations', () => {
    // Act
    const split = run(
      steadyOn('baseline'),
      [
        { day: 2, leader: 'risk', margin: 0.3, evidence: ruOnly },
        { day: 4, leader: 'risk', margin: 0.7, evidence: december },
      ],
      rules,
    );

    // Assert
    expect(split.shifts).toEqual([]);
    expect(view(split.state, rules).pending).toEqual({ path: 'risk', count: 1, of: 2 });
    expect(split.state.window).toEqual(['risk']);
  });

  it('confirms a split month with the next month, exactly as when its data arrives together', () => {
    // Act
    const split = run(
      steadyOn('baseline'),
      [
        { day: 2, leader: 'risk', margin: 0.3, evidence: ruOnly },
        { day: 4, leader: 'risk', margin: 0.7, evidence: december },
        { day: 35, leader: 'risk', margin: 0.7, evidence: january },
      ],
      rules,
    );
    const together = run(
      steadyOn('baseline'),
      [
        { day: 4, leader: 'risk', margin: 0.7, evidence: december },
        { day: 35, leader: 'risk', margin: 0.7, evidence: january },
      ],
      rules,
    );

    // Assert
    expect(split.shifts.map((s) => s.at)).toEqual([at(35)]);
    expect(together.shifts.map((s) => s.at)).toEqual([at(35)]);
    expect(split.state).toEqual(together.state);
  });

  it("replaces a month's challenger vote when the rest of that month's data favours the path", () => {
    // Act
    const { state } = run(
      { ...steadyOn('baseline'), window: [null, null] },
      [
        { day: 2, leader: 'risk', margin: 0.3, evidence: ruOnly },
        { day: 4, leader: 'baseline', margin: 0.4, evidence: december },
      ],
      rules,
    );

    // Assert
    expect(state.window).toEqual([null, null, null]);
    expect(state.path).toBe('baseline');
  });

  it("withdraws a month's vote when its complete data falls between the exit and enter margins", () => {
    // Act
    const { state } = run(
      { ...steadyOn('baseline'), window: ['risk', null, null] },
      [
        { day: 2, leader: 'risk', margin: 0.3, evidence: ruOnly },
        { day: 4, leader: 'risk', margin: 0.15, evidence: december },
      ],
      rules,
    );

    // Assert: the window as before December, its oldest vote included.
    expect(state.window).toEqual(['risk', null, null]);
  });

  it('treats a revision of an older month as that period again, not as a new vote', () => {
    // Act
    const { state } = run(
      steadyOn('baseline'),
      [
        { day: 2, leader: 'risk', margin: 0.3, evidence: december },
        { day: 9, leader: 'risk', margin: 0.3, evidence: { ru: '2023-12-01=40', fires: '2023-11-01=91' } },
      ],
      rules,
    );

    // Assert
    expect(state.window).toEqual(['risk']);
  });

  it('gives the rest of a month whose vote confirmed a shift no second vote', () => {
    // Act
    const { state, shifts } = run(
      { ...steadyOn('baseline'), window: ['risk'] },
      [
        { day: 2, leader: 'risk', margin: 0.3, evidence: ruOnly },
        { day: 4, leader: 'baseline', margin: 0.6, evidence: december },
      ],
      rules,
    );

    // Assert
    expect(shifts.map((s) => s.to)).toEqual(['risk']);
    expect(state.path).toBe('risk');
    expect(state.window).toEqual([]);
  });

  it('lets a state stored before periods were tracked vote on its next update', () => {
    // Arrange: no votePeriod, as read from an old item.
    const old: PathState = { ...steadyOn('baseline'), window: ['risk'] };

    // Act
    const step = advance(
      old,
      update({ day: 4, leader: 'risk', margin: 0.7, evidence: december }),
      rules,
      null,
    );

    // Assert
    expect(step.shift?.to).toBe('risk');
  });

  it('reads the newest period from the evidence keys of real assessments', () => {
    // Arrange: two monthly indicators; December's second value arrives two days after the first.
    const scenario = buildScenario({
      paths: { baseline: 0.5, risk: 0.5 },
      indicators: ['fires', 'ru'].map((id) => ({
        id,
        expect: { baseline: { mean: 100, sd: 20 }, risk: { mean: 50, sd: 20 } },
      })),
    });
    const obs = (indicatorId: string, period: string, value: number) => ({
      indicatorId,
      period,
      value,
      source: 's',
    });
    const november = [obs('fires', '2023-11-01', 100), obs('ru', '2023-11-01', 100)];
    const alerting = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 } });
    let state = advance(
      initialPathState,
      assess(scenario, november, '2023-12-01T00:00:00.000Z'),
      alerting,
      null,
    ).state;

    // Act
    const shifts: PathShift[] = [];
    for (const [asOf, data] of [
      ['2024-01-03', [...november, obs('ru', '2023-12-01', 50)]],
      ['2024-01-05', [...november, obs('ru', '2023-12-01', 50), obs('fires', '2023-12-01', 50)]],
    ] as const) {
      const step = advance(state, assess(scenario, [...data], `${asOf}T00:00:00.000Z`), alerting, null);
      if (step.shift) shifts.push(step.shift);
      state = step.state;
    }

    // Assert
    expect(shifts).toEqual([]);
    expect(view(state, alerting).pending).toEqual({ path: 'risk', count: 1, of: 2 });
  });
});
