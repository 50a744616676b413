// `npm run bench:forecast [-- --data FILE]`: forecast accuracy, interval coverage and speed on the M3 format
// (by default the M3 monthly series shipped in bench/data, see its README).
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import cliProgress from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { parse } from 'csv-parse/sync';
import { type ForecastOptions, forecastSeries } from '../shared/forecast/forecast.ts';
import {
  classicalDecomposition,
  deseasonalise,
  isSeasonal,
  reseasonalise,
} from '../shared/forecast/seasonality.ts';

interface Series {
  id: string;
  type: string;
  h: number;
  train: number[];
  test: number[];
}

class DataError extends Error {}

/** The M3 monthly series, from any folder the bench is run in. */
const M3_MONTHLY = relative(process.cwd(), resolve(import.meta.dirname, 'data/m3-monthly.csv.gz'));

/** Reads the M3 long format (id,type,n,h,split,t,value), plain or gzipped, checking every row. */
function readM3(file: string): Series[] {
  let text: string;
  try {
    const bytes = readFileSync(file);
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    throw new DataError(`cannot read --data ${file}: ${(error as Error).message}`);
  }
  const rows = parse(text, { columns: true, skip_empty_lines: true, info: true }) as {
    record: Record<string, string>;
    info: { lines: number };
  }[];
  const byId = new Map<string, Series & { n: number }>();
  for (const { record, info } of rows) {
    const where = `${file}:${info.lines}`;
    const need = (field: string): string => {
      const v = record[field];
      if (v === undefined || v === '') throw new DataError(`${where}: missing field "${field}"`);
      return v;
    };
    const num = (field: string, integer: boolean): number => {
      const raw = need(field);
      const v = Number(raw);
      if (!Number.isFinite(v) || (integer && !Number.isInteger(v))) {
        throw new DataError(
          `${where}: field "${field}" must be ${integer ? 'an integer' : 'a number'}, got "${raw}"`,
        );
      }
      return v;
    };
    const id = need('id');
    const split = need('split');
    if (split !== 'train' && split !== 'test') {
      throw new DataError(`${where}: field "split" must be "train" or "test", got "${split}"`);
    }
    let s = byId.get(id);
    if (!s) {
      s = { id, type: need('type'), n: num('n', true), h: num('h', true), train: [], test: [] };
      byId.set(id, s);
    }
    const t = num('t', true);
    const part = split === 'train' ? s.train : s.test;
    const expected = split === 'train' ? part.length + 1 : s.n + part.length + 1;
    if (t !== expected && t !== part.length + 1) {
      throw new DataError(
        `${where}: field "t" is ${t} for series ${id} (${split}), expected ${expected} (rows in time order)`,
      );
    }
    part.push(num('value', false));
  }
  const series = [...byId.values()];
  for (const s of series) {
    if (s.train.length !== s.n)
      throw new DataError(`${file}: series ${s.id} has ${s.train.length} train values, n says ${s.n}`);
    if (s.test.length !== s.h)
      throw new DataError(`${file}: series ${s.id} has ${s.test.length} test values, h says ${s.h}`);
  }
  return series;
}

/** Naive2 (M4): the last seasonally adjusted value, seasonality put back when the 90 % test passes. */
function naive2(train: readonly number[], h: number, period: number): number[] {
  const indices = isSeasonal(train, period) ? classicalDecomposition(train, period) : undefined;
  const x = indices ? deseasonalise(train, indices) : train;
  const last = x[x.length - 1] as number;
  return Array.from({ length: h }, (_, i) =>
    indices ? reseasonalise(last, train.length + i, indices) : last,
  );
}

function smape(actual: readonly number[], forecast: readonly number[]): number {
  let s = 0;
  actual.forEach((a, i) => {
    const f = forecast[i] as number;
    const d = Math.abs(a) + Math.abs(f);
    s += d === 0 ? 0 : (200 * Math.abs(a - f)) / d;
  });
  return s / actual.length;
}

function mase(
  train: readonly number[],
  actual: readonly number[],
  forecast: readonly number[],
  lag: number,
): number {
  let scale = 0;
  for (let t = lag; t < train.length; t++)
    scale += Math.abs((train[t] as number) - (train[t - lag] as number));
  scale /= train.length - lag;
  let err = 0;
  actual.forEach((a, i) => {
    err += Math.abs(a - (forecast[i] as number));
  });
  return err / actual.length / scale;
}

const mean = (a: readonly number[]) => a.reduce((s, v) => s + v, 0) / a.length;

const program = new Command()
  .name('bench:forecast')
  .description(
    'Forecast accuracy (sMAPE, MASE, OWA vs Naive2), interval coverage and speed on M3-format data',
  )
  .option(
    '--data <file>',
    'CSV in the M3 long format: id,type,n,h,split,t,value (.gz read as gzip)',
    M3_MONTHLY,
  )
  .option('--limit <n>', 'only the first N series', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
    return n;
  })
  .option(
    '--period <m>',
    'seasonal period',
    (v) => {
      const m = Number(v);
      if (!Number.isInteger(m) || m < 1)
        throw new InvalidArgumentError(`expected a positive integer, got "${v}"`);
      return m;
    },
    12,
  )
  .option('--members <list>', 'models to combine: ets,theta (default both)', (v) => {
    const list = v.split(',');
    const bad = list.find((m) => m !== 'ets' && m !== 'theta');
    if (bad !== undefined) throw new InvalidArgumentError(`expected ets, theta or ets,theta, got "${bad}"`);
    return list as ('ets' | 'theta')[];
  })
  .option('--no-clean', 'do not replace outliers before fitting')
  .option('--no-calibrate', 'keep the model intervals (no conformal scaling)')
  .option('--json', 'print the figures as JSON')
  .parse();

const opts = program.opts<{
  data: string;
  limit?: number;
  period: number;
  members?: ('ets' | 'theta')[];
  clean: boolean;
  calibrate: boolean;
  json?: boolean;
}>();

const started = performance.now();
let all: Series[];
try {
  all = readM3(opts.data);
} catch (error) {
  if (error instanceof DataError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
const series = opts.limit ? all.slice(0, opts.limit) : all;
const options: ForecastOptions = { cleanOutliers: opts.clean, calibrate: opts.calibrate };
if (opts.members) options.members = opts.members;

const bar =
  process.stderr.isTTY && !opts.json
    ? new cliProgress.SingleBar(
        { stream: process.stderr, etaBuffer: 100 },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
bar?.start(series.length, 0);

const sm: number[] = [];
const ms: number[] = [];
const smN2: number[] = [];
const msN2: number[] = [];
let in80 = 0;
let in95 = 0;
let points = 0;
const horizon = Math.max(...series.map((s) => s.h));
const in80ByStep = new Array<number>(horizon).fill(0);
const in95ByStep = new Array<number>(horizon).fill(0);
const countByStep = new Array<number>(horizon).fill(0);
const methods = new Map<string, number>();
let forecastMs = 0;
const cpuBefore = process.cpuUsage();
for (const [i, s] of series.entries()) {
  const t0 = performance.now();
  const f = forecastSeries({ values: s.train, period: opts.period, horizon: s.h }, options);
  forecastMs += performance.now() - t0;
  const family = f.method.replace(/ \(.*$/, '').replace(/;.*$/, '');
  methods.set(family, (methods.get(family) ?? 0) + 1);
  const point = f.steps.map((st) => st.point);
  sm.push(smape(s.test, point));
  ms.push(mase(s.train, s.test, point, opts.period));
  const n2 = naive2(s.train, s.h, opts.period);
  smN2.push(smape(s.test, n2));
  msN2.push(mase(s.train, s.test, n2, opts.period));
  f.steps.forEach((st, k) => {
    const a = s.test[k] as number;
    const hit80 = a >= st.lower80 && a <= st.upper80 ? 1 : 0;
    const hit95 = a >= st.lower95 && a <= st.upper95 ? 1 : 0;
    in80 += hit80;
    in95 += hit95;
    in80ByStep[k] = (in80ByStep[k] as number) + hit80;
    in95ByStep[k] = (in95ByStep[k] as number) + hit95;
    countByStep[k] = (countByStep[k] as number) + 1;
    points++;
  });
  if (bar && i % 16 === 0) bar.update(i + 1);
}
const cpu = process.cpuUsage(cpuBefore);
bar?.update(series.length);
bar?.stop();
const totalMs = performance.now() - started;

const round = (v: number, d: number) => Number(v.toFixed(d));
const figures = {
  data: opts.data,
  series: series.length,
  options: { members: options.members ?? ['ets', 'theta'], clean: opts.clean, calibrate: opts.calibrate },
  smape: round(mean(sm), 3),
  mase: round(mean(ms), 4),
  owa: round(0.5 * (mean(sm) / mean(smN2) + mean(ms) / mean(msN2)), 4),
  naive2: { smape: round(mean(smN2), 3), mase: round(mean(msN2), 4) },
  coverage80: round((100 * in80) / points, 2),
  coverage95: round((100 * in95) / points, 2),
  coverageByStep: countByStep.map((c, k) => ({
    step: k + 1,
    coverage80: round((100 * (in80ByStep[k] as number)) / c, 1),
    coverage95: round((100 * (in95ByStep[k] as number)) / c, 1),
  })),
  methods: Object.fromEntries(methods),
  forecastSeconds: round(forecastMs / 1000, 3),
  // CPU time of the loop (forecasts + scoring): what the series cost when other processes share the machine.
  loopCpuSeconds: round((cpu.user + cpu.system) / 1e6, 3),
  totalSeconds: round(totalMs / 1000, 3),
  seriesPerSecond: round(series.length / (forecastMs / 1000), 1),
};

if (opts.json) {
  console.log(JSON.stringify(figures, null, 2));
} else {
  console.log(`Forecast accuracy on ${figures.series} series of ${opts.data}`);
  console.log(
    `  method      ${figures.options.members.join('+')}${opts.clean ? '' : ', no outlier cleaning'}${opts.calibrate ? ', conformal intervals' : ', model intervals'}`,
  );
  console.log(`  sMAPE       ${figures.smape.toFixed(2)}   (Naive2 ${figures.naive2.smape.toFixed(2)})`);
  console.log(
    `  MASE        ${figures.mase.toFixed(3)}  (Naive2 ${figures.naive2.mase.toFixed(3)}, seasonal lag ${opts.period})`,
  );
  console.log(`  OWA         ${figures.owa.toFixed(3)}  (vs Naive2)`);
  console.log(
    `  coverage    80 %: ${figures.coverage80.toFixed(1)} %   95 %: ${figures.coverage95.toFixed(1)} %`,
  );
  const by = figures.coverageByStep;
  const pick = [0, 5, 11, by.length - 1].filter((k, i, a) => k < by.length && a.indexOf(k) === i);
  console.log(
    `  by step     ${pick.map((k) => `h${k + 1}: ${by[k]?.coverage80}/${by[k]?.coverage95}`).join('  ')}`,
  );
  console.log(`  methods     ${[...methods].map(([m, c]) => `${m} ${c}`).join(', ')}`);
  console.log(
    `  time        ${figures.forecastSeconds.toFixed(2)} s forecasting (${figures.seriesPerSecond} series/s; loop CPU ${figures.loopCpuSeconds.toFixed(2)} s), ${figures.totalSeconds.toFixed(2)} s in all`,
  );
}
