// An indicator's chart as an SVG string: its history, the point forecast and the 80 % and 95 % intervals
// as nested bands (the fan), the periods its data stops counting (stale) shaded and the periods without
// data marked. A standalone file with its title and legend (`npm run docs:fan-chart`), or a small
// multiple on the scenario page. scale.ts makes the geometry; the markup is written as text.
import { addDuration, type Cadence, dayStart, monthOf, periodsBetween } from '../domain/period.ts';
import type { IndicatorForecast } from '../forecast/types.ts';
import { withDecimals } from './numbers.ts';
import { areaPath, linearScale, linePath, timeScale } from './scale.ts';
import { el, hline, svgDocument, text } from './svg.ts';
import { STANDALONE, type Theme } from './theme.ts';

export interface FanChartInput {
  title: string;
  unit: string;
  cadence: Cadence;
  /** Observed values, oldest first; the forecast's step 1 is the period after the last one. */
  history: { period: string; value: number }[];
  forecast?: IndicatorForecast | null;
  /** From this instant the newest data no longer counts: shaded up to `end`. */
  staleFrom?: string | null;
  /** The right edge when later than the forecast (the assessment's instant), so a stale stretch shows. */
  end?: string;
  width?: number;
  height?: number;
  /** Default STANDALONE, with the title and the legend; a styled chart is a small multiple without them. */
  theme?: Theme;
}

const FULL = { top: 40, right: 24, bottom: 44, left: 64 };
const SMALL = { top: 10, right: 12, bottom: 24, left: 48 };

export function fanChart(input: FanChartInput): string {
  const theme = input.theme ?? STANDALONE;
  const full = theme.background;
  const margin = full ? FULL : SMALL;
  const width = input.width ?? (full ? 760 : 420);
  const height = input.height ?? (full ? 360 : 200);
  const last = input.history.at(-1);
  if (!last) throw new Error('a fan chart needs at least one observed value');
  const lastAt = dayStart(last.period);
  const steps = (input.forecast?.steps ?? []).map((s) => ({
    ...s,
    at: addDuration(lastAt, input.cadence, s.step),
  }));
  const values = [...input.history.map((h) => h.value), ...steps.flatMap((s) => [s.lower95, s.upper95])];
  const right = Math.max(
    steps.at(-1)?.at.getTime() ?? addDuration(lastAt, input.cadence).getTime(),
    input.end ? Date.parse(input.end) : 0,
  );
  const x = timeScale(
    [dayStart(input.history[0]?.period ?? last.period), new Date(right)],
    [margin.left, width - margin.right],
  );
  const y = linearScale([Math.min(0, ...values), Math.max(...values)], [height - margin.bottom, margin.top], {
    nice: full ? 6 : 4,
  });
  const bottom = height - margin.bottom;

  // The bands and the point forecast start at the last observation, so the fan grows out of the line.
  const anchor = {
    at: lastAt,
    point: last.value,
    lower80: last.value,
    upper80: last.value,
    lower95: last.value,
    upper95: last.value,
  };
  const fan = steps.length > 0 ? [anchor, ...steps] : [];
  type F = (typeof fan)[number];
  const band = (lo: (f: F) => number, hi: (f: F) => number) =>
    areaPath(
      fan.map((f) => [x(f.at), y(hi(f))]),
      fan.map((f) => [x(f.at), y(lo(f))]),
    );
  const historyPath = linePath(input.history.map((h) => [x(dayStart(h.period)), y(h.value)]));
  const pointPath = linePath(fan.map((f) => [x(f.at), y(f.point)]));

  const stale = input.staleFrom ? Date.parse(input.staleFrom) : Number.NaN;
  const staleArea =
    stale < right
      ? el('rect', {
          x: x(new Date(stale)),
          y: margin.top,
          width: x(new Date(right)) - x(new Date(stale)),
          height: bottom - margin.top,
          ...theme.paint('stale', 'fill'),
        })
      : '';
  // A tick under the axis for each period between the first and the last without a value.
  const present = new Set(input.history.map((h) => h.period));
  const first = input.history[0]?.period ?? last.period;
  const missing = periodsBetween(first, last.period, input.cadence)
    .filter((p) => !present.has(p))
    .map((p) =>
      el('line', {
        x1: x(dayStart(p)),
        x2: x(dayStart(p)),
        y1: bottom - 6,
        y2: bottom,
        ...theme.paint('missing', 'stroke'),
        'stroke-width': 2,
      }),
    );

  const yTicks = y
    .ticks(full ? 6 : 4)
    .map((t) =>
      el(
        'g',
        {},
        hline(margin.left, width - margin.right, y(t), theme.paint('grid', 'stroke')),
        text(withDecimals(t, 3), { x: margin.left - 6, y: y(t) + 4, 'text-anchor': 'end' }),
      ),
    );
  const xTicks = x
    .ticks(full ? 8 : 4)
    .map((t) =>
      el(
        'g',
        {},
        el('line', { x1: x(t), x2: x(t), y1: bottom, y2: bottom + 5, ...theme.paint('axis', 'stroke') }),
        text(monthOf(t), { x: x(t), y: bottom + 17, 'text-anchor': 'middle' }),
      ),
    );
  const marks = [
    staleArea,
    ...yTicks,
    // The 95 % band under the 80 % one.
    ...(fan.length === 0
      ? []
      : (['95', '80'] as const).map((level) =>
          el('path', {
            d: band(
              (f) => f[`lower${level}`],
              (f) => f[`upper${level}`],
            ),
            ...theme.paint(`band${level}`, 'fill'),
          }),
        )),
    el('path', { d: historyPath, fill: 'none', ...theme.paint('history', 'stroke'), 'stroke-width': 1.5 }),
    fan.length > 0
      ? el('path', {
          d: pointPath,
          fill: 'none',
          ...theme.paint('point', 'stroke'),
          'stroke-width': 2,
          'stroke-dasharray': '5 3',
        })
      : '',
    hline(margin.left, width - margin.right, bottom, theme.paint('axis', 'stroke')),
    ...missing,
    ...xTicks,
  ];
  const frame = full
    ? [
        el('rect', { width, height, ...theme.paint('surface', 'fill') }),
        text(input.title, { x: margin.left, y: 22, 'font-size': 14, 'font-weight': 600 }),
        ...marks,
        text(input.unit, {
          transform: `translate(14 ${Math.round((bottom + margin.top) / 2)}) rotate(-90)`,
          'text-anchor': 'middle',
        }),
        ...legend(margin.left, height - 10, theme, input.forecast?.method),
      ]
    : marks;
  return svgDocument(
    { width, height, title: input.title, fontSize: 11, attributes: theme.paint('ink', 'fill') },
    ...frame,
  );
}

function legend(left: number, at: number, theme: Theme, method: string | undefined): string[] {
  return [
    el('rect', { x: left, y: at - 9, width: 14, height: 10, ...theme.paint('band95', 'fill') }),
    text('95 % interval', { x: left + 18, y: at }),
    el('rect', { x: left + 120, y: at - 9, width: 14, height: 10, ...theme.paint('band80', 'fill') }),
    text('80 % interval', { x: left + 138, y: at }),
    el('line', {
      x1: left + 240,
      x2: left + 256,
      y1: at - 4,
      y2: at - 4,
      ...theme.paint('point', 'stroke'),
      'stroke-width': 2,
      'stroke-dasharray': '5 3',
    }),
    text(`point forecast${method ? ` (${method})` : ''}`, { x: left + 262, y: at }),
  ];
}
