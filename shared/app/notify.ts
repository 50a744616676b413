// Notification: claim a pending alert, publish it to SNS and mark it sent, so each alert goes out once.
import { randomUUID } from 'node:crypto';
import type { SNSClient } from '@aws-sdk/client-sns';
import { publishAlert } from '../alerts/publish.ts';
import { renderAlert } from '../alerts/render.ts';
import type { Scenario } from '../config/scenario-schema.ts';
import { claimAlert, markAlertSent, markAlertSuppressed, releaseClaim } from '../store/alert-delivery.ts';
import { type AlertRecord, alertFromItem, alertKey, getAlert, scanOpenAlerts } from '../store/alerts.ts';
import type { Key, Table } from '../store/table.ts';
import { holdingSilence, silencesOf, summarizeEndedSilences } from './silences.ts';

export interface Notifier {
  table: Table;
  sns: SNSClient;
  topicArn: string;
  /** Where an alert's scenario is found: the published catalog (read per scenario, cached), a registry. */
  scenarios: { scenario(id: string): Scenario | undefined | Promise<Scenario | undefined> };
  apiBaseUrl: string;
  /** Where the pages are served (the emails link to the scenario's page); the API's URL when absent. */
  publicUrl?: string;
}

/**
 * How a delivery ended: `claimed` when another delivery holds the alert (it publishes, or its claim
 * runs out and the sweep takes the alert over).
 */
export type Delivery = 'sent' | 'already-sent' | 'suppressed' | 'not-found' | 'claimed';

/**
 * Delivers the alert stored at `key`, under a claim: of deliveries racing (a stream retry, the sweep)
 * one publishes, the others return `claimed` or `already-sent`. A publish that fails gives the claim
 * up, so a retry publishes at once. A delivery that dies after publishing leaves the alert pending
 * under its claim: once the claim runs out, the sweep publishes it again with the same dedupKey and
 * a higher attempt (at least once on the wire; once in effect for a receiver that drops repeats).
 */
export async function deliverAlert(notifier: Notifier, key: Key, now: () => Date): Promise<Delivery> {
  const { table } = notifier;
  const alert = await getAlert(table, key);
  if (!alert) return 'not-found';
  if (alert.status !== 'pending') return 'already-sent';
  const scenario = await notifier.scenarios.scenario(alert.scenarioId);
  if (!scenario) throw new Error(`alert ${key.pk}/${key.sk} names unknown scenario ${alert.scenarioId}`);
  const claim = await claimAlert(table, alert, randomUUID(), now());
  if (!claim) return 'claimed';
  let messageId: string;
  try {
    const silence = holdingSilence(await silencesOf(table, scenario), alert);
    // Held back, not lost: the summary after the silence lists it.
    if (silence)
      return (await markAlertSuppressed(table, alert, claim, silence.id)) ? 'suppressed' : 'already-sent';
    const rendered = renderAlert(alert, scenario, notifier.apiBaseUrl, notifier.publicUrl);
    messageId = await publishAlert(notifier.sns, notifier.topicArn, alert, rendered, claim.attempt);
  } catch (error) {
    // Nothing went out: let the retry publish without waiting for the claim to run out.
    await releaseClaim(table, alert, claim);
    throw error;
  }
  const marked = await markAlertSent(table, alert, claim, messageId, now().toISOString());
  return marked ? 'sent' : 'already-sent';
}

/** How long an alert may stay pending before the sweep takes it to be stranded rather than in flight. */
export const SWEEP_AFTER_MS = 10 * 60_000;

/**
 * The scheduled sweep. Writes the summary of every silence that has ended and holds alerts (the table's
 * stream then delivers it like any alert), and re-delivers alerts still pending after SWEEP_AFTER_MS:
 * their stream records were exhausted (SNS down for long) or lost. It reads the open-alerts index
 * whole, once: its cost follows the open alerts, not the number of scenarios. Safe to run at any time:
 * delivery marks each alert sent exactly once, and each held alert is summarized once.
 */
export async function sweepPendingAlerts(notifier: Notifier, now: () => Date): Promise<Delivery[]> {
  const before = new Date(now().getTime() - SWEEP_AFTER_MS).toISOString();
  const deliveries: Delivery[] = [];
  const failed: { what: string; error: unknown }[] = [];
  // Nothing that fails holds back the rest: an item that cannot be read, a summary that cannot be
  // written, a scenario that cannot be found, an alert that cannot be delivered (a message SNS refuses).
  // The sweep goes on and fails at the end, naming each, so the run is counted as an error and the next
  // sweep tries them again.
  const attempt = async (what: string, work: () => Promise<void>) => {
    try {
      await work();
    } catch (error) {
      failed.push({ what, error });
    }
  };
  const open: AlertRecord[] = [];
  for (const item of await scanOpenAlerts(notifier.table))
    await attempt(`open alert ${String(item.pk)}/${String(item.sk)}`, async () => {
      open.push(alertFromItem(item));
    });
  // A silence is summarized when it holds alerts; a scenario without held alerts has nothing to report.
  const holding = [...new Set(open.filter((a) => a.status === 'suppressed').map((a) => a.scenarioId))];
  for (const scenarioId of holding.sort())
    await attempt(`silence summary of ${scenarioId}`, async () => {
      const scenario = await notifier.scenarios.scenario(scenarioId);
      if (!scenario) throw new Error(`held alerts name unknown scenario ${scenarioId}`);
      await summarizeEndedSilences(notifier.table, scenario, now());
    });
  const stranded = open
    .filter((a) => a.status === 'pending' && a.createdAt <= before)
    .sort((a, b) => a.scenarioId.localeCompare(b.scenarioId) || a.sequence - b.sequence);
  for (const alert of stranded)
    await attempt(`alert ${alert.scenarioId}#${alert.sequence}`, async () => {
      deliveries.push(await deliverAlert(notifier, alertKey(alert.scenarioId, alert.sequence), now));
    });
  if (failed.length > 0) {
    throw new AggregateError(
      failed.map((f) => f.error),
      `the sweep failed for ${failed.map((f) => f.what).join(', ')}: ` +
        failed.map((f) => (f.error instanceof Error ? f.error.message : String(f.error))).join('; '),
    );
  }
  return deliveries;
}
