// The frame every page shares: the document head, the stylesheet (light and dark colour schemes), the
// header and footer, and the Content-Security-Policy that allows exactly that stylesheet and nothing else
// (no script, no external resource): the pages are HTML and inline SVG, readable with JavaScript off.
import { createHash } from 'node:crypto';
import { withDecimals, withSignificant } from '../../shared/charts/numbers.ts';
import { escapeXml } from '../../shared/charts/svg.ts';
import { themeCss } from '../../shared/charts/theme.ts';

/** Text for HTML content and attribute values. */
export const esc = escapeXml;

const PAGE_CSS = `:root{color-scheme:light dark;--bg:#ffffff;--fg:#1a1a1a;--soft:#4d4d4d;--card:#f6f7f9;--line:#d5d9de;--link:#0b57a4;--ok-bg:#e3f3e8;--ok-fg:#1b5a2e;--warn-bg:#fff1cc;--warn-fg:#6a4500;--bad-bg:#fde4e4;--bad-fg:#8a1c1c}
@media (prefers-color-scheme:dark){:root{--bg:#15191e;--fg:#e6e8eb;--soft:#b3bbc4;--card:#1d232a;--line:#39424c;--link:#8cc4ff;--ok-bg:#1b3325;--ok-fg:#95dcaa;--warn-bg:#3b3220;--warn-fg:#ffd479;--bad-bg:#3f1f1f;--bad-fg:#ffa3a3}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
a{color:var(--link)}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:var(--bg);padding:4px 8px}
header.top,footer{border-bottom:1px solid var(--line);padding:10px 16px}
footer{border-top:1px solid var(--line);border-bottom:0;color:var(--soft);font-size:14px;margin-top:32px}
header.top a{font-weight:600;text-decoration:none}
main{max-width:1120px;margin:0 auto;padding:8px 16px}
h1{font-size:28px;line-height:1.25;margin:16px 0 8px}
h2{font-size:21px;margin:32px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
h3{font-size:17px;margin:0 0 4px}
p{margin:6px 0}
.lede{color:var(--soft);max-width:72ch}
.headline{font-size:19px;max-width:72ch}
.soft{color:var(--soft)}
.facts{display:flex;flex-wrap:wrap;gap:4px 24px;margin:12px 0;padding:0}
.facts div{min-width:0}.facts dt{font-size:13px;color:var(--soft)}.facts dd{margin:0;font-weight:600}
nav.toc ul{display:flex;flex-wrap:wrap;gap:4px 16px;list-style:none;padding:0;margin:8px 0}
svg{max-width:100%;height:auto}
.chart{margin:8px 0}
.scroll{overflow-x:auto;max-width:100%}
table{border-collapse:collapse;font-size:15px;width:100%}
th,td{text-align:left;vertical-align:top;padding:6px 8px;border-bottom:1px solid var(--line)}
th{font-size:14px;color:var(--soft);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr));gap:16px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px;min-width:0}
.cards{list-style:none;padding:0;margin:0;display:grid;gap:16px;grid-template-columns:repeat(auto-fill,minmax(min(100%,340px),1fr))}
.cards dl{display:grid;grid-template-columns:auto 1fr;gap:2px 12px;margin:8px 0}.cards dt{color:var(--soft)}.cards dd{margin:0}
.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:13px;font-weight:600}
.ok{background:var(--ok-bg);color:var(--ok-fg)}.warn{background:var(--warn-bg);color:var(--warn-fg)}.bad{background:var(--bad-bg);color:var(--bad-fg)}
.chip{display:inline-block;width:12px;height:12px;border-radius:2px;margin-right:6px;vertical-align:-1px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:14px;color:var(--soft);margin:4px 0}
.legend svg{vertical-align:middle}
details summary{cursor:pointer;color:var(--link)}
code{font-size:14px;overflow-wrap:anywhere}
time{white-space:nowrap}
.card-title{font-size:20px;margin:0 0 4px;border:0;padding:0}
.wrap{overflow-wrap:anywhere}
${themeCss()}`;

/** The one stylesheet, and its hash: the CSP allows this exact text and no other style. */
const STYLE_HASH = `'sha256-${createHash('sha256').update(PAGE_CSS).digest('base64')}'`;

/**
 * Nothing but the inline stylesheet: no script, no frame, no form, no external fetch; images only as
 * data: URIs (the empty favicon, so the browser asks for none).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `style-src ${STYLE_HASH}`,
  'img-src data:',
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export interface PageFrame {
  title: string;
  /** The breadcrumb after the site name, if any. */
  crumb?: string;
  body: string;
}

export function page({ title, crumb, body }: PageFrame): string {
  const trail = crumb
    ? ` <span aria-hidden="true">›</span> <span aria-current="page">${esc(crumb)}</span>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>${esc(title)}</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header class="top"><nav aria-label="Site"><a href="/">Signpost</a>${trail}</nav></header>
<main id="main">
${body}
</main>
<footer><p>Signpost: scenario paths, key indicators and Bayesian assessments. Data as JSON: <a href="/v1/scenarios">/v1/scenarios</a>, the API described in <a href="/v1/openapi.json">/v1/openapi.json</a>.</p></footer>
</body>
</html>
`;
}

/** A percentage for people: one decimal below 10 % and above 90 %, where the tails matter. */
export function percent(p: number | undefined): string {
  if (p === undefined || Number.isNaN(p)) return 'n/a';
  const value = p * 100;
  return `${value < 10 || value > 90 ? value.toFixed(1) : Math.round(value)} %`;
}

/** A figure for people: whole and grouped from 100 up, three significant digits below. */
export function figure(value: number): string {
  return Math.abs(value) >= 100 ? withDecimals(value, 0) : withSignificant(value, 3);
}

/** A signed figure in decibans. */
export function decibans(value: number): string {
  return `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(1)} dB`;
}

/** A date (`YYYY-MM-DD`) in a <time> element. */
export function date(instant: string | null | undefined): string {
  if (!instant) return '–';
  const day = instant.slice(0, 10);
  return `<time datetime="${esc(instant)}">${esc(day)}</time>`;
}

/** A coloured status badge: `ok`, `warn` or `bad`, always with its word (colour is never the only cue). */
export function badge(tone: 'ok' | 'warn' | 'bad', label: string): string {
  return `<span class="badge ${tone}">${esc(label)}</span>`;
}

/** A table in a region that scrolls on its own on a narrow screen (the page itself never does). */
export function scrollTable(label: string, table: string): string {
  return `<div class="scroll" role="region" aria-label="${esc(label)}" tabindex="0">${table}</div>`;
}
