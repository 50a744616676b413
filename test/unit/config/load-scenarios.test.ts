// Scenario YAML: the seed loads; every problem is reported with its file, line, field and expectation.

import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatProblem,
  loadScenarios,
  parseScenario,
  ScenarioError,
  type ScenarioProblem,
} from '../../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../../shared/config/registry.ts';
import { DEFAULT_ALERTING } from '../../fixtures/scenario.ts';

const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url)).replace(/\/$/, '');
const SEED = readFileSync(join(SCENARIOS_DIR, 'kupyansk.yaml'), 'utf8');

/** Replaces one exact snippet of the seed; fails the test if the snippet is not there. */
function edit(text: string, from: string, to: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0) throw new Error(`snippet not found exactly once: ${from}`);
  return text.replace(from, to);
}

/** The 1-based line of the first line containing `snippet`. */
function lineOf(text: string, snippet: string): number {
  const index = text.split('\n').findIndex((line) => line.includes(snippet));
  if (index < 0) throw new Error(`no line contains ${snippet}`);
  return index + 1;
}

function problemsOf(text: string, file = 'scenarios/broken.yaml'): ScenarioProblem[] {
  try {
    parseScenario(text, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error.problems;
    throw error;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('the seed scenario', () => {
  it('loads cleanly with two paths and five indicators', async () => {
    // Act
    const loaded = await loadScenarios(SCENARIOS_DIR);

    // Assert
    expect(loaded).toHaveLength(1);
    const [seed] = loaded;
    expect(seed?.file).toBe(join(SCENARIOS_DIR, 'kupyansk.yaml'));
    expect(seed?.dir).toBe(SCENARIOS_DIR);
    expect(seed?.scenario.id).toBe('kupyansk');
    expect(seed?.scenario.paths.map((p) => [p.id, p.prior])).toEqual([
      ['baseline', 0.6],
      ['risk', 0.4],
    ]);
    expect(seed?.scenario.indicators.map((i) => [i.id, i.source.kind])).toEqual([
      ['ua-fires', 'csv'],
      ['ru-mechanized', 'json'],
      ['western-assistance', 'file'],
      ['assistance-announcements', 'feed'],
      ['ru-held-area', 'file'],
    ]);
    expect(seed?.scenario.indicators.map((i) => [i.id, i.evidence.model, i.group])).toEqual([
      ['ua-fires', 'trend', 'loss-reports'],
      ['ru-mechanized', 'bands', 'loss-reports'],
      ['western-assistance', 'event', undefined],
      ['assistance-announcements', 'event', undefined],
      ['ru-held-area', 'bands', undefined],
    ]);
    expect(seed?.scenario.groups).toEqual([{ id: 'loss-reports', cap: 20 }]);
    expect(seed?.scenario.alerting).toEqual({
      enterMargin: 0.2,
      exitMargin: 0.1,
      confirm: { m: 2, n: 3 },
      minIndicators: 2,
      minDwell: 'P2M',
      revertWindow: 'P6M',
    });
  });

  it('fills in the source defaults the YAML leaves out', () => {
    // Act
    const scenario = parseScenario(SEED, 'kupyansk.yaml');

    // Assert
    expect(scenario.indicators[0]?.source).toMatchObject({
      aggregate: 'last',
      emptyPeriods: 'missing',
      delimiter: ',',
    });
    expect(scenario.indicators[2]?.source).toMatchObject({ aggregate: 'sum', emptyPeriods: 'zero' });
  });

  it('applies the default alerting rules when the section is absent', () => {
    // Arrange: drop the whole section, from its key to the blank line after it
    const section = /^alerting:\n(?:[ #].*\n)+\n/m.exec(SEED)?.[0] ?? 'alerting: section not found';
    const text = edit(SEED, section, '');

    // Act
    const scenario = parseScenario(text, 'kupyansk.yaml');

    // Assert
    expect(text).not.toContain('enterMargin');
    expect(scenario.alerting).toEqual(DEFAULT_ALERTING);
  });
});

describe('parseScenario problems', () => {
  it('names the field, the line of the sd key, the file and a positive number for a negative sd', () => {
    // Arrange
    const text = edit(SEED, 'risk: { slope: -0.05, sd: 0.06 }', 'risk: { slope: -0.05, sd: -1 }');

    // Act
    const problems = problemsOf(text, 'scenarios/kupyansk.yaml');

    // Assert
    expect(problems).toHaveLength(1);
    const [problem] = problems;
    expect(problem?.field).toBe('indicators[0].evidence.expect.risk.sd');
    expect(problem?.line).toBe(lineOf(text, 'sd: -1'));
    expect(problem?.file).toBe('scenarios/kupyansk.yaml');
    expect(problem?.expected).toMatch(/positive|>\s*0/);
  });

  it('finds the line of an sd written as a block mapping', () => {
    // Arrange
    const text = edit(
      SEED,
      '        risk: { slope: -0.05, sd: 0.06 }',
      '        risk:\n          slope: -0.05\n          sd: -2',
    );

    // Act
    const [problem] = problemsOf(text);

    // Assert
    expect(problem?.field).toBe('indicators[0].evidence.expect.risk.sd');
    expect(problem?.line).toBe(lineOf(text, 'sd: -2'));
  });

  it.each([
    {
      name: 'a missing expectation for a path',
      from: '        risk: { slope: -0.05, sd: 0.06 } # fires falling ~5 % a month\n',
      to: '',
      field: 'indicators[0].evidence.expect.risk',
      expected: /an entry for path risk/,
      line: 'expect:',
      nth: 1,
    },
    {
      name: 'an expectation for a path the scenario does not have',
      from: '        risk: { slope: -0.05, sd: 0.06 }',
      to: '        stalemate: { slope: 0, sd: 1 }\n        risk: { slope: -0.05, sd: 0.06 }',
      field: 'indicators[0].evidence.expect.stalemate',
      expected: /one of the scenario's paths \(baseline, risk\)/,
      line: 'stalemate:',
      nth: 1,
    },
    {
      name: 'a band likelihood without a path',
      from: '{ below: 1000, likelihood: { baseline: 0.35, risk: 0.35 } }',
      to: '{ below: 1000, likelihood: { baseline: 0.35 } }',
      field: 'indicators[1].evidence.bands[1].likelihood.risk',
      expected: /an entry for path risk/,
      line: 'likelihood: { baseline: 0.35 }',
      nth: 1,
    },
    {
      name: 'an event likelihood for a path the scenario does not have',
      from: 'missed: { baseline: 0.1, risk: 0.4 }',
      to: 'missed: { baseline: 0.1, risk: 0.4, stalemate: 0.5 }',
      field: 'indicators[2].evidence.likelihood.missed.stalemate',
      expected: /one of the scenario's paths \(baseline, risk\)/,
      line: 'stalemate: 0.5',
      nth: 1,
    },
    {
      name: 'an indicator group that is not declared',
      from: '  - { id: loss-reports, cap: 20 }',
      to: '  - { id: other-reports, cap: 20 }',
      field: 'indicators[0].group',
      expected: /a group declared under groups \(other-reports\)/,
      line: 'group: loss-reports',
      nth: 1,
    },
    {
      name: 'an exit margin above the enter margin',
      from: 'exitMargin: 0.1',
      to: 'exitMargin: 0.3',
      field: 'alerting.exitMargin',
      expected: /an exit margin no larger than the enter margin/,
      line: 'exitMargin: 0.3',
      nth: 1,
    },
    {
      name: 'priors that do not sum to 1',
      from: 'prior: 0.4',
      to: 'prior: 0.5',
      field: 'paths',
      expected: /priors summing to 1 \(they sum to 1\.1\)/,
      line: 'paths:',
      nth: 1,
    },
    {
      name: 'an unknown field',
      from: '    unit: USD bn announced per month',
      to: '    colour: red\n    unit: USD bn announced per month',
      field: 'indicators[2].colour',
      expected: /no unknown field \(colour\)/,
      line: 'colour: red',
      nth: 1,
    },
    {
      name: 'an unknown top-level field',
      from: 'alerting:\n',
      to: 'owner: ops\nalerting:\n',
      field: 'owner',
      expected: /no unknown field \(owner\)/,
      line: 'owner: ops',
      nth: 1,
    },
    {
      name: 'a bad duration in staleAfter',
      from: 'staleAfter: P3M',
      to: 'staleAfter: 3 months',
      field: 'indicators[2].staleAfter',
      expected: /ISO 8601 calendar duration/,
      line: 'staleAfter: 3 months',
      nth: 1,
    },
    {
      name: 'an unknown source kind',
      from: 'kind: json',
      to: 'kind: xml',
      field: 'indicators[1].source.kind',
      expected: /a source kind: csv, json, feed, geojson, file or manual/,
      line: 'kind: xml',
      nth: 1,
    },
    {
      name: 'an unknown cadence',
      from: '    cadence: P1M\n    staleAfter: P3M',
      to: '    cadence: P2M\n    staleAfter: P3M',
      field: 'indicators[2].cadence',
      expected: /one of P1D, P1W, P1M, P3M, P1Y/,
      line: 'cadence: P2M',
      nth: 1,
    },
    {
      name: 'a source with both path and url',
      from: '      path: data/kupyansk/armoured-vehicles.json\n',
      to: '      path: data/kupyansk/armoured-vehicles.json\n      url: https://example.org/a.json\n',
      field: 'indicators[1].source',
      expected: /exactly one of path or url/,
      line: '    source:',
      nth: 2,
    },
    {
      name: 'an id with capital letters',
      from: 'id: kupyansk\n',
      to: 'id: Kupyansk\n',
      field: 'id',
      expected: /lower-case id/,
      line: 'id: Kupyansk',
      nth: 1,
    },
    {
      name: 'an m larger than n',
      from: 'confirm: { m: 2, n: 3 }',
      to: 'confirm: { m: 4, n: 3 }',
      field: 'alerting.confirm',
      expected: /m no larger than n/,
      line: 'confirm:',
      nth: 1,
    },
    {
      name: 'a source URL carrying credentials',
      from: '      path: data/kupyansk/armoured-vehicles.json',
      to: '      url: https://user:secret@example.org/armour.json',
      field: 'indicators[1].source.url',
      expected: /without a user name or password/,
      line: 'url: https://user',
      nth: 1,
    },
    {
      name: 'a source path that leaves the scenarios folder',
      from: '      path: data/kupyansk/armoured-vehicles.json',
      to: '      path: ../secrets/armour.json',
      field: 'indicators[1].source.path',
      expected: /a path inside the scenarios folder/,
      line: 'path: ../secrets',
      nth: 1,
    },
    {
      name: 'a duplicate path id',
      from: '  - id: risk\n',
      to: '  - id: baseline\n',
      field: 'paths[1].id',
      expected: /a path id not used before/,
      line: '  - id: baseline',
      nth: 2,
    },
  ])('reports $name with its field, line and expectation', ({ from, to, field, expected, line, nth }) => {
    // Arrange
    const text = edit(SEED, from, to);
    const lines = text.split('\n');
    const expectedLine = lines.map((l, i) => (l.includes(line) ? i + 1 : 0)).filter((i) => i > 0)[nth - 1];

    // Act
    const problems = problemsOf(text);

    // Assert
    const problem = problems.find((p) => p.field === field);
    expect(problem, JSON.stringify(problems)).toBeDefined();
    expect(problem?.expected).toMatch(expected);
    expect(problem?.line).toBe(expectedLine);
    expect(problem?.file).toBe('scenarios/broken.yaml');
  });

  it('reports every field problem of a document at once', () => {
    // Arrange
    const text = edit(edit(SEED, 'prior: 0.4', 'prior: 1.4'), 'kind: json', 'kind: xml');

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems.map((p) => p.field).sort()).toEqual(['indicators[1].source.kind', 'paths[1].prior']);
  });

  it('reports a cross-field problem (priors not summing to 1) alongside a field problem', () => {
    // Arrange
    const text = edit(edit(SEED, 'prior: 0.4', 'prior: 0.5'), 'kind: json', 'kind: xml');

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems.map((p) => p.field).sort()).toEqual(['indicators[1].source.kind', 'paths']);
  });

  it.each([
    {
      name: 'an unclosed flow sequence',
      from: 'title: Kupyansk front-line momentum',
      to: 'title: [unclosed',
      at: 'title: [unclosed',
    },
    {
      name: 'a tab used for indentation',
      from: 'id: kupyansk\n',
      to: 'id: kupyansk\n\tbad: tab\n',
      at: '\tbad: tab',
    },
    {
      name: 'a duplicate key',
      from: 'alerting:\n',
      to: 'alerting:\n  enterMargin: 0.3\n',
      at: 'enterMargin: 0.2',
    },
  ])('reports a YAML syntax error ($name) with its line', ({ from, to, at }) => {
    // Arrange
    const text = edit(SEED, from, to);

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]?.expected).toMatch(/^valid YAML \(.+\)$/);
    expect(problems[0]?.file).toBe('scenarios/broken.yaml');
    expect(problems[0]?.line).not.toBeNull();
    expect(Math.abs((problems[0]?.line ?? 0) - lineOf(text, at))).toBeLessThanOrEqual(1);
  });

  it('formats the error message as file:line: field: expected ...', () => {
    // Arrange
    const text = edit(SEED, 'risk: { slope: -0.05, sd: 0.06 }', 'risk: { slope: -0.05, sd: -1 }');
    const line = lineOf(text, 'sd: -1');

    // Act
    const parse = () => parseScenario(text, 'scenarios/kupyansk.yaml');

    // Assert
    expect(parse).toThrow(ScenarioError);
    expect(parse).toThrow(
      new RegExp(
        `^scenarios/kupyansk\\.yaml:${line}: indicators\\[0\\]\\.evidence\\.expect\\.risk\\.sd: expected .*(positive|>\\s*0)`,
      ),
    );
  });

  it('rejects a document that is not a mapping', () => {
    // Act
    const problems = problemsOf('- just\n- a list\n');

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]?.field).toBe('');
    expect(problems[0]?.line).toBe(1);
  });
});

describe('unknown and missing fields', () => {
  it('reports each unknown key at its own line with the key in the field path', () => {
    // Arrange: two stray keys in the first indicator, several lines below where it starts
    const text = edit(
      SEED,
      '    staleAfter: P6M #',
      '    colour: red\n    shade: dark\n    staleAfter: P6M #',
    );

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems.map((p) => [p.field, p.line, formatProblem(p)])).toEqual([
      [
        'indicators[0].colour',
        lineOf(text, 'colour: red'),
        `scenarios/broken.yaml:${lineOf(text, 'colour: red')}: indicators[0].colour: unknown field \`colour\``,
      ],
      [
        'indicators[0].shade',
        lineOf(text, 'shade: dark'),
        `scenarios/broken.yaml:${lineOf(text, 'shade: dark')}: indicators[0].shade: unknown field \`shade\``,
      ],
    ]);
  });

  const CADENCE = '    cadence: P1M\n    staleAfter: P6M # the shipped';

  // One edit of the seed each, and the one problem the loader reports for it.
  const oneProblem = [
    {
      name: 'suggests the optional top-level field a misspelt key is close to, at the key line',
      from: 'description: >-\n  Whether',
      to: 'descripton: >-\n  Whether',
      at: 'descripton:',
      field: 'descripton',
      message: 'unknown field `descripton`; did you mean `description`?',
    },
    {
      name: 'folds a misspelt required key and the missing field it stands for into one problem',
      from: CADENCE,
      to: CADENCE.replace('cadence', 'cadance'),
      at: 'cadance: P1M',
      field: 'indicators[0].cadance',
      message: 'unknown field `cadance`; did you mean `cadence`?',
    },
    {
      // `tme` is one edit from `time`, which csv sources know
      name: 'suggests only a field of the same source kind, for a misspelt key inside a source',
      from: '      time: month\n      value: systems_destroyed',
      to: '      tme: month\n      value: systems_destroyed',
      at: 'tme: month',
      field: 'indicators[0].source.tme',
      message: 'unknown field `tme`; did you mean `time`?',
    },
    {
      // `periods` is set, so `perods` is a stray key rather than its misspelling
      name: 'suggests nothing when the close field is already present',
      from: '      model: trend\n',
      to: '      model: trend\n      perods: 3\n',
      at: 'perods: 3',
      field: 'indicators[0].evidence.perods',
      message: 'unknown field `perods`',
    },
    {
      name: 'says a required field is missing, naming what it expects, rather than "received undefined"',
      from: CADENCE,
      to: '    staleAfter: P6M # the shipped',
      at: '- id: ua-fires',
      field: 'indicators[0].cadence',
      message: 'missing (expected one of P1D, P1W, P1M, P3M, P1Y)',
    },
    {
      name: 'says a missing string field is missing, without zod\'s "received undefined"',
      from: '    unit: systems destroyed per month\n',
      to: '',
      at: '- id: ua-fires',
      field: 'indicators[0].unit',
      message: 'missing (expected string)',
    },
  ];

  for (const { name, from, to, at, field, message } of oneProblem) {
    it(name, () => {
      // Arrange
      const text = edit(SEED, from, to);

      // Act
      const problems = problemsOf(text);

      // Assert: one problem, at the line of `at`
      expect(problems.map(formatProblem)).toEqual([
        `scenarios/broken.yaml:${lineOf(text, at)}: ${field}: ${message}`,
      ]);
    });
  }
});

describe('YAML syntax errors', () => {
  it.each([
    { name: 'a key indented two spaces too far', key: 'title: Ukraine holds the initiative', spaces: 6 },
    { name: 'a key indented one space too little', key: 'unit: systems destroyed per month', spaces: 3 },
  ])('reports only the first error for $name, at that line, with an indentation hint', ({ key, spaces }) => {
    // Arrange: the key moved from its indentation of 4 spaces
    const at = `${' '.repeat(spaces)}${key}`;
    const text = edit(SEED, `    ${key}`, at);

    // Act
    const problems = problemsOf(text);

    // Assert
    expect(problems).toHaveLength(1);
    expect(problems[0]?.line).toBe(lineOf(text, at));
    expect(formatProblem(problems[0] as ScenarioProblem)).toBe(
      `scenarios/broken.yaml:${lineOf(text, at)}: (document): not valid YAML: this line does not fit the lines around it; check the indentation of this line or the one above`,
    );
  });

  it('names a tab and a duplicate key in plain words', () => {
    // Arrange
    const tab = edit(SEED, 'id: kupyansk\n', 'id: kupyansk\n\tbad: tab\n');
    const duplicate = edit(SEED, 'alerting:\n', 'alerting:\n  enterMargin: 0.3\n');

    // Act
    const [tabProblem] = problemsOf(tab);
    const [duplicateProblem] = problemsOf(duplicate);

    // Assert
    expect(tabProblem?.message).toBe('not valid YAML: a tab used for indentation; indent with spaces');
    expect(duplicateProblem?.message).toBe('not valid YAML: a key written twice in the same mapping');
    expect(duplicateProblem?.line).toBe(lineOf(duplicate, 'enterMargin: 0.2'));
  });
});

describe('formatProblem', () => {
  it.each([
    {
      problem: { file: 'a.yaml', line: 12, field: 'paths[0].prior', expected: 'number to be <1' },
      text: 'a.yaml:12: paths[0].prior: expected number to be <1',
    },
    {
      problem: { file: 'a.yaml', line: null, field: 'id', expected: 'an id not already used by b.yaml' },
      text: 'a.yaml: id: expected an id not already used by b.yaml',
    },
    {
      problem: {
        file: 'a.yaml',
        line: 4,
        field: 'x.y',
        expected: 'no unknown field (y)',
        message: 'unknown field `y`',
      },
      text: 'a.yaml:4: x.y: unknown field `y`',
    },
    {
      problem: { file: 'a.yaml', line: 3, field: '', expected: 'valid YAML (bad)' },
      text: 'a.yaml:3: (document): expected valid YAML (bad)',
    },
  ])('writes $text', ({ problem, text }) => {
    // Act
    const formatted = formatProblem(problem);

    // Assert
    expect(formatted).toBe(text);
  });

  it('joins every problem into the error message, one per line', () => {
    // Arrange
    const problems: ScenarioProblem[] = [
      { file: 'a.yaml', line: 1, field: 'id', expected: 'x' },
      { file: 'b.yaml', line: null, field: 'paths', expected: 'y' },
    ];

    // Act
    const error = new ScenarioError(problems);

    // Assert
    expect(error.message).toBe('a.yaml:1: id: expected x\nb.yaml: paths: expected y');
    expect(error.name).toBe('ScenarioError');
    expect(error.problems).toBe(problems);
  });
});

describe('loadScenarios', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signpost-scenarios-'));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function loadProblems(): Promise<ScenarioProblem[]> {
    const error = await loadScenarios(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }

  // The seed with another id and every indicator id prefixed (indicator ids are unique across files).
  const indicatorIds = parseScenario(SEED, 'kupyansk.yaml').indicators.map((i) => i.id);
  const renamed = (id: string, indicatorPrefix: string) =>
    indicatorIds.reduce(
      (text, indicator) => text.replace(`id: ${indicator}\n`, `id: ${indicatorPrefix}${indicator}\n`),
      edit(SEED, 'id: kupyansk\n', `id: ${id}\n`),
    );

  it('loads every yaml and yml file in the folder, sorted by name, and ignores other files', async () => {
    // Arrange
    await writeFile(join(dir, 'b.yml'), renamed('second', 'b-'));
    await writeFile(join(dir, 'a.yaml'), renamed('first', 'a-'));
    await writeFile(join(dir, 'notes.txt'), 'not a scenario');

    // Act
    const loaded = await loadScenarios(dir);

    // Assert
    expect(loaded.map((l) => [basename(l.file), l.scenario.id, l.dir])).toEqual([
      ['a.yaml', 'first', dir],
      ['b.yml', 'second', dir],
    ]);
  });

  it('rejects a scenario id used by two files, naming the first', async () => {
    // Arrange
    await writeFile(join(dir, 'a.yaml'), renamed('same', 'a-'));
    await writeFile(join(dir, 'b.yaml'), renamed('same', 'b-'));

    // Act
    const problems = await loadProblems();

    // Assert
    expect(problems).toEqual([
      { file: join(dir, 'b.yaml'), line: null, field: 'id', expected: 'an id not already used by a.yaml' },
    ]);
  });

  it('rejects an indicator id used by two files with different sources, naming the first', async () => {
    // Arrange
    await writeFile(join(dir, 'a.yaml'), renamed('first', ''));
    await writeFile(
      join(dir, 'b.yaml'),
      renamed('second', 'b-')
        .replace('id: b-ru-mechanized', 'id: ru-mechanized')
        .replace('path: data/kupyansk/armoured-vehicles.json', 'path: data/kupyansk/other.json'),
    );

    // Act
    const problems = await loadProblems();

    // Assert
    expect(problems).toEqual([
      {
        file: join(dir, 'b.yaml'),
        line: null,
        field: 'indicators[1].id',
        expected:
          'an indicator id not already used by a.yaml with another source or cadence (a shared indicator is one series: the same source and cadence in every scenario)',
      },
    ]);
  });

  it('lets two files share an indicator with the same source and cadence', async () => {
    // Arrange: the second scenario reads ru-mechanized exactly as the first does.
    await writeFile(join(dir, 'a.yaml'), renamed('first', ''));
    await writeFile(
      join(dir, 'b.yaml'),
      renamed('second', 'b-').replace('id: b-ru-mechanized', 'id: ru-mechanized'),
    );

    // Act
    const loaded = await loadScenarios(dir);

    // Assert
    const registry = new ScenarioRegistry(loaded);
    expect(registry.scenariosUsing(['ru-mechanized']).map((s) => s.id)).toEqual(['first', 'second']);
  });

  it('collects the problems of every file before throwing', async () => {
    // Arrange
    await writeFile(join(dir, 'a.yaml'), edit(renamed('first', 'a-'), 'prior: 0.4', 'prior: 0.5'));
    await writeFile(join(dir, 'b.yaml'), edit(renamed('second', 'b-'), 'kind: json', 'kind: xml'));
    await writeFile(join(dir, 'c.yaml'), renamed('third', 'c-'));

    // Act
    const problems = await loadProblems();

    // Assert
    expect(problems.map((p) => [basename(p.file), p.field])).toEqual([
      ['a.yaml', 'paths'],
      ['b.yaml', 'indicators[1].source.kind'],
    ]);
  });

  it('loads nothing from an empty folder', async () => {
    // Act
    const loaded = await loadScenarios(dir);

    // Assert
    expect(loaded).toEqual([]);
  });

  it('rejects a folder that does not exist', async () => {
    // Act
    const load = loadScenarios(join(dir, 'missing'));

    // Assert
    await expect(load).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
