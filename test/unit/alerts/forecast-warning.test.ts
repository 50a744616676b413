// The forecast-warning: one alert when the projected probability of a change rises to the threshold,
// none while it stays there, another only after it has fallen below the re-arm level.
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import { advance, forecastWarning, type ProjectedChange } from '../../../shared/domain/hysteresis.ts';
import { type ForecastWarning, initialPathState, type PathState } from '../../../shared/domain/model.ts';
import { buildRules } from '../../fixtures/scenario.ts';

const rules: Scenario['forecast'] = {
  horizon: 6,
  warnAbove: 0.5,
  rearmMargin: 0.1,
  draws: 500,
  seed: 1,
  history: 120,
};

function projected(change: number): ProjectedChange {
  return {
    change,
    horizon: 6,
    until: '2024-08-01T00:00:00.000Z',
    challenger: 'risk',
    probabilities: { baseline: 1 - change, risk: change },
    drivers: [{ indicatorId: 'armour', decibans: 4, today: 1 }],
  };
}

/** Runs the warning over a series of projected probabilities; returns the warnings and the final state. */
function run(changes: number[], withRules = rules, start?: PathState) {
  let state: PathState = start ?? { ...initialPathState, path: 'baseline', alerts: 4 };
  const warnings: ForecastWarning[] = [];
  changes.forEach((change, i) => {
    const step = forecastWarning(state, projected(change), withRules, `2024-0${i + 1}-01T00:00:00.000Z`);
    state = step.state;
    if (step.warning) warnings.push(step.warning);
  });
  return { warnings, state };
}

describe('forecastWarning', () => {
  it('raises one warning when the projected change probability crosses the threshold, numbered next', () => {
    const { warnings, state } = run([0.2, 0.55]);

    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({
      kind: 'forecast-warning',
      sequence: 5,
      probability: 0.55,
      threshold: 0.5,
      from: 'baseline',
      to: 'risk',
      at: '2024-02-01T00:00:00.000Z',
    });
    expect(state.alerts).toBe(5);
    expect(state.forecastWarned).toBe(true);
  });

  it('does not repeat the warning while the probability stays above the threshold', () => {
    const { warnings } = run([0.6, 0.7, 0.8, 0.65]);

    expect(warnings).toHaveLength(1);
  });

  it('warns again after the probability fell below the re-arm level and rose again', () => {
    const { warnings } = run([0.6, 0.3, 0.6]);

    expect(warnings.map((w) => w.sequence)).toEqual([5, 6]);
  });

  it('does not re-arm on a dip that stays within the re-arm margin of the threshold', () => {
    const { warnings } = run([0.6, 0.45, 0.6]);

    expect(warnings).toHaveLength(1);
  });

  it('never warns when the scenario sets no threshold', () => {
    const { warnings, state } = run([0.9, 0.1, 0.9], { ...rules, warnAbove: undefined });

    expect(warnings).toHaveLength(0);
    expect(state.alerts).toBe(4);
  });
});

describe('a confirmed shift and the forecast-warning', () => {
  it('re-arms the warning when the path it warned about is confirmed', () => {
    // Arrange: warned while on path a, then a shift to b is confirmed by two clear updates.
    const alerting = buildRules({ enterMargin: 0.2, confirm: { m: 2, n: 3 } });
    let state: PathState = { ...run([0.6]).state, path: 'a', since: '2024-01-01T00:00:00.000Z' };
    const reading = (day: number) => ({
      scenarioId: 's',
      asOf: `2024-02-0${day}T00:00:00.000Z`,
      probabilities: { a: 0.2, b: 0.8 },
      leader: 'b',
      margin: 0.6,
      entropy: 0.7,
      contributions: [],
      stale: [],
      evidence: { x: `reading-${day}` },
      informative: 1,
    });

    // Act
    state = advance(state, reading(1), alerting, null).state;
    const shifted = advance(state, reading(2), alerting, null);

    // Assert
    expect(state.forecastWarned).toBe(true);
    expect(shifted.shift?.to).toBe('b');
    expect(shifted.state.forecastWarned).toBe(false);
    expect(run([0.6], rules, shifted.state).warnings).toHaveLength(1);
  });
});
