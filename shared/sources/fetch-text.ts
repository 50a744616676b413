// Reads a source's raw text from a local file or an HTTP(S) URL, with a timeout and a size limit.
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { Source } from '../config/scenario-schema.ts';

export const MAX_SOURCE_BYTES = 10 * 1024 * 1024;
const TIMEOUT_MS = 15_000;

export class SourceError extends Error {
  readonly location: string;
  constructor(location: string, message: string) {
    super(`${location}: ${message}`);
    this.name = 'SourceError';
    this.location = location;
  }
}

/** Where the source's data lives: a URL, or a file path resolved against the scenario's folder. */
export function sourceLocation(source: Source, scenarioDir: string): string {
  return source.url ?? resolve(scenarioDir, source.path ?? '');
}

/**
 * How a source is named in stored observations, errors, logs and alerts: a URL without its query
 * string and fragment, which may carry an API key; a file by its path as written in the scenario.
 */
export function sourceLabel(source: Source): string {
  if (!source.url) return source.path ?? '';
  const url = new URL(source.url);
  return `${url.origin}${url.pathname}`;
}

export async function fetchText(location: string, label = location): Promise<string> {
  if (!/^https?:\/\//.test(location)) {
    const info = await stat(location).catch(() => null);
    if (!info?.isFile()) throw new SourceError(label, 'no such file');
    if (info.size > MAX_SOURCE_BYTES) throw new SourceError(label, `larger than ${MAX_SOURCE_BYTES} bytes`);
    return readFile(location, 'utf8');
  }
  const response = await fetch(location, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'follow',
  }).catch((error: Error) => {
    throw new SourceError(label, `request failed: ${error.message}`);
  });
  if (!response.ok) {
    await response.body?.cancel();
    throw new SourceError(label, `HTTP ${response.status}`);
  }
  return readLimited(response, label);
}

/** Reads the body while counting: a body with no (or a false) Content-Length cannot exhaust memory. */
async function readLimited(response: Response, label: string): Promise<string> {
  if (Number(response.headers.get('content-length') ?? 0) > MAX_SOURCE_BYTES) {
    await response.body?.cancel();
    throw new SourceError(label, `larger than ${MAX_SOURCE_BYTES} bytes`);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_SOURCE_BYTES) {
      await response.body?.cancel().catch(() => undefined);
      throw new SourceError(label, `larger than ${MAX_SOURCE_BYTES} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}
