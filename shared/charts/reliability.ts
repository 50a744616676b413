// A reliability diagram as a self-contained SVG (`signpost backtest --chart`): per non-empty bin, the
// observed frequency against the mean forecast, the range chance alone explains, and the number of
// forecasts in a histogram under it. How to read it: docs/scoring.md.

import type { ReliabilityBin } from '../domain/skill.ts';
import { linearScale } from './scale.ts';
import { el, escapeXml, svgDocument, text } from './svg.ts';

export interface ReliabilityChart {
  title: string;
  subtitle?: string;
  /** The calibration table; empty bins are left out of the drawing. */
  bins: readonly ReliabilityBin[];
  /** The level of the bins' consistency ranges, for the legend (0.9: "90 %"). */
  level?: number;
}

const WIDTH = 560;
const HEIGHT = 720;
const PLOT = { left: 72, top: 64, size: 440 };
const HISTOGRAM = { top: PLOT.top + PLOT.size + 26, height: 70 };
const COLOURS = { point: '#0072b2', outside: '#d55e00', range: '#b8c4d0', bar: '#9aa5b1' };

export function reliabilitySvg(chart: ReliabilityChart): string {
  const bins = chart.bins.filter(
    (b): b is ReliabilityBin & { meanForecast: number; observedFrequency: number } =>
      b.count > 0 && b.meanForecast !== null && b.observedFrequency !== null,
  );
  if (bins.length === 0) throw new RangeError('a reliability diagram needs at least one forecast');
  const plotBottom = PLOT.top + PLOT.size;
  const x = linearScale([0, 1], [PLOT.left, PLOT.left + PLOT.size]);
  const y = linearScale([0, 1], [plotBottom, PLOT.top]);
  const histogramBottom = HISTOGRAM.top + HISTOGRAM.height;
  const most = Math.max(...bins.map((b) => b.count));
  const barHeight = linearScale([0, most], [0, HISTOGRAM.height - 14]);
  const percent = (p: number) => `${Math.round(p * 100)}%`;

  const ticks = x.ticks(5);
  const grid = ticks.map((t) =>
    el(
      'g',
      {},
      el('line', { x1: x(t), x2: x(t), y1: PLOT.top, y2: plotBottom, stroke: '#eeeeee' }),
      el('line', { x1: PLOT.left, x2: PLOT.left + PLOT.size, y1: y(t), y2: y(t), stroke: '#eeeeee' }),
      text(percent(t), { x: PLOT.left - 8, y: y(t) + 4, 'text-anchor': 'end' }),
      text(percent(t), { x: x(t), y: histogramBottom + 18, 'text-anchor': 'middle' }),
    ),
  );

  // The ranges first, so every point and the diagonal sit on top of them.
  const ranges = bins.flatMap((b) => {
    if (!b.consistency) return [];
    const top = y(b.consistency.high);
    // A range of one value (all forecasts 0 or 1) still shows, as a short thick tick.
    const span = y(b.consistency.low) - top;
    const height = Math.max(4, span);
    return [
      el('rect', {
        x: x(b.meanForecast) - 6,
        y: top - (height - span) / 2,
        width: 12,
        height,
        fill: COLOURS.range,
      }),
    ];
  });
  const outside = (b: ReliabilityBin & { observedFrequency: number }) =>
    b.consistency !== null &&
    (b.observedFrequency < b.consistency.low || b.observedFrequency > b.consistency.high);
  const points = bins.map((b) =>
    el(
      'g',
      {},
      el(
        'circle',
        {
          cx: x(b.meanForecast),
          cy: y(b.observedFrequency),
          r: 5,
          fill: outside(b) ? COLOURS.outside : COLOURS.point,
        },
        el('title', {}, escapeXml(describe(b))),
      ),
      text(`${b.count}`, {
        x: x(b.meanForecast) + 9,
        y: y(b.observedFrequency) - 6,
        'font-size': 11,
        fill: '#333',
        stroke: '#ffffff',
        'stroke-width': 3,
        'paint-order': 'stroke',
      }),
    ),
  );
  const histogram = bins.map((b) => {
    const height = barHeight(b.count);
    const left = x(b.from) + 1;
    const width = Math.max(1, x(b.to) - x(b.from) - 2);
    return el(
      'g',
      {},
      el('rect', { x: left, y: histogramBottom - height, width, height, fill: COLOURS.bar }),
      text(`${b.count}`, {
        x: left + width / 2,
        y: histogramBottom - height - 3,
        'text-anchor': 'middle',
        'font-size': 10,
      }),
    );
  });

  const level = chart.level === undefined ? 'the' : `the ${Math.round(chart.level * 100)} %`;
  const legendTop = histogramBottom + 52;
  const legend = [
    'Dots: each bin’s mean forecast (across) against how often those forecasts came',
    `true (up), with their number. Grey bars: ${level} range a calibrated forecaster’s`,
    'dot falls in; a vermillion dot lies outside it. Dashed: perfect calibration.',
    'Bars below: the forecasts per bin; empty bins are left out.',
  ].map((line, i) => text(line, { x: 16, y: legendTop + i * 15, fill: '#555', 'font-size': 11 }));

  const body = [
    el('rect', { width: WIDTH, height: HEIGHT, fill: '#ffffff' }),
    text(chart.title, { x: 16, y: 24, 'font-size': 16, 'font-weight': 600 }),
    chart.subtitle ? text(chart.subtitle, { x: 16, y: 42, fill: '#555' }) : '',
    ...grid,
    ...ranges,
    el('line', {
      x1: x(0),
      y1: y(0),
      x2: x(1),
      y2: y(1),
      stroke: '#555',
      'stroke-dasharray': '5 4',
    }),
    el('rect', {
      x: PLOT.left,
      y: PLOT.top,
      width: PLOT.size,
      height: PLOT.size,
      fill: 'none',
      stroke: '#555',
    }),
    ...points,
    ...histogram,
    el('line', {
      x1: PLOT.left,
      x2: PLOT.left + PLOT.size,
      y1: histogramBottom,
      y2: histogramBottom,
      stroke: '#555',
    }),
    text('forecasts', {
      x: PLOT.left - 8,
      y: HISTOGRAM.top + HISTOGRAM.height / 2 + 4,
      'text-anchor': 'end',
      fill: '#555',
    }),
    text('forecast probability', {
      x: PLOT.left + PLOT.size / 2,
      y: histogramBottom + 36,
      'text-anchor': 'middle',
    }),
    text('observed frequency', {
      transform: `translate(20 ${PLOT.top + PLOT.size / 2}) rotate(-90)`,
      'text-anchor': 'middle',
    }),
    ...legend,
  ];
  return svgDocument(
    // The figures themselves, for a reader who cannot see the drawing.
    { width: WIDTH, height: HEIGHT, title: chart.title, description: bins.map(describe).join('; ') },
    ...body,
  );
}

function describe(b: ReliabilityBin & { meanForecast: number; observedFrequency: number }): string {
  const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
  const range = b.consistency ? `, consistent ${pct(b.consistency.low)}–${pct(b.consistency.high)}` : '';
  return `${pct(b.from)}–${pct(b.to)}: ${b.count} forecast(s), mean ${pct(b.meanForecast)}, observed ${pct(b.observedFrequency)}${range}`;
}
