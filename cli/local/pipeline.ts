// The local pipeline: dispatch -> ingest queue -> ingest -> stream -> dispatch -> evaluation queue ->
// evaluate -> stream -> notify, through the real handlers, with several workers on each queue.

import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse } from 'aws-lambda';
import type { IngestReport } from '../../shared/app/ingest.ts';
import type { ScenarioRegistry } from '../../shared/config/registry.ts';
import type { Scenario } from '../../shared/config/scenario-schema.ts';
import type { DataEvent, ForecastWarning, PathShift } from '../../shared/domain/model.ts';
import { addDuration, periodEnd } from '../../shared/domain/period.ts';
import { QUEUE_TRIGGERS } from '../../shared/runtime/queue-triggers.ts';
import { STREAM_TRIGGERS, triggers } from '../../shared/runtime/stream-triggers.ts';
import { getLatestAssessment } from '../../shared/store/assessments.ts';
import { listObservations } from '../../shared/store/observations.ts';
import type { Table } from '../../shared/store/table.ts';
import { type Handlers, invoke } from './lambda.ts';
import { finestCadence } from './replay.ts';
import type { StreamPump } from './stream-pump.ts';
import { drainQueue, workQueuesFromEnv } from './work-queues.ts';

/**
 * The dispatch function's schedule run for ingest (these indicators or cadences; every fetched indicator
 * without either), then workers on the ingest queue until it is empty.
 */
export async function runIngest(
  handlers: Handlers,
  options: { indicators?: string[]; cadences?: string[]; workers?: number } = {},
): Promise<IngestReport[]> {
  const { indicators, cadences, workers } = options;
  await invoke(handlers.dispatch, 'dispatch', {
    dispatch: 'ingest',
    ...(indicators ? { indicators } : {}),
    ...(cadences ? { cadences } : {}),
  });
  const drained = await drainQueue<SQSBatchResponse & { reports: IngestReport[] }>(
    workQueuesFromEnv().ingest,
    handlers.ingest,
    'ingest',
    QUEUE_TRIGGERS.ingest,
    workers,
  );
  if (drained.deadLettered.length > 0)
    throw new Error(`ingest failed on every attempt for ${drained.deadLettered.join(', ')}`);
  return drained.results.flatMap((r) => r.reports).sort((a, b) => a.indicatorId.localeCompare(b.indicatorId));
}

export interface StreamRound {
  /** Scenario evaluations the workers committed. */
  evaluations: number;
  alertsDelivered: number;
  /** Evaluation messages that failed every attempt (now out of the dead-letter queue): their bodies. */
  failed: string[];
}

/**
 * Feeds stream records to the dispatch function (which enqueues the scenarios to evaluate), runs the
 * evaluate workers on the queue until it is empty, and hands the new alerts to notify; until the stream
 * is quiet.
 */
export async function drainStream(
  pump: StreamPump,
  handlers: Handlers,
  workers?: number,
): Promise<StreamRound> {
  const round: StreamRound = { evaluations: 0, alertsDelivered: 0, failed: [] };
  const { evaluate: evaluateQueue } = workQueuesFromEnv();
  for (let records = await pump.poll(); records.length > 0; records = await pump.poll()) {
    const { dispatch, notify } = STREAM_TRIGGERS;
    for (const batch of batches(
      records.filter((r) => triggers(dispatch, r)),
      dispatch.batchSize,
    ))
      await invoke(handlers.dispatch, 'dispatch', { Records: batch });
    const drained = await drainQueue<SQSBatchResponse & { results: unknown[] }>(
      evaluateQueue,
      handlers.evaluate,
      'evaluate',
      QUEUE_TRIGGERS.evaluate,
      workers,
    );
    round.evaluations += drained.results.reduce((sum, r) => sum + r.results.length, 0);
    round.failed.push(...drained.deadLettered);
    for (const batch of batches(
      records.filter((r) => triggers(notify, r)),
      notify.batchSize,
    )) {
      const result = await invoke<{ batchItemFailures: unknown[] }>(handlers.notify, 'notify', {
        Records: batch,
      });
      if (result.batchItemFailures.length > 0)
        throw new Error('the notify function could not deliver every alert');
      round.alertsDelivered += batch.length;
    }
  }
  return round;
}

function batches<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) =>
    items.slice(i * size, (i + 1) * size),
  );
}

export interface ReplayStep {
  scenarioId: string;
  asOf: string;
  leader: string;
  probabilities: Record<string, number>;
  path: string | null;
  shift: PathShift | null;
  /** The forecast warning this evaluation raised, if any. */
  warning: ForecastWarning | null;
  /** Indicators that went stale or recovered at this evaluation (each an alert too). */
  events: DataEvent[];
}

/**
 * Evaluates each scenario at the end of every period of its finest cadence up to `until`, from its
 * first stored observation or, when it has been evaluated before (a persisted local run), from the
 * period after its latest assessment: periods already assessed are not assessed again.
 */
export async function replayHistory(
  handlers: Handlers,
  table: Table,
  registry: ScenarioRegistry,
  until: Date,
  onStep: (step: ReplayStep) => void,
): Promise<void> {
  for (const scenario of registry.scenarios) {
    const cadence = finestCadence(scenario);
    const first = await firstPeriod(table, scenario);
    if (!first) continue;
    const latest = await getLatestAssessment(table, scenario.id, true);
    let asOf = periodEnd(first, cadence);
    while (latest && asOf.toISOString() <= latest.asOf) asOf = addDuration(asOf, cadence);
    for (; asOf <= until; asOf = addDuration(asOf, cadence)) {
      const { results } = await invoke<{ results: ReplayStep[] }>(handlers.evaluate, 'evaluate', {
        scenarioId: scenario.id,
        asOf: asOf.toISOString(),
      });
      for (const step of results) onStep(step);
    }
  }
}

async function firstPeriod(table: Table, scenario: Scenario): Promise<string | null> {
  const firsts = await Promise.all(
    scenario.indicators.map(async (i) => (await listObservations(table, i.id))[0]?.period),
  );
  return firsts.filter((p) => p !== undefined).sort()[0] ?? null;
}

export interface ReceivedAlert {
  /** The SNS message as the queue received it. */
  message: string;
  subject: string;
  email: string;
  sms: string;
  attributes: Record<string, string>;
}

/** Reads what SNS delivered to the subscriber queue: the JSON `default` carries the email and SMS texts. */
export async function receiveAlerts(queueUrl: string): Promise<ReceivedAlert[]> {
  const sqs = new SQSClient({ useQueueUrlAsEndpoint: false });
  const alerts: ReceivedAlert[] = [];
  try {
    for (;;) {
      const { Messages } = await sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (!Messages?.length) return alerts;
      for (const message of Messages) {
        const envelope = JSON.parse(message.Body ?? '{}');
        const published = JSON.parse(envelope.Message ?? '{}');
        // SNS delivers the `default` text to queues; fauxqs does not resolve MessageStructure and
        // delivers the whole per-protocol document instead, so unwrap it when that is what arrived.
        const payload = typeof published.default === 'string' ? JSON.parse(published.default) : published;
        const attributes = Object.fromEntries(
          Object.entries((envelope.MessageAttributes ?? {}) as Record<string, { Value: string }>).map(
            ([k, v]) => [k, v.Value],
          ),
        );
        alerts.push({
          message: envelope.Message,
          subject: payload.subject,
          email: payload.email,
          sms: payload.sms,
          attributes,
        });
      }
      await sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle })),
        }),
      );
    }
  } finally {
    sqs.destroy();
  }
}
