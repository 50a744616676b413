// The seed's territorial series and outcomes, derived from a small synthetic set of map snapshots by the
// committed script (scenarios/data/kupyansk/derive-territory.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BEGIN,
  END,
  type HeldState,
  heldAreaCsv,
  heldStates,
  main,
  outcomesBlock,
  outcomesOf,
  snapshotsIn,
  THRESHOLD_KM2,
} from '../../../scenarios/data/kupyansk/derive-territory.ts';
import { parseScenario } from '../../../shared/config/load-scenarios.ts';
import { addDuration, dayOf, dayStart } from '../../../shared/domain/period.ts';
import { heldBox, readerKm2, writeSnapshots } from '../../fixtures/deepstate.ts';

const SCRIPT = 'scenarios/data/kupyansk/derive-territory.ts';
const SEED = readFileSync('scenarios/kupyansk.yaml', 'utf8');

/**
 * Snapshots of January to September 2025: February's taken three days in, none in April, a second
 * one in June (not the first of its month), July's only one ten days in.
 */
const WIDTHS = {
  '2025-01-01': 0.1,
  '2025-02-03': 0.2,
  '2025-03-01': 0.15,
  '2025-05-02': 0.16,
  '2025-06-01': 0.1,
  '2025-06-20': 0.5,
  '2025-07-10': 0.3,
  '2025-08-04': 0.3,
  '2025-09-01': 0.11,
};
const km2 = (date: keyof typeof WIDTHS) => readerKm2(heldBox(WIDTHS[date]));

function snapshotFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'signpost-deepstate-'));
  writeSnapshots(folder, WIDTHS);
  writeFileSync(join(folder, 'README.md'), 'not a snapshot');
  return folder;
}

async function derived() {
  const folder = snapshotFolder();
  const { used, notes } = await snapshotsIn(folder);
  return { states: await heldStates(folder, used), notes };
}

describe('the territory derivation', () => {
  it('writes one CSV row per month from its first snapshot, dated by the month the snapshot closes', async () => {
    // Act
    const { states, notes } = await derived();

    // Assert: 20 June is not its month's first; 10 July is more than 7 days in, so July is a gap.
    expect(heldAreaCsv(states).split('\n')).toEqual([
      'month,held_km2,snapshot',
      `2024-12,${km2('2025-01-01').toFixed(3)},2025-01-01`,
      `2025-01,${km2('2025-02-03').toFixed(3)},2025-02-03`,
      `2025-02,${km2('2025-03-01').toFixed(3)},2025-03-01`,
      `2025-04,${km2('2025-05-02').toFixed(3)},2025-05-02`,
      `2025-05,${km2('2025-06-01').toFixed(3)},2025-06-01`,
      `2025-07,${km2('2025-08-04').toFixed(3)},2025-08-04`,
      `2025-08,${km2('2025-09-01').toFixed(3)},2025-09-01`,
      '',
    ]);
    expect(notes).toEqual([
      expect.stringMatching(/deepstatemap_data_20250710\.geojson: 9 days into its month/),
    ]);
  });

  it('judges each month by the change over the next three months, and leaves gaps and the tail unknown', async () => {
    // Arrange
    const { states } = await derived();

    // Act
    const outcomes = outcomesOf(states).map(({ from, path, known }) => ({ from, path, known }));

    // Assert: the figures are far from the threshold, so no rounding decides a month.
    expect(km2('2025-05-02') - km2('2025-02-03')).toBeLessThan(0); // shrinking
    expect(km2('2025-08-04') - km2('2025-05-02')).toBeGreaterThan(THRESHOLD_KM2 * 2);
    expect(km2('2025-09-01') - km2('2025-06-01')).toBeGreaterThan(0);
    expect(km2('2025-09-01') - km2('2025-06-01')).toBeLessThan(THRESHOLD_KM2 / 2);
    expect(outcomes).toEqual([
      { from: '2025-01-01', path: null, known: undefined }, // no snapshot for April
      { from: '2025-02-01', path: 'baseline', known: '2025-05-02' }, // the area shrank
      { from: '2025-03-01', path: 'baseline', known: '2025-06-01' },
      { from: '2025-04-01', path: null, known: undefined }, // no April, no July
      { from: '2025-05-01', path: 'risk', known: '2025-08-04' },
      { from: '2025-06-01', path: 'baseline', known: '2025-09-01' }, // grew, by less than the threshold
      { from: '2025-07-01', path: null, known: undefined }, // October is after the last snapshot
    ]);
  });

  it('rewrites only the outcomes block of the scenario, validly, and the same bytes on a second run', async () => {
    // Arrange
    const folder = snapshotFolder();
    const out = mkdtempSync(join(tmpdir(), 'signpost-derived-'));
    const [csv, scenario] = [join(out, 'held-area.csv'), join(out, 'kupyansk.yaml')];
    writeFileSync(scenario, SEED);
    const args = [folder, '--csv', csv, '--scenario', scenario];

    // Act
    await main(args);
    const first = [readFileSync(csv, 'utf8'), readFileSync(scenario, 'utf8')];
    await main(args);

    // Assert
    const written = readFileSync(scenario, 'utf8');
    expect([readFileSync(csv, 'utf8'), written]).toEqual(first);
    const outside = (text: string) => [text.slice(0, text.indexOf(BEGIN)), text.slice(text.indexOf(END))];
    expect(outside(written)).toEqual(outside(SEED));
    expect(written).toContain('  - { from: 2025-05-01, path: risk, known: 2025-08-04 } #');
    expect(written).toContain('  - { from: 2025-01-01, path: null } # no snapshot for 2025-04-01\n');
    expect(parseScenario(written, scenario).outcomes.at(-1)).toEqual({ from: '2025-07-01', path: null });
  });

  it('writes nothing when the scenario has no outcome markers', async () => {
    // Arrange
    const out = mkdtempSync(join(tmpdir(), 'signpost-derived-'));
    const [csv, scenario] = [join(out, 'held-area.csv'), join(out, 'kupyansk.yaml')];
    const unmarked = SEED.replace(BEGIN, '# outcomes');
    writeFileSync(scenario, unmarked);

    // Act & Assert
    await expect(main([snapshotFolder(), '--csv', csv, '--scenario', scenario])).rejects.toThrow(
      `${scenario}: expected one "${BEGIN}" line`,
    );
    expect(existsSync(csv)).toBe(false);
    expect(readFileSync(scenario, 'utf8')).toBe(unmarked);
  });

  it('names a snapshot whose file name is not a real date', async () => {
    // Arrange
    const folder = mkdtempSync(join(tmpdir(), 'signpost-deepstate-'));
    writeSnapshots(folder, { '2025-02-30': 0.1 });

    // Act & Assert
    await expect(snapshotsIn(folder)).rejects.toThrow(
      /deepstatemap_data_20250230\.geojson: .* not a real date/,
    );
  });

  it('runs as the documented command and reports what it wrote', () => {
    // Arrange
    const out = mkdtempSync(join(tmpdir(), 'signpost-derived-'));
    writeFileSync(join(out, 'kupyansk.yaml'), SEED);

    // Act
    const report = execFileSync(
      process.execPath,
      [SCRIPT, snapshotFolder(), '--csv', join(out, 'held.csv'), '--scenario', join(out, 'kupyansk.yaml')],
      { encoding: 'utf8' },
    );

    // Assert
    expect(report).toContain('wrote 7 months of held area (2025-01-01 to 2025-09-01)');
    expect(report).toContain('wrote 4 outcomes (1 risk)');
  });

  it('ships outcomes that the rule gives from the shipped held-area series, in a seed that validates', () => {
    // Arrange: the states back from the CSV (each row's month is closed by its snapshot).
    const rows = readFileSync('scenarios/data/kupyansk/held-area.csv', 'utf8').trim().split('\n').slice(1);
    const states: HeldState[] = rows.map((row) => {
      const [month, km2, date] = row.split(',') as [string, string, string];
      const state = dayOf(addDuration(dayStart(`${month}-01`), 'P1M'));
      return { state, date, file: '', km2: Number(km2) };
    });

    // Act
    const block = outcomesBlock(outcomesOf(states));

    // Assert
    expect(SEED).toContain(`${block}\n`);
    const seed = parseScenario(SEED, 'scenarios/kupyansk.yaml');
    expect(seed.indicators.map((i) => i.id)).toContain('ru-held-area');
    expect(seed.outcomes.at(-1)?.path).toBeNull();
  });
});
