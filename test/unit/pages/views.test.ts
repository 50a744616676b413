// The pages as pure renderings of what was read: the headline in each state of the path, text escaped,
// nothing a strict CSP would block, sources named without their query, and the last change found.
import { describe, expect, it } from 'vitest';
import type { ScenarioData } from '../../../functions/pages/data.ts';
import { lastChange } from '../../../functions/pages/model.ts';
import { indexPage } from '../../../functions/pages/views/index-page.ts';
import { scenarioPage } from '../../../functions/pages/views/scenario-page.ts';
import type { StoredAssessment } from '../../../shared/store/assessments.ts';
import { buildScenario, FIRES } from '../../fixtures/scenario.ts';

const NOW = new Date('2024-04-15T00:00:00.000Z');

const scenario = buildScenario({
  id: 'probe',
  title: 'Probe <b>bold</b> & "quoted"',
  description: 'A <script>alert(1)</script> description.',
  paths: [
    { id: 'baseline', prior: 0.6, title: 'Holds' },
    { id: 'risk', prior: 0.4, title: 'Breaks' },
  ],
  indicators: [
    {
      id: 'fires',
      expect: FIRES,
      staleAfter: 'P10Y',
      source: {
        kind: 'csv',
        url: 'https://data.example.org/fires.csv?api_key=SECRET123',
        time: 'month',
        value: 'v',
      },
    },
  ],
});

function assessment(asOf: string, risk: number, state: StoredAssessment['state']): StoredAssessment {
  return {
    scenarioId: 'probe',
    asOf,
    evaluatedAt: asOf,
    probabilities: { baseline: 1 - risk, risk },
    leader: risk > 0.5 ? 'risk' : 'baseline',
    margin: Math.abs(1 - 2 * risk),
    entropy: 0.5,
    contributions: [
      {
        indicatorId: 'fires',
        status: 'used',
        model: 'gaussian',
        value: 60,
        period: '2024-03-01',
        weight: 1,
        decibans: { baseline: -8, risk: 8 },
      },
    ],
    stale: [],
    state,
    events: [],
  };
}

const steady = { status: 'steady', path: 'risk', since: '2024-03-01T00:00:00.000Z' } as const;

function data(history: StoredAssessment[]): ScenarioData {
  const observations = [90, 95, 60].map((value, k) => ({
    indicatorId: 'fires',
    period: `2024-0${k + 1}-01`,
    value,
    source: 'https://data.example.org/fires.csv',
  }));
  const [indicator] = scenario.indicators;
  if (!indicator) throw new Error('the probe scenario lost its indicator');
  return {
    scenario,
    latest: history.at(-1) ?? null,
    history,
    alerts: [],
    forecast: null,
    indicators: [
      {
        indicator,
        observations,
        health: {
          indicatorId: 'fires',
          source: 'https://data.example.org/fires.csv',
          consecutiveFailures: 2,
          lastErrorAt: '2024-04-14T00:00:00.000Z',
          lastError: 'https://data.example.org/fires.csv: HTTP 503',
        },
      },
    ],
  };
}

const history = [
  assessment('2024-02-01T00:00:00.000Z', 0.3, {
    status: 'steady',
    path: 'baseline',
    since: '2024-01-01T00:00:00.000Z',
  }),
  assessment('2024-03-01T00:00:00.000Z', 0.8, steady),
  assessment('2024-04-01T00:00:00.000Z', 0.8, steady),
];

describe('scenarioPage', () => {
  it('says where the scenario is, since when, and what last moved', () => {
    const html = scenarioPage(data(history), NOW);

    expect(html).toContain(
      'Now on “Breaks” (80 %), confirmed since <time datetime="2024-03-01T00:00:00.000Z">2024-03-01</time>; last change <time datetime="2024-03-01T00:00:00.000Z">2024-03-01</time>: “Breaks” 30 % → 80 %.',
    );
  });

  it('says when the leader is not yet the confirmed path, and how far the vote has got', () => {
    // Arrange
    const pending = {
      status: 'pending',
      path: 'baseline',
      since: '2024-01-01T00:00:00.000Z',
      pending: { path: 'risk', count: 1, of: 2 },
    } as const;

    // Act
    const html = scenarioPage(data([assessment('2024-04-01T00:00:00.000Z', 0.7, pending)]), NOW);

    // Assert
    expect(html).toContain('“Breaks” leads (70 %), but “Holds” stays the confirmed path');
    expect(html).toContain('(1 of 2 updates for it so far)');
  });

  it('escapes every text from the scenario file', () => {
    const html = scenarioPage(data(history), NOW);

    expect(html).toContain('Probe &lt;b&gt;bold&lt;/b&gt; &amp; &quot;quoted&quot;');
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<b>bold');
  });

  it('holds nothing a strict CSP blocks: no script, no style attribute, no event handler', () => {
    const html = scenarioPage(data(history), NOW);

    expect(html).not.toMatch(/<script|\sstyle=|\son[a-z]+=|javascript:/i);
  });

  it('names a source by its host and path, never its query, and shows its last error', () => {
    const html = scenarioPage(data(history), NOW);

    expect(html).not.toContain('SECRET123');
    expect(html).toContain('<code>https://data.example.org/fires.csv</code>');
    expect(html).toContain('failing (2 in a row)');
    expect(html).toContain('https://data.example.org/fires.csv: HTTP 503');
  });

  it('says what would change the call for each indicator', () => {
    const html = scenarioPage(data(history), NOW);

    expect(html).toMatch(/<tr data-indicator="fires" data-need="(range|already|none|event)">/);
  });

  it('says a scenario not assessed yet is so, and still lists its paths', () => {
    const html = scenarioPage(data([]), NOW);

    expect(html).toContain('Not assessed yet');
    expect(html).toContain('data-path="risk"');
  });
});

describe('indexPage', () => {
  it('lists the scenario with the most recent change first', () => {
    // Arrange
    const other = { ...scenario, id: 'other', title: 'Other' };
    const old = [
      assessment('2023-01-01T00:00:00.000Z', 0.2, steady),
      assessment('2023-02-01T00:00:00.000Z', 0.4, steady),
    ];

    // Act
    const html = indexPage([
      { scenario: other, latest: old.at(-1) ?? null, recent: old },
      { scenario, latest: history.at(-1) ?? null, recent: history },
    ]);

    // Assert
    expect(html.indexOf('data-scenario="probe"')).toBeLessThan(html.indexOf('data-scenario="other"'));
  });
});

describe('lastChange', () => {
  it('finds the newest assessment that moved the probabilities, ignoring rounding', () => {
    // Arrange: the last step moves by 0.05 points, less than a tenth of a point.
    const moved = [...history, assessment('2024-05-01T00:00:00.000Z', 0.8005, steady)];

    // Act
    const change = lastChange(moved);

    // Assert
    expect(change?.at).toBe('2024-03-01T00:00:00.000Z');
    expect(change?.before.risk).toBe(0.3);
  });

  it('is null when nothing moved', () => {
    expect(lastChange(history.slice(1))).toBeNull();
  });
});
