// The write routes' bounds and audit trail, in local mode: numbers the table cannot hold and silences
// without bounds are 400s, and every write records who made it (stored, and one audit log line).
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LOCAL_CALLER } from '../../functions/api/auth.ts';
import { DEFAULT_MAX_SILENCE_DAYS } from '../../functions/api/routes/writes.ts';
import { logger } from '../../shared/runtime/logger.ts';
import { observationToItem, storedObservations } from '../../shared/store/observations.ts';
import { listSilences } from '../../shared/store/silences.ts';
import { useWriteApi, WRITE_AUTH } from './local-stack.ts';

const auth = WRITE_AUTH;
const READINGS = '/v1/indicators/probe-readings/observations';

const { stack, api } = useWriteApi();

afterEach(() => {
  vi.restoreAllMocks();
});

describe('values the table cannot hold', () => {
  it.each([
    ['beyond +2^53', '9007199254740993', 'beyond ±2^53'],
    ['beyond -2^53', '-1e16', 'beyond ±2^53'],
    ['below 1e-130 in magnitude', '1e-131', 'smaller in magnitude than 1e-130'],
  ])(
    'are refused with a 400 naming the field when %s, and nothing is written',
    async (_what, value, reason) => {
      // Act: the number as a client would send it, unrounded by JSON.stringify.
      const response = await api.send(
        'POST',
        READINGS,
        `{"observations":[{"period":"2022-01-01","value":${value}}]}`,
        auth,
      );

      // Assert
      expect(response.status).toBe(400);
      const problem = (await response.json()) as { errors: { field: string; message: string }[] };
      expect(problem.errors).toEqual([
        { in: 'body', field: 'observations.0.value', message: expect.stringContaining(reason) },
      ]);
      expect((await storedObservations(stack.table, 'probe-readings', ['2022-01-01'])).size).toBe(0);
    },
  );

  it('stores who posted a value, and logs one audit line for the write', async () => {
    // Arrange
    const info = vi.spyOn(logger, 'info');

    // Act
    const response = await api.send(
      'POST',
      READINGS,
      { observations: [{ period: '2022-02-01', value: 3 }] },
      auth,
    );

    // Assert
    expect(response.status).toBe(200);
    const stored = await storedObservations(stack.table, 'probe-readings', ['2022-02-01'], true);
    expect(stored.get('2022-02-01')).toMatchObject({ value: 3, postedBy: LOCAL_CALLER });
    expect(info.mock.calls.filter(([message]) => message === 'write audited')).toEqual([
      [
        'write audited',
        {
          audit: {
            action: 'observations.post',
            caller: LOCAL_CALLER,
            indicatorId: 'probe-readings',
            periods: ['2022-02-01'],
            written: 1,
            revised: 0,
          },
        },
      ],
    ]);
    // The public read shows the value, not who posted it.
    expect(await (await api.get(READINGS)).text()).not.toContain(LOCAL_CALLER);
  });
});

describe('a body that is not UTF-8', () => {
  it('is refused with a 400 rather than stored with replacement characters', async () => {
    // Arrange: a JSON body whose reason holds the byte 0xFF, which UTF-8 never uses.
    const bytes = Buffer.concat([
      Buffer.from('{"start":"2026-01-01","end":"2026-01-02","reason":"bad '),
      Buffer.from([0xff]),
      Buffer.from(' byte"}'),
    ]);

    // Act
    const response = await fetch(`${api.base}/v1/scenarios/manual-probe/silences/bytes`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', ...auth },
      body: bytes,
    });

    // Assert
    expect(response.status).toBe(400);
    expect(((await response.json()) as { detail: string }).detail).toBe('The body is not valid UTF-8.');
    expect(await listSilences(stack.table, 'manual-probe')).toEqual([]);
  });
});

describe('silences', () => {
  const silence = (body: unknown) =>
    api.send('PUT', '/v1/scenarios/manual-probe/silences/bounded', body, auth);

  it('refuses a body that is JSON null with a 400, not a 500', async () => {
    const response = await silence('null');

    expect(response.status).toBe(400);
    expect(await listSilences(stack.table, 'manual-probe')).toEqual([]);
  });

  it(`refuses a silence longer than the stage allows (${DEFAULT_MAX_SILENCE_DAYS} days by default)`, async () => {
    // Act
    const forever = await silence({ start: '0000-01-01', end: '9999-12-31', reason: 'forever' });
    const start = Date.parse('2026-01-01T00:00:00Z');
    const justOver = await silence({
      start: new Date(start).toISOString(),
      end: new Date(start + DEFAULT_MAX_SILENCE_DAYS * 86_400_000 + 1_000).toISOString(),
      reason: 'the longest silence and a second',
    });

    // Assert
    for (const response of [forever, justOver]) {
      expect(response.status).toBe(400);
      expect(((await response.json()) as { errors: { field: string }[] }).errors.map((e) => e.field)).toEqual(
        ['end'],
      );
    }
    expect(await listSilences(stack.table, 'manual-probe')).toEqual([]);
  });

  it('stores the caller of a silence as updatedBy, and audits its creation and removal', async () => {
    // Arrange
    const info = vi.spyOn(logger, 'info');

    // Act
    const created = await silence({ start: '2026-01-01', end: '2026-01-31', reason: 'review' });
    const stored = await listSilences(stack.table, 'manual-probe');
    const removed = await api.send('DELETE', '/v1/scenarios/manual-probe/silences/bounded', undefined, auth);

    // Assert
    expect([created.status, removed.status]).toEqual([201, 204]);
    expect(stored).toEqual([expect.objectContaining({ silenceId: 'bounded', updatedBy: LOCAL_CALLER })]);
    expect(
      info.mock.calls
        .filter(([message]) => message === 'write audited')
        .map(([, fields]) => (fields as { audit: { action: string; caller: string } }).audit)
        .map(({ action, caller }) => [action, caller]),
    ).toEqual([
      ['silence.create', LOCAL_CALLER],
      ['silence.delete', LOCAL_CALLER],
    ]);
  });
});

describe('GET /v1/indicators/{id}/observations', () => {
  it('serves the flags and the evidence trail ingestion stored with a value', async () => {
    // Arrange: an observation as ingest stores one from a cumulative feed whose count fell.
    const item = observationToItem(
      {
        indicatorId: 'probe-readings',
        period: '2021-06-01',
        value: -2,
        source: 'https://example.org/feed.xml',
        flags: ['negative-delta'],
        evidence: [{ title: 'Item one', link: 'https://example.org/1', time: '2021-06-03T00:00:00.000Z' }],
      },
      '2021-07-01T00:00:00.000Z',
    );
    await stack.table.db.send(new PutCommand({ TableName: stack.table.name, Item: item }));

    // Act
    const page = (await (await api.get(`${READINGS}?to=2021-06-30`)).json()) as { items: unknown[] };

    // Assert
    expect(page.items).toContainEqual({
      indicatorId: 'probe-readings',
      period: '2021-06-01',
      value: -2,
      source: 'https://example.org/feed.xml',
      fetchedAt: '2021-07-01T00:00:00.000Z',
      flags: ['negative-delta'],
      evidence: [{ title: 'Item one', link: 'https://example.org/1', time: '2021-06-03T00:00:00.000Z' }],
    });
  });
});
