// A diverging bar: a weight of evidence in decibans drawn from a centre line, to the right (for) or the
// left (against), on a scale clipped at ±`limit` (an arrow head shows a clipped bar).
import { linearScale, linePath } from './scale.ts';
import { type SmallChart, smallSvg } from './small.ts';
import { el, hline } from './svg.ts';

export interface DivergingBarInput extends SmallChart {
  decibans: number;
  /** The scale's end on each side, in decibans. */
  limit: number;
}

export function divergingBar(input: DivergingBarInput): string {
  const width = input.width ?? 160;
  const height = input.height ?? 14;
  const x = linearScale([-input.limit, input.limit], [1, width - 1], { clamp: true });
  const centre = x(0);
  const end = x(input.decibans);
  const clipped = Math.abs(input.decibans) > input.limit;
  const role = input.decibans >= 0 ? 'favour' : 'against';
  const bar = el('rect', {
    x: Math.min(centre, end),
    y: 2,
    width: Math.abs(end - centre),
    height: height - 4,
    ...input.theme.paint(role, 'fill'),
  });
  const sign = input.decibans >= 0 ? 1 : -1;
  const arrow = clipped
    ? el('path', {
        d: `${linePath([
          [end, height / 2 - 5],
          [end + sign * 5, height / 2],
          [end, height / 2 + 5],
        ])}Z`,
        ...input.theme.paint(role, 'fill'),
      })
    : '';
  return smallSvg(
    input.label,
    { width: width + 6, height, left: 3 },
    hline(0, width, height / 2, input.theme.paint('grid', 'stroke')),
    bar,
    arrow,
    el('line', { x1: centre, x2: centre, y1: 0, y2: height, ...input.theme.paint('axis', 'stroke') }),
  );
}
