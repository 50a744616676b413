// How a chart colours its marks: inline, for a standalone SVG file (the docs' charts, `replay --chart`),
// or by class, for an SVG inside a page whose stylesheet colours it and switches with the colour scheme.
import type { Attributes } from './svg.ts';

/** What a mark is, which decides its colour. */
export const ROLES = [
  'surface',
  'ink',
  'muted',
  'grid',
  'axis',
  'halo',
  'path0',
  'path1',
  'path2',
  'path3',
  'path4',
  'path5',
  'nopath',
  'history',
  'point',
  'band80',
  'band95',
  'stale',
  'missing',
  'favour',
  'against',
] as const;
export type Role = (typeof ROLES)[number];

/** The colours on a light background; a standalone file always uses these. */
export const LIGHT: Record<Role, string> = {
  surface: '#ffffff',
  ink: '#222',
  muted: '#555',
  grid: '#e5e5e5',
  axis: '#555',
  halo: '#ffffff',
  // Colour-blind-safe pairs first (blue/vermillion), then the rest of the Okabe–Ito palette.
  path0: '#0072b2',
  path1: '#d55e00',
  path2: '#009e73',
  path3: '#cc79a7',
  path4: '#e69f00',
  path5: '#56b4e9',
  nopath: '#bbbbbb',
  history: '#1f2933',
  point: '#c2410c',
  band80: '#fdba74',
  band95: '#ffedd5',
  stale: '#f3e8d0',
  missing: '#b91c1c',
  favour: '#0072b2',
  against: '#d55e00',
};

/** The same roles on a dark background: lighter lines, darker bands, the same hues. */
export const DARK: Record<Role, string> = {
  surface: '#15191e',
  ink: '#e6e8eb',
  muted: '#a9b1bb',
  grid: '#2e353d',
  axis: '#8b949e',
  halo: '#15191e',
  path0: '#56b4e9',
  path1: '#f08a4b',
  path2: '#2fc19a',
  path3: '#e29ac8',
  path4: '#f0b429',
  path5: '#9ad3f5',
  nopath: '#5b6470',
  history: '#e6e8eb',
  point: '#fb923c',
  band80: '#9a4a16',
  band95: '#4a2a14',
  stale: '#3a3322',
  missing: '#f87171',
  favour: '#56b4e9',
  against: '#f08a4b',
};

export interface Theme {
  /** The attribute that colours a mark's fill or stroke. */
  paint(role: Role, as: 'fill' | 'stroke'): Attributes;
  /** Whether the chart paints its own background (a file) or shows the page's. */
  background: boolean;
}

/** Colours written into the SVG: a file that looks the same anywhere. */
export const STANDALONE: Theme = {
  paint: (role, as) => ({ [as]: LIGHT[role] }),
  background: true,
};

/** Classes (`f-ink`, `s-grid`) that the page's stylesheet (themeCss) colours. */
export const STYLED: Theme = {
  paint: (role, as) => ({ class: `${as === 'fill' ? 'f' : 's'}-${role}` }),
  background: false,
};

/** The path colour roles, in the scenario's path order (cycling past six). */
export function pathRole(index: number): Role {
  return `path${index % 6}` as Role;
}

/**
 * The stylesheet STYLED charts need: a custom property per role for each colour scheme, and the
 * classes that apply them. Text takes `fill` from the class too.
 */
export function themeCss(): string {
  const vars = (colours: Record<Role, string>) => ROLES.map((role) => `--${role}:${colours[role]}`).join(';');
  const rules = ROLES.map((role) => `.f-${role}{fill:var(--${role})}.s-${role}{stroke:var(--${role})}`).join(
    '',
  );
  return `:root{${vars(LIGHT)}}@media (prefers-color-scheme:dark){:root{${vars(DARK)}}}${rules}`;
}
