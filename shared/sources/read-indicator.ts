// Reads one indicator's source, whatever its kind, into observations.
import type { Indicator } from '../config/scenario-schema.ts';
import { readCsv } from './csv.ts';
import { fetchText, sourceLabel, sourceLocation } from './fetch-text.ts';
import { readJson } from './json.ts';
import { type Extraction, toObservations } from './records.ts';

export async function readIndicator(indicator: Indicator, scenarioDir: string): Promise<Extraction> {
  const source = indicator.source;
  const label = sourceLabel(source);
  const text = await fetchText(sourceLocation(source, scenarioDir), label);
  const records = source.kind === 'csv' ? readCsv(text, source, label) : readJson(text, source, label);
  return toObservations(indicator, records, label);
}
