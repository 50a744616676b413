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

export async function fetchText(location: string): Promise<string> {
  if (!/^https?:\/\//.test(location)) {
    const info = await stat(location).catch(() => null);
    if (!info?.isFile()) throw new SourceError(location, 'no such file');
    if (info.size > MAX_SOURCE_BYTES)
      throw new SourceError(location, `larger than ${MAX_SOURCE_BYTES} bytes`);
    return readFile(location, 'utf8');
  }
  const response = await fetch(location, {
    signal: AbortSignal.timeout(TIMEOUT_MS),
    redirect: 'follow',
  }).catch((error: Error) => {
    throw new SourceError(location, `request failed: ${error.message}`);
  });
  if (!response.ok) throw new SourceError(location, `HTTP ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_SOURCE_BYTES) throw new SourceError(location, `larger than ${MAX_SOURCE_BYTES} bytes`);
  const text = await response.text();
  if (Buffer.byteLength(text) > MAX_SOURCE_BYTES)
    throw new SourceError(location, `larger than ${MAX_SOURCE_BYTES} bytes`);
  return text;
}
