// Silences: alerts raised while one is in force are held back; one summary goes out when it ends.
import type { Scenario } from '../config/scenario-schema.ts';
import { retry } from '../runtime/retry.ts';
import {
  type AlertRecord,
  commitSilenceSummary,
  type HeldAlert,
  isPathAlert,
  listHeldAlerts,
  SummaryConflictError,
} from '../store/alerts.ts';
import { getLatestAssessment } from '../store/assessments.ts';
import { getPathState } from '../store/path-states.ts';
import { listSilences, type Silence } from '../store/silences.ts';
import type { Table } from '../store/table.ts';

const MAX_ATTEMPTS = 3;
/** A transaction holds at most 100 items: the state, the summary, and the alerts it reports. */
const MAX_HELD_PER_SUMMARY = 98;

/** A silence from the scenario file or the API, in one shape. */
export interface SilenceWindow {
  id: string;
  start: string;
  end: string;
  reason: string;
  kind?: string;
}

/** Every silence of a scenario: those in its YAML and those set through the API (the API's win on ids). */
export async function silencesOf(table: Table, scenario: Scenario): Promise<SilenceWindow[]> {
  const stored = (await listSilences(table, scenario.id)).map((s: Silence) => ({
    id: s.silenceId,
    start: s.start,
    end: s.end,
    reason: s.reason,
    ...(s.kind ? { kind: s.kind } : {}),
  }));
  const fromYaml = scenario.silences.filter((s) => !stored.some((t) => t.id === s.id));
  return [...fromYaml, ...stored];
}

/** The silence holding back an alert raised at `alert.createdAt`, if any. A summary is never held. */
export function holdingSilence(silences: SilenceWindow[], alert: AlertRecord): SilenceWindow | undefined {
  if (alert.kind === 'silence-summary') return undefined;
  const at = Date.parse(alert.createdAt);
  return silences.find(
    (s) =>
      Date.parse(s.start) <= at && at < Date.parse(s.end) && (s.kind === undefined || s.kind === alert.kind),
  );
}

/**
 * For every silence of the scenario that has ended, writes one summary of the alerts it held that no
 * summary has reported yet; so too for a silence removed before its end (deleted through the API or
 * from the file), whose held alerts would otherwise never be reported. Returns how many it wrote.
 */
export async function summarizeEndedSilences(table: Table, scenario: Scenario, now: Date): Promise<number> {
  const windows = await silencesOf(table, scenario);
  const ended = windows.filter((s) => Date.parse(s.end) <= now.getTime());
  let written = 0;
  for (const silence of [...ended, ...(await removedSilences(table, scenario.id, windows, now))]) {
    // The open-alerts index is eventually consistent: right after a summary it may still list the alerts
    // just reported, and summarizing them again would fail its condition until the run gave up. So the
    // alerts reported in this run are left out, and a batch smaller than the limit was the last.
    const reported = new Set<number>();
    for (;;) {
      const held = await retry(() => writeSummary(table, scenario, silence, reported, now), {
        attempts: MAX_ATTEMPTS,
        minDelayMs: 0,
        retryOn: (error) => error instanceof SummaryConflictError,
      });
      if (held.length === 0) break;
      written++;
      for (const alert of held) reported.add(alert.sequence);
      if (held.length < MAX_HELD_PER_SUMMARY) break;
    }
  }
  return written;
}

/**
 * Writes one summary of the alerts `silence` held that are not in `reported` (at most a transaction's
 * worth) and returns them; none when there are none. A conflict with another writer is retried at once
 * by the caller, reading the alerts and the state again.
 */
async function writeSummary(
  table: Table,
  scenario: Scenario,
  silence: SilenceWindow,
  reported: Set<number>,
  now: Date,
): Promise<AlertRecord[]> {
  const held = (await listHeldAlerts(table, scenario.id, silence.id))
    .filter((alert) => !reported.has(alert.sequence))
    .slice(0, MAX_HELD_PER_SUMMARY);
  if (held.length === 0) return held;
  const [state, latest] = await Promise.all([
    getPathState(table, scenario.id),
    getLatestAssessment(table, scenario.id, true),
  ]);
  const summary: AlertRecord = {
    kind: 'silence-summary',
    scenarioId: scenario.id,
    sequence: state.alerts + 1,
    at: now.toISOString(),
    createdAt: now.toISOString(),
    path: state.path,
    probabilities: latest?.probabilities ?? {},
    contributions: latest?.contributions ?? [],
    stale: latest?.stale ?? [],
    status: 'pending',
    silence: { id: silence.id, start: silence.start, end: silence.end, reason: silence.reason },
    held: held.map(heldSummary),
  };
  await commitSilenceSummary(table, summary, state.version, held);
  return held;
}

/** Silences that still hold alerts but exist no more: ended now, from their first held alert. */
async function removedSilences(
  table: Table,
  scenarioId: string,
  windows: SilenceWindow[],
  now: Date,
): Promise<SilenceWindow[]> {
  const removed = new Map<string, SilenceWindow>();
  for (const alert of await listHeldAlerts(table, scenarioId)) {
    const id = alert.silenceId;
    if (id === undefined || windows.some((w) => w.id === id) || removed.has(id)) continue;
    removed.set(id, { id, start: alert.createdAt, end: now.toISOString(), reason: 'removed before its end' });
  }
  return [...removed.values()];
}

function heldSummary(alert: AlertRecord): HeldAlert {
  const base = { sequence: alert.sequence, at: alert.at };
  if (isPathAlert(alert)) return { ...base, kind: alert.kind, from: alert.from, to: alert.to };
  if (alert.kind === 'silence-summary') throw new Error('a silence summary is never held');
  if (alert.kind === 'forecast-warning')
    return { ...base, kind: alert.kind, ...(alert.from ? { from: alert.from } : {}), to: alert.to };
  return { ...base, kind: alert.kind, indicators: alert.indicators };
}
