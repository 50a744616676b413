// Derives the seed's territorial series and its recorded outcomes from DeepState map snapshots:
// held-area.csv (km² held by Russian forces within 30 km of Kupyansk, per month) and the `outcomes:`
// block of scenarios/kupyansk.yaml (between its BEGIN/END marker comments), by the rule below.
// Run from the repository root:
//   npx node scenarios/data/kupyansk/derive-territory.ts ../shared/data/deepstate-kupyansk
// Options: --csv FILE and --scenario FILE write elsewhere (tests); the defaults are the shipped files.
//
// Each snapshot is read through the project's own geojson reader with the area of interest, as an
// operator's live source would be. The output depends only on the snapshots: re-running on the same
// folder rewrites the same bytes.
import { readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseScenario } from '../../../shared/config/load-scenarios.ts';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import { source } from '../../../shared/config/source-schema.ts';
import { addDuration, dayOf, dayStart, monthOf, shiftPeriod } from '../../../shared/domain/period.ts';
import { readIndicator } from '../../../shared/sources/read-indicator.ts';

/** The area of interest: 30 km around Kupyansk (49.7106 N, 37.6156 E). */
export const AREA = { centre: { lon: 37.6156, lat: 49.7106 }, radiusKm: 30 } as const;

/**
 * The outcome rule. The month starting D is `risk` when the held area grows by more than THRESHOLD_KM2
 * from the state at D to the state HORIZON_MONTHS later, else `baseline`; it is known on the date of
 * the later snapshot. 1 % of the circle (π·30² ≈ 2827 km²): a share of the area, so the rule means the
 * same for another radius, and about twice what redrawing a front line of some 60 km inside the circle
 * by a couple of hundred metres moves, so map revisions alone do not make a month `risk`.
 */
export const THRESHOLD_KM2 = Number((0.01 * Math.PI * AREA.radiusKm ** 2).toFixed(2));
export const HORIZON_MONTHS = 3;

/**
 * A snapshot stands for the state at the start of its month (the end of the month before) when it was
 * taken within this many days of it; a later first snapshot leaves that state unknown (a gap).
 */
export const MAX_DAYS_LATE = 7;

const FILE = /^deepstatemap_data_(\d{4})(\d{2})(\d{2})\.geojson$/;
export const BEGIN = '# BEGIN outcomes';
export const END = '# END outcomes';

/** The held area at the start of a month (`state`, YYYY-MM-01), from the snapshot of `date`. */
export interface HeldState {
  state: string;
  date: string;
  file: string;
  km2: number;
}

export interface Outcome {
  from: string;
  path: 'risk' | 'baseline' | null;
  known?: string;
  /** Why, for the reader of the scenario file: the figures, or what is missing. */
  note: string;
}

/** The first snapshot of each month, within MAX_DAYS_LATE of its start; notes say what was passed over. */
export async function snapshotsIn(
  folder: string,
): Promise<{ used: Omit<HeldState, 'km2'>[]; notes: string[] }> {
  const firsts = new Map<string, Omit<HeldState, 'km2'>>();
  for (const file of (await readdir(folder)).sort()) {
    const match = FILE.exec(file);
    if (!match) continue;
    const date = `${match[1]}-${match[2]}-${match[3]}`;
    if (Number.isNaN(dayStart(date).getTime()) || dayOf(dayStart(date)) !== date)
      throw new Error(`${join(folder, file)}: the name's date ${date} is not a real date`);
    const state = `${monthOf(date)}-01`;
    if (!firsts.has(state)) firsts.set(state, { state, date, file });
  }
  const used: Omit<HeldState, 'km2'>[] = [];
  const notes: string[] = [];
  for (const snapshot of firsts.values()) {
    const late = (dayStart(snapshot.date).getTime() - dayStart(snapshot.state).getTime()) / 86_400_000;
    if (late <= MAX_DAYS_LATE) used.push(snapshot);
    else
      notes.push(
        `${snapshot.file}: ${late} days into its month (over ${MAX_DAYS_LATE}): ${snapshot.state} unknown`,
      );
  }
  if (used.length === 0) throw new Error(`${folder}: no deepstatemap_data_YYYYMMDD.geojson snapshot to read`);
  return { used, notes };
}

/** Each snapshot's km² inside the area, read as the live source `within:` the same area would be. */
export async function heldStates(folder: string, snapshots: Omit<HeldState, 'km2'>[]): Promise<HeldState[]> {
  const states: HeldState[] = [];
  for (const snapshot of snapshots) {
    const indicator = {
      id: 'ru-held-area',
      cadence: 'P1M',
      source: source.parse({ kind: 'file', format: 'geojson', path: snapshot.file, within: AREA }),
    } as Indicator;
    const read = await readIndicator(indicator, folder, { now: dayStart(snapshot.date) });
    const [problem] = read.rejected;
    if (problem) throw new Error(`${join(folder, snapshot.file)}: ${problem.at}: ${problem.reason}`);
    // A snapshot without features holds nothing.
    states.push({ ...snapshot, km2: read.observations[0]?.value ?? 0 });
  }
  return states;
}

/**
 * One outcome per month from the first state on: judged when both its state and the state
 * HORIZON_MONTHS later are known, `null` (not known) when either is missing, and one final `null`
 * from the first month whose horizon lies beyond the last snapshot, so later months are not taken as
 * known.
 */
export function outcomesOf(states: readonly HeldState[]): Outcome[] {
  const byState = new Map(states.map((s) => [s.state, s]));
  const first = states[0]?.state;
  const last = states.at(-1)?.state;
  if (first === undefined || last === undefined) return [];
  const outcomes: Outcome[] = [];
  for (let from = first; ; from = shiftPeriod(from, 'P1M', 1)) {
    const later = shiftPeriod(from, 'P1M', HORIZON_MONTHS);
    if (later > last) {
      outcomes.push({ from, path: null, note: `not known until a snapshot of ${later}` });
      return outcomes;
    }
    const start = byState.get(from);
    const end = byState.get(later);
    if (!start || !end) {
      const missing = [start ? undefined : from, end ? undefined : later].filter(Boolean).join(' and ');
      outcomes.push({ from, path: null, note: `no snapshot for ${missing}` });
      continue;
    }
    const change = end.km2 - start.km2;
    outcomes.push({
      from,
      path: change > THRESHOLD_KM2 ? 'risk' : 'baseline',
      known: end.date,
      note: `${start.km2.toFixed(1)} → ${end.km2.toFixed(1)} km² (${signed(change)})`,
    });
  }
}

/**
 * The CSV the seed indicator reads: a row per known state, dated by the month whose end it marks (the
 * snapshot at the start of March closes February), so a month's `delta` is the change during it.
 */
export function heldAreaCsv(states: readonly HeldState[]): string {
  const rows = states.map(
    (s) => `${monthOf(addDuration(dayStart(s.state), 'P1M', -1))},${s.km2.toFixed(3)},${s.date}`,
  );
  return `month,held_km2,snapshot\n${rows.join('\n')}\n`;
}

/** The `outcomes:` block, between its marker comments. */
export function outcomesBlock(outcomes: readonly Outcome[]): string {
  const entries = outcomes.map((o) => {
    const known = o.known === undefined ? '' : `, known: ${o.known}`;
    return `  - { from: ${o.from}, path: ${o.path ?? 'null'}${known} } # ${o.note}`;
  });
  return [
    `${BEGIN}: written by scenarios/data/kupyansk/derive-territory.ts (rule in scenarios/data/README.md);`,
    '# re-run it instead of editing these lines.',
    'outcomes:',
    ...entries,
    END,
  ].join('\n');
}

/** `text` with the lines from the BEGIN marker to the END marker replaced by `block`; nothing else moves. */
export function withOutcomes(text: string, block: string, file: string): string {
  const lines = text.split('\n');
  const begin = lines.findIndex((l) => l.startsWith(BEGIN));
  const end = lines.findIndex((l) => l.startsWith(END));
  const count = (marker: string) => lines.filter((l) => l.startsWith(marker)).length;
  if (begin < 0 || end < begin || count(BEGIN) > 1 || count(END) > 1)
    throw new Error(
      `${file}: expected one "${BEGIN}" line and, after it, one "${END}" line around the outcomes`,
    );
  return [...lines.slice(0, begin), block, ...lines.slice(end + 1)].join('\n');
}

function signed(km2: number): string {
  return `${km2 >= 0 ? '+' : '−'}${Math.abs(km2).toFixed(1)}`;
}

/** Reads the snapshots, then writes both files only once both are known to be good. */
export async function main(args: readonly string[]): Promise<string> {
  const option = (name: string) => {
    const at = args.indexOf(name);
    return at < 0 ? undefined : args[at + 1];
  };
  const folder = args.find((a, i) => !a.startsWith('--') && !args[i - 1]?.startsWith('--'));
  if (!folder) throw new Error('usage: derive-territory.ts SNAPSHOT_FOLDER [--csv FILE] [--scenario FILE]');
  const csvFile = resolve(option('--csv') ?? join(import.meta.dirname, 'held-area.csv'));
  const scenarioFile = resolve(option('--scenario') ?? join(import.meta.dirname, '../../kupyansk.yaml'));

  const { used, notes } = await snapshotsIn(folder);
  const states = await heldStates(folder, used);
  const outcomes = outcomesOf(states);
  const scenario = withOutcomes(await readFile(scenarioFile, 'utf8'), outcomesBlock(outcomes), scenarioFile);
  parseScenario(scenario, scenarioFile); // throws, naming the problem, before anything is written
  for (const [file, body] of [
    [csvFile, heldAreaCsv(states)],
    [scenarioFile, scenario],
  ] as const) {
    await writeFile(`${file}.tmp`, body);
    await rename(`${file}.tmp`, file);
  }
  const judged = outcomes.filter((o) => o.path !== null);
  return [
    ...notes.map((n) => `note: ${n}`),
    `wrote ${states.length} months of held area (${states[0]?.date} to ${states.at(-1)?.date}) to ${csvFile}`,
    `wrote ${judged.length} outcomes (${judged.filter((o) => o.path === 'risk').length} risk) to ${scenarioFile}`,
  ].join('\n');
}

if (import.meta.main) {
  main(process.argv.slice(2)).then(
    (report) => console.log(report),
    (error: Error) => {
      console.error(`derive-territory: ${error.message}`);
      process.exitCode = 1;
    },
  );
}
