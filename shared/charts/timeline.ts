// The probability timeline as SVG: each path's probability over time, a band showing the confirmed
// path, a labelled marker at every confirmed shift or reversal, a triangle at every forecast warning,
// and the projected probabilities ahead, dashed (`signpost replay --chart`, the scenario page).
import { monthOf } from '../domain/period.ts';
import { linearScale, linePath, timeScale } from './scale.ts';
import { el, hline, svgDocument, text } from './svg.ts';
import { pathRole, STANDALONE, type Theme } from './theme.ts';

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

/** A forecast warning: a change of path toward `to` projected as likely. */
export interface TimelineWarning {
  at: string;
  to: string;
}

export interface TimelineChart {
  title: string;
  subtitle?: string;
  paths: { id: string; title: string }[];
  points: TimelinePoint[];
  markers: TimelineMarker[];
  warnings?: TimelineWarning[];
  /** Projected probabilities after the last assessment, by step: drawn dashed, continuing each line. */
  projection?: { at: string; probabilities: Record<string, number> }[];
  /** Default STANDALONE: colours in the file. */
  theme?: Theme;
}

const WIDTH = 960;
const HEIGHT = 480;
const MARGIN = { top: 112, right: 24, bottom: 92, left: 52 };
/** Marker labels sit in rows above the plot, each taken by the first label that fits in it. */
const LABEL_ROWS = 4;
const LABEL_ROW = 14;
const labelsTop = MARGIN.top - 8 - (LABEL_ROWS - 1) * LABEL_ROW;
/** Rough width of one character at 11 px in a sans-serif font, to keep labels from overlapping. */
const CHAR_WIDTH = 6.3;
const BAND_HEIGHT = 14;

export function timelineSvg(chart: TimelineChart): string {
  if (chart.points.length === 0) throw new RangeError('a timeline needs at least one assessment');
  const theme = chart.theme ?? STANDALONE;
  const projection = chart.projection ?? [];
  const dates = chart.points.map((p) => new Date(p.at));
  const first = dates[0] as Date;
  const last = dates.at(-1) as Date;
  const plotBottom = HEIGHT - MARGIN.bottom;
  // The last assessment holds until the next would come: one mean step past it, so its band shows.
  const step = dates.length > 1 ? (last.getTime() - first.getTime()) / (dates.length - 1) : 86_400_000;
  const projectedTo = projection.at(-1)?.at;
  const end =
    projectedTo && Date.parse(projectedTo) > last.getTime() + step
      ? new Date(projectedTo)
      : new Date(last.getTime() + step);
  const x = timeScale([first, end], [MARGIN.left, WIDTH - MARGIN.right]);
  const y = linearScale([0, 1], [plotBottom, MARGIN.top]);
  const role = new Map(chart.paths.map((p, i) => [p.id, pathRole(i)]));
  const paint = (pathId: string | null | undefined, as: 'fill' | 'stroke') =>
    theme.paint((pathId !== null && pathId !== undefined && role.get(pathId)) || 'nopath', as);

  const grid = y.ticks(4).map((t) =>
    el(
      'g',
      {},
      el('line', {
        x1: MARGIN.left,
        x2: WIDTH - MARGIN.right,
        y1: y(t),
        y2: y(t),
        ...theme.paint('grid', 'stroke'),
      }),
      text(`${Math.round(t * 100)}%`, { x: MARGIN.left - 8, y: y(t) + 4, 'text-anchor': 'end' }),
    ),
  );
  const xTicks = x.ticks(Math.min(10, Math.max(2, chart.points.length - 1))).map((t) =>
    el(
      'g',
      {},
      el('line', {
        x1: x(t),
        x2: x(t),
        y1: plotBottom,
        y2: plotBottom + 4,
        ...theme.paint('axis', 'stroke'),
      }),
      text(x.label(t), { x: x(t), y: plotBottom + BAND_HEIGHT + 22, 'text-anchor': 'middle' }),
    ),
  );

  const lines = chart.paths.map((p) => {
    const d = linePath(
      chart.points.map((point) => [x(new Date(point.at)), y(point.probabilities[p.id] ?? 0)]),
    );
    return el('path', { d, fill: 'none', ...paint(p.id, 'stroke'), 'stroke-width': 2.2 });
  });
  // The projection continues each line from the last assessment, dashed.
  const lastPoint = chart.points.at(-1) as TimelinePoint;
  const ahead =
    projection.length === 0
      ? []
      : chart.paths.map((p) => {
          const d = linePath(
            [lastPoint, ...projection].map((point) => [
              x(new Date(point.at)),
              y(point.probabilities[p.id] ?? 0),
            ]),
          );
          return el('path', {
            d,
            fill: 'none',
            ...paint(p.id, 'stroke'),
            'stroke-width': 2,
            'stroke-dasharray': '4 4',
          });
        });
  const projectedArea =
    projection.length === 0
      ? []
      : [
          el('rect', {
            x: x(last),
            y: MARGIN.top,
            width: Math.max(0, x(end) - x(last)),
            height: plotBottom - MARGIN.top,
            ...theme.paint('grid', 'fill'),
            'fill-opacity': 0.45,
          }),
          text('projected', { x: x(last) + 4, y: MARGIN.top + 12, ...theme.paint('muted', 'fill') }),
        ];

  // The confirmed path: one rectangle per run of the same path (one per step would show seams).
  const band: string[] = [];
  const bandY = plotBottom + 6;
  let runStart = 0;
  chart.points.forEach((point, i) => {
    const next = chart.points[i + 1];
    if (next && next.path === point.path) return;
    const x0 = x(new Date((chart.points[runStart] as TimelinePoint).at));
    const x1 = next ? x(new Date(next.at)) : x(new Date(last.getTime() + step));
    runStart = i + 1;
    if (x1 <= x0) return;
    band.push(
      el('rect', {
        x: x0,
        y: bandY,
        width: x1 - x0,
        height: BAND_HEIGHT,
        ...paint(point.path, 'fill'),
        'fill-opacity': 0.85,
      }),
    );
  });

  // Every marker line first, then every label: a later line never runs over an earlier label.
  const placed = markerLayout(chart.markers, x);
  const markerLines = placed.map(({ marker: m, x: mx, row }) =>
    el('line', {
      x1: mx,
      x2: mx,
      y1: labelsTop + row * LABEL_ROW + 3,
      y2: bandY + BAND_HEIGHT,
      ...paint(m.to, 'stroke'),
      'stroke-dasharray': m.kind === 'reverted' ? '2 3' : '6 3',
      'stroke-width': 1.4,
    }),
  );
  const markerLabels = placed.map(({ x: mx, row, anchor, label }) =>
    text(label, {
      x: anchor === 'start' ? mx + 3 : mx - 3,
      y: labelsTop + row * LABEL_ROW,
      'text-anchor': anchor,
      'font-size': 11,
      ...theme.paint('ink', 'fill'),
      // A halo of the background keeps a label readable where another marker's line crosses it.
      ...theme.paint('halo', 'stroke'),
      'stroke-width': 3,
      'paint-order': 'stroke',
    }),
  );

  // Forecast warnings: a small triangle pointing down onto the plot, in the colour of the path warned of.
  const warnings = (chart.warnings ?? []).map((w) => {
    const wx = x(new Date(w.at));
    const top = MARGIN.top - 10;
    return el('path', {
      d: `M${(wx - 5).toFixed(2)},${top} L${(wx + 5).toFixed(2)},${top} L${wx.toFixed(2)},${top + 8} Z`,
      ...paint(w.to, 'fill'),
    });
  });

  const legendY = HEIGHT - 30;
  const legend = [
    ...chart.paths.map((p, i) =>
      el(
        'g',
        { transform: `translate(${MARGIN.left + i * 300},${legendY})` },
        el('rect', { width: 14, height: 4, y: -5, ...paint(p.id, 'fill') }),
        text(`${p.id}: ${p.title}`, { x: 20, y: 0 }),
      ),
    ),
    text(
      (projection.length > 0 ? 'dashed ahead: projected; ' : '') +
        (warnings.length > 0
          ? 'band under the axis: confirmed path (grey: none yet); dashed: shifts; dotted: reversals; triangles: forecast warnings'
          : 'band under the axis: confirmed path (grey: not yet confirmed); dashed lines: shifts, dotted: reversals'),
      {
        x: MARGIN.left,
        y: legendY + 18,
        ...theme.paint('muted', 'fill'),
        'font-size': 11,
      },
    ),
  ];

  const body = [
    theme.background ? el('rect', { width: WIDTH, height: HEIGHT, ...theme.paint('surface', 'fill') }) : '',
    text(chart.title, { x: MARGIN.left, y: 22, 'font-size': 16, 'font-weight': 600 }),
    chart.subtitle ? text(chart.subtitle, { x: MARGIN.left, y: 40, ...theme.paint('muted', 'fill') }) : '',
    ...projectedArea,
    ...grid,
    ...lines,
    ...ahead,
    ...band,
    hline(MARGIN.left, WIDTH - MARGIN.right, plotBottom, theme.paint('axis', 'stroke')),
    ...xTicks,
    ...markerLines,
    ...warnings,
    ...markerLabels,
    ...legend,
  ];
  return svgDocument(
    {
      width: WIDTH,
      height: HEIGHT,
      title: chart.title,
      attributes: theme.background ? {} : theme.paint('ink', 'fill'),
    },
    ...body,
  );
}

interface PlacedMarker {
  marker: TimelineMarker;
  x: number;
  row: number;
  anchor: 'start' | 'end';
  label: string;
}

/**
 * Places each marker's label in the first row where it does not overlap the previous label, to the
 * right of its line (to the left near the right edge); the last row takes what fits nowhere.
 */
function markerLayout(markers: TimelineMarker[], x: (date: Date) => number): PlacedMarker[] {
  const rowEnds: number[] = Array.from({ length: LABEL_ROWS }, () => -Infinity);
  return [...markers]
    .sort((a, b) => (a.at < b.at ? -1 : 1))
    .map((marker) => {
      const mx = x(new Date(marker.at));
      const label = `${marker.kind === 'reverted' ? 'reverted' : 'shift'} → ${marker.to} · ${monthOf(marker.at)}`;
      const width = label.length * CHAR_WIDTH + 6;
      const anchor = mx + width > WIDTH - MARGIN.right ? 'end' : 'start';
      const left = anchor === 'start' ? mx : mx - width;
      const free = rowEnds.findIndex((end) => end < left);
      const row = free === -1 ? LABEL_ROWS - 1 : free;
      rowEnds[row] = left + width;
      return { marker, x: mx, row, anchor, label };
    });
}
