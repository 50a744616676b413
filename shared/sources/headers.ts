// Request headers for HTTP sources, resolved from environment variables or Secrets Manager, never YAML.
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { HeaderValue } from '../config/source-schema.ts';
import { SourceError } from './source-error.ts';

/** Reads a secret's string; replaced in tests. */
export type SecretReader = (secretId: string) => Promise<string>;

let client: SecretsManagerClient | undefined;
const defaultReader: SecretReader = async (secretId) => {
  // Imported on first use: most sources need no secret, and the client is ≈ 13 KB of the ingest bundle
  // that the deployed function then loads only when a header names a secret (a separate chunk).
  const { GetSecretValueCommand, SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
  client ??= new SecretsManagerClient({});
  const { SecretString } = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (SecretString === undefined) throw new Error('the secret has no string value');
  return SecretString;
};

/** One read per secret per cold start: a scheduled run must not pay (or be throttled) per indicator. */
const cache = new Map<string, Promise<string>>();

export function clearSecretCache(): void {
  cache.clear();
}

export async function resolveHeaders(
  spec: Record<string, HeaderValue> | undefined,
  label: string,
  env: NodeJS.ProcessEnv = process.env,
  readSecret: SecretReader = defaultReader,
): Promise<Record<string, string>> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(spec ?? {})) {
    headers[name.toLowerCase()] =
      `${value.prefix ?? ''}${await headerValue(name, value, label, env, readSecret)}`;
  }
  return headers;
}

async function headerValue(
  name: string,
  value: HeaderValue,
  label: string,
  env: NodeJS.ProcessEnv,
  readSecret: SecretReader,
): Promise<string> {
  if ('env' in value) {
    const found = env[value.env];
    if (!found) throw new SourceError(label, `header ${name}: environment variable ${value.env} is not set`);
    return found;
  }
  let pending = cache.get(value.secret);
  if (!pending) {
    pending = readSecret(value.secret);
    cache.set(value.secret, pending);
    // A failed read is not cached: the next run tries again.
    pending.catch(() => cache.delete(value.secret));
  }
  let secret: string;
  try {
    secret = await pending;
  } catch (error) {
    // The message names the secret, never its value.
    throw new SourceError(label, `header ${name}: secret ${value.secret}: ${(error as Error).message}`);
  }
  if (value.key === undefined) return secret;
  let fields: unknown;
  try {
    fields = JSON.parse(secret);
  } catch {
    throw new SourceError(
      label,
      `header ${name}: secret ${value.secret} is not JSON, so has no key ${value.key}`,
    );
  }
  const field = (fields as Record<string, unknown> | null)?.[value.key];
  if (typeof field !== 'string' || field === '')
    throw new SourceError(label, `header ${name}: secret ${value.secret} has no key ${value.key}`);
  return field;
}
