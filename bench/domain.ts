// Benchmark of the pure scenario engine: assess + advance for 1,000 scenarios x 10 indicators x 60 periods,
// one period's evidence alone (switch 1) and through the path filter with the default dynamics.
import type { Scenario } from '../shared/config/scenario-schema.ts';
import { assess } from '../shared/domain/assess.ts';
import { advance } from '../shared/domain/hysteresis.ts';
import { initialPathState, type Observation } from '../shared/domain/model.ts';
import { dayStart, shiftPeriod } from '../shared/domain/period.ts';
import {
  BASELINE_RISK,
  buildScenario,
  type DynamicsSpec,
  type EvidenceSpec,
  eventInWindow,
  SNAPSHOT,
} from '../test/fixtures/scenario.ts';
import { median } from './median.ts';

const SCENARIOS = 1000;
const INDICATORS = 10;
const PERIODS = 60;
const RUNS = 7;

/** A deterministic generator (mulberry32), so every run assesses the same data. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const models: EvidenceSpec[] = [
  { model: 'gaussian', expect: { baseline: { mean: 100, sd: 20 }, risk: { mean: 60, sd: 20 } } },
  {
    model: 'bands',
    bands: [
      { below: 70, likelihood: { baseline: 0.2, risk: 0.6 } },
      { below: 110, likelihood: { baseline: 0.4, risk: 0.3 } },
      { likelihood: { baseline: 0.6, risk: 0.1 } },
    ],
  },
  {
    model: 'trend',
    periods: 6,
    expect: { baseline: { slope: 0.02, sd: 0.05 }, risk: { slope: -0.03, sd: 0.05 } },
  },
  eventInWindow('P3M', 100, { baseline: [0.6, 0.3, 0.1], risk: [0.2, 0.4, 0.4] }),
];

function benchScenario(n: number, dynamics: DynamicsSpec): Scenario {
  return buildScenario({
    id: `bench-${n}`,
    dynamics,
    paths: BASELINE_RISK,
    groups: [{ id: 'g', cap: 20 }],
    indicators: Array.from({ length: INDICATORS }, (_, i) => ({
      id: `s${n}-i${i}`,
      staleAfter: 'P2M',
      evidence: models[i % models.length],
      ...(i % 3 === 0 ? { group: 'g', halfLife: 'P6M' } : {}),
      ...(i % 5 === 0 ? { missing: 'keepLast' as const } : {}),
    })),
  });
}

function observationsOf(scenario: Scenario, next: () => number): Observation[] {
  return scenario.indicators.flatMap((indicator) =>
    Array.from({ length: PERIODS }, (_, p) => ({
      indicatorId: indicator.id,
      period: shiftPeriod('2021-01-01', 'P1M', p),
      value: indicator.evidence.model === 'event' ? (next() < 0.3 ? next() * 200 : 0) : 50 + next() * 100,
      source: 'bench',
    })),
  );
}

const next = random(42);
const snapshots = Array.from({ length: SCENARIOS }, (_, n) => benchScenario(n, SNAPSHOT));
// The default dynamics (switch 0.109): every assessment runs the filter over its 60-month lookback.
const filtered = Array.from({ length: SCENARIOS }, (_, n) => benchScenario(n, { temperature: 1 }));
const data = snapshots.map((s) => observationsOf(s, next));
const asOf = dayStart(shiftPeriod('2021-01-01', 'P1M', PERIODS)).toISOString();

function run(scenarios: Scenario[]): number {
  const started = performance.now();
  let shifts = 0;
  scenarios.forEach((scenario, i) => {
    const assessment = assess(scenario, data[i] ?? [], asOf);
    if (advance(initialPathState, assessment, scenario.alerting, null).shift) shifts++;
  });
  if (shifts !== 0) throw new Error('a first assessment cannot shift');
  return performance.now() - started;
}

for (const [name, scenarios, runs] of [
  ['snapshot (switch 1)', snapshots, RUNS],
  ['path filter (default switch, 60 steps)', filtered, 3],
] as const) {
  run(scenarios); // warm-up: JIT
  const times = Array.from({ length: runs }, () => run(scenarios));
  console.log(
    `engine, ${name}: ${SCENARIOS} scenarios x ${INDICATORS} indicators x ${PERIODS} periods (${SCENARIOS * INDICATORS * PERIODS} observations): ` +
      `median ${(median(times) / 1000).toFixed(3)} s of ${runs} runs (min ${(Math.min(...times) / 1000).toFixed(3)} s, max ${(Math.max(...times) / 1000).toFixed(3)} s)` +
      (scenarios === snapshots ? '; goal <= 0.300 s' : ''),
  );
}
