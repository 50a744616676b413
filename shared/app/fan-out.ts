// The fan-out: the messages the work queues carry (one indicator to fetch, one scenario to evaluate) and
// how the dispatch function builds them from a schedule or from changed observations.
import { createHash } from 'node:crypto';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Indicator } from '../config/scenario-schema.ts';
import type { QueueMessage } from '../runtime/queue.ts';
import { newImageString } from '../runtime/stream.ts';
import * as z from '../runtime/validation.ts';
import type { ScenarioSummary } from '../store/scenario-definitions.ts';

// The two messages' schemas, built when asked for: each worker's bundle then carries only its own.
/** One indicator to fetch (the ingest queue, standard). */
export const ingestMessage = () =>
  z.strictObject({
    indicatorId: z.string().check(z.minLength(1)),
    /** A scenario that declares it: the worker reads the indicator's definition from there. */
    scenarioId: z.string().check(z.minLength(1)),
  });
/** One scenario to evaluate, as of `asOf` or, without it, of the moment it is taken (the FIFO queue). */
export const evaluateMessage = () =>
  z.strictObject({
    scenarioId: z.string().check(z.minLength(1)),
    asOf: z.optional(z.iso.datetime({ offset: true })),
  });

/**
 * Seconds between two fetches from one host by default: the dispatcher delays the k-th indicator of a
 * host by k times this, so workers that share nothing still never hit one publisher all at once.
 */
export const HOST_SPACING_SECONDS = 2;
/** SQS's longest delay: one host's indicators past 15 minutes of spacing all start at 15 minutes. */
const MAX_DELAY_SECONDS = 900;

/** What a politeness delay is counted per: the URL's host; local files need none. */
export function sourceHost(indicator: Pick<Indicator, 'source'>): string | null {
  const { source } = indicator;
  return 'url' in source && source.url ? new URL(source.url).host : null;
}

/** Which fetched indicators a schedule's run enqueues: those of these cadences, or these ids; all without either. */
export interface IngestSelection {
  cadences?: readonly string[] | undefined;
  indicators?: readonly string[] | undefined;
}

/**
 * One message per fetched indicator the selection names (each id once, even when several scenarios
 * share it, with the first scenario that declares it), spaced per host by `spacingSeconds`. Ids no
 * scenario declares are returned apart. An indicator two scenarios declare with different cadences is
 * fetched on each of their schedules.
 */
export function ingestMessages(
  summaries: ScenarioSummary[],
  selection: IngestSelection = {},
  spacingSeconds = HOST_SPACING_SECONDS,
): { messages: QueueMessage[]; unknown: string[] } {
  const ids = selection.indicators && new Set(selection.indicators);
  const cadences = selection.cadences && new Set(selection.cadences);
  const wanted = new Map<string, { scenarioId: string; host: string | null }>();
  const known = new Set<string>();
  for (const { scenarioId, indicators } of summaries)
    for (const { id, cadence, manual, host } of indicators) {
      known.add(id);
      if (manual || wanted.has(id) || (ids && !ids.has(id)) || (cadences && !cadences.has(cadence))) continue;
      wanted.set(id, { scenarioId, host });
    }
  const perHost = new Map<string, number>();
  const messages = [...wanted].map(([indicatorId, { scenarioId, host }]): QueueMessage => {
    const k = host === null ? 0 : (perHost.get(host) ?? 0);
    if (host !== null) perHost.set(host, k + 1);
    const delaySeconds = Math.min(MAX_DELAY_SECONDS, k * spacingSeconds);
    return { body: { indicatorId, scenarioId }, ...(delaySeconds > 0 ? { delaySeconds } : {}) };
  });
  return { messages, unknown: [...(ids ?? [])].filter((id) => !known.has(id)) };
}

/**
 * One message per scenario: grouped by scenario (in order within one, in parallel across them) and
 * deduplicated by `version`, the data it is for: a stream batch or schedule delivered twice within SQS's
 * five-minute window enqueues each evaluation once.
 */
export function evaluationMessages(
  requests: { scenarioId: string; version: string; asOf?: string | undefined }[],
): QueueMessage[] {
  return requests.map(({ scenarioId, version, asOf }) => ({
    body: asOf ? { scenarioId, asOf } : { scenarioId },
    groupId: scenarioId,
    // At most 128 characters: a hash of the scenario and its version.
    deduplicationId: createHash('sha256').update(`${scenarioId}\n${version}`).digest('hex'),
  }));
}

/**
 * The scenarios that use the indicators changed in stream `records`, each with the version of its data:
 * the stream sequence numbers of its changes (the same on a redelivery of the same records).
 */
export function changedScenarios(
  summaries: ScenarioSummary[],
  records: DynamoDBRecord[],
): { scenarioId: string; version: string }[] {
  const changes = new Map<string, string[]>();
  for (const record of records) {
    const indicatorId = newImageString(record, 'indicatorId');
    if (indicatorId === undefined) continue;
    const seen = changes.get(indicatorId) ?? [];
    seen.push(record.dynamodb?.SequenceNumber ?? '');
    changes.set(indicatorId, seen);
  }
  return summaries
    .filter((s) => s.indicators.some((i) => changes.has(i.id)))
    .map(({ scenarioId, indicators }) => ({
      scenarioId,
      version: indicators
        .flatMap((i) => (changes.get(i.id) ?? []).map((sequence) => `${i.id}@${sequence}`))
        .sort()
        .join(','),
    }));
}
