// Parsing and checking the values of command-line options, and loading the scenarios they name.
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { type LoadedScenario, loadScenarios, ScenarioError } from '../shared/config/load-scenarios.ts';
import { dayStart } from '../shared/domain/period.ts';
import { CliError, EXIT, UsageError } from './output.ts';

/** Options every command that works on scenarios takes. */
export interface ScenarioOptions {
  scenarios: string;
  json?: boolean;
}

/** A date (`2022-03-01`, `2022-03`) or an ISO 8601 instant, as a Date; commander reports a bad one. */
export function parseDate(value: string): Date {
  const text = /^\d{4}-\d{2}$/.test(value) ? `${value}-01` : value;
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? dayStart(text) : new Date(text);
  if (!/^\d{4}-\d{2}/.test(text) || Number.isNaN(date.getTime()))
    throw new InvalidArgumentError('expected a date such as 2022-03-01 (or 2022-03, or an ISO 8601 instant)');
  return date;
}

/** Workers per work queue in local mode unless told otherwise: more than one, so it runs in parallel too. */
export const LOCAL_WORKERS = 4;

/** A count of workers per queue: 1 to 64. */
export function parseWorkers(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new InvalidArgumentError('expected a whole number of workers from 1 to 64');
  return n;
}

export function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new InvalidArgumentError('expected a port number from 0 to 65535 (0: any free port)');
  return port;
}

/** `--outcome 2023-08-01=risk`: from that date on, the path that turned out true. */
export function parseOutcome(value: string, previous: { from: string; path: string }[] = []) {
  const match = /^(\d{4}-\d{2}-\d{2})=([a-z0-9-]+)$/.exec(value);
  if (!match) throw new InvalidArgumentError('expected DATE=PATH, e.g. 2023-08-01=risk');
  return [...previous, { from: match[1] as string, path: match[2] as string }];
}

/** Loads the scenarios folder; an invalid file ends the command with exit code 3 and every problem. */
export async function loadScenarioFolder(dir: string): Promise<LoadedScenario[]> {
  try {
    return await loadScenarios(resolve(dir));
  } catch (error) {
    if (error instanceof ScenarioError) throw new CliError(error.message, EXIT.invalid);
    if ((error as NodeJS.ErrnoException).code === 'ENOENT')
      throw new UsageError(`scenarios folder ${dir} not found (use --scenarios DIR)`);
    throw error;
  }
}

/** The loaded scenario with this id, or a usage error listing the known ones. */
export async function findScenario(dir: string, id: string): Promise<LoadedScenario> {
  const loaded = await loadScenarioFolder(dir);
  const found = loaded.find((l) => l.scenario.id === id);
  if (!found) {
    const known = loaded.map((l) => l.scenario.id).join(', ') || 'none';
    throw new UsageError(`unknown scenario ${id} in ${dir} (known: ${known})`);
  }
  return found;
}
