// Reading the seed scenario's indicators from the example files shipped in scenarios/data/kupyansk.
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LoadedScenario, loadScenarios } from '../../../shared/config/load-scenarios.ts';
import type { Indicator } from '../../../shared/config/scenario-schema.ts';
import { fetchText, SourceError } from '../../../shared/sources/fetch-text.ts';
import { readIndicator } from '../../../shared/sources/read-indicator.ts';

const SCENARIOS_DIR = fileURLToPath(new URL('../../../scenarios/', import.meta.url));

let seed: LoadedScenario;

function seedIndicator(id: string): Indicator {
  const found = seed.scenario.indicators.find((i) => i.id === id);
  if (!found) throw new Error(`the seed scenario has no indicator ${id}`);
  return found;
}

beforeAll(async () => {
  const loaded = await loadScenarios(SCENARIOS_DIR);
  const kupyansk = loaded.find((l) => l.scenario.id === 'kupyansk');
  if (!kupyansk) throw new Error('the seed scenario did not load');
  seed = kupyansk;
});

describe('readIndicator on the shipped example data', () => {
  it('reads 53 monthly artillery values from March 2022, rejecting none', async () => {
    // Act
    const result = await readIndicator(seedIndicator('ua-fires'), seed.dir);

    // Assert
    expect(result.read).toBe(53);
    expect(result.rejected).toEqual([]);
    expect(result.observations).toHaveLength(53);
    expect(result.observations[0]).toEqual({
      indicatorId: 'ua-fires',
      period: '2022-03-01',
      value: 312,
      source: 'data/kupyansk/artillery-systems.csv',
    });
    expect(result.observations.at(-1)?.period).toBe('2026-07-01');
  });

  it('reads the monthly armoured-vehicle series from the JSON records at "series"', async () => {
    // Act
    const result = await readIndicator(seedIndicator('ru-mechanized'), seed.dir);

    // Assert
    expect(result.rejected).toEqual([]);
    expect(result.observations.length).toBe(result.read);
    expect(result.observations.slice(0, 2)).toEqual([
      {
        indicatorId: 'ru-mechanized',
        period: '2022-03-01',
        value: 1383,
        source: 'data/kupyansk/armoured-vehicles.json',
      },
      {
        indicatorId: 'ru-mechanized',
        period: '2022-04-01',
        value: 1104,
        source: 'data/kupyansk/armoured-vehicles.json',
      },
    ]);
  });

  it('sums assistance packages per month and counts months without one as zero', async () => {
    // Act
    const result = await readIndicator(seedIndicator('western-assistance'), seed.dir);
    const byPeriod = new Map(result.observations.map((o) => [o.period, o.value]));

    // Assert
    expect(result.read).toBe(69);
    expect(result.rejected).toEqual([]);
    expect(byPeriod.get('2022-02-01')).toBe(0.35);
    expect(byPeriod.get('2022-08-01')).toBe(5.305);
    expect(byPeriod.get('2024-01-01')).toBe(0);
    expect(byPeriod.get('2024-02-01')).toBe(0);
    expect(byPeriod.get('2024-04-01')).toBe(7);
    expect(byPeriod.get('2025-08-01')).toBe(1.566);
    expect(result.observations[0]?.period).toBe('2022-02-01');
    expect(result.observations.at(-1)?.period).toBe('2025-08-01');
    // February 2022 to August 2025 inclusive, no gaps.
    expect(result.observations).toHaveLength(43);
  });

  it('rejects an indicator whose file does not exist', async () => {
    // Arrange
    const indicator = seedIndicator('ua-fires');
    const missing: Indicator = {
      ...indicator,
      source: {
        ...(indicator.source as Extract<Indicator['source'], { kind: 'csv' }>),
        path: 'data/kupyansk/nope.csv',
      },
    };

    // Act
    const read = readIndicator(missing, seed.dir);

    // Assert
    await expect(read).rejects.toBeInstanceOf(SourceError);
    await expect(readIndicator(missing, seed.dir)).rejects.toThrow(/nope\.csv: no such file$/);
  });
});

describe('fetchText', () => {
  it.each([
    { name: 'a missing file', location: fileURLToPath(new URL('./missing.csv', import.meta.url)) },
    { name: 'a folder', location: SCENARIOS_DIR },
  ])('rejects $name as no such file', async ({ location }) => {
    // Act
    const fetch = fetchText(location);

    // Assert
    await expect(fetch).rejects.toThrow(SourceError);
    await expect(fetchText(location)).rejects.toMatchObject({
      location,
      message: `${location}: no such file`,
    });
  });
});
