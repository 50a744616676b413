// Reads one indicator's source, whatever its kind, into observations.
import type { Indicator } from '../config/scenario-schema.ts';
import { readCsv } from './csv.ts';
import { fetchText, sourceLocation } from './fetch-text.ts';
import { readJson } from './json.ts';
import { type Extraction, toObservations } from './records.ts';

export async function readIndicator(indicator: Indicator, scenarioDir: string): Promise<Extraction> {
  const location = sourceLocation(indicator.source, scenarioDir);
  const text = await fetchText(location);
  const source = indicator.source;
  const records = source.kind === 'csv' ? readCsv(text, source, location) : readJson(text, source, location);
  // The stored source names the file relative to the scenario folder, so it reads the same everywhere.
  return toObservations(indicator, records, source.url ?? source.path ?? location);
}
