// `signpost --version`: the package's version, as a user or a bug report asks for it.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.ts';

describe.concurrent('signpost --version', () => {
  it.for(['--version', '-V'])('prints the version in package.json and exits 0 (%s)', async (flag) => {
    // Arrange
    const { version } = JSON.parse(await readFile('package.json', 'utf8')) as { version: string };

    // Act
    const result = await runCli([flag]);

    // Assert
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
    expect(result.stderr).toBe('');
  });

  it('lists --version in the help', async () => {
    // Act
    const result = await runCli(['--help']);

    // Assert
    expect(result.stdout).toMatch(/-V, --version +print the version/);
  });
});
