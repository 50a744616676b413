// Notification: publish a pending alert to SNS and mark it sent, so each alert goes out once.
import type { SNSClient } from '@aws-sdk/client-sns';
import { publishAlert } from '../alerts/publish.ts';
import { renderAlert } from '../alerts/render.ts';
import type { ScenarioRegistry } from '../config/registry.ts';
import {
  alertKey,
  getAlert,
  listPendingAlerts,
  markAlertSent,
  markAlertSuppressed,
} from '../store/alerts.ts';
import type { Key, Table } from '../store/table.ts';
import { holdingSilence, silencesOf, summarizeEndedSilences } from './silences.ts';

export interface Notifier {
  table: Table;
  sns: SNSClient;
  topicArn: string;
  registry: ScenarioRegistry;
  apiBaseUrl: string;
  /** Where the pages are served (the emails link to the scenario's page); the API's URL when absent. */
  publicUrl?: string;
}

export type Delivery = 'sent' | 'already-sent' | 'suppressed' | 'not-found';

/**
 * Delivers the alert stored at `key`. At-least-once on the wire: a crash between publish and mark
 * publishes again on retry; a repeated stream record after the mark publishes nothing.
 */
export async function deliverAlert(notifier: Notifier, key: Key, now: () => Date): Promise<Delivery> {
  const alert = await getAlert(notifier.table, key);
  if (!alert) return 'not-found';
  if (alert.status !== 'pending') return 'already-sent';
  const scenario = notifier.registry.scenario(alert.scenarioId);
  if (!scenario) throw new Error(`alert ${key.pk}/${key.sk} names unknown scenario ${alert.scenarioId}`);
  const silence = holdingSilence(await silencesOf(notifier.table, scenario), alert);
  if (silence) {
    // Held back, not lost: the summary after the silence lists it.
    return (await markAlertSuppressed(notifier.table, alert, silence.id)) ? 'suppressed' : 'already-sent';
  }
  const rendered = renderAlert(alert, scenario, notifier.apiBaseUrl, notifier.publicUrl);
  const messageId = await publishAlert(notifier.sns, notifier.topicArn, alert, rendered);
  const marked = await markAlertSent(notifier.table, alert, messageId, now().toISOString());
  return marked ? 'sent' : 'already-sent';
}

/** How long an alert may stay pending before the sweep takes it to be stranded rather than in flight. */
export const SWEEP_AFTER_MS = 10 * 60_000;

/**
 * The scheduled sweep. Writes the summary of every silence that has ended (the table's stream then
 * delivers it like any alert), and re-delivers alerts still pending after SWEEP_AFTER_MS: their stream
 * records were exhausted (SNS down for long) or lost. Safe to run at any time: delivery marks each
 * alert sent exactly once, and each held alert is summarized once.
 */
export async function sweepPendingAlerts(notifier: Notifier, now: () => Date): Promise<Delivery[]> {
  const before = new Date(now().getTime() - SWEEP_AFTER_MS).toISOString();
  const deliveries: Delivery[] = [];
  const failed: { scenarioId: string; error: unknown }[] = [];
  for (const scenario of notifier.registry.scenarios) {
    // A summary that cannot be written must not hold back the pending alerts, this scenario's or the
    // next ones': the sweep goes on and fails at the end, so the run is retried and counted as an error.
    try {
      await summarizeEndedSilences(notifier.table, scenario, now());
    } catch (error) {
      failed.push({ scenarioId: scenario.id, error });
    }
    for (const alert of await listPendingAlerts(notifier.table, scenario.id, before)) {
      deliveries.push(await deliverAlert(notifier, alertKey(alert.scenarioId, alert.sequence), now));
    }
  }
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map((f) => f.error),
      `silence summaries failed for ${failed.map((f) => f.scenarioId).join(', ')}: ` +
        failed.map((f) => (f.error instanceof Error ? f.error.message : String(f.error))).join('; '),
    );
  }
  return deliveries;
}
