// What the small charts of a page (sparkline, diverging bar) share: what they take besides their data, and
// their root element, an image labelled for screen readers.
import { el, escapeXml } from './svg.ts';
import type { Theme } from './theme.ts';

export interface SmallChart {
  /** What the chart shows, in words: its accessible name. */
  label: string;
  theme: Theme;
  width?: number;
  height?: number;
}

/** The chart's root: `width` by `height`, the view box shifted left by `left` (room for a mark's overhang). */
export function smallSvg(
  label: string,
  size: { width: number; height: number; left?: number },
  ...marks: string[]
) {
  const { width, height, left = 0 } = size;
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `${-left} 0 ${width} ${height}`,
      role: 'img',
      'aria-label': label,
    },
    el('title', {}, escapeXml(label)),
    ...marks,
  );
}
