// `cdk synth` with a bad stage config or bad scenario files prints the messages alone and exits 1.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { operatorErrorText, StageConfigError } from '../../../infra/config.ts';
import { ScenarioError } from '../../../shared/config/load-scenarios.ts';

const APP = fileURLToPath(new URL('../../../infra/app.ts', import.meta.url));

describe('operatorErrorText', () => {
  it('gives a stage config error its message alone', () => {
    // Arrange
    const error = new StageConfigError('Invalid stage configuration in CDK context:\n  -c stage: expected x');

    // Act
    const text = operatorErrorText(error);

    // Assert
    expect(text).toBe('Invalid stage configuration in CDK context:\n  -c stage: expected x');
  });

  it('lists a scenario error one problem a line under a heading, without the problems object', () => {
    // Arrange
    const error = new ScenarioError([
      { file: 'a.yaml', line: 3, field: 'id', expected: 'a lower-case id' },
      { file: 'b.yaml', line: 9, field: 'x', expected: 'no unknown field (x)', message: 'unknown field `x`' },
    ]);

    // Act
    const text = operatorErrorText(error);

    // Assert
    expect(text).toBe(
      'Invalid scenario files:\n  a.yaml:3: id: expected a lower-case id\n  b.yaml:9: x: unknown field `x`',
    );
  });

  it('leaves any other error to be thrown with its stack', () => {
    expect(operatorErrorText(new TypeError('boom'))).toBeUndefined();
    expect(operatorErrorText('a string')).toBeUndefined();
  });
});

describe('the CDK app entry point', () => {
  it('prints a bad context value without a stack trace and exits 1', async () => {
    // Arrange: the CDK CLI passes `-c alertPhones=12345` to the app this way
    const env = { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ alertPhones: '12345' }) };

    // Act
    const result = await promisify(execFile)(process.execPath, [APP], { env }).then(
      (r) => ({ code: 0, ...r }),
      (e: { code: number; stdout: string; stderr: string }) => e,
    );

    // Assert
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      'Invalid stage configuration in CDK context:\n  -c alertPhones (item 0): expected an E.164 phone number such as +4915112345678\n',
    );
  }, 60_000);
});
