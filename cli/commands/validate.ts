// `signpost validate [files…]`: checks scenario files (or every file of the scenarios folder) and lists
// every problem with its file, line and field.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute } from 'node:path';
import {
  formatProblem,
  loadScenarios,
  parseScenario,
  ScenarioError,
  type ScenarioProblem,
} from '../../shared/config/load-scenarios.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import { counted, EXIT, type ExitCode, type Output, UsageError } from '../output.ts';

interface Checked {
  file: string;
  scenario: Scenario;
}

export async function validate(files: string[], scenariosDir: string, out: Output): Promise<ExitCode> {
  const targets = files.length > 0 ? files : [scenariosDir];
  await requireExisting(targets, files.length === 0);
  const valid: Checked[] = [];
  const problems: ScenarioProblem[] = [];
  for (const target of targets) {
    try {
      // A folder is loaded as the functions load it, so ids clashing across its files are caught too.
      if ((await stat(target)).isDirectory()) {
        for (const l of await loadScenarios(target)) valid.push({ file: l.file, scenario: l.scenario });
      } else {
        valid.push({ file: target, scenario: parseScenario(await readFile(target, 'utf8'), target) });
      }
    } catch (error) {
      if (error instanceof ScenarioError) problems.push(...error.problems);
      else throw error;
    }
  }
  // A folder with a bad file reports only the problems; list its good files neither as valid nor at all.
  const bad = new Set(problems.map((p) => p.file));
  const good = valid.filter((v) => !bad.has(v.file));

  out.result({
    valid: problems.length === 0,
    scenarios: good.map(({ file, scenario }) => ({
      file,
      id: scenario.id,
      paths: scenario.paths.length,
      indicators: scenario.indicators.length,
    })),
    problems,
  });
  for (const { file, scenario } of good) {
    out.line(
      `${out.style('green', 'ok')}  ${file}: ${scenario.id} (${counted(scenario.paths.length, 'path')}, ${counted(scenario.indicators.length, 'indicator')})`,
    );
  }
  for (const problem of problems) out.line(`${out.style('red', 'error')}  ${formatProblem(problem)}`);
  if (problems.length > 0) {
    out.line(`${problems.length} problem(s) in ${bad.size} file(s)`);
    return EXIT.invalid;
  }
  return EXIT.ok;
}

/**
 * A path that does not exist is a mistake on the command line, not an invalid scenario: a usage error
 * (exit 2) naming the paths and where relative ones were looked for, before any file is checked.
 */
async function requireExisting(targets: string[], defaultFolder: boolean): Promise<void> {
  const found = await Promise.all(targets.map((t) => stat(t).then(() => true, missing)));
  const absent = targets.filter((_, i) => !found[i]);
  if (absent.length === 0) return;
  const where = absent.every(isAbsolute) ? '' : ` (resolved from the current folder, ${process.cwd()})`;
  throw new UsageError(
    defaultFolder
      ? `scenarios folder ${absent.join(', ')} not found${where}: use --scenarios DIR, or name the files`
      : `${absent.length === 1 ? 'no such file or folder' : 'no such files or folders'}: ${absent.join(', ')}${where}`,
  );
}

function missing(error: NodeJS.ErrnoException): false {
  if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return false;
  throw error;
}
