// `npm run bench:calibration`: the synthetic calibration suite (docs/benchmarks.md). Worlds whose true path
// switches by a known Markov chain, with indicators drawn as declared or against the declaration; for
// each kind, the snapshot engine (nothing carried over), the path filter as declared, the filter after
// `calibrate` on each world's first half, and the oracle, scored on the second half. Then the filter's
// reliability per decile on many well-specified worlds. Options: --months N (default 1200) and --seeds K
// (default 4) per kind and switch chance; --reliability-worlds K (default 16, of 2400 months); --json.

import { filterAt } from '../shared/domain/assess.ts';
import { type ScoredForecast, score } from '../shared/domain/scoring.ts';
import { ENGINES, type Engine, runWorld, type WorldResult } from '../test/fixtures/calibration-suite.ts';
import { makeWorld, WORLD_KINDS, type WorldKind } from '../test/fixtures/worlds.ts';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MONTHS = option('months', 1200);
const SEEDS = option('seeds', 4);
const RELIABILITY_WORLDS = option('reliability-worlds', 16);
const JSON_OUT = args.includes('--json');
const PRIORS = { baseline: 0.6, risk: 0.4 };

/** True switch chances: slower than, equal to (0.109, the default for a 6-month horizon) and faster than it. */
function switchesOf(kind: WorldKind): number[] {
  return kind === 'wrong-switch' ? [0.05, 0.2] : [0.05, 0.109, 0.2];
}

interface Row {
  kind: WorldKind;
  switch: number;
  engine: Engine;
  count: number;
  brier: number;
  logScore: number;
  skillVsPrior: number;
}

const started = performance.now();
const rows: Row[] = [];
const fitted: Record<string, string[]> = {};
for (const kind of WORLD_KINDS) {
  for (const s of switchesOf(kind)) {
    const results: WorldResult[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const world = makeWorld({ kind, months: MONTHS, switch: s, seed: seed * 7919 + Math.round(s * 1000) });
      const result = runWorld(world);
      results.push(result);
      fitted[kind] = [
        ...(fitted[kind] ?? []),
        `${result.fitted.temperature}/${Number(result.fitted.switch.toFixed(3))}`,
      ];
    }
    for (const engine of ENGINES)
      rows.push(
        pooled(
          kind,
          s,
          engine,
          results.flatMap((r) => r.forecasts[engine]),
        ),
      );
  }
}
const reliability = reliabilityRun();
const seconds = (performance.now() - started) / 1000;
const verdicts = goals();

if (JSON_OUT) {
  console.log(
    JSON.stringify({ months: MONTHS, seeds: SEEDS, seconds, rows, fitted, reliability, verdicts }, null, 2),
  );
} else {
  console.log(
    `Synthetic calibration suite: ${SEEDS} worlds of ${MONTHS} months per kind and true switch chance, scored on each world's second half; ${RELIABILITY_WORLDS} well-specified worlds of 2400 months for reliability (${seconds.toFixed(0)} s)\n`,
  );
  console.log('kind            switch  engine      forecasts   Brier     log  skill vs prior');
  for (const r of rows) {
    console.log(
      `${r.kind.padEnd(15)} ${r.switch.toFixed(3).padStart(6)}  ${r.engine.padEnd(10)} ${String(r.count).padStart(9)}  ${r.brier.toFixed(4)}  ${r.logScore.toFixed(4).padStart(6)}  ${r.skillVsPrior.toFixed(3).padStart(14)}`,
    );
  }
  console.log('\nSettings calibrate fitted on the first halves (temperature/switch):');
  for (const [kind, settings] of Object.entries(fitted))
    console.log(`  ${kind.padEnd(15)} ${settings.join('  ')}`);
  console.log(
    '\nReliability of the filter on well-specified worlds (pairs of forecast and path, per decile):',
  );
  for (const r of reliability) {
    console.log(
      `  true switch ${r.switch}: Brier ${r.brier.toFixed(4)} (oracle ${r.oracleBrier.toFixed(4)})`,
    );
    for (const b of r.bins) {
      const gap =
        b.meanForecast === null || b.observedFrequency === null
          ? ''
          : ((b.observedFrequency - b.meanForecast) * 100).toFixed(1);
      console.log(
        `    ${b.from.toFixed(1)}-${(b.from + 0.1).toFixed(1)}  ${String(b.count).padStart(6)}  forecast ${pct(b.meanForecast)}  observed ${pct(b.observedFrequency)}  gap ${gap.padStart(5)} pts`,
      );
    }
  }
  console.log('\nGoals (issue 15):');
  for (const v of verdicts) console.log(`  ${v.met ? 'met ' : 'NOT '} ${v.goal}: ${v.detail}`);
}

function pooled(kind: WorldKind, s: number, engine: Engine, forecasts: ScoredForecast[]): Row {
  const scores = score(forecasts, 10);
  const prior = score(
    forecasts.map((f) => ({ ...f, probabilities: PRIORS })),
    10,
  );
  return {
    kind,
    switch: s,
    engine,
    count: forecasts.length,
    brier: scores.brier ?? Number.NaN,
    logScore: scores.logScore ?? Number.NaN,
    skillVsPrior: 1 - (scores.brier ?? 0) / (prior.brier ?? 1),
  };
}

/** The declared filter (= the oracle: the scenario declares the true switch) on many well-specified worlds. */
function reliabilityRun() {
  return switchesOf('well-specified').map((s) => {
    const forecasts: ScoredForecast[] = [];
    for (let seed = 1; seed <= RELIABILITY_WORLDS; seed++) {
      const world = makeWorld({
        kind: 'well-specified',
        months: 2400,
        switch: s,
        seed: 104_729 * seed + Math.round(s * 1000),
      });
      const probabilities = filterAt(world.scenario, world.observations, world.origins);
      for (const [k, p] of probabilities.entries()) {
        forecasts.push({
          asOf: world.origins[k] as string,
          probabilities: p,
          outcome: world.truth[k] as string,
        });
      }
    }
    const scores = score(forecasts, 10);
    const oracle = rows.find((r) => r.kind === 'well-specified' && r.switch === s && r.engine === 'oracle');
    return {
      switch: s,
      brier: scores.brier ?? Number.NaN,
      oracleBrier: oracle?.brier ?? Number.NaN,
      bins: scores.calibration,
    };
  });
}

function goals(): { goal: string; met: boolean; detail: string }[] {
  const gaps = reliability.flatMap((r) =>
    r.bins
      .filter((b) => b.count >= 100 && b.meanForecast !== null && b.observedFrequency !== null)
      .map((b) => Math.abs((b.observedFrequency as number) - (b.meanForecast as number)) * 100),
  );
  const well = rows.filter((r) => r.kind === 'well-specified');
  const ratio = (engine: Engine, s: number) =>
    (well.find((r) => r.engine === engine && r.switch === s)?.brier ?? Number.NaN) /
    (well.find((r) => r.engine === 'oracle' && r.switch === s)?.brier ?? Number.NaN);
  const filterRatios = switchesOf('well-specified').map((s) => ratio('filter', s));
  const misspecified = rows.filter((r) => r.kind !== 'well-specified');
  const cells = [...new Set(misspecified.map((r) => `${r.kind}@${r.switch}`))];
  const of = (cell: string, engine: Engine) =>
    misspecified.find((r) => `${r.kind}@${r.switch}` === cell && r.engine === engine) as Row;
  const skill = cells.map((c) => of(c, 'calibrated').skillVsPrior);
  const beats = cells.filter((c) => of(c, 'calibrated').brier < of(c, 'snapshot').brier);
  return [
    {
      goal: 'well-specified: reliability within ±5 points in every decile with ≥ 100 forecasts',
      met: gaps.every((g) => g <= 5),
      detail: `largest gap ${Math.max(...gaps).toFixed(1)} points over ${gaps.length} bins`,
    },
    {
      goal: "well-specified: the filter's Brier within 3 % of the oracle's",
      met: filterRatios.every((r) => r <= 1.03),
      detail: `ratios ${filterRatios.map((r) => r.toFixed(3)).join(', ')} (calibrated: ${switchesOf(
        'well-specified',
      )
        .map((s) => ratio('calibrated', s).toFixed(3))
        .join(', ')})`,
    },
    {
      goal: 'misspecified: Brier skill ≥ 0 against the prior after calibrate, every kind',
      met: skill.every((x) => x >= 0),
      detail: `lowest ${Math.min(...skill).toFixed(3)} over ${cells.length} kind × switch cells`,
    },
    {
      goal: 'misspecified: calibrated filter better than the snapshot engine, every kind',
      met: beats.length === cells.length,
      detail: `${beats.length} of ${cells.length} cells`,
    },
  ];
}

function pct(value: number | null): string {
  return value === null ? '    -' : `${(value * 100).toFixed(1).padStart(5)} %`;
}
