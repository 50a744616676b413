// Reads scenarios/*.yaml, validates each against the schema, and reports every problem by file, line and field.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseDocument } from 'yaml';
import type * as z from 'zod';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';

export interface ScenarioProblem {
  file: string;
  line: number | null;
  /** The field path, e.g. `indicators[1].evidence.expect.risk.sd`. */
  field: string;
  expected: string;
}

export class ScenarioError extends Error {
  readonly problems: ScenarioProblem[];
  constructor(problems: ScenarioProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

export function formatProblem(p: ScenarioProblem): string {
  const where = p.line === null ? p.file : `${p.file}:${p.line}`;
  return `${where}: ${p.field || '(document)'}: expected ${p.expected}`;
}

export interface LoadedScenario {
  scenario: Scenario;
  file: string;
  /** The folder the scenario's relative source paths are resolved from. */
  dir: string;
}

/** Parses and validates one scenario document; throws ScenarioError naming every problem. */
export function parseScenario(text: string, file: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ScenarioError(
      doc.errors.map((e) => ({
        file,
        line: lines.linePos(e.pos[0]).line,
        field: '',
        expected: `valid YAML (${e.message.split('\n')[0]})`,
      })),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS();
  } catch (error) {
    // The parser accepts an alias to an anchor never set (`*x`); only building the value fails.
    throw new ScenarioError([
      { file, line: null, field: '', expected: `valid YAML (${(error as Error).message})` },
    ]);
  }
  const result = scenarioSchema.safeParse(data);
  if (result.success) return result.data;
  throw new ScenarioError(
    result.error.issues.map((issue) => ({
      file,
      line: lineOf(doc, lines, issue.path),
      field: fieldPath(issue.path),
      expected: describeExpectation(issue),
    })),
  );
}

/** Loads every `*.yaml`/`*.yml` file directly in `dir`; ids must be unique across files. */
export async function loadScenarios(dir: string): Promise<LoadedScenario[]> {
  const names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  const loaded: LoadedScenario[] = [];
  const problems: ScenarioProblem[] = [];
  for (const name of names) {
    const file = join(dir, name);
    try {
      const scenario = parseScenario(await readFile(file, 'utf8'), file);
      const clash = loaded.find((l) => l.scenario.id === scenario.id);
      if (clash) {
        problems.push({
          file,
          line: null,
          field: 'id',
          expected: `an id not already used by ${basename(clash.file)}`,
        });
      }
      // Observations are stored per indicator id, so an id names one series across all scenarios.
      scenario.indicators.forEach((indicator, i) => {
        const owner = loaded.find((l) => l.scenario.indicators.some((other) => other.id === indicator.id));
        if (owner) {
          problems.push({
            file,
            line: null,
            field: `indicators[${i}].id`,
            expected: `an indicator id not already used by ${basename(owner.file)}`,
          });
        }
      });
      loaded.push({ scenario, file, dir });
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      problems.push(...error.problems);
    }
  }
  if (problems.length > 0) throw new ScenarioError(problems);
  return loaded;
}

function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`))
    .join('');
}

function describeExpectation(issue: z.core.$ZodIssue): string {
  // zod's default texts start with "Invalid input: expected ..."; keep only what was expected.
  const message = issue.message
    .replace(/^Invalid (input|option): expected /, '')
    .replace(/^Invalid input: /, '');
  if (issue.code === 'unrecognized_keys') return `no unknown field (${issue.keys.join(', ')})`;
  if (issue.code === 'too_small' || issue.code === 'too_big')
    return message.replace(/^Too (small|big): expected /, '');
  return message;
}

/** The 1-based line of the deepest node on `path` that exists in the document. */
function lineOf(
  doc: ReturnType<typeof parseDocument>,
  lines: LineCounter,
  path: readonly PropertyKey[],
): number | null {
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: [number] } | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (p.key as { value?: unknown } | null)?.value === key);
      if (!pair) break;
      offset = (pair.key as { range?: [number] }).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as { range?: [number] } | undefined)?.range?.[0] ?? offset;
    } else break;
  }
  return offset === undefined ? null : lines.linePos(offset).line;
}
