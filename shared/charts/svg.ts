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
