// `signpost assess`: one evaluation of a scenario with the data there is now (stored, or the scenario's
// sources read afresh), on an isolated table, explained indicator by indicator.
import { evaluate } from '../../shared/app/evaluate.ts';
import { type HistoryOptions, openCommandWorkspace } from '../command-workspace.ts';
import { findScenario } from '../options.ts';
import { type ExitCode, type Output, percent } from '../output.ts';
import { exitAfterIngest, failedIngests } from './replay.ts';

export interface AssessOptions extends HistoryOptions {
  asOf?: Date;
}

export async function assessCommand(options: AssessOptions, out: Output): Promise<ExitCode> {
  const loaded = await findScenario(options.scenarios, options.scenario);
  const { scenario } = loaded;
  const workspace = await openCommandWorkspace(loaded, options, out, {
    command: 'assess',
    note: `Reading the data of ${scenario.id} into an isolated table…`,
    progress: 'data',
  });
  const asOf = options.asOf ?? new Date();
  let assessment: Awaited<ReturnType<typeof evaluate>>['assessment'];
  try {
    ({ assessment } = await evaluate(workspace.table, scenario, asOf, new Date()));
  } finally {
    await workspace.close();
  }

  out.result({ history: workspace.history, ingest: workspace.ingest, assessment });
  out.line(`${out.style('bold', `${scenario.id}: ${scenario.title}`)} — as of ${assessment.asOf}`);
  out.line(
    `History: ${workspace.history === 'stored' ? 'stored observations' : 'example data (scenario sources)'}`,
  );
  for (const failed of failedIngests(workspace.ingest))
    out.line(out.style('red', `  ingest failed for ${failed}`));
  out.line();
  const paths = scenario.paths.map((p) => p.id);
  out.line(
    out.table(
      ['path', 'probability', 'title'],
      scenario.paths.map((p) => [
        p.id === assessment.leader ? out.style('bold', p.id) : p.id,
        percent(assessment.probabilities[p.id]),
        p.title,
      ]),
      ['left', 'right', 'left'],
    ),
  );
  out.line(
    `Leader ${assessment.leader} by ${percent(assessment.margin)}; uncertainty ${assessment.entropy.toFixed(2)} bits`,
  );
  out.line();
  out.line(
    out.table(
      ['indicator', 'status', 'model', 'value', 'period', 'weight', ...paths.map((p) => `${p} dB`)],
      assessment.contributions.map((c) => [
        c.indicatorId,
        c.status === 'used' ? c.status : out.style('yellow', c.status),
        c.model,
        c.value === undefined ? '' : String(Math.round(c.value * 1000) / 1000),
        c.period ?? '',
        c.weight.toFixed(2),
        ...paths.map((p) => (c.decibans[p] === undefined ? '' : c.decibans[p].toFixed(1))),
      ]),
      ['left', 'left', 'left', 'right', 'left', 'right', ...paths.map(() => 'right' as const)],
    ),
  );
  if (assessment.stale.length > 0) out.line(`Stale (no current data): ${assessment.stale.join(', ')}`);
  return exitAfterIngest(workspace.ingest);
}
