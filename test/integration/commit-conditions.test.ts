// The conditions of the writes that number alerts, each where it alone stops a wrong write: the
// evaluation's commit (the state's version, each alert's number) and the silence summary's (the
// state's version, the summary's number, each held alert not summarized yet).
import { PutCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { beforeEach, describe, expect, it } from 'vitest';
import { summarizeEndedSilences } from '../../shared/app/silences.ts';
import { initialPathState, type PathState } from '../../shared/domain/model.ts';
import {
  type AlertRecord,
  alertKey,
  alertToItem,
  commitSilenceSummary,
  getAlert,
  listAlerts,
  SummaryConflictError,
} from '../../shared/store/alerts.ts';
import {
  commitEvaluation,
  getLatestAssessment,
  StateConflictError,
  type StoredAssessment,
} from '../../shared/store/assessments.ts';
import { getPathState } from '../../shared/store/path-states.ts';
import { AB_EXPECT, buildScenario, EVEN_AB } from '../fixtures/scenario.ts';
import { barrier, intercepted } from './interleave.ts';
import { useFreshTable } from './local-stack.ts';

const AT = '2024-02-01T00:00:00.000Z';

describe('the conditions that keep alerts numbered once', () => {
  const store = useFreshTable('conditions');
  let scenarioId = '';
  let scenarios = 0;

  beforeEach(() => {
    scenarios++;
    scenarioId = `conditions-${scenarios}`;
  });

  const alert = (sequence: number, extra: Partial<AlertRecord> = {}): AlertRecord =>
    ({
      kind: 'data-stale',
      sequence,
      indicators: ['x'],
      at: AT,
      scenarioId,
      createdAt: AT,
      path: 'a',
      probabilities: { a: 0.5, b: 0.5 },
      contributions: [],
      stale: ['x'],
      status: 'pending',
      ...extra,
    }) as AlertRecord;

  const assessment = (asOf = AT): StoredAssessment => ({
    scenarioId,
    asOf,
    leader: 'a',
    margin: 0,
    entropy: 1,
    probabilities: { a: 0.5, b: 0.5 },
    contributions: [],
    stale: [],
    evaluatedAt: asOf,
    state: { status: 'insufficient-data', path: null, since: null },
    events: [],
  });

  const state = (version: number, alerts: number): PathState => ({ ...initialPathState, version, alerts });
  const put = (Item: Record<string, unknown>) =>
    store.db.send(new PutCommand({ TableName: store.name, Item }));

  /** A scenario whose state is at version 1 with one alert (#1), as a first evaluation leaves it. */
  async function evaluatedOnce(): Promise<PathState> {
    const next = state(0, 1);
    await commitEvaluation(store, {
      assessment: assessment(),
      previous: state(0, 0),
      next,
      alerts: [alert(1)],
    });
    return getPathState(store, scenarioId);
  }

  describe('an evaluation', () => {
    it('cannot commit on a state another evaluation has moved, even when it raises no alert', async () => {
      // Arrange: a first evaluation committed version 1; a second one read version 0 before it.
      await evaluatedOnce();

      // Act
      const stale = commitEvaluation(store, {
        assessment: assessment('2024-03-01T00:00:00.000Z'),
        previous: state(0, 0),
        next: state(0, 0),
        alerts: [],
      });

      // Assert
      await expect(stale).rejects.toThrow(StateConflictError);
      expect((await getPathState(store, scenarioId)).version).toBe(1);
      expect((await getLatestAssessment(store, scenarioId))?.asOf).toBe(AT);
    });

    it('cannot move the latest assessment back in time, even on the state it read', async () => {
      // Arrange: version 1 committed as of AT; a commit as of a month before reads that very state.
      const read = await evaluatedOnce();

      // Act
      const older = commitEvaluation(store, {
        assessment: assessment('2024-01-01T00:00:00.000Z'),
        previous: read,
        next: read,
        alerts: [],
      });

      // Assert: refused as a lost race (the evaluation re-reads and stores it as history only).
      await expect(older).rejects.toThrow(StateConflictError);
      expect((await getPathState(store, scenarioId)).version).toBe(1);
      expect((await getLatestAssessment(store, scenarioId))?.asOf).toBe(AT);
    });

    it('cannot create the first state twice: of two first evaluations, one commits', async () => {
      // Arrange
      const first = { assessment: assessment(), previous: state(0, 0), next: state(0, 0), alerts: [] };

      // Act
      await commitEvaluation(store, first);
      const second = commitEvaluation(store, {
        ...first,
        assessment: assessment('2024-03-01T00:00:00.000Z'),
      });

      // Assert
      await expect(second).rejects.toThrow(StateConflictError);
      expect((await getLatestAssessment(store, scenarioId))?.asOf).toBe(AT);
    });

    it('passes on a failure that is not a lost race (a missing table) as it is', async () => {
      const missing = { ...store, name: `${store.name}-missing` };
      const commit = commitEvaluation(missing, {
        assessment: assessment(),
        previous: state(0, 0),
        next: state(0, 0),
        alerts: [],
      });

      await expect(commit).rejects.toThrow(/non-existent table|not found/i);
      await expect(commitSilenceSummary(missing, alert(1), 1, [])).rejects.toThrow(
        /non-existent table|not found/i,
      );
    });

    it('cannot overwrite an alert whose number is taken, even on the state it read', async () => {
      // Arrange: the state is at version 1, yet alert #2 exists (a state restored from an old backup).
      const read = await evaluatedOnce();
      await put(alertToItem(alert(2, { status: 'sent', sentAt: AT, messageId: 'm-2' })));

      // Act
      const commit = commitEvaluation(store, {
        assessment: assessment('2024-03-01T00:00:00.000Z'),
        previous: read,
        next: { ...read, alerts: 2 },
        alerts: [alert(2, { createdAt: '2024-03-01T00:00:00.000Z' })],
      });

      // Assert
      await expect(commit).rejects.toThrow(StateConflictError);
      expect(await getAlert(store, alertKey(scenarioId, 2))).toMatchObject({
        status: 'sent',
        messageId: 'm-2',
      });
      expect((await getPathState(store, scenarioId)).version).toBe(1);
    });
  });

  describe('a silence summary', () => {
    /** The scenario with one silence, `quiet`, that ended on 2024-01-02. */
    const endedSilence = () =>
      buildScenario({
        id: scenarioId,
        paths: EVEN_AB,
        indicators: [{ id: 'x', expect: AB_EXPECT }],
        silences: [
          { id: 'quiet', start: '2024-01-01T00:00:00Z', end: '2024-01-02T00:00:00Z', reason: 'test' },
        ],
      });

    const summary = (sequence: number): AlertRecord => ({
      ...alert(sequence),
      kind: 'silence-summary',
      silence: { id: 'quiet', start: AT, end: AT, reason: 'test' },
      held: [{ sequence: 1, kind: 'data-stale', at: AT }],
    });

    it('cannot take an alert number on a state that has moved since it was read', async () => {
      // Arrange: alert #1 held by a silence; the state moved on to version 2 (an evaluation without alerts).
      await evaluatedOnce();
      await put({ ...alertToItem(alert(1, { status: 'suppressed', silenceId: 'quiet' })) });
      const moved = await getPathState(store, scenarioId);
      await commitEvaluation(store, { assessment: assessment(), previous: moved, next: moved, alerts: [] });

      // Act: the summary read version 1.
      const commit = commitSilenceSummary(store, summary(2), 1, [alert(1)]);

      // Assert
      await expect(commit).rejects.toThrow(SummaryConflictError);
      expect(await getAlert(store, alertKey(scenarioId, 2))).toBeNull();
      expect(await getAlert(store, alertKey(scenarioId, 1))).not.toHaveProperty('summarizedAt');
    });

    it('cannot report an alert another summary has reported, even on the state it read', async () => {
      // Arrange: alert #1 held and already summarized.
      const read = await evaluatedOnce();
      await put(alertToItem(alert(1, { status: 'suppressed', silenceId: 'quiet', summarizedAt: AT })));

      // Act
      const commit = commitSilenceSummary(store, summary(2), read.version, [alert(1)]);

      // Assert
      await expect(commit).rejects.toThrow(SummaryConflictError);
      expect(await getAlert(store, alertKey(scenarioId, 2))).toBeNull();
      expect((await getPathState(store, scenarioId)).version).toBe(read.version);
    });

    it('cannot overwrite an alert whose number is taken, even on the state it read', async () => {
      // Arrange: the state says one alert, yet #2 exists.
      const read = await evaluatedOnce();
      await put(alertToItem(alert(1, { status: 'suppressed', silenceId: 'quiet' })));
      await put(alertToItem(alert(2, { status: 'sent', sentAt: AT, messageId: 'm-2' })));

      // Act
      const commit = commitSilenceSummary(store, summary(2), read.version, [alert(1)]);

      // Assert
      await expect(commit).rejects.toThrow(SummaryConflictError);
      expect(await getAlert(store, alertKey(scenarioId, 2))).toMatchObject({
        kind: 'data-stale',
        messageId: 'm-2',
      });
      expect(await getAlert(store, alertKey(scenarioId, 1))).not.toHaveProperty('summarizedAt');
    });

    it('is written once when two sweeps summarize the same silence at the same moment', async () => {
      // Arrange: alerts #1 and #2 held by a silence that has ended; both sweeps read before either commits.
      const scenario = endedSilence();
      const read = await evaluatedOnce();
      await commitEvaluation(store, {
        assessment: assessment(),
        previous: read,
        next: { ...read, alerts: 2 },
        alerts: [alert(2)],
      });
      for (const sequence of [1, 2])
        await put(alertToItem(alert(sequence, { status: 'suppressed', silenceId: 'quiet' })));
      const bothRead = barrier(2);
      const racing = intercepted(store, (command) =>
        command instanceof TransactWriteCommand ? bothRead() : undefined,
      );

      // Act
      const now = new Date('2024-01-03T00:00:00Z');
      const written = await Promise.all([
        summarizeEndedSilences(racing, scenario, now),
        summarizeEndedSilences(racing, scenario, now),
      ]);

      // Assert: one wrote the summary; the other lost the state, read again and found nothing left.
      expect(written.sort()).toEqual([0, 1]);
      const summaries = (await listAlerts(store, scenarioId)).filter((a) => a.kind === 'silence-summary');
      expect(
        summaries.map((a) => [a.sequence, a.kind === 'silence-summary' && a.held.map((h) => h.sequence)]),
      ).toEqual([[3, [1, 2]]]);
      expect((await getPathState(store, scenarioId)).alerts).toBe(3);
    });

    it('reports more held alerts than one transaction holds in as many summaries as it takes', async () => {
      // Arrange: 99 alerts held by an ended silence; a transaction holds the state, the summary and 98.
      const scenario = endedSilence();
      const held = Array.from({ length: 99 }, (_, i) =>
        alert(i + 1, { status: 'suppressed', silenceId: 'quiet' }),
      );
      await commitEvaluation(store, {
        assessment: assessment(),
        previous: state(0, 0),
        next: state(0, 99),
        alerts: [],
      });
      for (const item of held) await put(alertToItem(item));

      // Act
      const written = await summarizeEndedSilences(store, scenario, new Date('2024-01-03T00:00:00Z'));

      // Assert
      expect(written).toBe(2);
      const summaries = (await listAlerts(store, scenarioId)).filter((a) => a.kind === 'silence-summary');
      expect(summaries.map((a) => [a.sequence, a.kind === 'silence-summary' ? a.held.length : 0])).toEqual([
        [100, 98],
        [101, 1],
      ]);
      expect(await summarizeEndedSilences(store, scenario, new Date('2024-01-03T00:15:00Z'))).toBe(0);
    });

    it('takes the next number and moves the state one version on when nothing has changed', async () => {
      // Arrange
      const read = await evaluatedOnce();
      await put(alertToItem(alert(1, { status: 'suppressed', silenceId: 'quiet' })));

      // Act
      await commitSilenceSummary(store, summary(2), read.version, [alert(1)]);

      // Assert
      expect(await getPathState(store, scenarioId)).toMatchObject({ version: read.version + 1, alerts: 2 });
      expect(await getAlert(store, alertKey(scenarioId, 1))).toMatchObject({ summarizedAt: AT });
      expect(await getAlert(store, alertKey(scenarioId, 2))).toMatchObject({ kind: 'silence-summary' });
    });
  });
});
