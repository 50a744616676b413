// Writing SVG markup as strings: element builder and XML escaping. d3 builds the geometry, but its DOM
// half (d3-selection) needs a document; a chart made in Node only needs text, so this builds the text.

export type Attributes = Record<string, string | number | undefined>;

/** Escapes text and attribute values for XML. */
export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`,
  );
}

/** One element; `children` are already markup (use {@link text} for text content). */
export function el(name: string, attributes: Attributes = {}, ...children: string[]): string {
  const attrs = Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXml(typeof v === 'number' ? round(v) : String(v))}"`)
    .join('');
  return children.length === 0 ? `<${name}${attrs}/>` : `<${name}${attrs}>${children.join('')}</${name}>`;
}

/** The font every chart uses: the platform's interface font. */
export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';

/**
 * A whole chart: the root element, sized and described for assistive technology (role, label, a
 * `<title>`, and a `<desc>` when there is more to say than the title), around already-built markup.
 */
export function svgDocument(
  frame: {
    width: number;
    height: number;
    title: string;
    description?: string;
    /** Default 12. */
    fontSize?: number;
    /** More attributes of the root (a theme's ink colour). */
    attributes?: Attributes;
  },
  ...body: string[]
): string {
  const { width, height, title, description } = frame;
  return `${el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      width,
      height,
      viewBox: `0 0 ${width} ${height}`,
      'font-family': FONT,
      'font-size': frame.fontSize ?? 12,
      ...frame.attributes,
      role: 'img',
      'aria-label': title,
    },
    el('title', {}, escapeXml(title)),
    description === undefined ? '' : el('desc', {}, escapeXml(description)),
    ...body,
  )}\n`;
}

/** A horizontal line from x1 to x2 at y: grid lines and axes. */
export function hline(x1: number, x2: number, y: number, attributes: Attributes = {}): string {
  return el('line', { x1, x2, y1: y, y2: y, ...attributes });
}

export function text(content: string, attributes: Attributes = {}): string {
  return el('text', attributes, escapeXml(content));
}

/** Coordinates to two decimals: enough for a screen, and a smaller file that diffs well. */
function round(value: number): string {
  return String(Math.round(value * 100) / 100);
}
