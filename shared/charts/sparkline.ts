// A sparkline: each path's probability over the recent assessments, one thin line per path, with no
// axes, for the list of scenarios.
import { linearScale, linePath } from './scale.ts';
import { type SmallChart, smallSvg } from './small.ts';
import { el, hline } from './svg.ts';
import { pathRole } from './theme.ts';

export interface SparklineInput extends SmallChart {
  paths: string[];
  /** Oldest first: the probabilities of each assessment. */
  points: Record<string, number>[];
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
  return smallSvg(
    input.label,
    { width, height },
    hline(0, width, y(0.5), input.theme.paint('grid', 'stroke')),
    ...lines,
  );
}
