// Saving observations on DynamoDB Local: revisions stored before the values they keep are overwritten,
// only the touched period range read back, and transforms that legitimately leave nothing.
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { ingest } from '../../shared/app/ingest.ts';
import type { SourcedObservation } from '../../shared/sources/records.ts';
import { listRevisions } from '../../shared/store/observation-revisions.ts';
import { listObservations, saveObservations } from '../../shared/store/observations.ts';
import { TABLE_KEY, type Table } from '../../shared/store/table.ts';
import { scenarioYaml, sourcesScenario } from '../fixtures/scenario.ts';
import { scenarioFolder, useFreshTable } from './local-stack.ts';

const obs = (period: string, value: number): SourcedObservation => ({
  indicatorId: 'rev',
  period,
  value,
  source: 'test',
});

/** The table, its client wrapped to watch (and optionally fail) the commands sent. */
function watched(store: Table, failBatch: (items: Record<string, unknown>[]) => boolean) {
  const queried: Record<string, unknown>[][] = [];
  const send = store.db.send.bind(store.db) as (command: unknown) => Promise<Record<string, unknown>>;
  // A client of the table's own class (the SDK's paginator checks it), its send wrapped.
  const db = Object.assign(Object.create(store.db), {
    send: async (command: unknown) => {
      if (command instanceof BatchWriteCommand) {
        const requests = Object.values(command.input.RequestItems ?? {}).flat();
        const items = requests.map((r) => r.PutRequest?.Item ?? {});
        if (failBatch(items)) throw new Error('ProvisionedThroughputExceededException (injected)');
      }
      const result = await send(command);
      if (command instanceof QueryCommand) queried.push((result.Items ?? []) as Record<string, unknown>[]);
      return result;
    },
  }) as Table['db'];
  return { table: { name: store.name, db }, queried };
}

describe('saving observations', () => {
  const store = useFreshTable('revisions');

  it('stores the revision even when writing the new observation fails', async () => {
    await saveObservations(store, 'rev', [obs('2024-01-01', 1)], '2024-02-01T00:00:00.000Z');
    let failed = false;
    const failing = watched(store, (items) => {
      if (failed || !items.some((item) => String(item[TABLE_KEY.sort]).startsWith('OBS#'))) return false;
      failed = true;
      return true;
    });

    await expect(
      saveObservations(failing.table, 'rev', [obs('2024-01-01', 2)], '2024-03-01T00:00:00.000Z'),
    ).rejects.toThrow('injected');

    expect(await listRevisions(store, 'rev')).toMatchObject([
      { period: '2024-01-01', value: 1, revisedTo: 2, revisedAt: '2024-03-01T00:00:00.000Z' },
    ]);
    expect((await listObservations(store, 'rev')).map((o) => o.value)).toEqual([1]);
  });

  it('reads back only the stored periods between the first and last period saved', async () => {
    const months = Array.from({ length: 12 }, (_, i) => `2023-${String(i + 1).padStart(2, '0')}-01`);
    await saveObservations(
      store,
      'range',
      months.map((m, i) => ({ ...obs(m, i), indicatorId: 'range' })),
      'x',
    );
    const watching = watched(store, () => false);

    const saved = await saveObservations(
      watching.table,
      'range',
      [
        { ...obs('2023-05-01', 4), indicatorId: 'range' },
        { ...obs('2023-07-01', 60), indicatorId: 'range' },
      ],
      '2024-01-01T00:00:00.000Z',
    );

    expect(saved).toEqual({ written: 1, unchanged: 1, revised: 1 });
    expect(watching.queried.flat().map((item) => item.period)).toEqual([
      '2023-05-01',
      '2023-06-01',
      '2023-07-01',
    ]);
  });

  it('reports a run whose filter leaves no observations as succeeded, not as all rejected', async () => {
    const quiet = await scenarioFolder('quiet', {
      'quiet.csv': 'month,value\n2024-01,1\n2024-02,2\n',
      'quiet.yaml': scenarioYaml(
        sourcesScenario([
          '{ kind: csv, path: quiet.csv, time: month, value: value, transforms: [{ kind: filter, min: 100 }] }',
        ]),
      ),
    });

    try {
      const [report] = await ingest(store, quiet.registry, ['source-1'], new Date('2024-06-01T00:00:00Z'));

      expect(report).toMatchObject({ status: 'succeeded', read: 2, written: 0, rejected: 0 });
      expect(report?.error).toBeUndefined();
    } finally {
      await quiet.remove();
    }
  });
});
