// Reads one indicator's source, whatever its kind, into observations.
import { resolve } from 'node:path';
import type { AreaOfInterestSpec } from '../config/area-schema.ts';
import type { Indicator } from '../config/scenario-schema.ts';
import type { AreaOfInterest } from './area-of-interest.ts';
import { effectivePolicy, type FetchPolicy, type Validators } from './fetch-policy.ts';
import { fetchSource } from './fetch-source.ts';
import { fetchText, sourceLabel, sourceLocation } from './fetch-text.ts';
import { resolveHeaders, type SecretReader } from './headers.ts';
import { readJsonPage } from './json.ts';
import { type Extraction, type RawRecord, toObservations } from './records.ts';
import { SourceError } from './source-error.ts';

type Format = 'csv' | 'json' | 'feed' | 'geojson';

/** The media types each format accepts over HTTP; `+json` / `+xml` accept any structured suffix. */
export const ACCEPTED_TYPES: Record<Format, readonly string[]> = {
  csv: ['text/csv', 'application/csv', 'text/plain', 'application/octet-stream'],
  json: ['application/json', 'text/json', '+json'],
  feed: ['application/rss+xml', 'application/atom+xml', 'application/xml', 'text/xml', '+xml'],
  geojson: ['application/geo+json', 'application/json', '+json'],
};

export interface ReadOptions {
  /** The instant of the run: what a GeoJSON snapshot without dates describes. */
  now?: Date;
  /** From the last successful run: sent as a conditional GET. */
  validators?: Validators;
  policy?: Partial<FetchPolicy>;
  env?: NodeJS.ProcessEnv;
  readSecret?: SecretReader;
}

export interface IndicatorRead extends Extraction {
  /** The publisher answered 304 to the conditional GET: nothing to store. */
  notModified: boolean;
  /** The validators of the body read, to send next time (HTTP sources only). */
  validators: Validators;
}

export async function readIndicator(
  indicator: Indicator,
  scenarioDir: string,
  options: ReadOptions = {},
): Promise<IndicatorRead> {
  const source = indicator.source;
  if (source.kind === 'manual') throw new SourceError('manual', 'a manual source is posted, not fetched');
  const label = sourceLabel(source);
  const format: Format = source.kind === 'file' ? source.format : source.kind;
  const now = options.now ?? new Date();
  // The CSV, feed and GeoJSON readers are imported when a source of their kind is read: their parsers
  // (csv-parse ≈ 30 KB, fast-xml-parser and its helpers ≈ 60 KB, polyclip-ts for an area of interest
  // ≈ 45 KB) then load in the deployed function only when needed, as chunks of their own, instead of
  // at every cold start.
  const parse = async (text: string): Promise<RawRecord[]> => {
    switch (format) {
      case 'csv': {
        const { readCsv } = await import('./csv.ts');
        return readCsv(text, source as Parameters<typeof readCsv>[1], label);
      }
      case 'feed': {
        const { readFeed } = await import('./feed.ts');
        return readFeed(text, source as Parameters<typeof readFeed>[1], label);
      }
      case 'geojson': {
        const { readGeojson } = await import('./geojson.ts');
        const geojson = source as Parameters<typeof readGeojson>[1];
        const area = geojson.within ? await loadAreaOfInterest(geojson.within, scenarioDir) : undefined;
        return readGeojson(text, geojson, label, now, area);
      }
      case 'json':
        return readJsonPage(text, source as Parameters<typeof readJsonPage>[1], label).records;
    }
  };

  const url = 'url' in source ? source.url : undefined;
  if (url === undefined) {
    const text = await fetchText(sourceLocation(source, scenarioDir), label);
    return { ...toObservations(indicator, await parse(text), label), notModified: false, validators: {} };
  }

  const headers = await resolveHeaders(
    'headers' in source ? source.headers : undefined,
    label,
    options.env,
    options.readSecret,
  );
  // One time budget for all of the indicator's fetches, pages included.
  const budget = AbortSignal.timeout(effectivePolicy(options.policy).budgetMs);
  const request = { label, accept: ACCEPTED_TYPES[format], headers, policy: options.policy, budget };
  const paged = source.kind === 'json' && source.next !== undefined;
  // A paged API's first page says nothing about the others: no conditional GET there.
  const first = await fetchSource({ ...request, url, validators: paged ? undefined : options.validators });
  if (first.notModified)
    return { observations: [], read: 0, rejected: [], notModified: true, validators: {} };
  if (!paged || source.kind !== 'json') {
    return {
      ...toObservations(indicator, await parse(first.text), label),
      notModified: false,
      validators: first.validators,
    };
  }
  const records: RawRecord[] = [];
  const visited = new Set([url]);
  let page = readJsonPage(first.text, source, label, 1);
  records.push(...page.records);
  for (let n = 2; page.next !== undefined; n++) {
    const next = new URL(page.next, [...visited].at(-1)).href;
    if (visited.has(next)) throw new SourceError(label, `page ${n} repeats an earlier page`);
    if (n > source.maxPages) throw new SourceError(label, `more than ${source.maxPages} pages (maxPages)`);
    visited.add(next);
    // Credentials for the API never go to another origin a page happens to link to.
    const sameOrigin = new URL(next).origin === new URL(url).origin;
    const outcome = await fetchSource({ ...request, url: next, headers: sameOrigin ? headers : {} });
    if (outcome.notModified) throw new SourceError(label, `page ${n}: unexpected 304`);
    page = readJsonPage(outcome.text, source, label, n);
    records.push(...page.records);
  }
  return { ...toObservations(indicator, records, label), notModified: false, validators: {} };
}

/** The area of interest of a geojson source; one kept in a file is read from the scenarios folder. */
async function loadAreaOfInterest(within: AreaOfInterestSpec, scenarioDir: string): Promise<AreaOfInterest> {
  const { areaOfInterest } = await import('./area-of-interest.ts');
  if (within.path === undefined) return areaOfInterest(within);
  return areaOfInterest(within, await fetchText(resolve(scenarioDir, within.path), within.path), within.path);
}
