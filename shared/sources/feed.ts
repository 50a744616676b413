// The `feed` source kind: RSS 2.0 or Atom items, counted per period when they match keywords or a
// regular expression; matching items' titles and links are kept as the evidence trail.
import { XMLParser } from 'fast-xml-parser';
import type { Source } from '../config/source-schema.ts';
import type { RawRecord } from './records.ts';
import { SourceError } from './source-error.ts';

type FeedSource = Extract<Source, { kind: 'feed' }> | Extract<Source, { format: 'feed' }>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  htmlEntities: true,
  isArray: (name) => ['item', 'entry', 'link'].includes(name),
});

type Node = Record<string, unknown>;

function text(node: unknown): string {
  if (typeof node === 'string') return node.trim();
  if (Array.isArray(node)) return text(node[0]);
  if (node !== null && typeof node === 'object') return text((node as Node)['#text']);
  return '';
}

/** RFC 822 dates (RSS) carry a zone name or offset; one without is ambiguous and rejected. */
const RFC822_ZONE = /(?:\bGMT|\bUTC?|\bZ|\b[ECMP][SD]T|[+-]\d{4})\s*$/i;

function rssTime(raw: string): string {
  if (raw === '' || !RFC822_ZONE.test(raw)) return raw;
  const ms = Date.parse(raw);
  return Number.isNaN(ms) ? raw : new Date(ms).toISOString();
}

function atomLink(links: unknown): string | undefined {
  const list = (Array.isArray(links) ? links : [links]).filter(
    (l): l is Node => l !== null && typeof l === 'object',
  );
  const alternate = list.find((l) => (l['@_rel'] ?? 'alternate') === 'alternate') ?? list[0];
  const href = alternate?.['@_href'];
  return typeof href === 'string' ? href : undefined;
}

export function readFeed(text_: string, source: FeedSource, location: string): RawRecord[] {
  let document: Node;
  try {
    document = parser.parse(text_, true) as Node;
  } catch (error) {
    throw new SourceError(location, `not valid XML: ${(error as Error).message.split('\n')[0]}`);
  }
  const rss = (document.rss as Node | undefined)?.channel as Node | undefined;
  const atom = document.feed as Node | undefined;
  if (!rss && !atom) throw new SourceError(location, 'neither an RSS 2.0 <rss><channel> nor an Atom <feed>');
  const keywords = (source.keywords ?? []).map((k) => k.toLowerCase());
  const pattern = source.match === undefined ? undefined : new RegExp(source.match, 'i');
  const matches = (content: string) =>
    (keywords.length === 0 && pattern === undefined) ||
    keywords.some((k) => content.toLowerCase().includes(k)) ||
    (pattern?.test(content) ?? false);

  const items = ((rss ? rss.item : atom?.entry) ?? []) as Node[];
  return items.map((item, i) => {
    const title = text(item.title);
    const summary = text(rss ? item.description : (item.summary ?? item.content));
    const link = rss ? text(item.link) || undefined : atomLink(item.link);
    const time = rss ? rssTime(text(item.pubDate ?? item['dc:date'])) : text(item.published ?? item.updated);
    const hit = matches(`${title}\n${summary}`);
    return {
      at: `${rss ? 'item' : 'entry'}[${i}]`,
      time,
      value: hit ? 1 : 0,
      fields: { title, link },
      ...(hit ? { evidence: { title, time, ...(link ? { link } : {}) } } : {}),
    };
  });
}
