// A sparkline: each path's probability over the recent assessments, one thin line per path, with no
// axes, for the list of scenarios.
import { linearScale, linePath } from './scale.ts';
import { el, escapeXml } from './svg.ts';
import { pathRole, type Theme } from './theme.ts';

export interface SparklineInput {
  /** What the line shows, for screen readers. */
  label: string;
  paths: string[];
  /** Oldest first: the probabilities of each assessment. */
  points: Record<string, number>[];
  theme: Theme;
  width?: number;
  height?: number;
}

export function sparkline(input: SparklineInput): string {
  const width = input.width ?? 120;
  const height = input.height ?? 28;
  const x = linearScale([0, Math.max(1, input.points.length - 1)], [1, width - 1]);
  const y = linearScale([0, 1], [height - 2, 2]);
  const lines = input.paths.map((path, i) =>
    el('path', {
      d: linePath(input.points.map((p, k) => [x(k), y(p[path] ?? 0)])),
      fill: 'none',
      ...input.theme.paint(pathRole(i), 'stroke'),
      'stroke-width': 1.5,
    }),
  );
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'aria-label': input.label,
    },
    el('title', {}, escapeXml(input.label)),
    el('line', { x1: 0, x2: width, y1: y(0.5), y2: y(0.5), ...input.theme.paint('grid', 'stroke') }),
    ...lines,
  );
}
