// `signpost publish`: validates the scenario folder as synth does and publishes the scenarios that
// changed to a deployment's table as new versions (who and when recorded with each), printing what
// changed. The functions read them within a minute (shared/runtime/scenarios.ts).
import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { publishScenarios } from '../../shared/app/publish.ts';
import { table } from '../../shared/runtime/clients.ts';
import { loadScenarioFolder } from '../options.ts';
import { EXIT, type ExitCode, type Output, UsageError } from '../output.ts';

export interface PublishOptions {
  scenarios: string;
  /** The deployment's table (its `TableName` output); TABLE_NAME when not given. */
  table?: string;
  /** A `cdk deploy --outputs-file` file: the table is its stateful stack's `TableName` output. */
  outputs?: string;
  /** Who publishes, for the record; the operating system's user name when not given. */
  by?: string;
  dryRun?: boolean;
  removeMissing?: boolean;
}

/** The `TableName` output of the one stateful stack in a `cdk deploy --outputs-file` file. */
export async function tableFromOutputs(file: string): Promise<string> {
  let outputs: Record<string, Record<string, unknown>>;
  try {
    outputs = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new UsageError(`cannot read the CDK outputs file ${file}: ${(error as Error).message}`);
  }
  const names = Object.entries(outputs ?? {})
    .filter(([stack, values]) => stack.endsWith('-Stateful') && typeof values?.TableName === 'string')
    .map(([stack, values]) => ({ stack, table: values.TableName as string }));
  const [only] = names;
  if (!only || names.length > 1)
    throw new UsageError(
      `expected one stateful stack with a TableName output in ${file}, found ${names.map((n) => n.stack).join(', ') || 'none'}`,
    );
  return only.table;
}

export async function publish(options: PublishOptions, out: Output): Promise<ExitCode> {
  const tableName =
    options.table ?? (options.outputs ? await tableFromOutputs(options.outputs) : process.env.TABLE_NAME);
  if (!tableName)
    throw new UsageError(
      'name the table to publish to: --table NAME or --outputs FILE (cdk deploy --outputs-file)',
    );
  const loaded = await loadScenarioFolder(options.scenarios);
  const by = options.by ?? userInfo().username;
  const report = await publishScenarios(table(tableName), loaded, {
    by,
    at: new Date(),
    removeMissing: options.removeMissing ?? false,
    dryRun: options.dryRun ?? false,
  });
  out.result({ table: tableName, by, dryRun: options.dryRun ?? false, ...report });
  const verb = options.dryRun ? 'would publish' : 'published';
  for (const id of report.added) out.line(`${out.style('green', 'added')}      ${id} (version 1)`);
  for (const c of report.changed)
    out.line(`${out.style('yellow', 'changed')}    ${c.scenarioId} (version ${c.from} → ${c.to})`);
  for (const id of report.refreshed)
    out.line(`${out.style('dim', 'refreshed')}  ${id}: catalog entries rewritten in this version's shape`);
  for (const id of report.removed) out.line(`${out.style('red', 'removed')}    ${id}`);
  for (const id of report.missing)
    out.line(
      `${out.style('dim', 'kept')}       ${id}: published, not in the folder (--remove-missing removes it)`,
    );
  out.line(
    `${verb} ${report.added.length + report.changed.length + report.removed.length} change(s) to ${tableName}; ` +
      `${report.unchanged.length} unchanged`,
  );
  if (report.added.length > 0)
    out.line(
      'a new scenario is evaluated only after a deployment grants the functions its partitions ' +
        '(and creates its alarms): run `npx cdk deploy` with the same folder',
    );
  return EXIT.ok;
}
