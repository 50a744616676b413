// Alert texts: an ASCII subject, an email that explains the shift, a one-part GSM-7 SMS, and a JSON default.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderAlert, toAscii, toGsm7 } from '../../../shared/alerts/render.ts';
import { parseScenario } from '../../../shared/config/load-scenarios.ts';
import type { Scenario } from '../../../shared/config/scenario-schema.ts';
import type { Contribution } from '../../../shared/domain/model.ts';
import type { PathAlert } from '../../../shared/store/alerts.ts';
import { buildScenario } from '../../fixtures/scenario.ts';

const SEED = parseScenario(
  readFileSync(fileURLToPath(new URL('../../../scenarios/kupyansk.yaml', import.meta.url)), 'utf8'),
  'kupyansk.yaml',
);
const BASE = 'https://api.example.org';

// The GSM 03.38 basic character set, written out independently of the code under test.
const GSM7_BASIC = new Set([
  ...'@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?',
  ...'¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
]);

const PRINTABLE_ASCII = /^[\x20-\x7E]*$/;

const LONG_TITLE =
  '“Kupyansk” front — a very long title that goes on and on 🚨🛰️ about the Oskil river – and the ' +
  'railway junction, Ukraine’s logistics, Russia’s reserves, winter weather, and everything else ' +
  'an analyst might want to put in a title that is far too long for any subject line or SMS 😀';

function used(indicatorId: string, value: number, period: string, risk: number): Contribution {
  return {
    indicatorId,
    status: 'used',
    model: 'gaussian',
    weight: 1,
    value,
    period,
    source: `data/${indicatorId}.csv`,
    decibans: { baseline: -risk, risk },
  };
}

function alertRecord(overrides: Partial<PathAlert> = {}): PathAlert {
  return {
    scenarioId: 'kupyansk',
    sequence: 3,
    kind: 'path-shift',
    from: 'baseline',
    to: 'risk',
    at: '2026-08-01T00:00:00.000Z',
    createdAt: '2026-08-01T00:05:00.000Z',
    path: 'risk',
    probabilities: { baseline: 0.3, risk: 0.7 },
    probabilitiesBefore: { baseline: 0.6, risk: 0.4 },
    probabilitiesAfter: { baseline: 0.3, risk: 0.7 },
    contributions: [
      used('ua-fires', 0.048, '2026-07-01', 4.2),
      used('ru-mechanized', 1150, '2026-07-01', 6.5),
      used('western-assistance', 0, '2026-07-01', -1.1),
      {
        indicatorId: 'other',
        status: 'stale',
        model: 'gaussian',
        weight: 0,
        value: 99,
        period: '2025-01-01',
        source: 'x',
        decibans: {},
      },
    ],
    stale: [],
    status: 'pending',
    ...overrides,
  };
}

/** The seed scenario with every visible text replaced by `text`. */
function withLongTexts(text: string): Scenario {
  return {
    ...SEED,
    title: text,
    paths: SEED.paths.map((p) => ({ ...p, title: `${p.id}: ${text}`, description: text })),
    indicators: SEED.indicators.map((i) => ({ ...i, title: `${i.id} ${text}` })),
  };
}

describe('renderAlert subject', () => {
  it('names the scenario, the new path and its probability', () => {
    // Act
    const { subject } = renderAlert(alertRecord(), SEED, BASE);

    // Assert
    expect(subject).toBe('[Signpost] Kupyansk front-line momentum: now on "Russian counter-offensive" (70%)');
  });

  it('stays within 100 printable ASCII characters for a long title with curly quotes, dashes and emoji', () => {
    // Act
    const { subject } = renderAlert(alertRecord(), withLongTexts(LONG_TITLE), BASE);

    // Assert
    expect(subject.length).toBeLessThanOrEqual(100);
    expect(subject).toMatch(PRINTABLE_ASCII);
    expect(subject.endsWith('...')).toBe(true);
    expect(subject.startsWith('[Signpost] "Kupyansk" front - a very long title')).toBe(true);
  });

  it('keeps a title with a line break on one line', () => {
    // Act
    const { subject } = renderAlert(alertRecord(), withLongTexts('Two\nlines'), BASE);

    // Assert
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject).toMatch(PRINTABLE_ASCII);
  });
});

describe('renderAlert SMS', () => {
  it("says which scenario shifted, from and to, and when, then links the scenario's page", () => {
    // Act
    const { sms } = renderAlert(alertRecord(), SEED, BASE);

    // Assert
    expect(sms).toBe(
      'Signpost kupyansk: shift baseline->risk (70%), as of 2026-08-01. Russian counter-offensive https://api.example.org/scenarios/kupyansk',
    );
  });

  it('leaves the link out when it would not fit one 160-character part', () => {
    // Arrange: a page address long enough that text and link together pass 160 characters.
    const publicUrl = `https://status.example.org/${'a'.repeat(60)}`;

    // Act
    const { sms } = renderAlert(alertRecord(), SEED, BASE, publicUrl);

    // Assert
    expect(sms).toBe(
      'Signpost kupyansk: shift baseline->risk (70%), as of 2026-08-01. Russian counter-offensive',
    );
  });

  it('leaves out a link that GSM-7 would garble', () => {
    // Act
    const { sms } = renderAlert(alertRecord(), SEED, BASE, 'https://status.example.org/~ops');

    // Assert
    expect(sms).not.toContain('http');
  });

  it.each([
    { name: 'curly quotes, dashes and emoji', text: LONG_TITLE },
    { name: 'accents', text: 'Übergang über die Oskil — Kupjansk–Süd, “Ostfront” '.repeat(6) },
    { name: 'Cyrillic', text: 'Купʼянськ: український контрнаступ триває '.repeat(5) },
    { name: 'Hangul', text: '쿠피안스크 전선의 변화 '.repeat(20) },
  ])('stays one 160-character GSM-7 part for a long title with $name', ({ text }) => {
    // Act
    const { sms } = renderAlert(alertRecord(), withLongTexts(text), BASE);

    // Assert
    expect(sms.length).toBeLessThanOrEqual(160);
    expect([...sms].filter((ch) => !GSM7_BASIC.has(ch))).toEqual([]);
  });
});

describe('renderAlert email', () => {
  it('lists the probabilities before -> after for every path', () => {
    // Act
    const { email } = renderAlert(alertRecord(), SEED, BASE);

    // Assert
    expect(email).toContain('Probabilities (before -> after):');
    expect(email).toContain('  Ukraine holds the initiative: 60% -> 30%');
    expect(email).toContain('  Russian counter-offensive: 40% -> 70%');
    expect(email).toContain(
      'The leading path has shifted from "Ukraine holds the initiative" to "Russian counter-offensive" ' +
        '(confirmed with data as of 2026-08-01).',
    );
  });

  it('shows n/a for the before figures when there were none', () => {
    // Act
    const { email } = renderAlert(alertRecord({ probabilitiesBefore: null }), SEED, BASE);

    // Assert
    expect(email).toContain('  Ukraine holds the initiative: n/a -> 30%');
    expect(email).toContain('  Russian counter-offensive: n/a -> 70%');
  });

  it('lists the three used indicators with the largest weight for the new path, with value, period and source', () => {
    // Arrange: four used contributions; the weakest (|0.5| dB) must be left out, the stale one never shown
    const contributions = [
      used('ua-fires', 0.048, '2026-07-01', 4.2),
      used('ru-mechanized', 1150, '2026-06-01', 6.5),
      used('western-assistance', 0, '2026-07-01', -9.25),
      used('extra', 3, '2026-07-01', 0.5),
      {
        indicatorId: 'stale-one',
        status: 'stale',
        model: 'gaussian',
        weight: 0,
        value: 1,
        period: '2025-01-01',
        source: 's',
        decibans: { risk: 99 },
      },
    ] satisfies Contribution[];

    // Act
    const { email } = renderAlert(alertRecord({ contributions }), SEED, BASE);

    // Assert
    const lines = email.split('\n');
    const heading = lines.indexOf(
      'What moved it (weight of evidence for "Russian counter-offensive", in decibans; +10 dB = ten times likelier):',
    );
    expect(heading).toBeGreaterThan(0);
    expect(lines.slice(heading + 1, heading + 7)).toEqual([
      '  Western security assistance packages: 0 USD bn announced per month for 2026-07: -9.3 dB',
      '    source: data/western-assistance.csv',
      '  Russian mechanised movement near Kupyansk: 1150 armoured vehicles per month for 2026-06: +6.5 dB',
      '    source: data/ru-mechanized.csv',
      '  Ukrainian artillery and UAS activity: trend +4.8 % a period for 2026-07: +4.2 dB',
      '    source: data/ua-fires.csv',
    ]);
    expect(lines[heading + 7]).toBe('');
    expect(email).not.toContain('extra');
    expect(email).not.toContain('stale-one');
  });

  it('adds a caveat naming the stale indicators when there are any', () => {
    // Act
    const { email } = renderAlert(
      alertRecord({ stale: ['western-assistance', 'ru-mechanized'] }),
      SEED,
      BASE,
    );

    // Assert
    expect(email).toContain(
      'Caveat: no current data for Western security assistance packages, Russian mechanised movement near Kupyansk; they did not count in full.',
    );
  });

  it('has no caveat when nothing is stale', () => {
    // Act
    const { email } = renderAlert(alertRecord({ stale: [] }), SEED, BASE);

    // Assert
    expect(email).not.toContain('Caveat');
  });

  it.each([
    { base: 'https://api.example.org', root: 'https://api.example.org' },
    { base: 'https://api.example.org/', root: 'https://api.example.org' },
    { base: 'https://x.example/prod/', root: 'https://x.example/prod' },
  ])("links the scenario's page and the latest assessment for base $base", ({ base, root }) => {
    // Act
    const { email } = renderAlert(alertRecord(), SEED, base);

    // Assert
    expect(email).toContain(`The scenario's page: ${root}/scenarios/kupyansk\n`);
    expect(email).toContain(`Latest assessment (JSON): ${root}/v1/scenarios/kupyansk/assessment\n`);
    expect(email).not.toContain('//v1');
    expect(email).not.toContain('//scenarios');
  });

  it("links the page at the stage's public address when it has one", () => {
    // Act
    const { email } = renderAlert(alertRecord(), SEED, BASE, 'https://status.example.org/');

    // Assert
    expect(email).toContain("The scenario's page: https://status.example.org/scenarios/kupyansk\n");
    expect(email).toContain(`Latest assessment (JSON): ${BASE}/v1/scenarios/kupyansk/assessment\n`);
  });

  it('explains the new path and numbers the alert', () => {
    // Act
    const { email } = renderAlert(alertRecord(), SEED, BASE);

    // Assert
    const risk = SEED.paths.find((p) => p.id === 'risk');
    expect(email).toContain(`What "Russian counter-offensive" means: ${risk?.description}`);
    expect(email.endsWith('Alert kupyansk #3 (path-shift, severity high).')).toBe(true);
    expect(email.startsWith('Kupyansk front-line momentum\n')).toBe(true);
  });
});

describe('renderAlert default', () => {
  it('is JSON carrying the alert, the subject, the texts and the URL', () => {
    // Arrange
    const alert = alertRecord();

    // Act
    const rendered = renderAlert(alert, SEED, `${BASE}/`);
    const parsed = JSON.parse(rendered.default);

    // Assert
    expect(parsed).toEqual({
      scenarioId: 'kupyansk',
      kind: 'path-shift',
      sequence: 3,
      from: 'baseline',
      to: 'risk',
      at: alert.at,
      probabilities: alert.probabilitiesAfter,
      subject: rendered.subject,
      email: rendered.email,
      sms: rendered.sms,
      url: `${BASE}/v1/scenarios/kupyansk/assessment`,
      page: `${BASE}/scenarios/kupyansk`,
    });
  });

  it('stays valid JSON for titles with quotes, emoji and line breaks', () => {
    // Act
    const rendered = renderAlert(alertRecord(), withLongTexts(`${LONG_TITLE}\n"quoted" \\ back`), BASE);

    // Assert
    expect(() => JSON.parse(rendered.default)).not.toThrow();
    expect(JSON.parse(rendered.default).email).toBe(rendered.email);
  });

  it('renders a scenario built in code with three paths', () => {
    // Arrange
    const scenario = buildScenario({
      id: 'three',
      paths: [
        { id: 'a', prior: 0.5, title: 'Alpha' },
        { id: 'b', prior: 0.3, title: 'Bravo' },
        { id: 'c', prior: 0.2, title: 'Charlie' },
      ],
      indicators: [
        { id: 'x', expect: { a: { mean: 1, sd: 1 }, b: { mean: 2, sd: 1 }, c: { mean: 3, sd: 1 } } },
      ],
    });
    const alert = alertRecord({
      from: 'a',
      to: 'c',
      probabilitiesBefore: { a: 0.5, b: 0.3, c: 0.2 },
      probabilitiesAfter: { a: 0.1, b: 0.2, c: 0.7 },
      contributions: [],
    });

    // Act
    const { email, subject } = renderAlert(alert, scenario, BASE);

    // Assert
    expect(subject).toBe('[Signpost] Test scenario: now on "Charlie" (70%)');
    expect(email).toContain('  Alpha: 50% -> 10%\n  Bravo: 30% -> 20%\n  Charlie: 20% -> 70%');
  });
});

describe('toAscii and toGsm7', () => {
  it.each<[what: string, text: string, ascii: string, gsm: string]>([
    ['curly quotes', '“quoted” ‘single’', '"quoted" \'single\'', '"quoted" \'single\''],
    ['dashes', 'a – b — c ‑ d', 'a - b - c - d', 'a - b - c - d'],
    ['accents and a modifier apostrophe', 'Café Kupʼjansk', 'Cafe Kup?jansk', 'Cafe Kup?jansk'],
    ['an emoji', 'alert 🚨!', 'alert ??!', 'alert ?!'],
    ['the GSM 7 extension characters', 'a [b] {c} ~ | \\ ^ €', 'a [b] {c} ~ | \\ ^ ?', 'a ?b? ?c? ? ? ? ? ?'],
    ['a line break', 'line\nbreak', 'line?break', 'line\nbreak'],
    ['letters and currency signs GSM 7 has', 'Ünter Ærø £5 ¥', 'Unter ?r? ?5 ?', 'Unter Ærø £5 ¥'],
  ])('folds %s', (_what, text, ascii, gsm) => {
    // Act
    const a = toAscii(text);
    const g = toGsm7(text);

    // Assert
    expect(a).toBe(ascii);
    expect(g).toBe(gsm);
    expect(a).toMatch(PRINTABLE_ASCII);
    expect([...g].every((ch) => GSM7_BASIC.has(ch))).toBe(true);
  });
});
