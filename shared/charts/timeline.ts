// The replay timeline as a self-contained SVG: each path's probability over time, a band showing the
// confirmed path, and a labelled marker at every confirmed shift or reversal (`signpost replay --chart`).
import { scaleLinear, scaleUtc } from 'd3-scale';
import { line } from 'd3-shape';
import { el, text } from './svg.ts';

export interface TimelinePoint {
  /** The instant of the assessment (ISO 8601). */
  at: string;
  probabilities: Record<string, number>;
  /** The confirmed path after this assessment; null while the state has insufficient data. */
  path: string | null;
}

export interface TimelineMarker {
  at: string;
  kind: 'path-shift' | 'reverted';
  from: string;
  to: string;
}

export interface TimelineChart {
  title: string;
  subtitle?: string;
  paths: { id: string; title: string }[];
  points: TimelinePoint[];
  markers: TimelineMarker[];
}

const WIDTH = 960;
const HEIGHT = 460;
const MARGIN = { top: 78, right: 24, bottom: 92, left: 52 };
const BAND_HEIGHT = 14;
/** Colour-blind-safe pairs first (blue/vermillion), then the rest of the Okabe–Ito palette. */
const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];
const NO_PATH = '#bbbbbb';
const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

export function timelineSvg(chart: TimelineChart): string {
  if (chart.points.length === 0) throw new RangeError('a timeline needs at least one assessment');
  const dates = chart.points.map((p) => new Date(p.at));
  const first = dates[0] as Date;
  const last = dates.at(-1) as Date;
  const plotBottom = HEIGHT - MARGIN.bottom;
  const x = scaleUtc()
    .domain([first, last.getTime() === first.getTime() ? new Date(first.getTime() + 86_400_000) : last])
    .range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear().domain([0, 1]).range([plotBottom, MARGIN.top]);
  const colour = new Map(chart.paths.map((p, i) => [p.id, COLOURS[i % COLOURS.length] as string]));

  const grid = y
    .ticks(4)
    .map((t) =>
      el(
        'g',
        {},
        el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: y(t), y2: y(t), stroke: '#e5e5e5' }),
        text(`${Math.round(t * 100)}%`, { x: MARGIN.left - 8, y: y(t) + 4, 'text-anchor': 'end' }),
      ),
    );
  const xTicks = x
    .ticks(Math.min(10, Math.max(2, chart.points.length - 1)))
    .map((t) =>
      el(
        'g',
        {},
        el('line', { x1: x(t), x2: x(t), y1: plotBottom, y2: plotBottom + 4, stroke: '#555' }),
        text(x.tickFormat()(t), { x: x(t), y: plotBottom + BAND_HEIGHT + 22, 'text-anchor': 'middle' }),
      ),
    );

  const lines = chart.paths.map((p) => {
    const d = line<TimelinePoint>()
      .x((point) => x(new Date(point.at)))
      .y((point) => y(point.probabilities[p.id] ?? 0))
      .digits(2)(chart.points);
    return el('path', { d: d ?? '', fill: 'none', stroke: colour.get(p.id), 'stroke-width': 2.2 });
  });

  // The confirmed path: one rectangle per run of equal paths, from one assessment to the next.
  const band: string[] = [];
  const bandY = plotBottom + 6;
  chart.points.forEach((point, i) => {
    const next = chart.points[i + 1];
    const x0 = x(new Date(point.at));
    const x1 = next ? x(new Date(next.at)) : WIDTH - MARGIN.right;
    if (x1 <= x0) return;
    const fill = point.path === null ? NO_PATH : (colour.get(point.path) ?? NO_PATH);
    band.push(
      el('rect', { x: x0, y: bandY, width: x1 - x0, height: BAND_HEIGHT, fill, 'fill-opacity': 0.85 }),
    );
  });

  // Labels alternate between three rows so shifts close together stay readable.
  const markers = chart.markers.map((m, i) => {
    const mx = x(new Date(m.at));
    const row = MARGIN.top - 8 - (i % 3) * 14;
    const label = `${m.kind === 'reverted' ? 'reverted' : 'shift'} ${m.from}→${m.to} ${m.at.slice(0, 7)}`;
    const anchor = mx > WIDTH - 160 ? 'end' : mx < MARGIN.left + 100 ? 'start' : 'middle';
    return el(
      'g',
      {},
      el('line', {
        x1: mx,
        x2: mx,
        y1: row + 3,
        y2: bandY + BAND_HEIGHT,
        stroke: colour.get(m.to) ?? '#333',
        'stroke-dasharray': m.kind === 'reverted' ? '2 3' : '6 3',
        'stroke-width': 1.4,
      }),
      text(label, { x: mx, y: row, 'text-anchor': anchor, 'font-size': 11, fill: '#222' }),
    );
  });

  const legendY = HEIGHT - 30;
  const legend = [
    ...chart.paths.map((p, i) =>
      el(
        'g',
        { transform: `translate(${MARGIN.left + i * 300},${legendY})` },
        el('rect', { width: 14, height: 4, y: -5, fill: colour.get(p.id) }),
        text(`${p.id}: ${p.title}`, { x: 20, y: 0 }),
      ),
    ),
    text(
      'band under the axis: confirmed path (grey: not yet confirmed); dashed lines: shifts, dotted: reversals',
      {
        x: MARGIN.left,
        y: legendY + 18,
        fill: '#555',
        'font-size': 11,
      },
    ),
  ];

  const body = [
    el('rect', { width: WIDTH, height: HEIGHT, fill: '#ffffff' }),
    text(chart.title, { x: MARGIN.left, y: 22, 'font-size': 16, 'font-weight': 600 }),
    chart.subtitle ? text(chart.subtitle, { x: MARGIN.left, y: 40, fill: '#555' }) : '',
    ...grid,
    ...lines,
    ...band,
    el('line', { x1: MARGIN.left, x2: WIDTH - MARGIN.right, y1: plotBottom, y2: plotBottom, stroke: '#555' }),
    ...xTicks,
    ...markers,
    ...legend,
  ];
  return `${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width: WIDTH,
      height: HEIGHT,
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      'font-family': FONT,
      'font-size': 12,
      role: 'img',
      'aria-label': chart.title,
    },
    el('title', {}, chart.title),
    ...body,
  )}\n`;
}
