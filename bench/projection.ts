// Projection benchmark: one projection of the seed scenario (its own forecast block: 6 steps, 500
// draws) from generated monthly histories and hand-built forecasts, as evaluate runs it. Prints the
// median, min and max of 7 runs after one warm-up, and the time per assessed future (draws x steps);
// then the median of 40 more runs, once the JIT has compiled the hot paths (what a long replay or a
// warm Lambda pays per evaluation; the first runs are mostly JIT warm-up).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../shared/config/load-scenarios.ts';
import { assess } from '../shared/domain/assess.ts';
import { advance } from '../shared/domain/hysteresis.ts';
import { initialPathState, type Observation } from '../shared/domain/model.ts';
import { shiftPeriod } from '../shared/domain/period.ts';
import { project } from '../shared/domain/projection.ts';
import { linearForecast } from '../test/fixtures/forecast.ts';
import { median } from './median.ts';

const file = join(import.meta.dirname, '../scenarios/kupyansk.yaml');
const scenario = parseScenario(readFileSync(file, 'utf8'), file);
const asOf = '2024-01-01T00:00:00.000Z';
const observations: Observation[] = [];
for (let m = 0; m < 120; m++) {
  const period = shiftPeriod('2014-01-01', 'P1M', m);
  observations.push({ indicatorId: 'ua-fires', period, value: 300 + 40 * Math.sin(m / 3), source: 'bench' });
  observations.push({ indicatorId: 'ru-mechanized', period, value: 600 + 5 * m, source: 'bench' });
  observations.push({
    indicatorId: 'western-assistance',
    period,
    value: m % 4 === 0 ? 1.5 : 0,
    source: 'bench',
  });
  observations.push({ indicatorId: 'assistance-announcements', period, value: m % 4, source: 'bench' });
}
const steps = scenario.forecast.horizon;
const forecasts = {
  'ua-fires': linearForecast(300, -10, 30, steps),
  'ru-mechanized': linearForecast(1195, 40, 120, steps),
};
const assessment = assess(scenario, observations, asOf);
const state = advance(initialPathState, assessment, scenario.alerting, null).state;
const input = { scenario, observations, asOf, assessment, state, forecasts };

project(input); // warm-up
const times: number[] = [];
let change = 0;
for (let run = 0; run < 7; run++) {
  const start = performance.now();
  change = project(input).change;
  times.push(performance.now() - start);
}
const cold = median(times);
const futures = scenario.forecast.draws * scenario.forecast.horizon;
console.log(
  `projection (${scenario.forecast.draws} draws x ${scenario.forecast.horizon} steps, 4 indicators): median ${(cold / 1000).toFixed(3)} s (min ${(Math.min(...times) / 1000).toFixed(3)}, max ${(Math.max(...times) / 1000).toFixed(3)}); ${((cold * 1000) / futures).toFixed(1)} µs per assessed step; P(change) ${change}`,
);
const warm: number[] = [];
for (let run = 0; run < 40; run++) {
  const start = performance.now();
  project(input);
  warm.push(performance.now() - start);
}
const warmMedian = median(warm);
console.log(
  `projection, warm (runs 9-48): median ${(warmMedian / 1000).toFixed(3)} s; ${((warmMedian * 1000) / futures).toFixed(1)} µs per assessed step`,
);
