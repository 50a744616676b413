// Scenarios for the fan-out tests: several scenarios sharing two indicators (and one of their own each),
// whose monthly data favour path a for two months and path b after: one confirmed shift each.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AB_EXPECT, EVEN_AB, scenarioYaml } from '../fixtures/scenario.ts';

export const SHARED = ['shared-a', 'shared-b'];
export const MONTHS = ['2024-01', '2024-02', '2024-03', '2024-04', '2024-05', '2024-06'];
/** Near a's mean (1) for two months, then near b's (2): a, a, b, b, b, b. */
const VALUES = [1, 1, 2.5, 2.5, 2.5, 2.5];

export function scenarioIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `s${i + 1}`);
}

/** A folder of `count` scenarios and their data; every indicator stays current for ten years. */
export function sharedScenarioFolder(count: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'signpost-fan-out-'));
  mkdirSync(join(dir, 'data'));
  const csv = `month,value\n${MONTHS.map((m, i) => `${m}-01,${VALUES[i]}`).join('\n')}\n`;
  for (const id of scenarioIds(count)) {
    const indicators = [...SHARED, `own-${id}`].map((indicator) => ({
      id: indicator,
      staleAfter: 'P10Y',
      expect: AB_EXPECT,
    }));
    for (const { id: indicator } of indicators) writeFileSync(join(dir, 'data', `${indicator}.csv`), csv);
    writeFileSync(join(dir, `${id}.yaml`), scenarioYaml({ id, paths: EVEN_AB, indicators }));
  }
  return dir;
}
