// Reads a source's raw text from a local file or, under the fetch policy, from an HTTP(S) URL.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Indicator } from '../config/scenario-schema.ts';
import type { Source } from '../config/source-schema.ts';
import { DEFAULT_FETCH_POLICY } from './fetch-policy.ts';
import { fetchSource } from './fetch-source.ts';
import { SourceError } from './source-error.ts';

export { SourceError } from './source-error.ts';

export const MAX_SOURCE_BYTES = DEFAULT_FETCH_POLICY.maxBytes;

/** A source that reads something: every kind but `manual`. */
export type FetchedSource = Exclude<Source, { kind: 'manual' }>;

/** Where the source's data lives: a URL, or a file path resolved against the scenario's folder. */
export function sourceLocation(source: FetchedSource, scenarioDir: string): string {
  return ('url' in source ? source.url : undefined) ?? resolve(scenarioDir, source.path ?? '');
}

/**
 * How a source is named in stored observations, errors, logs and alerts: a URL without its query
 * string and fragment, which may carry an API key; a file by its path as written in the scenario.
 */
export function sourceLabel(source: Source): string {
  if (source.kind === 'manual') return 'manual';
  const url = 'url' in source ? source.url : undefined;
  if (!url) return source.path ?? '';
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/**
 * What an indicator's stored observations are computed from: its source (the full URL with its query,
 * the selectors, headers, transforms) and its cadence, as a SHA-256. Validators (ETag,
 * Last-Modified) are only sent for the configuration that stored the last body: after any edit the
 * publisher's 304 would otherwise keep the observations of the old configuration forever. A hash,
 * so a token in a query string is not stored with the health record.
 */
export function sourceFingerprint(indicator: Pick<Indicator, 'source' | 'cadence'>): string {
  return createHash('sha256')
    .update(JSON.stringify({ source: indicator.source, cadence: indicator.cadence }))
    .digest('base64url');
}

/** A file's text (size-limited), or a URL's under the default fetch policy accepting any type. */
export async function fetchText(location: string, label = location): Promise<string> {
  if (/^https?:\/\//.test(location)) {
    const outcome = await fetchSource({ url: location, label, accept: [] });
    if (outcome.notModified) throw new SourceError(label, 'not modified');
    return outcome.text;
  }
  const info = await stat(location).catch(() => null);
  if (!info?.isFile()) throw new SourceError(label, 'no such file');
  if (info.size > MAX_SOURCE_BYTES) throw new SourceError(label, `larger than ${MAX_SOURCE_BYTES} bytes`);
  return readFile(location, 'utf8');
}
