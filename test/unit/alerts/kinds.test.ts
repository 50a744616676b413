// Each kind of alert as a subscriber reads it, for the cases the golden files do not show: unit-less
// and per-day/per-week figures, every `missing` policy, paths and indicators the scenario no longer
// lists, no confirmed path yet, single and plural counts, and texts that end exactly at their limits.
import { describe, expect, it } from 'vitest';
import { renderAlert } from '../../../shared/alerts/render.ts';
import type { Contribution } from '../../../shared/domain/model.ts';
import type {
  DataAlert,
  ForecastAlert,
  PathAlert,
  SilenceSummaryAlert,
} from '../../../shared/store/alerts.ts';
import { buildScenario } from '../../fixtures/scenario.ts';

const API = 'https://api.example.org';
const PAGE = `${API}/scenarios/rail`;

const scenario = buildScenario({
  id: 'rail',
  title: 'Rail hub',
  paths: [
    { id: 'holds', prior: 0.6, title: 'The hub holds', description: 'Trains keep running.' },
    { id: 'breaks', prior: 0.4, title: 'The hub breaks', description: 'Traffic stops for weeks.' },
  ],
  indicators: [
    {
      id: 'fires',
      title: 'Artillery fires',
      unit: 'shells',
      cadence: 'P1D',
      evidence: {
        model: 'trend',
        scale: 'absolute',
        expect: { holds: { slope: 0, sd: 1 }, breaks: { slope: 1, sd: 1 } },
      },
    },
    {
      id: 'convoys',
      title: 'Supply convoys',
      cadence: 'P1W',
      missing: 'keepLast',
      evidence: {
        model: 'trend',
        scale: 'relative',
        expect: { holds: { slope: 0, sd: 1 }, breaks: { slope: -1, sd: 1 } },
      },
    },
    {
      id: 'repairs',
      title: 'Track repairs',
      missing: { absence: { holds: 1, breaks: 2 } },
      evidence: {
        model: 'trend',
        scale: 'absolute',
        expect: { holds: { slope: 1, sd: 1 }, breaks: { slope: 0, sd: 1 } },
      },
    },
    {
      id: 'sorties',
      title: 'Air sorties',
      expect: { holds: { mean: 1, sd: 1 }, breaks: { mean: 5, sd: 1 } },
    },
  ],
});

const when = { at: '2026-08-01T00:00:00.000Z', createdAt: '2026-08-01T00:05:00.000Z' };
const common = { ...when, scenarioId: 'rail', status: 'pending' as const, stale: [], contributions: [] };

function contribution(over: Partial<Contribution> & Pick<Contribution, 'indicatorId'>): Contribution {
  return { status: 'used', model: 'trend', weight: 1, decibans: {}, ...over };
}

function shift(over: Partial<PathAlert> = {}): PathAlert {
  const [before, after] = [
    { holds: 0.55, breaks: 0.45 },
    { holds: 0.25, breaks: 0.75 },
  ];
  const change = { from: 'holds', to: 'breaks', probabilitiesBefore: before, probabilitiesAfter: after };
  return {
    ...common,
    kind: 'path-shift',
    sequence: 5,
    path: 'breaks',
    probabilities: after,
    ...change,
    ...over,
  };
}

function forecast(over: Partial<ForecastAlert> = {}): ForecastAlert {
  const odds = { probability: 0.6, threshold: 0.5, horizon: 1, until: '2026-09-01T00:00:00.000Z' };
  const now = { path: null, probabilities: { holds: 0.5, breaks: 0.5 }, drivers: [] };
  const change = { from: null, to: 'breaks', projected: { holds: 0.4, breaks: 0.6 } };
  return { ...common, kind: 'forecast-warning', sequence: 6, ...now, ...odds, ...change, ...over };
}

function summary(over: Partial<SilenceSummaryAlert> = {}): SilenceSummaryAlert {
  const silence = { id: 'drill', start: '2026-07-01', end: '2026-08-01', reason: 'exercise' };
  const now = { path: 'holds', probabilities: { holds: 0.8, breaks: 0.2 } };
  return { ...common, kind: 'silence-summary', sequence: 9, ...now, silence, held: [], ...over };
}

function data(over: Partial<DataAlert> & Pick<DataAlert, 'kind' | 'indicators'>): DataAlert {
  return { ...common, sequence: 7, path: 'holds', probabilities: { holds: 0.9, breaks: 0.1 }, ...over };
}

const footer = (sequence: number, kind: string, severity: string) => [
  '',
  `The scenario's page: ${PAGE}`,
  `Latest assessment (JSON): ${API}/v1/scenarios/rail/assessment`,
  `Alert rail #${sequence} (${kind}, severity ${severity}).`,
];

describe('a path-shift alert', () => {
  it('explains kept, absent and used evidence with each figure in its own words', () => {
    // Arrange: three movers (one kept, one absent, one used); a stale one is never shown.
    const contributions = [
      contribution({
        indicatorId: 'fires',
        value: 2.5,
        period: '2026-07-01',
        source: 'fires.csv',
        decibans: { breaks: 9 },
      }),
      contribution({
        indicatorId: 'convoys',
        status: 'kept',
        value: -0.05,
        period: '2026-06-01',
        decibans: { breaks: 7 },
      }),
      contribution({ indicatorId: 'sorties', status: 'absent', model: 'gaussian', decibans: { breaks: -5 } }),
      contribution({ indicatorId: 'repairs', status: 'stale', value: 3, decibans: { breaks: 20 } }),
    ];

    // Act
    const rendered = renderAlert(shift({ contributions }), scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: now on "The hub breaks" (75%)');
    expect(rendered.sms).toBe(
      `Signpost rail: shift holds->breaks (75%), as of 2026-08-01. The hub breaks ${PAGE}`,
    );
    expect(rendered.email.split('\n')).toEqual([
      'Rail hub',
      '',
      'The leading path has shifted from "The hub holds" to "The hub breaks" (confirmed with data as of 2026-08-01).',
      '',
      'Probabilities (before -> after):',
      '  The hub holds: 55% -> 25%',
      '  The hub breaks: 45% -> 75%',
      '',
      'What moved it (weight of evidence for "The hub breaks", in decibans; +10 dB = ten times likelier):',
      '  Artillery fires: trend +2.5 shells a day for 2026-07: +9.0 dB',
      '    source: fires.csv',
      '  Supply convoys: trend -5.0 % a week for 2026-06: +7.0 dB',
      '  Air sorties: no current data: -5.0 dB',
      '',
      'What "The hub breaks" means: Traffic stops for weeks.',
      ...footer(5, 'path-shift', 'high'),
    ]);
  });

  it('shows a per-period trend, a plain value, an unlisted indicator without a unit and zero weight as +0.0', () => {
    // Arrange
    const contributions = [
      contribution({ indicatorId: 'repairs', value: -1, decibans: { holds: -3 } }),
      contribution({ indicatorId: 'sorties', model: 'gaussian', value: 12, decibans: { holds: 2 } }),
      contribution({ indicatorId: 'retired', model: 'gaussian', value: 4, decibans: { holds: 0 } }),
    ];

    // Act
    const { email } = renderAlert(
      shift({ kind: 'reverted', from: 'breaks', to: 'holds', contributions }),
      scenario,
      API,
    );

    // Assert
    const lines = email.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('What moved it'));
    expect(lines.slice(heading + 1, heading + 5)).toEqual([
      '  Track repairs: trend -1.0 units a period: -3.0 dB',
      '  Air sorties: 12 units: +2.0 dB',
      '  retired: 4: +0.0 dB',
      '',
    ]);
  });

  it('names a path the scenario no longer lists by its id, with no description', () => {
    // Act
    const rendered = renderAlert(shift({ to: 'gone', probabilitiesAfter: { gone: 0.75 } }), scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: now on "gone" (75%)');
    expect(rendered.email).toContain('\nWhat "gone" means: \n');
  });
});

describe('SMS and subject limits', () => {
  const prefix = 'Signpost rail: shift holds->breaks (75%), as of 2026-08-01. The hub breaks';

  it('adds the link when text and link make exactly 160 characters, not when they make 161', () => {
    // Arrange: a public address padded so that `${prefix} ${page}` is 160 characters long.
    const page = (n: number) => `https://s.example/${'p'.repeat(n)}/scenarios/rail`;
    const fits = 160 - prefix.length - 1 - page(0).length;

    // Act
    const exact = renderAlert(shift(), scenario, API, `https://s.example/${'p'.repeat(fits)}`).sms;
    const over = renderAlert(shift(), scenario, API, `https://s.example/${'p'.repeat(fits + 1)}`).sms;

    // Assert
    expect(exact).toBe(`${prefix} ${page(fits)}`);
    expect(exact).toHaveLength(160);
    expect(over).toBe(prefix);
  });

  it('keeps an SMS and a subject that are exactly at their limits whole', () => {
    // Arrange: the new path's title padded so that the SMS is 160 and, separately, the subject 100.
    const smsTitle = `The hub breaks${'!'.repeat(160 - prefix.length)}`;
    const subjectTitle = `B${'x'.repeat(100 - '[Signpost] Rail hub: now on "B" (75%)'.length)}`;
    const titled = (title: string) => ({
      ...scenario,
      paths: scenario.paths.map((p) => (p.id === 'breaks' ? { ...p, title } : p)),
    });

    // Act
    const { sms } = renderAlert(shift(), titled(smsTitle), API);
    const { subject } = renderAlert(shift(), titled(subjectTitle), API);

    // Assert
    expect(sms).toBe(`Signpost rail: shift holds->breaks (75%), as of 2026-08-01. ${smsTitle}`);
    expect(sms).toHaveLength(160);
    expect(subject).toBe(`[Signpost] Rail hub: now on "${subjectTitle}" (75%)`);
    expect(subject).toHaveLength(100);
  });
});

describe('data alerts', () => {
  it('a data-stale alert lists each indicator with its last data and what its missing policy does', () => {
    // Arrange: fires last reported in June; the others never; "retired" is no longer in the scenario.
    const alert = data({
      kind: 'data-stale',
      indicators: ['fires', 'convoys', 'repairs', 'retired'],
      path: null,
      contributions: [contribution({ indicatorId: 'fires', status: 'stale', period: '2026-06-01' })],
    });

    // Act
    const rendered = renderAlert(alert, scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: no current data for 4 indicators');
    expect(rendered.sms).toBe(
      `Signpost rail: no current data for fires, convoys, repairs, retired (as of 2026-08-01). Path no path yet. ${PAGE}`,
    );
    expect(rendered.email.split('\n')).toEqual([
      'Rail hub',
      '',
      'As of 2026-08-01, these indicators have no current data (their newest period is older than their staleAfter):',
      '  - Artillery fires (last data for 2026-06): it no longer counts',
      '  - Supply convoys (no data yet): its last data keeps counting, with less weight as it ages',
      '  - Track repairs (no data yet): its absence now counts as evidence',
      '  - retired (no data yet): it no longer counts',
      '',
      'The confirmed path is "none yet"; probabilities now:',
      '  The hub holds: 90%',
      '  The hub breaks: 10%',
      '',
      'Check the sources (GET /v1/health) if the data should have arrived.',
      ...footer(7, 'data-stale', 'low'),
    ]);
  });

  it('a data-recovered alert for one indicator, an unlisted one, says so in the singular', () => {
    // Arrange: another indicator, also unlisted, is still stale.
    const alert = data({ kind: 'data-recovered', indicators: ['retired'], stale: ['gone'] });

    // Act
    const rendered = renderAlert(alert, scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: data current again for 1 indicator');
    expect(rendered.sms).toBe(
      `Signpost rail: data back for retired (as of 2026-08-01). Path holds 90%. ${PAGE}`,
    );
    expect(rendered.email.split('\n')).toEqual([
      'Rail hub',
      '',
      'As of 2026-08-01, these indicators have current data again and count in full: retired.',
      '',
      'The confirmed path is "The hub holds"; probabilities now:',
      '  The hub holds: 90%',
      '  The hub breaks: 10%',
      '',
      'Caveat: no current data for gone; it did not count in full.',
      ...footer(7, 'data-recovered', 'info'),
    ]);
  });
  it('a data-recovered alert for several indicators names each of them', () => {
    // Act
    const rendered = renderAlert(
      data({ kind: 'data-recovered', indicators: ['fires', 'convoys'] }),
      scenario,
      API,
    );

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: data current again for 2 indicators');
    expect(rendered.email).toContain(
      '\nAs of 2026-08-01, these indicators have current data again and count in full: Artillery fires, Supply convoys.\n',
    );
  });
});

describe('a forecast-warning alert', () => {
  it('before any confirmed path and with no driver, says so in the email and the SMS', () => {
    // Act
    const rendered = renderAlert(forecast(), scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: "The hub breaks" likely by 2026-09-01 (60%)');
    expect(rendered.sms).toBe(
      `Signpost rail: forecast 60% chance of a->breaks by 2026-09-01. Not yet confirmed. ${PAGE}`,
    );
    expect(rendered.email.split('\n')).toEqual([
      'Rail hub',
      '',
      'The projection gives a 60% probability that the confirmed path changes to "The hub breaks" within 1 period (by 2026-09-01), with data as of 2026-08-01; the warning threshold is 50%.',
      'This is a forecast, not a confirmed change: a path-shift alert follows only if the data confirms it.',
      '',
      'Probabilities (now -> projected at the horizon):',
      '  The hub holds: 50% -> 40%',
      '  The hub breaks: 50% -> 60%',
      '',
      'What drives it (forecast indicators; weight of evidence for "The hub breaks", in decibans):',
      '  no single indicator: the paths are close and the forecasts uncertain',
      '',
      `How: simulated futures drawn from each indicator's forecast, each assessed and run through the scenario's alerting rules. Details: ${API}/v1/scenarios/rail/forecast`,
      '',
      'What "The hub breaks" means: Traffic stops for weeks.',
      ...footer(6, 'forecast-warning', 'medium'),
    ]);
  });

  it('lists drivers with whichever figures they have, unlisted ones by id', () => {
    // Arrange
    const drivers = [
      { indicatorId: 'gone', decibans: 3, today: 0, last: 870 },
      { indicatorId: 'retired', decibans: 2, today: -1, point: 12.345678 },
      { indicatorId: 'fires', decibans: 1, today: 0.5, last: 4, point: 6 },
      { indicatorId: 'sorties', decibans: 0.5, today: 0.25 },
    ];

    // Act
    const { email } = renderAlert(forecast({ from: 'holds', horizon: 3, drivers }), scenario, API);

    // Assert
    expect(email).toContain(
      'changes from "The hub holds" to "The hub breaks" within 3 periods (by 2026-09-01)',
    );
    const lines = email.split('\n');
    const heading = lines.findIndex((l) => l.startsWith('What drives it'));
    expect(lines.slice(heading + 1, heading + 6)).toEqual([
      '  gone: last 870: +0.0 dB today -> +3.0 dB projected',
      '  retired: forecast 12.35 at the horizon: -1.0 dB today -> +2.0 dB projected',
      '  Artillery fires: last 4 shells, forecast 6 at the horizon: +0.5 dB today -> +1.0 dB projected',
      '  Air sorties: +0.3 dB today -> +0.5 dB projected',
      '',
    ]);
  });

  it("links the forecast beside the assessment even when the API's base path contains /assessment", () => {
    // Act
    const { email } = renderAlert(forecast(), scenario, 'https://x.example/assessment-stage');

    // Assert
    expect(email).toContain('Details: https://x.example/assessment-stage/v1/scenarios/rail/forecast\n');
  });

  it('towards a path the scenario no longer lists, names it by id with no description', () => {
    // Act
    const { email } = renderAlert(forecast({ to: 'gone' }), scenario, API);

    // Assert
    expect(email).toContain('\nWhat "gone" means: \n');
  });
});

describe('a silence-summary alert', () => {
  it('lists every held alert and counts only shifts and reversals as path changes', () => {
    // Arrange
    const held: SilenceSummaryAlert['held'] = [
      { sequence: 1, kind: 'path-shift', at: '2026-07-02T00:00:00.000Z', from: 'holds', to: 'breaks' },
      { sequence: 2, kind: 'reverted', at: '2026-07-03T00:00:00.000Z', from: 'breaks', to: 'holds' },
      { sequence: 3, kind: 'forecast-warning', at: '2026-07-04T00:00:00.000Z', to: 'breaks' },
      { sequence: 4, kind: 'data-stale', at: '2026-07-05T00:00:00.000Z', indicators: ['fires', 'retired'] },
      { sequence: 5, kind: 'data-recovered', at: '2026-07-06T00:00:00.000Z' },
    ];

    // Act
    const rendered = renderAlert(summary({ held }), scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: silence ended, 5 alerts held');
    expect(rendered.sms).toBe(
      `Signpost rail: silence "drill" ended; 5 alert(s) held, 2 path change(s). Path holds 80%. ${PAGE}`,
    );
    expect(rendered.email.split('\n')).toEqual([
      'Rail hub',
      '',
      'The silence "drill" (exercise) ran from 2026-07-01 to 2026-08-01.',
      'These alerts were raised during it and not sent:',
      '  #1 2026-07-02 path-shift: "The hub holds" -> "The hub breaks"',
      '  #2 2026-07-03 reverted: "The hub breaks" -> "The hub holds"',
      '  #3 2026-07-04 forecast-warning: towards "The hub breaks"',
      '  #4 2026-07-05 data-stale: Artillery fires, retired',
      '  #5 2026-07-06 data-recovered: ',
      '',
      'The confirmed path is "The hub holds"; probabilities now:',
      '  The hub holds: 80%',
      '  The hub breaks: 20%',
      ...footer(9, 'silence-summary', 'info'),
    ]);
  });

  it('says "1 alert" for a single held alert, and "no path yet" before the first', () => {
    // Arrange
    const held: SilenceSummaryAlert['held'] = [
      { sequence: 1, kind: 'forecast-warning', at: '2026-07-02T00:00:00.000Z', to: 'breaks' },
    ];

    // Act
    const rendered = renderAlert(summary({ held, path: null }), scenario, API);

    // Assert
    expect(rendered.subject).toBe('[Signpost] Rail hub: silence ended, 1 alert held');
    expect(rendered.sms).toBe(
      `Signpost rail: silence "drill" ended; 1 alert(s) held, 0 path change(s). Path no path yet. ${PAGE}`,
    );
  });
});

describe('the JSON default for machine subscribers', () => {
  it.each([
    {
      kind: 'data-stale',
      alert: data({ kind: 'data-stale', indicators: ['fires'] }),
      fields: { indicators: ['fires'] },
    },
    {
      kind: 'forecast-warning',
      alert: forecast({ from: 'holds' }),
      fields: {
        from: 'holds',
        to: 'breaks',
        probability: 0.6,
        threshold: 0.5,
        horizon: 1,
        until: '2026-09-01T00:00:00.000Z',
      },
    },
    {
      kind: 'silence-summary',
      alert: summary({ held: [{ sequence: 1, kind: 'data-recovered', at: '2026-07-02T00:00:00.000Z' }] }),
      fields: {
        silence: { id: 'drill', start: '2026-07-01', end: '2026-08-01', reason: 'exercise' },
        held: [{ sequence: 1, kind: 'data-recovered', at: '2026-07-02T00:00:00.000Z' }],
      },
    },
  ])('carries what a $kind alert is about', ({ alert, fields }) => {
    // Act
    const rendered = renderAlert(alert, scenario, API);

    // Assert
    expect(JSON.parse(rendered.default)).toEqual({
      scenarioId: 'rail',
      kind: alert.kind,
      sequence: alert.sequence,
      ...fields,
      at: alert.at,
      probabilities: alert.probabilities,
      subject: rendered.subject,
      email: rendered.email,
      sms: rendered.sms,
      url: `${API}/v1/scenarios/rail/assessment`,
      page: PAGE,
    });
  });
});
