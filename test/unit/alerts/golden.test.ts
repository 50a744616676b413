// Golden files: each kind of alert rendered for a fixed scenario, byte for byte. After an intended
// change of wording, run `UPDATE_GOLDEN=1 npm test -- test/unit/alerts` and review the diff.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageAttributes } from '../../../shared/alerts/publish.ts';
import { renderAlert } from '../../../shared/alerts/render.ts';
import type { Contribution } from '../../../shared/domain/model.ts';
import type { AlertRecord } from '../../../shared/store/alerts.ts';
import { buildScenario, type EvidenceSpec } from '../../fixtures/scenario.ts';

const GOLDEN = join(import.meta.dirname, 'golden');
const API = 'https://api.signpost.example.org';

const TREND: EvidenceSpec = {
  model: 'trend',
  expect: { baseline: { slope: 0.03, sd: 0.06 }, risk: { slope: -0.05, sd: 0.06 } },
};
const BANDS: EvidenceSpec = {
  model: 'bands',
  bands: [{ below: 1, likelihood: { baseline: 1, risk: 2 } }, { likelihood: { baseline: 2, risk: 1 } }],
};

// A frozen copy of the seed scenario's paths and indicators: the golden texts must not move when the
// seed's data or models are retuned.
const scenario = buildScenario({
  id: 'kupyansk',
  title: 'Kupyansk front-line momentum',
  description: 'Whether Ukraine keeps the initiative near Kupyansk.',
  paths: [
    {
      id: 'baseline',
      title: 'Ukraine holds the initiative',
      description:
        'Ukraine maintains its tempo; Russian forces shift to a defensive posture around Kupyansk.',
      prior: 0.6,
    },
    {
      id: 'risk',
      title: 'Russian counter-offensive',
      description: 'Russian reserves are mobilised and a counter-offensive retakes the liberated area.',
      prior: 0.4,
    },
  ],
  indicators: [
    {
      id: 'ua-fires',
      title: 'Ukrainian artillery and UAS activity',
      unit: 'systems destroyed per month',
      evidence: TREND,
    },
    {
      id: 'ru-mechanized',
      title: 'Russian mechanised movement near Kupyansk',
      unit: 'armoured vehicles per month',
      evidence: BANDS,
    },
    {
      id: 'western-assistance',
      title: 'Western security assistance packages',
      unit: 'USD bn announced per month',
      evidence: BANDS,
    },
  ],
});

const contributions: Contribution[] = [
  {
    indicatorId: 'ua-fires',
    status: 'used',
    model: 'trend',
    value: -0.0456,
    period: '2024-01-01',
    source: 'data/kupyansk/artillery-systems.csv',
    outcome: 'slope over 6 periods',
    weight: 1,
    decibans: { baseline: -3.436, risk: 3.436 },
  },
  {
    indicatorId: 'ru-mechanized',
    status: 'used',
    model: 'bands',
    value: 1020,
    period: '2024-01-01',
    source: 'https://data.example.org/armour.json',
    outcome: 'band 3 (1000 to inf)',
    weight: 1,
    decibans: { baseline: -5.229, risk: 5.229 },
  },
  {
    indicatorId: 'western-assistance',
    status: 'stale',
    model: 'event',
    value: 0,
    period: '2025-08-01',
    source: 'data/kupyansk/assistance-packages.csv',
    weight: 0,
    decibans: {},
  },
];

const common = {
  scenarioId: 'kupyansk',
  createdAt: '2024-02-01T06:00:00.000Z',
  contributions,
  status: 'pending' as const,
};

const examples: Record<AlertRecord['kind'], AlertRecord> = {
  'path-shift': {
    ...common,
    kind: 'path-shift',
    sequence: 2,
    at: '2024-02-01T00:00:00.000Z',
    path: 'risk',
    probabilities: { baseline: 0.149, risk: 0.851 },
    stale: ['western-assistance'],
    from: 'baseline',
    to: 'risk',
    probabilitiesBefore: { baseline: 0.151, risk: 0.849 },
    probabilitiesAfter: { baseline: 0.149, risk: 0.851 },
  },
  reverted: {
    ...common,
    kind: 'reverted',
    sequence: 3,
    at: '2024-05-01T00:00:00.000Z',
    path: 'baseline',
    probabilities: { baseline: 0.913, risk: 0.087 },
    stale: [],
    from: 'risk',
    to: 'baseline',
    probabilitiesBefore: { baseline: 0.665, risk: 0.335 },
    probabilitiesAfter: { baseline: 0.913, risk: 0.087 },
    contributions: contributions.map((c) => ({
      ...c,
      decibans: { baseline: -(c.decibans.baseline ?? 0), risk: -(c.decibans.risk ?? 0) },
    })),
  },
  'data-stale': {
    ...common,
    kind: 'data-stale',
    sequence: 7,
    at: '2026-01-01T00:00:00.000Z',
    path: 'baseline',
    probabilities: { baseline: 0.69, risk: 0.31 },
    stale: ['western-assistance'],
    indicators: ['western-assistance'],
  },
  'data-recovered': {
    ...common,
    kind: 'data-recovered',
    sequence: 8,
    at: '2026-03-01T00:00:00.000Z',
    path: 'baseline',
    probabilities: { baseline: 0.88, risk: 0.12 },
    stale: [],
    indicators: ['western-assistance'],
  },
  'forecast-warning': {
    ...common,
    kind: 'forecast-warning',
    sequence: 4,
    at: '2024-08-01T00:00:00.000Z',
    path: 'baseline',
    probabilities: { baseline: 0.71, risk: 0.29 },
    stale: ['western-assistance'],
    probability: 0.56,
    threshold: 0.5,
    horizon: 6,
    until: '2025-02-01T00:00:00.000Z',
    from: 'baseline',
    to: 'risk',
    projected: { baseline: 0.38, risk: 0.62 },
    drivers: [
      { indicatorId: 'ru-mechanized', decibans: 4.1, today: -1.2, point: 1085.4, last: 870 },
      { indicatorId: 'ua-fires', decibans: 2.35, today: 0.8, point: 301.2, last: 342 },
    ],
  },
  'silence-summary': {
    ...common,
    kind: 'silence-summary',
    sequence: 11,
    at: '2026-05-04T08:00:00.000Z',
    createdAt: '2026-05-04T08:00:00.000Z',
    path: 'baseline',
    probabilities: { baseline: 0.993, risk: 0.007 },
    stale: [],
    silence: {
      id: 'easter-review',
      start: '2026-04-01T00:00:00.000Z',
      end: '2026-05-04T08:00:00.000Z',
      reason: 'analysts re-validating the indicators',
    },
    held: [
      {
        sequence: 9,
        kind: 'data-recovered',
        at: '2026-04-01T00:00:00.000Z',
        indicators: ['western-assistance'],
      },
      { sequence: 10, kind: 'reverted', at: '2026-04-01T00:00:00.000Z', from: 'risk', to: 'baseline' },
    ],
  },
};

/** The alert as a subscriber receives it: the email with its subject, the SMS, and the attributes. */
function asReceived(alert: AlertRecord): string {
  const rendered = renderAlert(alert, scenario, API);
  const attributes = Object.entries(messageAttributes(alert))
    .map(([k, v]) => `${k}=${v}`)
    .join(' ');
  return [
    `Subject: ${rendered.subject}`,
    '',
    rendered.email,
    '',
    `--- SMS (${rendered.sms.length} characters) ---`,
    rendered.sms,
    '',
    `--- SNS message attributes ---`,
    attributes,
    '',
  ].join('\n');
}

describe('alert texts (golden files)', () => {
  it.each(Object.keys(examples) as AlertRecord['kind'][])(
    'renders a %s alert exactly as its golden file',
    (kind) => {
      const text = asReceived(examples[kind]);
      const file = join(GOLDEN, `${kind}.txt`);
      if (process.env.UPDATE_GOLDEN) writeFileSync(file, text);

      expect(text).toBe(readFileSync(file, 'utf8'));
    },
  );

  it.each(Object.keys(examples) as AlertRecord['kind'][])(
    'shows the %s golden text in docs/alerts.md',
    (kind) => {
      const docs = readFileSync(join(import.meta.dirname, '../../../docs/alerts.md'), 'utf8');

      expect(docs).toContain(readFileSync(join(GOLDEN, `${kind}.txt`), 'utf8').trimEnd());
    },
  );

  it.each(Object.keys(examples) as AlertRecord['kind'][])(
    'keeps the %s subject within 100 ASCII characters and the SMS within 160 GSM-7 characters',
    (kind) => {
      const rendered = renderAlert(examples[kind], scenario, API);

      expect(rendered.subject.length).toBeLessThanOrEqual(100);
      expect(rendered.subject).toMatch(/^[ -~]+$/);
      expect(rendered.sms.length).toBeLessThanOrEqual(160);
      expect(JSON.parse(rendered.default)).toMatchObject({ kind, sequence: examples[kind].sequence });
    },
  );
});
