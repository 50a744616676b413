import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';

// `npm start` as a user runs it: a child process, the API on a port, Ctrl-C (SIGINT) to stop.
describe('npm start', () => {
  let child: ChildProcess | undefined;
  let output = '';

  afterAll(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
  });

  async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const match = output.match(pattern);
      if (match) return match;
      if (Date.now() > deadline || child?.exitCode !== null) {
        throw new Error(`no ${pattern} within ${timeoutMs} ms; output so far:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  it('serves the seed assessment and stops on SIGINT leaving no service running', async () => {
    // Arrange
    child = spawn(process.execPath, ['cli/main.ts', 'start', '--in-memory'], {
      env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    child.stderr?.on('data', (chunk) => {
      output += chunk;
    });

    // Act
    // A guard against a hang, not a timing: start prints how long it took (`API ready after N s`).
    const [, url] = await waitFor(/curl (http:\/\/\S+\/v1\/scenarios\/kupyansk\/assessment)/, 180_000);
    const response = await fetch(url as string);

    // Assert: the API answers, and the run printed the alerts as subscribers see them.
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ scenarioId: 'kupyansk' });
    expect(output).toMatch(/SHIFT \w+ -> \w+ \(alert #\d+\)/);
    // Every alert raised is on its assessment's line, forecast warnings too: the numbers have no gap.
    expect(output).toMatch(/WARN (\w+ -> )?\w+ \d+% \(alert #\d+\)/);
    const numbers = [...output.matchAll(/\(alert #(\d+)\)/g)].map((m) => Number(m[1]));
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i + 1));
    expect(output).toMatch(/Subject: \[Signpost\] /);
    expect(output).toMatch(/--- sms \(\d+ chars\)/);

    // Act: Ctrl-C
    const [, dynamo] = output.match(/DynamoDB Local (http:\/\/\S+),/) ?? [];
    child.kill('SIGINT');
    const [code] = await once(child, 'exit');

    // Assert: a clean exit, and neither the API nor DynamoDB Local (a Java child) still answers.
    expect(code).toBe(0);
    await expect(fetch(url as string)).rejects.toThrow();
    await expect(fetch(dynamo as string)).rejects.toThrow();
  }, 240_000);
});
