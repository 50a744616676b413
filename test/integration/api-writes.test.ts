// The write routes in local mode (bearer token) on DynamoDB Local: manual observations and silences.
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { putManualObservations } from '../../shared/store/manual-observations.ts';
import { listRevisions } from '../../shared/store/observation-revisions.ts';
import { observationPrefix } from '../../shared/store/observations.ts';
import { listSilences } from '../../shared/store/silences.ts';
import { TABLE_KEY } from '../../shared/store/table.ts';
import { useWriteApi, WRITE_AUTH, WRITE_TOKEN } from './local-stack.ts';

const TOKEN = WRITE_TOKEN;
const auth = WRITE_AUTH;
const READINGS = '/v1/indicators/probe-readings/observations';

const { stack, api } = useWriteApi();

/** POSTs `body` to the observations of the manual indicator probe-readings, with the write token by default. */
const postReadings = (body: unknown, headers: Record<string, string> = auth) =>
  api.send('POST', READINGS, body, headers);

async function observationItems(indicatorId: string) {
  const { pk, sk } = observationPrefix(indicatorId);
  const { Items } = await stack.table.db.send(
    new QueryCommand({
      TableName: stack.table.name,
      KeyConditionExpression: '#pk = :pk AND begins_with(#sk, :sk)',
      ExpressionAttributeNames: { '#pk': TABLE_KEY.partition, '#sk': TABLE_KEY.sort },
      ExpressionAttributeValues: { ':pk': pk, ':sk': sk },
      ConsistentRead: true,
    }),
  );
  return Items ?? [];
}

describe('POST /v1/indicators/{id}/observations', () => {
  it('stores hand-entered values of a manual indicator and serves them back', async () => {
    // Act
    const response = await postReadings({
      observations: [
        { period: '2024-01-01', value: 12 },
        { period: '2024-02-01', value: 38.5 },
      ],
    });
    const list = await api.get(READINGS);

    // Assert
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ indicatorId: 'probe-readings', written: 2 });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([
      expect.objectContaining({ period: '2024-01-01', value: 12, source: 'manual:api' }),
      expect.objectContaining({ period: '2024-02-01', value: 38.5, source: 'manual:api' }),
    ]);
  });

  it('refuses a missing or wrong token with 401 and writes nothing', async () => {
    const body = { observations: [{ period: '2023-01-01', value: 1 }] };

    const none = await postReadings(body, {});
    const wrong = await postReadings(body, { authorization: `Bearer ${TOKEN}x` });

    expect(none.status).toBe(401);
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).not.toContain(TOKEN);
    expect((await observationItems('probe-readings')).some((i) => i.period === '2023-01-01')).toBe(false);
  });

  it('names every bad field and writes none of the batch', async () => {
    // Arrange: one good value, a period that does not start a month, a value that is not a number.
    const body = {
      observations: [
        { period: '2023-03-01', value: 5 },
        { period: '2023-04-15', value: 5 },
        { period: '2023-05-01', value: 'five' },
      ],
      extra: true,
    };

    // Act
    const response = await postReadings(body);
    const problem = (await response.json()) as { errors: { in: string; field: string }[] };

    // Assert
    expect(response.status).toBe(400);
    expect(problem.errors.map((e) => e.field).sort()).toEqual(['extra', 'observations.2.value']);
    const period = await postReadings({
      observations: [
        { period: '2023-03-01', value: 5 },
        { period: '2023-04-15', value: 5 },
      ],
    });
    expect(period.status).toBe(400);
    expect(((await period.json()) as { errors: { field: string }[] }).errors).toEqual([
      expect.objectContaining({ field: 'observations.1.period', message: 'the start of a P1M period' }),
    ]);
    expect((await observationItems('probe-readings')).some((i) => i.period === '2023-03-01')).toBe(false);
  });

  it('refuses a period that has not started yet, naming the field and the current period', async () => {
    // Arrange: a mistyped year, next to this month's value (the current period is accepted).
    const thisMonth = `${new Date().toISOString().slice(0, 7)}-01`;
    const body = {
      observations: [
        { period: thisMonth, value: 7 },
        { period: '2062-10-01', value: 12 },
      ],
    };

    // Act
    const response = await postReadings(body);

    // Assert
    expect(response.status).toBe(400);
    expect(((await response.json()) as { errors: unknown[] }).errors).toEqual([
      {
        in: 'body',
        field: 'observations.1.period',
        message: `a period that has started: ${thisMonth} (the current P1M period) or earlier`,
      },
    ]);
    expect((await observationItems('probe-readings')).map((i) => i.period)).not.toContain('2062-10-01');
  });

  it('reports in /v1/health the newest period that has started, not a future one stored', async () => {
    // Arrange: this month's value through the API, a future one written straight to the table.
    const thisMonth = `${new Date().toISOString().slice(0, 7)}-01`;
    const posted = await postReadings({ observations: [{ period: thisMonth, value: 9 }] });
    expect(posted.status).toBe(200);
    await putManualObservations(
      stack.table,
      [{ indicatorId: 'probe-readings', period: '2062-10-01', value: 12, source: 'manual:api' }],
      new Date().toISOString(),
    );

    // Act
    const health = (await (await api.get('/v1/health')).json()) as {
      indicators: { indicatorId: string; newestPeriod: string; staleAt: string }[];
    };

    // Assert
    const probe = health.indicators.find((i) => i.indicatorId === 'probe-readings');
    expect(probe?.newestPeriod).toBe(thisMonth);
    expect(probe?.staleAt.slice(0, 4)).not.toBe('2062');
  });

  it('keeps the value a re-post replaces as a revision item, as ingest does, and none for an unchanged value', async () => {
    // Arrange
    const post = (value: number) => postReadings({ observations: [{ period: '2022-06-01', value }] });
    const first = (await (await post(9)).json()) as { fetchedAt: string };

    // Act
    const second = await post(45);
    const secondBody = (await second.json()) as { fetchedAt: string; written: number; revised: number };
    const same = (await (await post(45)).json()) as { revised: number };

    // Assert
    expect(second.status).toBe(200);
    expect(secondBody).toMatchObject({ written: 1, revised: 1 });
    expect(same.revised).toBe(0);
    expect(
      (await listRevisions(stack.table, 'probe-readings')).filter((r) => r.period === '2022-06-01'),
    ).toEqual([
      {
        indicatorId: 'probe-readings',
        period: '2022-06-01',
        value: 9,
        source: 'manual:api',
        fetchedAt: first.fetchedAt,
        revisedAt: secondBody.fetchedAt,
        revisedTo: 45,
      },
    ]);
  });

  it('revises 50 values in one request (a transaction of 100 items) and refuses 51', async () => {
    // Arrange: 50 months stored, then each changed.
    const months = Array.from({ length: 51 }, (_, i) =>
      new Date(Date.UTC(2010, i, 1)).toISOString().slice(0, 10),
    );
    const post = (values: { period: string; value: number }[]) => postReadings({ observations: values });
    expect((await post(months.slice(0, 50).map((period) => ({ period, value: 1 })))).status).toBe(200);

    // Act
    const revised = await post(months.slice(0, 50).map((period) => ({ period, value: 2 })));
    const tooMany = await post(months.map((period) => ({ period, value: 3 })));

    // Assert
    expect(revised.status).toBe(200);
    expect(await revised.json()).toMatchObject({ written: 50, revised: 50 });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { errors: unknown[] }).errors).toEqual([
      { in: 'body', field: 'observations', message: 'at most 50 observations per request' },
    ]);
    const revisions = await listRevisions(stack.table, 'probe-readings');
    expect(
      revisions.filter((r) => r.period.startsWith('2010-') && r.value === 1 && r.revisedTo === 2),
    ).toHaveLength(12);
  });

  it('keeps every replaced value when two writes of the same period race', async () => {
    // Arrange
    const write = (value: number, fetchedAt: string) =>
      putManualObservations(
        stack.table,
        [{ indicatorId: 'probe-readings', period: '2021-03-01', value, source: 'manual:api' }],
        fetchedAt,
      );
    await write(1, '2026-01-01T00:00:00.000Z');

    // Act: both read value 1; the one that commits second must find it changed and read again.
    await Promise.all([write(2, '2026-01-02T00:00:00.000Z'), write(3, '2026-01-03T00:00:00.000Z')]);

    // Assert: the revisions lead from 1 through the value committed first to the one stored.
    const stored = (await observationItems('probe-readings')).find((i) => i.period === '2021-03-01');
    const revisions = (await listRevisions(stack.table, 'probe-readings')).filter(
      (r) => r.period === '2021-03-01',
    );
    const first = revisions.find((r) => r.value === 1);
    const second = revisions.find((r) => r.value === first?.revisedTo);
    expect(revisions).toHaveLength(2);
    expect(second?.revisedTo).toBe(stored?.value);
    expect([first?.revisedTo, second?.revisedTo].sort()).toEqual([2, 3]);
  });

  it('refuses values for an indicator read from a fetched source (409) and for an unknown one (404)', async () => {
    const body = { observations: [{ period: '2024-01-01', value: 1 }] };

    const fetched = await api.send('POST', '/v1/indicators/ua-fires/observations', body, auth);
    const unknown = await api.send('POST', '/v1/indicators/nope/observations', body, auth);

    expect(fetched.status).toBe(409);
    expect(unknown.status).toBe(404);
    expect(await observationItems('ua-fires')).toEqual([]);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await postReadings('{"observations": [');

    expect(response.status).toBe(400);
  });
});

describe('PUT and DELETE /v1/scenarios/{id}/silences/{silenceId}', () => {
  const silence = { start: '2024-03-01', end: '2024-03-08T12:00:00+02:00', reason: 'planned data outage' };

  it('creates a silence (201), replaces it (200), and stores it in UTC for the alerts to read', async () => {
    // Act
    const created = await api.send('PUT', '/v1/scenarios/kupyansk/silences/outage', silence, auth);
    const replaced = await api.send(
      'PUT',
      '/v1/scenarios/kupyansk/silences/outage',
      { ...silence, kind: 'path-shift' },
      auth,
    );

    // Assert
    expect(created.status).toBe(201);
    expect(replaced.status).toBe(200);
    expect(await replaced.json()).toMatchObject({
      scenarioId: 'kupyansk',
      silenceId: 'outage',
      start: '2024-03-01T00:00:00.000Z',
      end: '2024-03-08T10:00:00.000Z',
      kind: 'path-shift',
    });
    expect(await listSilences(stack.table, 'kupyansk')).toEqual([
      expect.objectContaining({ silenceId: 'outage', reason: 'planned data outage', kind: 'path-shift' }),
    ]);
  });

  it('refuses an end before the start, an unknown kind and a bad id, writing nothing', async () => {
    const bad = await api.send(
      'PUT',
      '/v1/scenarios/kupyansk/silences/bad',
      { start: '2024-03-08', end: '2024-03-01', reason: ' ', kind: 'everything' },
      auth,
    );
    const badId = await api.send('PUT', '/v1/scenarios/kupyansk/silences/no%20spaces', silence, auth);

    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { errors: { field: string }[] }).errors.map((e) => e.field).sort()).toEqual(
      ['end', 'kind', 'reason'],
    );
    expect(badId.status).toBe(400);
    expect((await listSilences(stack.table, 'kupyansk')).map((s) => s.silenceId)).toEqual(['outage']);
  });

  it('deletes a silence (204), then answers 404 for it', async () => {
    const deleted = await api.send('DELETE', '/v1/scenarios/kupyansk/silences/outage', undefined, auth);
    const again = await api.send('DELETE', '/v1/scenarios/kupyansk/silences/outage', undefined, auth);

    expect(deleted.status).toBe(204);
    expect(again.status).toBe(404);
    expect(await listSilences(stack.table, 'kupyansk')).toEqual([]);
  });

  it('answers 404 for a silence of an unknown scenario', async () => {
    const response = await api.send('PUT', '/v1/scenarios/atlantis/silences/x', silence, auth);

    expect(response.status).toBe(404);
  });
});
