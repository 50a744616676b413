// Reads scenarios/*.yaml, validates each against the schema, and reports every problem by file, line and field.
import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { schemaProblems, yamlProblem } from './scenario-problems.ts';
import { type Scenario, scenarioSchema } from './scenario-schema.ts';

export interface ScenarioProblem {
  file: string;
  line: number | null;
  /** The field path, e.g. `indicators[1].evidence.expect.risk.sd`. */
  field: string;
  expected: string;
  /**
   * What is wrong, when "expected …" alone would mislead (a missing or unknown field, a YAML syntax
   * error); printed in place of `expected …`.
   */
  message?: string;
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
  return `${where}: ${p.field || '(document)'}: ${p.message ?? `expected ${p.expected}`}`;
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
  // One YAML mistake (usually indentation) sets off a cascade of parser errors and schema errors on a
  // misread document: only the first parser error is worth reading.
  const [first] = doc.errors;
  if (first) throw new ScenarioError([yamlProblem(first, doc.errors, lines, file)]);
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
  throw new ScenarioError(schemaProblems(result.error.issues, data, doc, lines, file));
}

/** What makes an indicator's series: its source and cadence (schema order, so equal settings compare equal). */
function series(indicator: Scenario['indicators'][number]): string {
  return JSON.stringify({ source: indicator.source, cadence: indicator.cadence });
}

/**
 * Loads every `*.yaml`/`*.yml` file directly in `dir`; scenario ids must be unique across files, and an
 * indicator id used in several files must have the same source and cadence in each.
 */
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
      // Observations are stored per indicator id, so an id names one series across all scenarios:
      // scenarios may share an indicator (fetched once, each judging it with its own evidence model),
      // but only with the same source and cadence.
      scenario.indicators.forEach((indicator, i) => {
        const owner = loaded.find((l) =>
          l.scenario.indicators.some(
            (other) => other.id === indicator.id && series(other) !== series(indicator),
          ),
        );
        if (owner) {
          problems.push({
            file,
            line: null,
            field: `indicators[${i}].id`,
            expected: `an indicator id not already used by ${basename(owner.file)} with another source or cadence (a shared indicator is one series: the same source and cadence in every scenario)`,
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
