// The scenario schema's new fields: evidence models, weights, groups, missing data, alerting and outcomes.
import { describe, expect, it } from 'vitest';
import { scenarioSchema } from '../../../shared/config/scenario-schema.ts';
import {
  BASELINE_RISK,
  DEFAULT_ALERTING,
  type EvidenceSpec,
  type IndicatorSpec,
  type ScenarioSpec,
  scenarioDocument,
} from '../../fixtures/scenario.ts';

const GAUSSIAN: EvidenceSpec = {
  model: 'gaussian',
  expect: { baseline: { mean: 1, sd: 1 }, risk: { mean: 2, sd: 1 } },
};
const BANDS: EvidenceSpec = {
  model: 'bands',
  bands: [
    { below: 500, likelihood: { baseline: 0.5, risk: 0.15 } },
    { below: 1000, likelihood: { baseline: 0.35, risk: 0.35 } },
    { likelihood: { baseline: 0.15, risk: 0.5 } },
  ],
};
const TREND: EvidenceSpec = {
  model: 'trend',
  expect: { baseline: { slope: 0.03, sd: 0.06 }, risk: { slope: -0.05, sd: 0.06 } },
};
const LIKELIHOOD = {
  large: { baseline: 0.6, risk: 0.25 },
  small: { baseline: 0.3, risk: 0.35 },
  pending: { baseline: 0.5, risk: 0.5 },
  missed: { baseline: 0.1, risk: 0.4 },
};
const WINDOW_EVENT: EvidenceSpec = { model: 'event', window: 'P3M', threshold: 1, likelihood: LIKELIHOOD };
const DEADLINE_EVENT: EvidenceSpec = {
  model: 'event',
  from: '2024-04-01',
  deadline: '2024-09-30',
  threshold: 1,
  likelihood: LIKELIHOOD,
};

/** A valid scenario of one indicator with `evidence`, with edits to the raw document. */
function document(
  indicator: Partial<IndicatorSpec> = {},
  spec: Partial<ScenarioSpec> = {},
): Record<string, unknown> {
  return scenarioDocument({
    paths: BASELINE_RISK,
    indicators: [{ id: 'x', evidence: GAUSSIAN, ...indicator } as IndicatorSpec],
    ...spec,
  });
}

/** Every problem as `field: message`, fields written as in the loader (`a[0].b`). */
function problems(doc: unknown): string[] {
  const result = scenarioSchema.safeParse(doc);
  if (result.success) return [];
  return result.error.issues.map((issue) => {
    const field = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '');
    return `${field}: ${issue.message}`;
  });
}

function fieldsOf(doc: unknown): string[] {
  return problems(doc).map((p) => p.slice(0, p.indexOf(':')));
}

describe('scenario schema: valid documents', () => {
  it.each([
    { name: 'gaussian', evidence: GAUSSIAN },
    { name: 'bands', evidence: BANDS },
    { name: 'trend', evidence: TREND },
    { name: 'event in a rolling window', evidence: WINDOW_EVENT },
    { name: 'event by a deadline', evidence: DEADLINE_EVENT },
  ])('accepts a $name indicator', ({ evidence }) => {
    // Act
    const result = problems(document({ evidence }));

    // Assert
    expect(result).toEqual([]);
  });

  it('fills in the defaults of an indicator, a trend and the alerting rules', () => {
    // Act
    const scenario = scenarioSchema.parse(document({ evidence: TREND }));

    // Assert
    expect(scenario.indicators[0]).toMatchObject({
      weight: 1,
      missing: 'ignore',
      evidence: { model: 'trend', periods: 6, scale: 'relative' },
    });
    expect(scenario.indicators[0]?.halfLife).toBeUndefined();
    expect(scenario.indicators[0]?.group).toBeUndefined();
    expect(scenario.groups).toEqual([]);
    expect(scenario.outcomes).toEqual([]);
    expect(scenario.alerting).toEqual(DEFAULT_ALERTING);
  });

  it('fills in the alerting defaults for the fields a partial section leaves out', () => {
    // Act
    const scenario = scenarioSchema.parse(document({}, { alerting: { enterMargin: 0.3, minDwell: 'P2M' } }));

    // Assert
    expect(scenario.alerting).toEqual({ ...DEFAULT_ALERTING, enterMargin: 0.3, minDwell: 'P2M' });
  });

  it('accepts every new field at once', () => {
    // Arrange
    const doc = document(
      { weight: 0.5, halfLife: 'P2M', group: 'losses', missing: { absence: { baseline: 0.2, risk: 0.8 } } },
      {
        groups: [{ id: 'losses', cap: 20 }],
        outcomes: [{ from: '2024-06-01', path: 'risk' }],
        alerting: {
          enterMargin: 0.2,
          exitMargin: 0.2,
          confirm: { m: 1, n: 1 },
          minIndicators: 1,
          minDwell: 'P1M',
          cooldown: 'P2W',
          revertWindow: 'P6M',
        },
      },
    );

    // Act
    const result = problems(doc);

    // Assert
    expect(result).toEqual([]);
  });

  it('rejects a minIndicators larger than the number of indicators, which could never be met', () => {
    const result = problems(document({}, { alerting: { minIndicators: 2 } }));

    expect(result).toEqual([
      expect.stringMatching(/^alerting.minIndicators: at most the number of indicators/),
    ]);
  });

  it.each([{ weight: 0 }, { weight: 1 }, { weight: 0.001 }])('accepts a weight of $weight', ({ weight }) => {
    // Act
    const result = problems(document({ weight }));

    // Assert
    expect(result).toEqual([]);
  });
});

describe('scenario schema: every per-path table names exactly the scenario paths', () => {
  const withoutRisk = <T extends Record<string, unknown>>(table: T) => {
    const { risk: _risk, ...rest } = table;
    return rest;
  };
  const withOther = <T extends Record<string, unknown>>(table: T, entry: unknown) => ({
    ...table,
    other: entry,
  });

  it.each([
    {
      name: 'a gaussian expectation',
      evidence: {
        ...GAUSSIAN,
        expect: withoutRisk((GAUSSIAN as { expect: Record<string, unknown> }).expect),
      },
      field: 'indicators[0].evidence.expect.risk',
    },
    {
      name: 'a trend expectation',
      evidence: { ...TREND, expect: withoutRisk((TREND as { expect: Record<string, unknown> }).expect) },
      field: 'indicators[0].evidence.expect.risk',
    },
    ...[0, 1, 2].map((b) => ({
      name: `the likelihood of band ${b + 1}`,
      evidence: {
        model: 'bands',
        bands: (BANDS as { bands: { below?: number; likelihood: Record<string, number> }[] }).bands.map(
          (band, i) => (i === b ? { ...band, likelihood: withoutRisk(band.likelihood) } : band),
        ),
      },
      field: `indicators[0].evidence.bands[${b}].likelihood.risk`,
    })),
    ...(['large', 'small', 'pending', 'missed'] as const).map((outcome) => ({
      name: `the ${outcome} likelihood of an event`,
      evidence: {
        ...DEADLINE_EVENT,
        likelihood: { ...LIKELIHOOD, [outcome]: withoutRisk(LIKELIHOOD[outcome]) },
      },
      field: `indicators[0].evidence.likelihood.${outcome}.risk`,
    })),
  ])('reports $name without an entry for a path', ({ evidence, field }) => {
    // Act
    const result = problems(document({ evidence: evidence as EvidenceSpec }));

    // Assert
    expect(result).toEqual([`${field}: an entry for path risk`]);
  });

  it.each([
    {
      name: 'a gaussian expectation',
      evidence: {
        ...GAUSSIAN,
        expect: withOther((GAUSSIAN as { expect: Record<string, unknown> }).expect, { mean: 0, sd: 1 }),
      },
      field: 'indicators[0].evidence.expect.other',
    },
    {
      name: 'the likelihood of band 2',
      evidence: {
        model: 'bands',
        bands: (BANDS as { bands: { below?: number; likelihood: Record<string, number> }[] }).bands.map(
          (band, i) => (i === 1 ? { ...band, likelihood: withOther(band.likelihood, 0.5) } : band),
        ),
      },
      field: 'indicators[0].evidence.bands[1].likelihood.other',
    },
    {
      name: 'the missed likelihood of an event',
      evidence: { ...WINDOW_EVENT, likelihood: { ...LIKELIHOOD, missed: withOther(LIKELIHOOD.missed, 0.5) } },
      field: 'indicators[0].evidence.likelihood.missed.other',
    },
  ])('reports $name with an entry for a path the scenario does not have', ({ evidence, field }) => {
    // Act
    const result = problems(document({ evidence: evidence as EvidenceSpec }));

    // Assert
    expect(result).toEqual([`${field}: one of the scenario's paths (baseline, risk)`]);
  });

  it.each([
    { name: 'without a path', absence: { baseline: 0.5 }, field: 'risk', message: 'an entry for path risk' },
    {
      name: 'with a path the scenario does not have',
      absence: { baseline: 0.5, risk: 0.5, other: 0.1 },
      field: 'other',
      message: "one of the scenario's paths (baseline, risk)",
    },
  ])('reports the absence likelihoods $name', ({ absence, field, message }) => {
    // Act
    const result = problems(document({ missing: { absence: absence as Record<string, number> } }));

    // Assert
    expect(result).toEqual([`indicators[0].missing.absence.${field}: ${message}`]);
  });

  it.each([
    { name: 'zero', value: 0 },
    { name: 'negative', value: -0.1 },
  ])('rejects a $name likelihood', ({ value }) => {
    // Arrange
    const evidence = {
      ...WINDOW_EVENT,
      likelihood: { ...LIKELIHOOD, small: { baseline: value, risk: 0.3 } },
    };

    // Act
    const fields = fieldsOf(document({ evidence }));

    // Assert
    expect(fields).toEqual(['indicators[0].evidence.likelihood.small.baseline']);
  });
});

describe('scenario schema: bands', () => {
  const band = (below: number | undefined, baseline = 0.5, risk = 0.5) => ({
    ...(below === undefined ? {} : { below }),
    likelihood: { baseline, risk },
  });

  it.each([
    {
      name: 'decreasing boundaries',
      bands: [band(10), band(5), band(undefined)],
      message: /increasing order/,
    },
    { name: 'equal boundaries', bands: [band(10), band(10), band(undefined)], message: /increasing order/ },
    { name: 'a closed last band', bands: [band(10), band(20)], message: /last, which is open-ended/ },
    {
      name: 'an open middle band',
      bands: [band(10), band(undefined), band(undefined)],
      message: /open-ended/,
    },
    { name: 'a single band', bands: [band(undefined)], message: /2/ },
  ])('rejects $name', ({ bands, message }) => {
    // Act
    const result = problems(document({ evidence: { model: 'bands', bands } }));

    // Assert
    expect(result).toHaveLength(1);
    expect(result[0]).toMatch(/^indicators\[0\]\.evidence\.bands: /);
    expect(result[0]).toMatch(message);
  });

  it('accepts two bands split at a negative boundary', () => {
    // Act
    const result = problems(document({ evidence: { model: 'bands', bands: [band(-5), band(undefined)] } }));

    // Assert
    expect(result).toEqual([]);
  });
});

describe('scenario schema: trend and event', () => {
  it.each([
    {
      name: 'a trend over 2 periods',
      evidence: { ...TREND, periods: 2 },
      field: 'indicators[0].evidence.periods',
    },
    {
      name: 'a trend over 121 periods',
      evidence: { ...TREND, periods: 121 },
      field: 'indicators[0].evidence.periods',
    },
    {
      name: 'a trend over 4.5 periods',
      evidence: { ...TREND, periods: 4.5 },
      field: 'indicators[0].evidence.periods',
    },
    {
      name: 'a trend on a logarithmic scale',
      evidence: { ...TREND, scale: 'log' },
      field: 'indicators[0].evidence.scale',
    },
    {
      name: 'an event with a bad window',
      evidence: { ...WINDOW_EVENT, window: '3 months' },
      field: 'indicators[0].evidence.window',
    },
    {
      name: 'an event with a bad deadline',
      evidence: { ...DEADLINE_EVENT, deadline: '2024-13-01' },
      field: 'indicators[0].evidence.deadline',
    },
    {
      name: 'an event without a threshold',
      evidence: { model: 'event', window: 'P3M', likelihood: LIKELIHOOD },
      field: 'indicators[0].evidence.threshold',
    },
  ])('rejects $name', ({ evidence, field }) => {
    // Act
    const fields = fieldsOf(document({ evidence: evidence as EvidenceSpec }));

    // Assert
    expect(fields).toEqual([field]);
  });

  it.each([
    {
      name: 'both a window and a deadline',
      evidence: { ...DEADLINE_EVENT, window: 'P3M' },
      message: 'exactly one of window or deadline',
    },
    {
      name: 'neither a window nor a deadline',
      evidence: { model: 'event', threshold: 1, likelihood: LIKELIHOOD },
      message: 'exactly one of window or deadline',
    },
    {
      name: 'a deadline without a pending likelihood',
      evidence: { ...DEADLINE_EVENT, likelihood: { ...LIKELIHOOD, pending: undefined } },
      message: 'a `pending` likelihood with a deadline',
    },
  ])('rejects an event with $name', ({ evidence, message }) => {
    // Act
    const result = problems(document({ evidence: evidence as EvidenceSpec }));

    // Assert
    expect(result).toEqual([`indicators[0].evidence: ${message}`]);
  });

  it('accepts an event in a rolling window without a pending likelihood', () => {
    // Arrange
    const { pending: _pending, ...noPending } = LIKELIHOOD;

    // Act
    const result = problems(
      document({ evidence: { ...WINDOW_EVENT, likelihood: noPending } as EvidenceSpec }),
    );

    // Assert
    expect(result).toEqual([]);
  });

  it('rejects an unknown evidence model, naming the four', () => {
    // Act
    const result = problems(document({ evidence: { model: 'poisson' } as unknown as EvidenceSpec }));

    // Assert
    expect(result).toEqual([
      'indicators[0].evidence.model: an evidence model: gaussian, bands, trend or event',
    ]);
  });
});

describe('scenario schema: weight, half-life, missing data and groups', () => {
  it.each([
    { name: 'a weight above 1', indicator: { weight: 1.5 }, field: 'indicators[0].weight' },
    { name: 'a negative weight', indicator: { weight: -0.1 }, field: 'indicators[0].weight' },
    { name: 'a bad half-life', indicator: { halfLife: 'two months' }, field: 'indicators[0].halfLife' },
    {
      name: 'an unknown missing policy',
      indicator: { missing: 'interpolate' },
      field: 'indicators[0].missing',
    },
    { name: 'a group id with capitals', indicator: { group: 'Losses' }, field: 'indicators[0].group' },
  ])('rejects $name', ({ indicator, field }) => {
    // Act
    const fields = fieldsOf(document(indicator as Partial<IndicatorSpec>));

    // Assert
    expect(fields).toContain(field);
  });

  it('explains the missing-data policies it accepts', () => {
    // Act
    const result = problems(document({ missing: 'interpolate' as 'ignore' }));

    // Assert
    expect(result).toEqual([
      'indicators[0].missing: ignore, keepLast, or { absence: { <path>: likelihood, ... } }',
    ]);
  });

  it('rejects an indicator group that is not declared under groups', () => {
    // Act
    const result = problems(document({ group: 'losses' }, { groups: [{ id: 'other', cap: 10 }] }));

    // Assert
    expect(result).toEqual(['indicators[0].group: a group declared under groups (other)']);
  });

  it('says no groups are declared when an indicator names one and there are none', () => {
    // Act
    const result = problems(document({ group: 'losses' }));

    // Assert
    expect(result).toEqual(['indicators[0].group: a group declared under groups (none are)']);
  });

  it.each([{ cap: 0 }, { cap: -5 }])('rejects a group cap of $cap decibans', ({ cap }) => {
    // Act
    const fields = fieldsOf(document({}, { groups: [{ id: 'losses', cap }] }));

    // Assert
    expect(fields).toEqual(['groups[0].cap']);
  });

  it('rejects a group id declared twice', () => {
    // Act
    const fields = fieldsOf(
      document(
        { group: 'losses' },
        {
          groups: [
            { id: 'losses', cap: 10 },
            { id: 'losses', cap: 30 },
          ],
        },
      ),
    );

    // Assert: with two caps for one group, which one applies is an accident of the code
    expect(fields).toEqual(['groups[1].id']);
  });
});

describe('scenario schema: alerting', () => {
  it.each([
    { name: 'an exit margin above the enter margin', alerting: { enterMargin: 0.2, exitMargin: 0.3 } },
    { name: 'an exit margin above the default enter margin', alerting: { exitMargin: 0.15 } },
  ])('rejects $name', ({ alerting }) => {
    // Act
    const result = problems(document({}, { alerting }));

    // Assert
    expect(result).toEqual(['alerting.exitMargin: an exit margin no larger than the enter margin']);
  });

  it.each([
    { name: 'an exit margin equal to the enter margin', alerting: { enterMargin: 0.2, exitMargin: 0.2 } },
    { name: 'an exit margin of 0', alerting: { enterMargin: 0.2, exitMargin: 0 } },
  ])('accepts $name', ({ alerting }) => {
    // Act
    const result = problems(document({}, { alerting }));

    // Assert
    expect(result).toEqual([]);
  });

  it.each([
    { name: 'a negative exit margin', alerting: { exitMargin: -0.1 }, field: 'alerting.exitMargin' },
    { name: 'minIndicators of 0', alerting: { minIndicators: 0 }, field: 'alerting.minIndicators' },
    { name: 'fractional minIndicators', alerting: { minIndicators: 1.5 }, field: 'alerting.minIndicators' },
    { name: 'a bad minDwell', alerting: { minDwell: '2 months' }, field: 'alerting.minDwell' },
    { name: 'a bad cooldown', alerting: { cooldown: 'PT1H' }, field: 'alerting.cooldown' },
    { name: 'a bad revertWindow', alerting: { revertWindow: 'P' }, field: 'alerting.revertWindow' },
    { name: 'an unknown alerting field', alerting: { hysteresis: true }, field: 'alerting' },
  ])('rejects $name', ({ alerting, field }) => {
    // Act
    const fields = fieldsOf(document({}, { alerting: alerting as ScenarioSpec['alerting'] }));

    // Assert
    expect(fields).toEqual([field]);
  });
});

describe('scenario schema: outcomes', () => {
  it('rejects an outcome on a path the scenario does not have', () => {
    // Act
    const result = problems(document({}, { outcomes: [{ from: '2024-06-01', path: 'stalemate' }] }));

    // Assert
    expect(result).toEqual(["outcomes[0].path: one of the scenario's paths (baseline, risk)"]);
  });

  it.each([
    { outcome: { from: '2024-06', path: 'risk' }, field: 'outcomes[0].from' },
    { outcome: { from: '2024-06-01', path: 'Risk' }, field: 'outcomes[0].path' },
    { outcome: { from: '2024-06-01' }, field: 'outcomes[0].path' },
  ])('rejects the malformed outcome $outcome', ({ outcome, field }) => {
    // Act
    const fields = fieldsOf(document({}, { outcomes: [outcome as { from: string; path: string }] }));

    // Assert
    expect(fields).toContain(field);
  });
});
