import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { clearSecretCache, resolveHeaders } from '../../../shared/sources/headers.ts';

// Secrets Manager failure paths, through the default reader and a mocked client.
const secrets = mockClient(SecretsManagerClient);
const LABEL = 'https://api.example.org/series';
const spec = { 'X-Api-Key': { secret: 'feeds/example', key: 'apiKey' } };

describe('headers from Secrets Manager', () => {
  beforeEach(() => {
    secrets.reset();
    clearSecretCache();
  });

  afterAll(() => {
    secrets.restore();
  });

  it('reads the key of a JSON secret once for every source that uses it', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"apiKey":"k3y"}' });

    const first = await resolveHeaders(spec, LABEL);
    const second = await resolveHeaders(spec, 'https://other.example.org/');

    expect(first).toEqual({ 'x-api-key': 'k3y' });
    expect(second).toEqual({ 'x-api-key': 'k3y' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it('names the source, header and secret when the secret does not exist, and tries again next time', async () => {
    secrets
      .on(GetSecretValueCommand)
      .rejectsOnce(
        new ResourceNotFoundException({
          message: "Secrets Manager can't find the specified secret.",
          $metadata: {},
        }),
      )
      .resolves({ SecretString: '{"apiKey":"k3y"}' });

    await expect(resolveHeaders(spec, LABEL)).rejects.toThrow(
      `${LABEL}: header X-Api-Key: secret feeds/example: Secrets Manager can't find the specified secret.`,
    );
    // The failure was not cached: the next run reads the secret again and succeeds.
    expect(await resolveHeaders(spec, LABEL)).toEqual({ 'x-api-key': 'k3y' });
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a binary secret, which has no string to send', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1, 2, 3]) });

    await expect(resolveHeaders(spec, LABEL)).rejects.toThrow(
      'header X-Api-Key: secret feeds/example: the secret has no string value',
    );
  });

  it('says the secret is not JSON without showing its value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'plain-s3cret-value' });

    const error = await resolveHeaders(spec, LABEL).catch((e: Error) => e);

    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe(
      `${LABEL}: header X-Api-Key: secret feeds/example is not JSON, so has no key apiKey`,
    );
    expect((error as Error).message).not.toContain('plain-s3cret-value');
  });

  it('says which key is missing from a JSON secret without showing the others', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{"token":"other-s3cret"}' });

    const error = await resolveHeaders(spec, LABEL).catch((e: Error) => e);

    expect((error as Error).message).toBe(
      `${LABEL}: header X-Api-Key: secret feeds/example has no key apiKey`,
    );
    expect((error as Error).message).not.toContain('other-s3cret');
  });

  it('sends the whole secret, with its prefix, when no key is named', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'abc123' });

    expect(
      await resolveHeaders({ Authorization: { secret: 'feeds/token', prefix: 'Bearer ' } }, LABEL),
    ).toEqual({ authorization: 'Bearer abc123' });
  });
});
