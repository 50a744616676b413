// The isolated table a command works in (replay, backtest, assess, calibrate), opened with the command's
// progress shown and a data folder held by another command turned into a one-line error.
import type { LoadedScenario } from '../shared/config/load-scenarios.ts';
import { DataDir, DataDirInUseError, type LockCommand } from './local/data-dir.ts';
import { openWorkspace, type Workspace } from './local/workspace.ts';
import { CliError, type Output } from './output.ts';

/** The options of a command that reads a scenario's history. */
export interface HistoryOptions {
  scenario: string;
  scenarios: string;
  dataDir: string;
  inMemory?: boolean;
}

export async function openCommandWorkspace(
  { scenario, dir }: LoadedScenario,
  options: HistoryOptions & { keep?: boolean },
  out: Output,
  what: { command: Exclude<LockCommand, 'start'>; note: string; progress: string },
): Promise<Workspace> {
  out.note(what.note);
  const filling = out.progress(what.progress, scenario.indicators.length);
  try {
    return await openWorkspace(scenario, dir, {
      dataDir: new DataDir(options.dataDir),
      command: what.command,
      onStaleLock: (message) => out.note(`signpost: ${message}`),
      inMemory: options.inMemory === true,
      keep: options.keep === true,
      onIndicator: (id) => filling.tick(id),
    });
  } catch (error) {
    throw error instanceof DataDirInUseError ? new CliError(error.message) : error;
  } finally {
    filling.stop();
  }
}
