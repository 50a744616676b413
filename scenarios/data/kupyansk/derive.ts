// Derives the shipped monthly example series from the ukraine-war-losses data set (cumulative daily totals).
// Run: npx node scenarios/data/kupyansk/derive.ts ../shared/data/ukraine-war-losses
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

type DailyTotals = Record<string, number | string | undefined> & { date: string };

const sourceDir = process.argv[2] ?? '../shared/data/ukraine-war-losses';
const here = import.meta.dirname;
const days: DailyTotals[] = JSON.parse(readFileSync(join(sourceDir, 'russia_losses_equipment.json'), 'utf8'));

// The running total at the last report of each month; a month's figure is the difference to the month before.
const lastOfMonth = new Map<string, DailyTotals>();
for (const day of days) lastOfMonth.set(day.date.slice(0, 7), day);
const months = [...lastOfMonth.keys()].sort();

function total(day: DailyTotals, fields: string[]): number {
  return fields.reduce((sum, f) => sum + Number(day[f] ?? 0), 0);
}

function monthly(fields: string[]): { month: string; value: number }[] {
  const rows: { month: string; value: number }[] = [];
  for (let i = 1; i < months.length; i++) {
    const month = months[i] as string;
    const current = lastOfMonth.get(month) as DailyTotals;
    // A month is complete only if its last report is on or after the 28th.
    if (Number(current.date.slice(8, 10)) < 28) continue;
    const before = lastOfMonth.get(months[i - 1] as string) as DailyTotals;
    rows.push({ month, value: total(current, fields) - total(before, fields) });
  }
  return rows;
}

const fires = monthly(['field artillery', 'MRL']);
writeFileSync(
  join(here, 'artillery-systems.csv'),
  `month,systems_destroyed\n${fires.map((r) => `${r.month},${r.value}`).join('\n')}\n`,
);

const armour = monthly(['tank', 'APC']);
writeFileSync(
  join(here, 'armoured-vehicles.json'),
  `{"unit":"vehicles per month","series":[\n${armour.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]}\n`,
);
console.log(`wrote ${fires.length} months of artillery systems and ${armour.length} of armoured vehicles`);
