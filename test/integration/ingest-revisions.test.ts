// Saving observations on DynamoDB Local: revisions stored before the values they keep are overwritten,
// only the touched period range read back, and transforms that legitimately leave nothing.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTable } from '../../cli/local/resources.ts';
import { ingest } from '../../shared/app/ingest.ts';
import { loadScenarios } from '../../shared/config/load-scenarios.ts';
import { ScenarioRegistry } from '../../shared/config/registry.ts';
import { table } from '../../shared/runtime/clients.ts';
import type { SourcedObservation } from '../../shared/sources/records.ts';
import { listRevisions } from '../../shared/store/observation-revisions.ts';
import { listObservations, saveObservations } from '../../shared/store/observations.ts';
import { TABLE_KEY, type Table } from '../../shared/store/table.ts';

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
  let store: Table;
  let dir: string;

  beforeAll(async () => {
    store = table(`signpost-revisions-${randomUUID().slice(0, 8)}`);
    await createTable(store.name);
    dir = await mkdtemp(join(tmpdir(), 'signpost-revisions-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

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
    await writeFile(join(dir, 'quiet.csv'), 'month,value\n2024-01,1\n2024-02,2\n');
    await writeFile(
      join(dir, 'quiet.yaml'),
      `id: quiet
title: Quiet
description: A filter that leaves nothing.
paths:
  - { id: a, title: A, description: A., prior: 0.5 }
  - { id: b, title: B, description: B., prior: 0.5 }
indicators:
  - id: quiet
    title: Quiet
    unit: count
    cadence: P1M
    source: { kind: csv, path: quiet.csv, time: month, value: value, transforms: [{ kind: filter, min: 100 }] }
    evidence: { model: gaussian, expect: { a: { mean: 1, sd: 1 }, b: { mean: 2, sd: 1 } } }
`,
    );
    const registry = new ScenarioRegistry(await loadScenarios(dir));

    const [report] = await ingest(store, registry, ['quiet'], new Date('2024-06-01T00:00:00Z'));

    expect(report).toMatchObject({ status: 'succeeded', read: 2, written: 0, rejected: 0 });
    expect(report?.error).toBeUndefined();
  });
});
