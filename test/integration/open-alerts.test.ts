import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTable, hasOpenAlertsIndex } from '../../cli/local/resources.ts';
import { summarizeEndedSilences } from '../../shared/app/silences.ts';
import { table } from '../../shared/runtime/clients.ts';
import {
  type Claim,
  claimAlert,
  markAlertSent,
  markAlertSuppressed,
} from '../../shared/store/alert-delivery.ts';
import {
  type AlertRecord,
  alertKey,
  alertPrefix,
  alertToItem,
  commitSilenceSummary,
  getAlert,
  listHeldAlerts,
  scanOpenAlerts,
} from '../../shared/store/alerts.ts';
import { pathStateKey } from '../../shared/store/path-states.ts';
import { OPEN_ALERTS_INDEX, TABLE_DEFINITION, type Table } from '../../shared/store/table.ts';
import { AB_EXPECT, buildScenario, EVEN_AB } from '../fixtures/scenario.ts';

// The sparse open-alerts index: the sweep and the silence summaries read only the alerts still open.
describe('the open-alerts index', () => {
  let store: Table;
  const scenarioId = 'open';

  const alert = (sequence: number): AlertRecord => ({
    kind: 'data-stale',
    sequence,
    indicators: ['x'],
    at: '2024-01-01T00:00:00.000Z',
    scenarioId,
    createdAt: '2024-01-01T00:00:00.000Z',
    path: 'a',
    probabilities: { a: 0.6, b: 0.4 },
    contributions: [],
    stale: ['x'],
    status: 'pending',
  });

  const claim = async (held: AlertRecord): Promise<Claim> => {
    const taken = await claimAlert(store, held, `claim-${held.sequence}`, new Date('2024-01-01T00:00:30Z'));
    if (!taken) throw new Error(`alert ${held.sequence} could not be claimed`);
    return taken;
  };

  async function indexed(): Promise<number[]> {
    const { Items = [] } = await store.db.send(
      new QueryCommand({
        TableName: store.name,
        IndexName: OPEN_ALERTS_INDEX.name,
        KeyConditionExpression: '#open = :pk',
        ExpressionAttributeNames: { '#open': OPEN_ALERTS_INDEX.partition },
        ExpressionAttributeValues: { ':pk': alertPrefix(scenarioId).pk },
      }),
    );
    return Items.map((item) => Number(item.sequence));
  }

  beforeAll(async () => {
    store = table(`signpost-open-${randomUUID().slice(0, 8)}`);
    await createTable(store.name);
    for (const sequence of [1, 2, 3, 4]) {
      await store.db.send(new PutCommand({ TableName: store.name, Item: alertToItem(alert(sequence)) }));
    }
  });

  it('holds a pending alert until it is sent, and a held one until a summary reports it', async () => {
    // Act: 1 is sent, 2 and 3 are held by a silence, 4 stays pending.
    await markAlertSent(store, alert(1), await claim(alert(1)), 'm-1', '2024-01-01T00:01:00.000Z');
    await markAlertSuppressed(store, alert(2), await claim(alert(2)), 'quiet');
    await markAlertSuppressed(store, alert(3), await claim(alert(3)), 'quiet');

    // Assert
    expect(await indexed()).toEqual([2, 3, 4]);
    const open = (await scanOpenAlerts(store)).map((item) => [item.sequence, item.status]);
    expect(open.sort()).toEqual([
      [2, 'suppressed'],
      [3, 'suppressed'],
      [4, 'pending'],
    ]);
    const held = await listHeldAlerts(store, scenarioId, 'quiet');
    expect(held.map((a) => a.sequence)).toEqual([2, 3]);

    // Act: the summary (alert 5, itself pending) reports 2 and 3.
    const summary: AlertRecord = {
      ...alert(5),
      kind: 'silence-summary',
      silence: { id: 'quiet', start: '2024-01-01', end: '2024-01-02', reason: 'test' },
      held: held.map((a) => ({ sequence: a.sequence, kind: 'data-stale' as const, at: a.at })),
    };
    await store.db.send(
      new PutCommand({
        TableName: store.name,
        Item: { ...pathStateKey(scenarioId), alerts: 4, version: 1 },
      }),
    );
    await commitSilenceSummary(store, summary, 1, held);

    // Assert: the held ones left the index, the summary entered it; nothing leaks the index key.
    expect(await indexed()).toEqual([4, 5]);
    expect(await listHeldAlerts(store, scenarioId, 'quiet')).toEqual([]);
    expect(await getAlert(store, alertKey(scenarioId, 2))).not.toHaveProperty(OPEN_ALERTS_INDEX.partition);
  });

  it('tells a table made before the index (an old .signpost/ folder) from a current one', async () => {
    const old = `signpost-old-${randomUUID().slice(0, 8)}`;
    await new DynamoDBClient({}).send(
      new CreateTableCommand({
        TableName: old,
        BillingMode: 'PAY_PER_REQUEST',
        // The table as it was before the index: its key, nothing else.
        AttributeDefinitions: TABLE_DEFINITION.AttributeDefinitions.slice(0, 2),
        KeySchema: TABLE_DEFINITION.KeySchema,
      }),
    );

    expect(await hasOpenAlertsIndex(old)).toBe(false);
    expect(await hasOpenAlertsIndex(store.name)).toBe(true);
  });

  it('reports the alerts a removed silence held, in one summary, and takes them out of the index', async () => {
    // Arrange: a scenario of its own, one alert held by a silence that exists nowhere any more.
    const id = 'removed';
    const scenario = buildScenario({ id, paths: EVEN_AB, indicators: [{ id: 'x', expect: AB_EXPECT }] });
    const held = { ...alert(1), scenarioId: id };
    await store.db.send(new PutCommand({ TableName: store.name, Item: alertToItem(held) }));
    await markAlertSuppressed(store, held, await claim(held), 'deleted-early');
    await store.db.send(
      new PutCommand({ TableName: store.name, Item: { ...pathStateKey(id), alerts: 1, version: 1 } }),
    );

    // Act
    const written = await summarizeEndedSilences(store, scenario, new Date('2024-01-05T00:00:00Z'));

    // Assert
    expect(written).toBe(1);
    const summary = await getAlert(store, alertKey(id, 2));
    expect(summary).toMatchObject({
      kind: 'silence-summary',
      silence: { id: 'deleted-early', start: held.createdAt, reason: 'removed before its end' },
      held: [{ sequence: 1 }],
    });
    expect(await listHeldAlerts(store, id)).toEqual([]);
    // A second sweep has nothing left to report.
    expect(await summarizeEndedSilences(store, scenario, new Date('2024-01-05T00:15:00Z'))).toBe(0);
  });
});
