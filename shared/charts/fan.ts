// A fan chart of an indicator forecast as an SVG string: the history, the point forecast, and the
// 80 % and 95 % intervals as nested bands. Self-contained: d3-scale and d3-shape make the geometry,
// and the markup is written as text (no DOM in Node). `npm run docs:fan-chart` draws the docs' chart.
import { scaleLinear, scaleUtc } from 'd3-scale';
import { area, line } from 'd3-shape';
import { addDuration, type Cadence, dayStart, monthOf } from '../domain/period.ts';
import type { IndicatorForecast } from '../forecast/types.ts';
import { escapeXml } from './svg.ts';

export interface FanChartInput {
  title: string;
  unit: string;
  cadence: Cadence;
  /** Observed values, oldest first; the forecast's step 1 is the period after the last one. */
  history: { period: string; value: number }[];
  forecast: IndicatorForecast;
  width?: number;
  height?: number;
}

const MARGIN = { top: 40, right: 24, bottom: 44, left: 64 };
const COLOURS = { history: '#1f2933', point: '#c2410c', band80: '#fdba74', band95: '#ffedd5' };

export function fanChart(input: FanChartInput): string {
  const width = input.width ?? 760;
  const height = input.height ?? 360;
  const last = input.history.at(-1);
  if (!last) throw new Error('a fan chart needs at least one observed value');
  const steps = input.forecast.steps.map((s) => ({
    ...s,
    at: addDuration(dayStart(last.period), input.cadence, s.step),
  }));
  const values = [...input.history.map((h) => h.value), ...steps.flatMap((s) => [s.lower95, s.upper95])];
  const x = scaleUtc()
    .domain([dayStart(input.history[0]?.period ?? last.period), steps.at(-1)?.at ?? dayStart(last.period)])
    .range([MARGIN.left, width - MARGIN.right]);
  const y = scaleLinear()
    .domain([Math.min(0, ...values), Math.max(...values)])
    .nice()
    .range([height - MARGIN.bottom, MARGIN.top]);

  // The bands and the point forecast start at the last observation, so the fan grows out of the line.
  const anchor = {
    at: dayStart(last.period),
    point: last.value,
    lower80: last.value,
    upper80: last.value,
    lower95: last.value,
    upper95: last.value,
  };
  const fan = [anchor, ...steps];
  type F = (typeof fan)[number];
  const band = (lo: (f: F) => number, hi: (f: F) => number) =>
    area<F>()
      .x((f) => x(f.at))
      .y0((f) => y(lo(f)))
      .y1((f) => y(hi(f)))(fan) ?? '';
  const historyPath =
    line<{ period: string; value: number }>()
      .x((h) => x(dayStart(h.period)))
      .y((h) => y(h.value))(input.history) ?? '';
  const pointPath =
    line<F>()
      .x((f) => x(f.at))
      .y((f) => y(f.point))(fan) ?? '';

  const yTicks = y.ticks(6).map((t) => {
    const ty = y(t);
    return [
      `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${r(ty)}" y2="${r(ty)}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 8}" y="${r(ty + 4)}" text-anchor="end">${escapeXml(y.tickFormat(6)(t))}</text>`,
    ].join('');
  });
  const xTicks = x.ticks(8).map((t) => {
    const tx = x(t);
    return `<line x1="${r(tx)}" x2="${r(tx)}" y1="${height - MARGIN.bottom}" y2="${height - MARGIN.bottom + 5}" stroke="#6b7280"/><text x="${r(tx)}" y="${height - MARGIN.bottom + 18}" text-anchor="middle">${monthOf(t)}</text>`;
  });
  const legendY = height - 10;
  const legend = [
    `<rect x="${MARGIN.left}" y="${legendY - 9}" width="14" height="10" fill="${COLOURS.band95}"/><text x="${MARGIN.left + 18}" y="${legendY}">95 % interval</text>`,
    `<rect x="${MARGIN.left + 120}" y="${legendY - 9}" width="14" height="10" fill="${COLOURS.band80}"/><text x="${MARGIN.left + 138}" y="${legendY}">80 % interval</text>`,
    `<line x1="${MARGIN.left + 240}" x2="${MARGIN.left + 256}" y1="${legendY - 4}" y2="${legendY - 4}" stroke="${COLOURS.point}" stroke-width="2" stroke-dasharray="5 3"/><text x="${MARGIN.left + 262}" y="${legendY}">point forecast (${escapeXml(input.forecast.method)})</text>`,
  ];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="11" fill="#374151" role="img" aria-label="${escapeXml(input.title)}"><title>${escapeXml(input.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="22" font-size="14" font-weight="600" fill="#111827">${escapeXml(input.title)}</text>`,
    ...yTicks,
    `<path d="${band(
      (f) => f.lower95,
      (f) => f.upper95,
    )}" fill="${COLOURS.band95}"/>`,
    `<path d="${band(
      (f) => f.lower80,
      (f) => f.upper80,
    )}" fill="${COLOURS.band80}"/>`,
    `<path d="${historyPath}" fill="none" stroke="${COLOURS.history}" stroke-width="1.5"/>`,
    `<path d="${pointPath}" fill="none" stroke="${COLOURS.point}" stroke-width="2" stroke-dasharray="5 3"/>`,
    `<line x1="${MARGIN.left}" x2="${width - MARGIN.right}" y1="${height - MARGIN.bottom}" y2="${height - MARGIN.bottom}" stroke="#6b7280"/>`,
    ...xTicks,
    `<text transform="translate(14 ${r((height - MARGIN.bottom + MARGIN.top) / 2)}) rotate(-90)" text-anchor="middle">${escapeXml(input.unit)}</text>`,
    ...legend,
    '</svg>',
    '',
  ].join('\n');
}

function r(value: number): string {
  return String(Math.round(value * 100) / 100);
}
