// `signpost start` as an operator runs it, on a data folder: post a manual observation, see the alert in
// the terminal and the outbox, edit the scenario while it runs, restart on the same data.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'e2e-local-token';

interface Started {
  child: ChildProcess;
  api: string;
  output: () => string;
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

function start(scenarios: string, dataDir: string): Promise<Started> {
  const child = spawn(
    process.execPath,
    ['cli/main.ts', 'start', '--port', '0', '--scenarios', scenarios, '--data-dir', dataDir],
    {
      env: { ...process.env, SIGNPOST_LOCAL_TOKEN: TOKEN, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    output += chunk;
  });
  const waitFor = async (pattern: RegExp, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = output.match(pattern);
      if (match) return match;
      if (Date.now() > deadline || child.exitCode !== null)
        throw new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return waitFor(/curl (http:\/\/[\d.:]+)\/v1\/scenarios\/field-reports\/assessment/, 60_000).then(
    ([, api]) => ({ child, api: api as string, output: () => output, waitFor }),
  );
}

async function stop(started: Started): Promise<number | null> {
  started.child.kill('SIGINT');
  const [code] = await once(started.child, 'exit');
  return code as number | null;
}

function post(api: string, period: string, value: number): Promise<Response> {
  return fetch(`${api}/v1/indicators/incident-reports/observations`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ observations: [{ period, value }] }),
  });
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('signpost start on a data folder', () => {
  let dir: string;
  let scenarios: string;
  let dataDir: string;
  const running: Started[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'signpost-e2e-'));
    scenarios = join(dir, 'scenarios');
    dataDir = join(dir, '.signpost');
    await cp('test/e2e/fixtures/manual-scenarios', scenarios, { recursive: true });
  });

  afterAll(async () => {
    for (const r of running) if (r.child.exitCode === null) r.child.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('evaluates a posted observation, delivers the alert to terminal and outbox once, and keeps it across a restart', async () => {
    // Arrange
    const first = await start(scenarios, dataDir);
    running.push(first);
    const assessmentUrl = `${first.api}/v1/scenarios/field-reports/assessment`;
    const outbox = join(dataDir, 'outbox.jsonl');

    // Act: a calm reading, then a stormy one (the fixture confirms a shift on one data update)
    expect((await post(first.api, '2024-01-01', 9)).status).toBe(200);
    const calm = await until(
      () => fetch(assessmentUrl),
      (r) => r.status === 200,
    );
    expect(await calm.json()).toMatchObject({ leader: 'calm', state: { path: 'calm' } });
    expect((await post(first.api, '2024-02-01', 42)).status).toBe(200);
    await first.waitFor(/--- sms \(\d+ chars\)/);

    // Assert: the scenario announced in good grammar; the alert as subscribers get it, in the
    // terminal and as one outbox line
    expect(first.output()).toContain('Signpost local: field-reports (1 indicator)\n');
    expect(first.output()).toContain('Subject: [Signpost] Field reports: now on "Storm builds"');
    const lines = (await readFile(outbox, 'utf8')).trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0] as string)).toMatchObject({
      scenarioId: 'field-reports',
      kind: 'path-shift',
      dedupKey: 'field-reports#1',
      sms: expect.stringContaining('shift calm->storm'),
    });
    const stormy = (await (await fetch(assessmentUrl)).json()) as { asOf: string };
    expect(stormy).toMatchObject({ leader: 'storm', state: { path: 'storm' } });

    // Act: an invalid edit, then a valid one, while it runs
    const file = join(scenarios, 'field-reports.yaml');
    const yaml = await readFile(file, 'utf8');
    await writeFile(file, yaml.replace('prior: 0.5 }', 'prior: 0.9 }'));
    await first.waitFor(
      /not applied \(the previous version keeps running\):\n\s+\S+field-reports\.yaml:\d+: paths: expected priors summing to 1/,
    );
    await writeFile(file, yaml.replace('title: Field reports', 'title: Field reports (edited)'));
    await first.waitFor(/Scenarios reloaded: field-reports/);

    // Assert: the previous version ran meanwhile, the new one serves now
    const definition = (await (await fetch(`${first.api}/v1/scenarios/field-reports`)).json()) as {
      title: string;
    };
    expect(definition.title).toBe('Field reports (edited)');

    // Act: Ctrl-C, and start again on the same data folder
    expect(await stop(first)).toBe(0);
    const second = await start(scenarios, dataDir);
    running.push(second);
    await new Promise((r) => setTimeout(r, 1_500));

    // Assert: the stored assessment is served, and no alert went out again
    const kept = await (await fetch(`${second.api}/v1/scenarios/field-reports/assessment`)).json();
    expect(kept).toMatchObject({ leader: 'storm', asOf: stormy.asOf });
    expect(second.output()).not.toContain('--- sms');
    expect((await readFile(outbox, 'utf8')).trim().split('\n')).toHaveLength(1);
    expect(await stop(second)).toBe(0);
  }, 120_000);
});
