// `npm run docs:fan-chart [-- indicator-id]`: forecasts a seed indicator (default ru-mechanized) from its
// example data and writes its fan chart to docs/images/forecast-<indicator>.svg, the chart the README and
// docs/forecasting.md show.
import { writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { fanChart } from '../shared/charts/fan.ts';
import { loadScenarios } from '../shared/config/load-scenarios.ts';
import { monthOf, periodsBetween } from '../shared/domain/period.ts';
import { forecastSeries } from '../shared/forecast/forecast.ts';
import { readIndicator } from '../shared/sources/read-indicator.ts';

const root = resolve(import.meta.dirname, '..');
const indicatorId = process.argv[2] ?? 'ru-mechanized';

const loaded = await loadScenarios(join(root, 'scenarios'));
const found = loaded.flatMap((l) => l.scenario.indicators.map((i) => ({ i, dir: l.dir, s: l.scenario })));
const entry = found.find((f) => f.i.id === indicatorId);
if (!entry) {
  console.error(`no indicator ${indicatorId} in scenarios/ (one of: ${found.map((f) => f.i.id).join(', ')})`);
  process.exit(2);
}
const { observations } = await readIndicator(entry.i, entry.dir);
const sorted = [...observations].sort((a, b) => (a.period < b.period ? -1 : 1));
const first = sorted[0];
const newest = sorted.at(-1);
if (!first || !newest) throw new Error(`${indicatorId} has no example data`);
const byPeriod = new Map(sorted.map((o) => [o.period, o.value]));
const periods = periodsBetween(first.period, newest.period, entry.i.cadence);
const forecast = forecastSeries({
  values: periods.map((p) => byPeriod.get(p) ?? null),
  period: entry.i.cadence === 'P1M' ? 12 : 1,
  horizon: entry.s.forecast.horizon,
});
const svg = fanChart({
  title: `${entry.i.title}: ${entry.s.forecast.horizon}-month forecast from ${monthOf(newest.period)}`,
  unit: entry.i.unit,
  cadence: entry.i.cadence,
  // The last three years: enough context, and the fan stays wide enough to read.
  history: sorted.slice(-36).map((o) => ({ period: o.period, value: o.value })),
  forecast,
});
const out = join(root, 'docs/images', `forecast-${indicatorId}.svg`);
writeFileSync(out, svg);
console.log(`wrote ${relative(process.cwd(), out)} (${svg.length} bytes)`);
